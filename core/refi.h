/* refi.h — what the REFI-QDA modules share: the import (refi_import.c,
 * refi_text.c, refi_zip.c: a source's text with the readings of its
 * positions, the archive read into memory) and the two writers (the .qdc
 * codebook in codebook_export.c, the .qdpx project in refi_export.c, which
 * write the same <Codes> tree through libxml2's xmlTextWriter). */
#ifndef QDA_REFI_H
#define QDA_REFI_H

#include <stdint.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "internal.h"

/* How a tool counted its positions: the standard's code points, or UTF-16
 * code units (NVivo for Windows), a CRLF as two or as one (ATLAS.ti). */
enum refi_reading { RD_CP, RD_CP_CRLF1, RD_U16, RD_U16_CRLF1, RD_N };
const char *refi_reading_name(enum refi_reading r);   /* "code points, CRLF as two" */
const char *refi_reading_key(enum refi_reading r);    /* "cp", "cp-crlf1", "utf16", "utf16-crlf1" */

/* A source's text as the tool held it (BOM stripped) and as qda stores it
 * (control characters as spaces, CRLF and CR as LF, NFC), with the maps
 * from one to the other. */
struct refi_text {
	char *text;               /* the stored form, NUL-terminated */
	size_t len;               /* bytes */
	uint32_t *cp;             /* its code points */
	size_t n_cp;
	size_t n_raw;             /* code points of the source's text */
	long *units[RD_N];        /* per reading: the unit offset of each raw code point, n_raw + 1 */
	long *mid;                /* raw index -> index after line ends were made LF, n_raw + 1 */
	size_t n_mid;
	long *cl_start, *cl_end;  /* mid index -> stored offsets of its grapheme cluster; n_mid + 1 */
	unsigned char *at_start;  /* mid index starts its cluster */
	int crlf, astral;         /* the text holds a CRLF, a code point past U+FFFF */
};
/* Build from UTF-8 bytes (QDA_EINPUT at loc when they are not UTF-8). */
enum qda_status refi_text_new(struct qda *h, const char *loc, const char *bytes, size_t len, struct refi_text *t);
void refi_text_free(struct refi_text *t);
/* A position of reading r as a stored code point offset: an end rounds
 * up to the end of a grapheme cluster, a start down to its start. -1 when
 * past the end, -2 inside a unit (half a surrogate pair). */
long refi_text_pos(const struct refi_text *t, enum refi_reading r, long u, int end);
/* The length of the text in reading r's units. */
long refi_text_units(const struct refi_text *t, enum refi_reading r);
/* Whether [s, e) of the stored text starts and ends on word boundaries. */
int refi_text_fits(const struct refi_text *t, long s, long e);

/* ---- the archive (refi_zip.c): entries checked, read into memory ---- */
struct refi_zip;
/* Open and check every entry: no absolute path, no '..', no symbolic link,
 * sizes and compression ratio capped. Errors at loc "FILE" naming the entry. */
enum qda_status refi_zip_open(struct qda *h, const char *path, struct refi_zip **z);
void refi_zip_close(struct refi_zip *z);
/* The one entry whose name ends in suffix (case ignored), *name set; QDA_EINPUT
 * when there is none or several. */
enum qda_status refi_zip_find_one(struct qda *h, struct refi_zip *z, const char *suffix, const char **name);
/* Read an entry by name (exact, else case ignored): QDA_ENOTFOUND when
 * absent (no message set), *out malloc'd, NUL-terminated. */
enum qda_status refi_zip_read(struct qda *h, struct refi_zip *z, const char *name, char **out, size_t *len);

/* ---- codes (refi_import.c), shared with codebook.c for .qdc files ---- */
/* Parse a REFI-QDA codebook (.qdc) into cb: names, colours, descriptions
 * (a definition, with the "Include:"/"Exclude:" lines qda writes), GUIDs and
 * the hierarchy; errors to err at "NAME:LINE:COL". Returns the number of
 * errors, -1 out of memory. Ids are set by refi_cb_ids. */
long refi_qdc_parse(const char *name, const char *text, size_t len, struct cb *cb, qda_cb_error_fn err, void *ctx);
/* Give every node of cb an id: the id of the project's node with its GUID,
 * else the slug of its name (made unique within cb). */
enum qda_status refi_cb_ids(struct qda *h, struct cb *cb);
/* Whether a path names a REFI-QDA codebook (.qdc). */
int refi_is_qdc(const char *path);
/* The Code elements under codes into cb (no ids yet); errors to err at
 * "NAME:LINE". Returns the number of errors, -1 out of memory. */
long refi_codes_to_cb(const char *name, const xmlNode *codes, struct cb *cb, qda_cb_error_fn err, void *ctx);

/* ---- XML (refi_codes.c): elements by local name, whatever the namespace ---- */
/* Parse without network, DTD or entity expansion; a DOCTYPE is refused. On
 * failure NULL, with ":LINE:COL" in loc_tail and libxml2's message in msg. */
xmlDoc *refi_xml_read(const char *text, size_t len, const char *entry, char *loc_tail, size_t nloc, char *msg,
                      size_t nmsg);
int refi_is(const xmlNode *n, const char *local);
xmlNode *refi_kid(const xmlNode *p, const char *local);     /* first child element so named */
xmlNode *refi_next(const xmlNode *n, const char *local);    /* next sibling element so named */
const char *refi_attr(const xmlNode *n, const char *name);  /* valid while the tree is */
char *refi_content(const xmlNode *n);                       /* malloc'd text content */
/* A GUID as qda keeps it (lower case, no braces) into out; -1 when not one. */
int refi_guid(const char *in, char out[37]);

/* ---- the writers ---- */
/* Written inside each <Code>, after its <Description> and before its child
 * codes (where Project.xsd puts a code's NoteRefs); 0 or -1. */
typedef int (*refi_code_extra_fn)(void *ctx, xmlTextWriterPtr w, const struct cb_node *n);

/* <Codes> holding every node of cb in tree order, each with guid, name,
 * isCodable, color (a valid #RGB only) and <Description> (definition,
 * include, exclude). cb must not be empty: the schemas reject an empty
 * <Codes>. extra may be NULL. 0, or -1 when the writer failed. */
int refi_write_codes(xmlTextWriterPtr w, const struct cb *cb, refi_code_extra_fn extra, void *ctx);

#endif
