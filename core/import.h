/* import.h — what the import readers share (import.c, import_cues.c,
 * import_docx.c): a transcript as its stored text and its speaker turns. */
#ifndef QDA_IMPORT_H
#define QDA_IMPORT_H

#include <limits.h>
#include "internal.h"

/* A speaker turn as the readers find it: byte offsets in the stored text,
 * the label included; speaker NULL for text no one is named for. */
struct imp_turn {
	char *speaker;
	size_t start, end;        /* bytes, [start, end) */
	long long t0, t1;         /* milliseconds, -1 when unknown */
};

struct imp_doc {
	char *text;               /* UTF-8, NFC, LF, no BOM */
	size_t len;
	struct imp_turn *turns;
	size_t n_turns, cap;
};

/* A turn's time when there is none (a cue's time may be negative, as given). */
#define IMP_NO_TIME LLONG_MIN
enum qda_status imp_turn_add(struct qda *h, struct imp_doc *d, const char *speaker, size_t speaker_len,
                             size_t start, size_t end, long long t0, long long t1);
void imp_doc_free(struct imp_doc *d);

/* The speaker label at the start of line s[0..len): "Name:", "Name :" (a
 * space or no-break space before the colon), "**Name:**", "**Name**:",
 * "[Name]", or a line of its own "Name  0:03" (Otter.ai, Word). On a label: the name (trimmed) in name[0..*name_len) and 1;
 * 0 otherwise. *after: bytes up to the text after the label. */
int imp_label(const char *s, size_t len, const char **name, size_t *name_len, size_t *after);
/* The same for a subtitle cue: a name may start in lower case ("marc:"), as
 * Zoom shows what participants typed. */
int imp_label_cue(const char *s, size_t len, const char **name, size_t *name_len, size_t *after);

/* Speaker turns of a text written as paragraphs (txt, md, docx): a line
 * starting with a speaker label begins a turn, header lines are not turns. */
enum qda_status imp_find_turns(struct qda *h, struct imp_doc *d);

/* WebVTT (Zoom "Name: text" cues, Teams <v Name> voice tags) and SRT: d->text
 * becomes the rebuilt "Name: text" transcript, one line per turn, the cues
 * of one speaker in a row merged. file names the source in errors. */
enum qda_status imp_read_cues(struct qda *h, const char *file, const char *s, size_t len, int vtt,
                              struct imp_doc *d);

/* The paragraphs of a .docx (word/document.xml), one line each. */
enum qda_status imp_read_docx(struct qda *h, const char *file, char **out, size_t *len);

/* A text already in the stored form (UTF-8, NFC, LF, no BOM) as a document
 * named name of case case_name (name when NULL), as qda_import_file stores a
 * file (trailing blank lines trimmed, turns found): source and source_hash
 * say where it came from. The same text already here: rep->result
 * QDA_SKIPPED_SAME; a different document of that name: QDA_EEXIST. text is
 * taken (freed) in every case; *doc_id the document holding the text. */
enum qda_status imp_store_text(struct qda *h, const char *name, const char *source, const char *source_hash,
                               char *text, size_t len, const char *case_name, struct qda_import_report *rep,
                               long long *doc_id);

#endif
