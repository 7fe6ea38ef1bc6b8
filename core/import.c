/* import.c — a transcript file into the project: read, check the encoding,
 * normalise (no BOM, LF, NFC), find the speaker turns (here for paragraphs
 * of text; import_cues.c for subtitles, import_docx.c for Word), then store
 * the document with its speakers, turns, lines and full-text index. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "import.h"

#define MAX_FILE  (512u << 20) /* bytes */
#define MAX_LINE  (1u << 20)   /* bytes in one line: a paragraph, never a whole book */
#define MAX_LABEL 63           /* code points in a speaker's name */

enum qda_status imp_turn_add(struct qda *h, struct imp_doc *d, const char *speaker, size_t speaker_len,
                             size_t start, size_t end, long long t0, long long t1)
{
	struct imp_turn *t;
	if (d->n_turns == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct imp_turn *v = realloc(d->turns, cap * sizeof *v);
		if (!v)
			return seterr(h, QDA_ENOMEM, "out of memory");
		d->turns = v;
		d->cap = cap;
	}
	t = &d->turns[d->n_turns];
	t->speaker = NULL;
	if (speaker && !(t->speaker = strndup(speaker, speaker_len)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	t->start = start;
	t->end = end;
	t->t0 = t0;
	t->t1 = t1;
	d->n_turns++;
	return QDA_OK;
}

void imp_doc_free(struct imp_doc *d)
{
	size_t i;
	for (i = 0; i < d->n_turns; i++)
		free(d->turns[i].speaker);
	free(d->turns);
	free(d->text);
	memset(d, 0, sizeof *d);
}

/* ---- speaker labels ---- */

static int32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
	if (k <= 0) {
		*n = 1;
		return -1;
	}
	*n = (size_t)k;
	return cp;
}

/* What a name may start with: a capital, a digit, or a letter of a script
 * without case (Chinese, Arabic, Hebrew...). */
static int is_upper_or_digit(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_LO ||
	       c == UTF8PROC_CATEGORY_ND;
}

static int is_name_char(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO)
		return 1;
	if (c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ND)
		return 1;
	return cp == ' ' || cp == '.' || cp == '-' || cp == '\'' || cp == 0x2019 || cp == '_';
}

/* Whether s[0..len) is a speaker's name: 1 to 63 code points, the first an
 * upper-case letter or a digit, then letters, digits, single spaces and
 * . - ' ’ _, at most five words, and at least one letter: "4 : Et sur la
 * formation" is an interview guide's numbered question, not a speaker. */
static int good_name_as(const char *s, size_t len, int loose)
{
	size_t i = 0, n, cps = 0, words = 1, letters = 0;
	int32_t cp, prev = 0;
	if (len == 0)
		return 0;
	cp = cp_at(s, len, 0, &n);
	if (cp < 0 || !(is_upper_or_digit(cp) || (loose && is_name_char(cp) && cp != ' ')))
		return 0;
	while (i < len) {
		cp = cp_at(s, len, i, &n);
		if (cp < 0 || !is_name_char(cp))
			return 0;
		if (cp == ' ') {
			if (prev == ' ')
				return 0;
			words++;
		}
		if (utf8proc_category(cp) >= UTF8PROC_CATEGORY_LU && utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO)
			letters++;
		prev = cp;
		i += n;
		cps++;
	}
	return cps <= MAX_LABEL && words <= 5 && prev != ' ' && letters > 0;
}

/* Set while reading subtitle cues, whose names Zoom writes as the
 * participants typed them, lower case included. */
static int loose_names;

static int good_name(const char *s, size_t len)
{
	return good_name_as(s, len, loose_names);
}

/* Whether every word of a name starts with a capital or a digit, or is a
 * particle (Dr Benoît Lefèvre, Anne de la Tour; not "Elle m'a dit"). */
static int proper_name(const char *s, size_t len)
{
	static const char *const particles[] = {"de", "du", "des", "la", "le", "van", "von", "der", "di", "da", "ben",
	                                        "el", "al", "y", "e", NULL};
	size_t i = 0;
	while (i < len) {
		size_t j = i, n;
		int32_t cp;
		while (j < len && s[j] != ' ')
			j++;
		cp = cp_at(s, len, i, &n);
		if (cp < 0 || !is_upper_or_digit(cp)) {
			int k, ok = 0;
			for (k = 0; particles[k] && !ok; k++)
				ok = strlen(particles[k]) == j - i && !memcmp(particles[k], s + i, j - i);
			if (!ok && !(j - i > 2 && s[i] == 'd' && (s[i + 1] == '\'' || !memcmp(s + i + 1, "\xE2\x80\x99", 3))))
				return 0;
		}
		i = j + 1;
	}
	return 1;
}

/* Whether a timestamp like 00:01:02 or 1:02.5 (digits, colons, dots). */
static int is_timestamp(const char *s, size_t len)
{
	size_t i, digits = 0;
	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != ':' && s[i] != '.' && s[i] != ',')
			return 0;
	}
	return digits > 0;
}

/* The end e of a name s[from..e) without the space a label may have before
 * its colon: a space, a no-break space (U+00A0) or a narrow one (U+202F). */
static size_t strip_space_end(const char *s, size_t from, size_t e)
{
	if (e >= from + 2 && (unsigned char)s[e - 2] == 0xC2 && (unsigned char)s[e - 1] == 0xA0)
		return e - 2;
	if (e >= from + 3 && !memcmp(s + e - 3, "\xE2\x80\xAF", 3))
		return e - 3;
	if (e > from && s[e - 1] == ' ')
		return e - 1;
	return e;
}

/* The end of the text after a label: skip one space (or NBSP). */
static size_t skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* The start of a time "M:SS", "MM:SS" or "H:MM:SS" ending s[0..len) (after
 * trailing spaces), or len when there is none. */
static size_t time_at_end(const char *s, size_t len)
{
	size_t e = len, b, colons = 0, digits = 0;
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	for (b = e; b > 0 && ((s[b - 1] >= '0' && s[b - 1] <= '9') || s[b - 1] == ':'); b--) {
		if (s[b - 1] == ':')
			colons++;
		else
			digits++;
	}
	if (b == e || colons < 1 || colons > 2 || digits < 3 || s[b] == ':' || s[e - 1] == ':')
		return len;
	return b;
}

/* A line of its own naming the speaker and the time, the text on the lines
 * below, as Otter.ai and Word's transcription write them: "Camille Roussel  0:03". */
static int name_then_time(const char *s, size_t len, const char **name, size_t *name_len, size_t *after)
{
	size_t t = time_at_end(s, len), e;
	if (t == len || t == 0 || (s[t - 1] != ' ' && s[t - 1] != '\t'))
		return 0;
	for (e = t; e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'); e--)
		;
	if (!good_name(s, e))
		return 0;
	*name = s;
	*name_len = e;
	*after = len;
	return 1;
}

/* The time of a "Name  0:03" line, in milliseconds, or -1. */
static long long label_line_time(const char *s, size_t len)
{
	size_t t = time_at_end(s, len);
	unsigned a = 0, b = 0, c = 0;
	char buf[16];
	int n;
	if (t == len || len - t >= sizeof buf)
		return -1;
	memcpy(buf, s + t, len - t);
	buf[len - t] = '\0';
	n = sscanf(buf, "%u:%u:%u", &a, &b, &c);
	if (n == 3)
		return ((long long)a * 3600 + b * 60 + c) * 1000;
	if (n == 2)
		return ((long long)a * 60 + b) * 1000;
	return -1;
}

int imp_label_cue(const char *s, size_t len, const char **name, size_t *name_len, size_t *after)
{
	int r;
	loose_names = 1;
	r = imp_label(s, len, name, name_len, after);
	loose_names = 0;
	return r;
}

int imp_label(const char *s, size_t len, const char **name, size_t *name_len, size_t *after)
{
	size_t i, k;

	if (len >= 2 && s[0] == '*' && s[1] == '*') {
		/* **Name:** or **Name**: */
		const char *close = NULL;
		for (i = 2; i + 1 < len && i < 2 + 4 * MAX_LABEL; i++)
			if (s[i] == '*' && s[i + 1] == '*') {
				close = s + i;
				break;
			}
		if (!close)
			return 0;
		k = (size_t)(close - s);
		if (k > 2 && s[k - 1] == ':' && (k + 2 == len || s[k + 2] == ' ' || s[k + 2] == '\t')) {
			size_t e = strip_space_end(s, 2, k - 1);
			if (!good_name(s + 2, e - 2))
				return 0;
			*name = s + 2;
			*name_len = e - 2;
			*after = skip_space(s, len, k + 2);
			return 1;
		}
		if (k + 2 < len && s[k + 2] == ':' && (k + 3 == len || s[k + 3] == ' ' || s[k + 3] == '\t')) {
			k = strip_space_end(s, 2, k);
			if (!good_name(s + 2, k - 2))
				return 0;
			*name = s + 2;
			*name_len = k - 2;
			*after = skip_space(s, len, k + 3);
			return 1;
		}
		return 0;
	}
	if (s[0] == '[') {
		/* [Name] text */
		const char *close = memchr(s, ']', len < 4 * MAX_LABEL ? len : 4 * MAX_LABEL);
		if (!close)
			return 0;
		k = (size_t)(close - s);
		if (is_timestamp(s + 1, k - 1) || !good_name(s + 1, k - 1))
			return 0;
		i = k + 1;
		if (i < len && s[i] == ':')
			i++;
		if (i < len && s[i] != ' ' && s[i] != '\t')
			return 0;
		*name = s + 1;
		*name_len = k - 1;
		*after = skip_space(s, len, i);
		return 1;
	}
	/* Name: text */
	for (i = 0; i < len && i < 4 * MAX_LABEL; i++) {
		if (s[i] == ':')
			break;
		if (s[i] == '\n')
			return 0;
	}
	if (i == len || s[i] != ':' || i == 0)
		return name_then_time(s, len, name, name_len, after);
	if (i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '\t' &&
	    !((unsigned char)s[i + 1] == 0xC2 && i + 2 < len && (unsigned char)s[i + 2] == 0xA0))
		return name_then_time(s, len, name, name_len, after);
	k = strip_space_end(s, 0, i);
	if (!good_name(s, k))
		return name_then_time(s, len, name, name_len, after);
	*name = s;
	*name_len = k;
	i++;
	if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
		i += 2;
	*after = skip_space(s, len, i);
	return 1;
}

int qda_text_many_speakers(const char *text)
{
	const char *nl = strchr(text, '\n');
	while (nl) {
		const char *name;
		size_t nlen, after, len;
		text = nl + 1;
		len = strcspn(text, "\n");
		if (imp_label(text, len, &name, &nlen, &after))
			return 1;
		nl = strchr(text, '\n');
	}
	return 0;
}

size_t qda_label_length(const char *text, const char *speaker)
{
	const char *name;
	size_t nlen, after, len = strcspn(text, "\n");
	if (!speaker || !*speaker || !imp_label(text, len, &name, &nlen, &after))
		return 0;
	return nlen == strlen(speaker) && !memcmp(name, speaker, nlen) && after < len ? after : 0;
}

/* Header fields written above a transcript ("Audio file: x.mp3", "Date :
 * 14/04/2026"): never speakers. Compared folded (no case, no accents). */
static const char *const header_keys[] = {
	"audio", "audio file", "fichier", "fichier audio", "file", "date", "duree", "duration", "heure", "time",
	"lieu", "location", "place", "transcription", "transcribed by", "transcrit par", "transcripteur",
	"recording", "enregistrement", "titre", "title", "projet", "project", "langue", "language", "note",
	"notes", "source", "length", "longueur", "mode", "support", "video", "meeting", "reunion", "participant",
	"participante", "interviewee", "interviewer", "enqueteur", "enqueteuse", "interview", "entretien", "code",
	"pseudonyme", "pseudonym", "role", "age", "sexe", "gender", "genre", "interviewe", "interviewee",
	"interviewer", "moderateur", "moderator", NULL,
};

static int is_header_key(const char *name, size_t len)
{
	char *f = qda_text_fold(name, len);
	int i, hit = 0;
	if (!f)
		return 0;
	for (i = 0; header_keys[i] && !hit; i++)
		hit = strcmp(f, header_keys[i]) == 0;
	free(f);
	return hit;
}

/* Names to indices, by open addressing: a transcript may name thousands of
 * speakers, and a linear search per line or turn would grow with the square. */
struct name_table {
	size_t *slot;            /* an index into names, or NONE */
	size_t cap;              /* a power of two */
	char **names;            /* the caller's names, by index */
};
#define NONE ((size_t)-1)

static int ntab_init(struct name_table *t, size_t expected)
{
	size_t i;
	t->cap = 64;
	while (t->cap < 2 * expected + 16)
		t->cap *= 2;
	t->names = NULL;
	if (!(t->slot = malloc(t->cap * sizeof *t->slot)))
		return -1;
	for (i = 0; i < t->cap; i++)
		t->slot[i] = NONE;
	return 0;
}

/* The slot of name[0..len): holding its index, or NONE where it would go. */
static size_t *ntab_slot(struct name_table *t, const char *name, size_t len)
{
	uint64_t hash = 1469598103934665603u;
	size_t i, at;
	for (i = 0; i < len; i++)
		hash = (hash ^ (unsigned char)name[i]) * 1099511628211u;
	for (at = (size_t)hash & (t->cap - 1);; at = (at + 1) & (t->cap - 1)) {
		size_t k = t->slot[at];
		if (k == NONE || (strlen(t->names[k]) == len && !memcmp(t->names[k], name, len)))
			return &t->slot[at];
	}
}

struct label_count {
	char *name;
	size_t n;
};

static size_t count_of(struct name_table *t, struct label_count *v, const char *name, size_t len)
{
	size_t k = *ntab_slot(t, name, len);
	return k == NONE ? 0 : v[k].n;
}

/* An inline timestamp at the start of a turn's text: [hh:mm:ss] or
 * (hh:mm:ss) or hh:mm:ss; -1 when there is none. */
static long long inline_time(const char *s, size_t len)
{
	unsigned h = 0, m = 0, sec = 0;
	int n = 0;
	char buf[16];
	size_t k = len < sizeof buf - 1 ? len : sizeof buf - 1;
	memcpy(buf, s, k);
	buf[k] = '\0';
	if (sscanf(buf, "[%u:%u:%u]%n", &h, &m, &sec, &n) == 3 && n > 0)
		return ((long long)h * 3600 + m * 60 + sec) * 1000;
	if (sscanf(buf, "(%u:%u:%u)%n", &h, &m, &sec, &n) == 3 && n > 0)
		return ((long long)h * 3600 + m * 60 + sec) * 1000;
	if (sscanf(buf, "[%u:%u]%n", &m, &sec, &n) == 2 && n > 0)
		return ((long long)m * 60 + sec) * 1000;
	return -1;
}

enum qda_status imp_find_turns(struct qda *h, struct imp_doc *d)
{
	struct label_count *counts = NULL;
	char **names = NULL;
	struct name_table tab = { 0 };
	size_t n_counts = 0, cap = 0, pos, i, n_lines = 1;
	const char *s = d->text;
	size_t len = d->len;
	enum qda_status rc = QDA_OK;
	int started = 0, prev_blank = 1;
	size_t last_end = 0; /* the end of the last non-blank line of the open turn */

	for (i = 0; i < len; i++)
		n_lines += s[i] == '\n';
	if (ntab_init(&tab, n_lines)) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	/* First pass: how often each label occurs. */
	for (pos = 0; pos < len;) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, after, nlen;
		const char *name;
		if (imp_label(s + pos, end - pos, &name, &nlen, &after)) {
			size_t *slot = ntab_slot(&tab, name, nlen);
			if (*slot == NONE) {
				if (n_counts == cap) {
					struct label_count *v;
					char **nv;
					cap = cap ? 2 * cap : 16;
					if (!(v = realloc(counts, cap * sizeof *v))) {
						rc = seterr(h, QDA_ENOMEM, "out of memory");
						goto done;
					}
					counts = v;
					if (!(nv = realloc(names, cap * sizeof *nv))) {
						rc = seterr(h, QDA_ENOMEM, "out of memory");
						goto done;
					}
					names = tab.names = nv;
				}
				if (!(counts[n_counts].name = strndup(name, nlen))) {
					rc = seterr(h, QDA_ENOMEM, "out of memory");
					goto done;
				}
				names[n_counts] = counts[n_counts].name;
				counts[n_counts].n = 0;
				*slot = n_counts++;
			}
			counts[*slot].n++;
		}
		pos = end + 1;
	}

	/* Second pass: the turns. A label that recurs starts a turn wherever it
	 * is; a label met once only at a paragraph's start and when it is not a
	 * header field ("Date :", "Audio file:"). */
	for (pos = 0; pos < len;) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, after, nlen, k;
		const char *name;
		int blank = 1;
		for (k = pos; k < end; k++)
			if (s[k] != ' ' && s[k] != '\t') {
				blank = 0;
				break;
			}
		if (!blank && imp_label(s + pos, end - pos, &name, &nlen, &after)) {
			size_t c = count_of(&tab, counts, name, nlen);
			/* a "Name  0:03" line: a proper name, recurring or at a paragraph's start after turns */
			int own_line = after == end - pos;
			if (own_line ? proper_name(name, nlen) && (c >= 2 || (started && prev_blank))
			             : c >= 2 || (!is_header_key(name, nlen) &&
			                          (prev_blank || (started && proper_name(name, nlen))))) {
				if (started)
					d->turns[d->n_turns - 1].end = last_end;
				long long t0 = after == end - pos ? label_line_time(s + pos, end - pos)
				                                  : inline_time(s + pos + after, end - pos - after);
				if ((rc = imp_turn_add(h, d, name, nlen, pos, end, t0 < 0 ? IMP_NO_TIME : t0, IMP_NO_TIME)) !=
				    QDA_OK)
					goto done;
				started = 1;
			}
		}
		if (!blank)
			last_end = end;
		prev_blank = blank;
		pos = end + 1;
	}
	if (started)
		d->turns[d->n_turns - 1].end = last_end;
done:
	for (i = 0; i < n_counts; i++)
		free(counts[i].name);
	free(counts);
	free(names);
	free(tab.slot);
	return rc;
}

/* ---- reading a file ---- */

static const char *basename_of(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static const char *extension_of(const char *path)
{
	const char *b = basename_of(path), *dot = strrchr(b, '.');
	return dot && dot != b ? dot + 1 : "";
}

const char *qda_import_format(const char *path)
{
	const char *e = extension_of(path);
	if (!strcasecmp(e, "txt") || !strcasecmp(e, "text"))
		return "txt";
	if (!strcasecmp(e, "md") || !strcasecmp(e, "markdown"))
		return "md";
	if (!strcasecmp(e, "vtt"))
		return "vtt";
	if (!strcasecmp(e, "srt"))
		return "srt";
	if (!strcasecmp(e, "docx"))
		return "docx";
	if (!strcasecmp(e, "csv") || !strcasecmp(e, "tsv"))
		return "csv";
	return NULL;
}

/* Line and column (from 1, columns in bytes) of a byte offset. */
static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* The file's text in UTF-8: converted from encoding, or checked. */
static enum qda_status decode(struct qda *h, const char *path, char *raw, size_t n, const char *encoding,
                              char **out, size_t *outlen)
{
	size_t bad;
	enum qda_status rc;
	/* Notepad's "Unicode": UTF-16 with its byte-order mark. */
	if (!encoding && n >= 2 && (((unsigned char)raw[0] == 0xFF && (unsigned char)raw[1] == 0xFE) ||
	                            ((unsigned char)raw[0] == 0xFE && (unsigned char)raw[1] == 0xFF)))
		encoding = "UTF-16";
	if (encoding && *encoding && strcasecmp(encoding, "utf-8") && strcasecmp(encoding, "utf8")) {
		rc = qda_text_convert(raw, n, encoding, out, outlen);
		if (rc == QDA_EINVAL)
			return seterr_at(h, QDA_EINVAL, path, "unknown encoding '%s'; try cp1252, latin1, utf-16 or macintosh "
			                 "('iconv -l' lists them)", encoding);
		if (rc != QDA_OK)
			return seterr_at(h, QDA_EINPUT, path, "the text is not valid %s; check the file's encoding", encoding);
		return QDA_OK;
	}
	if (qda_text_check_utf8(raw, n, &bad) != QDA_OK) {
		size_t line, col;
		char *loc;
		enum qda_status rc;
		line_col(raw, bad, &line, &col);
		if (!(loc = loc_at(path, line, col)))
			return seterr(h, QDA_ENOMEM, "out of memory");
		rc = seterr_at(h, QDA_EINPUT, loc,
		               "invalid UTF-8 at byte %zu (byte 0x%02X); the file is in another encoding: give it, "
		               "e.g. --encoding cp1252 (Windows) or --encoding latin1",
		               bad, (unsigned char)raw[bad]);
		free(loc);
		return rc;
	}
	*out = raw;
	*outlen = n;
	return QDA_OK;
}

static enum qda_status check_lines(struct qda *h, const char *path, const char *s, size_t n)
{
	size_t pos = 0, line = 1;
	while (pos < n) {
		const char *nl = memchr(s + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - s) : n;
		if (end - pos > MAX_LINE) {
			char *loc = loc_at(path, line, 0);
			enum qda_status rc;
			if (!loc)
				return seterr(h, QDA_ENOMEM, "out of memory");
			rc = seterr_at(h, QDA_EINPUT, loc,
			               "line %zu is %zu bytes long; qda takes transcripts whose paragraphs are at most "
			               "1 MiB (1048576 bytes): is this a transcript? Split it into paragraphs",
			               line, end - pos);
			free(loc);
			return rc;
		}
		pos = end + 1;
		line++;
	}
	return QDA_OK;
}

static int all_space(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* ---- storing ---- */

static int is_word_char(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) || c == UTF8PROC_CATEGORY_ND;
}

/* One pass over text: its code points, and its words added to *words.
 * Words: runs of non-space holding a letter or a digit (a line break, tab,
 * space or no-break space ends one). */
static size_t text_stats(const char *s, size_t len, long *words)
{
	size_t cps = 0, i = 0;
	int counted = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		cps++;
		if (c < 0x80) {
			i++;
			if (c == ' ' || c == '\n' || c == '\t')
				counted = 0;
			else if (!counted && (((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9'))) {
				++*words;
				counted = 1;
			}
			continue;
		}
		size_t n;
		int32_t cp = cp_at(s, len, i, &n);
		i += n;
		if (cp == 0xA0 || cp == 0x202F)
			counted = 0;
		else if (!counted && cp >= 0 && is_word_char(cp)) {
			++*words;
			counted = 1;
		}
	}
	return cps;
}

long text_count_words(const char *s, size_t len)
{
	long words = 0;
	text_stats(s, len, &words);
	return words;
}

static int speaker_matches(const char *speaker, const char *given)
{
	char *a = qda_text_fold(speaker, strlen(speaker)), *b = qda_text_fold(given, strlen(given));
	int hit = 0;
	if (a && b) {
		size_t n = strlen(b);
		hit = strcmp(a, b) == 0 || (strncmp(a, b, n) == 0 && a[n] == ' ');
	}
	free(a);
	free(b);
	return hit;
}

struct store_ctx {
	sqlite3_stmt *speaker, *turn, *line, *fts;
};

static enum qda_status store(struct qda *h, const char *name, const char *path, const char *format,
                             const char *source_hash, const char *text_hash, struct imp_doc *d,
                             long long case_id, const struct qda_import_opts *o, struct qda_import_report *rep)
{
	sqlite3_stmt *st;
	long long doc_id, coder = 0;
	long long *spk = NULL;
	char **spk_names = NULL;
	size_t n_spk = 0, i, t, pos, cp, line_no;
	long lines = 0, words = 0;
	size_t length = 0, *line_cps = NULL;
	enum qda_status rc = QDA_OK;
	struct store_ctx c = {0};
	struct name_table tab = {0};
	size_t *turn_cp_start = NULL, *turn_cp_end = NULL;
	long *turn_line_first = NULL, *turn_line_last = NULL;
	int *matched = NULL;

	/* one pass for the document's lines, code points and words */
	for (pos = 0; pos < d->len; lines++) {
		const char *nl = memchr(d->text + pos, '\n', d->len - pos);
		pos = nl ? (size_t)(nl - d->text) + 1 : d->len;
	}
	if (!(line_cps = malloc(((size_t)lines + 1) * sizeof *line_cps)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	for (pos = 0, line_no = 0; pos < d->len; line_no++) {
		const char *nl = memchr(d->text + pos, '\n', d->len - pos);
		size_t end = nl ? (size_t)(nl - d->text) : d->len;
		line_cps[line_no] = text_stats(d->text + pos, end - pos, &words);
		length += line_cps[line_no] + (nl ? 1 : 0);
		pos = end + 1;
	}
	if (h->coder && (rc = coder_id(h, &coder)) != QDA_OK)
		goto done;
	/* imports write documents in bulk: undo finds them by log_id */
	tx_bulk(h);
	if ((rc = tx_fts_bulk(h)) != QDA_OK)
		goto done;
	st = prep_kept(h, "INSERT INTO document_all(name, case_id, format, source, source_hash, text_hash, text, length, lines,"
	             " words, coder_id, log_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		rc = QDA_EDB;
		goto done;
	}
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, case_id);
	bind_text(st, 3, format);
	bind_text(st, 4, path);
	bind_text(st, 5, source_hash);
	bind_text(st, 6, text_hash);
	sqlite3_bind_text(st, 7, d->text, (int)d->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)length);
	sqlite3_bind_int64(st, 9, lines);
	sqlite3_bind_int64(st, 10, words);
	if (coder)
		sqlite3_bind_int64(st, 11, coder);
	else
		sqlite3_bind_null(st, 11);
	sqlite3_bind_int64(st, 12, tx_log_id(h));
	rc = step_done(h, st);
	sqlite3_reset(st);
	if (rc != QDA_OK)
		goto done;
	doc_id = sqlite3_last_insert_rowid(h->db);

	/* Speakers, in order of first turn. */
	if (!(spk = calloc(d->n_turns + 1, sizeof *spk)) || !(spk_names = calloc(d->n_turns + 1, sizeof *spk_names)) ||
	    !(matched = calloc(o->n_interviewers + 1, sizeof *matched))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	/* kept: prepared once per import, not per document */
	if (!(c.speaker = prep_kept(h, "INSERT INTO speaker(doc_id, name, is_interviewer) VALUES (?, ?, ?)")) ||
	    !(c.turn = prep_kept(h, "INSERT INTO turn(doc_id, n, speaker_id, start, end, line_first, line_last, time_start,"
	                       " time_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) ||
	    !(c.line = prep_kept(h, "INSERT INTO line(doc_id, n, start, end, turn_n) VALUES (?, ?, ?, ?, ?)")) ||
	    !(c.fts = prep_kept(h, "INSERT INTO line_fts(rowid, text) VALUES (?, ?)"))) {
		rc = QDA_EDB;
		goto done;
	}
	if (ntab_init(&tab, d->n_turns)) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	tab.names = spk_names;
	for (t = 0; t < d->n_turns; t++) {
		const char *sp = d->turns[t].speaker;
		int interviewer = 0;
		size_t *slot;
		if (!sp)
			continue;
		slot = ntab_slot(&tab, sp, strlen(sp));
		if (*slot != NONE)
			continue;
		*slot = n_spk;
		for (i = 0; i < o->n_interviewers; i++)
			if (speaker_matches(sp, o->interviewers[i]))
				interviewer = matched[i] = 1;
		sqlite3_reset(c.speaker);
		sqlite3_bind_int64(c.speaker, 1, doc_id);
		bind_text(c.speaker, 2, sp);
		sqlite3_bind_int(c.speaker, 3, interviewer);
		if ((rc = step_done(h, c.speaker)) != QDA_OK)
			goto done;
		spk_names[n_spk] = (char *)sp;
		spk[n_spk++] = sqlite3_last_insert_rowid(h->db);
	}
	if (n_spk > 0 && o->n_interviewers > 0) {
		/* Warn when no --interviewer speaks here: one name is enough. */
		for (i = 0; i < o->n_interviewers && !matched[i]; i++)
			;
		if (i == o->n_interviewers) {
			struct buf b = {0};
			size_t k;
			for (k = 0; k < n_spk; k++)
				buf_addf(&b, "%s%s", k ? ", " : "", spk_names[k]);
			if (b.failed) {
				buf_free(&b);
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto done;
			}
			warnf(h, name, "no interviewer: %s%s speaks here (its speakers: %s); add --interviewer NAME",
			      o->interviewers[0], o->n_interviewers > 1 ? " nor any other --interviewer" : " never",
			      b.s ? b.s : "");
			buf_free(&b);
		}
	}

	/* Lines, with the turn holding each, and the turns' code points and lines. */
	turn_cp_start = calloc(d->n_turns + 1, sizeof *turn_cp_start);
	turn_cp_end = calloc(d->n_turns + 1, sizeof *turn_cp_end);
	turn_line_first = calloc(d->n_turns + 1, sizeof *turn_line_first);
	turn_line_last = calloc(d->n_turns + 1, sizeof *turn_line_last);
	if (!turn_cp_start || !turn_cp_end || !turn_line_first || !turn_line_last) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	t = 0; /* the next turn to start */
	cp = 0;
	line_no = 0;
	for (pos = 0; pos < d->len;) {
		const char *nl = memchr(d->text + pos, '\n', d->len - pos);
		size_t end = nl ? (size_t)(nl - d->text) : d->len;
		size_t cps = line_cps[line_no];
		long long line_id;
		line_no++;
		while (t < d->n_turns && d->turns[t].start < end + 1 && d->turns[t].start >= pos) {
			turn_cp_start[t] = cp + qda_text_cplen(d->text + pos, d->turns[t].start - pos);
			turn_line_first[t] = (long)line_no;
			t++;
		}
		for (i = t; i-- > 0;) {
			if (d->turns[i].end > pos && d->turns[i].end <= end) {
				turn_cp_end[i] = cp + qda_text_cplen(d->text + pos, d->turns[i].end - pos);
				turn_line_last[i] = (long)line_no;
			}
			if (d->turns[i].end < pos)
				break;
		}
		sqlite3_reset(c.line);
		sqlite3_bind_int64(c.line, 1, doc_id);
		sqlite3_bind_int64(c.line, 2, (sqlite3_int64)line_no);
		sqlite3_bind_int64(c.line, 3, (sqlite3_int64)cp);
		sqlite3_bind_int64(c.line, 4, (sqlite3_int64)(cp + cps));
		if (t > 0)
			sqlite3_bind_int64(c.line, 5, (sqlite3_int64)t);
		else
			sqlite3_bind_null(c.line, 5);
		if ((rc = step_done(h, c.line)) != QDA_OK)
			goto done;
		line_id = sqlite3_last_insert_rowid(h->db);
		if (end > pos) {
			sqlite3_reset(c.fts);
			sqlite3_bind_int64(c.fts, 1, line_id);
			sqlite3_bind_text(c.fts, 2, d->text + pos, (int)(end - pos), SQLITE_STATIC);
			if ((rc = step_done(h, c.fts)) != QDA_OK)
				goto done;
		}
		cp += cps + (nl ? 1 : 0);
		pos = end + 1;
	}
	for (t = 0; t < d->n_turns; t++) {
		struct imp_turn *tu = &d->turns[t];
		long long sid = 0;
		if (tu->end <= tu->start) {
			turn_cp_end[t] = turn_cp_start[t];
			turn_line_last[t] = turn_line_first[t];
		}
		if (tu->speaker) {
			size_t k = *ntab_slot(&tab, tu->speaker, strlen(tu->speaker));
			if (k != NONE)
				sid = spk[k];
		}
		sqlite3_reset(c.turn);
		sqlite3_bind_int64(c.turn, 1, doc_id);
		sqlite3_bind_int64(c.turn, 2, (sqlite3_int64)t + 1);
		if (sid)
			sqlite3_bind_int64(c.turn, 3, sid);
		else
			sqlite3_bind_null(c.turn, 3);
		sqlite3_bind_int64(c.turn, 4, (sqlite3_int64)turn_cp_start[t]);
		sqlite3_bind_int64(c.turn, 5, (sqlite3_int64)turn_cp_end[t]);
		sqlite3_bind_int64(c.turn, 6, turn_line_first[t]);
		sqlite3_bind_int64(c.turn, 7, turn_line_last[t]);
		if (tu->t0 != IMP_NO_TIME)
			sqlite3_bind_int64(c.turn, 8, tu->t0);
		else
			sqlite3_bind_null(c.turn, 8);
		if (tu->t1 != IMP_NO_TIME)
			sqlite3_bind_int64(c.turn, 9, tu->t1);
		else
			sqlite3_bind_null(c.turn, 9);
		if ((rc = step_done(h, c.turn)) != QDA_OK)
			goto done;
	}
	if (rep) {
		rep->turns = (long)d->n_turns;
		rep->words = words;
		rep->speakers = (long)n_spk;
		/* a label found once in a long document may be a numbered
		 * question or a heading rather than a speaker */
		if (d->n_turns >= 20 && n_spk > 2) {
			long *count = calloc(n_spk, sizeof *count);
			struct buf b = { 0 };
			if (!count) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto done;
			}
			for (t = 0; t < d->n_turns; t++)
				if (d->turns[t].speaker) {
					size_t k = *ntab_slot(&tab, d->turns[t].speaker, strlen(d->turns[t].speaker));
					if (k != NONE)
						count[k]++;
				}
			size_t once = 0;
			for (i = 0; i < n_spk; i++)
				once += count[i] == 1;
			/* a few odd ones out, not a document where everyone speaks once */
			for (i = 0; once <= 5 && 2 * once < n_spk && i < n_spk; i++)
				if (count[i] == 1)
					buf_addf(&b, "%s'%s'", b.len ? ", " : "", spk_names[i]);
			free(count);
			if (b.len && !(rep->rare = buf_take(&b))) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto done;
			}
			buf_free(&b);
		}
	}
done:
	sqlite3_reset(c.speaker);
	sqlite3_reset(c.turn);
	sqlite3_reset(c.line);
	sqlite3_reset(c.fts);
	free(spk);
	free(spk_names);
	free(matched);
	free(turn_cp_start);
	free(turn_cp_end);
	free(turn_line_first);
	free(turn_line_last);
	free(tab.slot);
	free(line_cps);
	return rc;
}

/* The document already holding this text (*name malloc'd), or NULL. */
static enum qda_status same_text(struct qda *h, const char *text_hash, char **name)
{
	sqlite3_stmt *st = prep_kept(h, "SELECT name FROM document WHERE text_hash = ?");
	enum qda_status rc = QDA_OK;
	const char *s;
	int r;
	*name = NULL;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, text_hash);
	if ((r = step_row(h, st, "looking up a document")) < 0)
		rc = QDA_EDB;
	else if (r > 0 && (!(s = (const char *)sqlite3_column_text(st, 0)) || !(*name = strdup(s))))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	sqlite3_reset(st);
	return rc;
}

/* Where the document already named name came from ("FILE, imported WHEN",
 * malloc'd), or NULL when the name is free. */
/* A document's name and its case's, within what qda takes (README,
 * "Limits": 200 characters, no control character, no space at either end). */
static enum qda_status names_ok(struct qda *h, const char *path, const char *name, const char *case_name)
{
	const char *why;
	if ((why = name_problem(name, 200)))
		return seterr_at(h, QDA_EINPUT, path, "the document name '%s' %s; import it under another with --name NAME",
		                 name, why);
	if (case_name && (why = name_problem(case_name, 200)))
		return seterr_at(h, QDA_EINPUT, path, "the case name '%s' %s; give another with --case NAME", case_name, why);
	return QDA_OK;
}

static enum qda_status name_taken(struct qda *h, const char *name, char **source)
{
	sqlite3_stmt *st = prep_kept(h, "SELECT coalesce(source, ''), imported FROM document WHERE name = ?");
	enum qda_status rc = QDA_OK;
	struct buf b = { 0 };
	int r;
	*source = NULL;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	if ((r = step_row(h, st, "looking up a document")) < 0) {
		rc = QDA_EDB;
	} else if (r > 0) {
		buf_addf(&b, "%s, imported %s", (const char *)sqlite3_column_text(st, 0),
		         (const char *)sqlite3_column_text(st, 1));
		if (!(*source = buf_take(&b)))
			rc = seterr(h, QDA_ENOMEM, "out of memory");
	}
	sqlite3_reset(st);
	return rc;
}

void qda_import_report_free(struct qda_import_report *rep)
{
	if (!rep)
		return;
	free(rep->name);
	free(rep->existing);
	free(rep->rare);
	rep->name = rep->existing = rep->rare = NULL;
}

enum qda_status imp_store_text(struct qda *h, const char *name, const char *source, const char *source_hash,
                               char *text, size_t len, const char *case_name, struct qda_import_report *rep,
                               long long *doc_id)
{
	struct imp_doc d = { 0 };
	struct qda_import_opts none = { 0 };
	char text_hash[65], *taken = NULL;
	enum qda_status rc;
	long long case_id;
	sqlite3_stmt *st;
	size_t n = len;

	memset(rep, 0, sizeof *rep);
	*doc_id = 0;
	d.text = text;
	d.len = len;
	rep->format = "txt";
	if (!(rep->name = strdup(name))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	/* as qda_import_file: trailing blank lines are not part of the transcript */
	while (d.len > 0 && (d.text[d.len - 1] == '\n' || d.text[d.len - 1] == ' ' || d.text[d.len - 1] == '\t'))
		d.len--;
	if (d.len < n)
		d.text[d.len++] = '\n';
	d.text[d.len] = '\0';
	if (d.len == 0 || all_space(d.text, d.len)) {
		rc = seterr_at(h, QDA_EINPUT, source, "is empty: there is no text to import");
		goto done;
	}
	if ((rc = imp_find_turns(h, &d)) != QDA_OK)
		goto done;
	qda_sha256_hex(d.text, d.len, text_hash);
	if ((rc = same_text(h, text_hash, &rep->existing)) != QDA_OK)
		goto done;
	if (!rep->existing) {
		if ((rc = names_ok(h, source, name, case_name)) != QDA_OK || (rc = name_taken(h, name, &taken)) != QDA_OK)
			goto done;
		if (taken) {
			rc = seterr_at(h, QDA_EEXIST, source, "a different document is already named '%s' (%s)", name, taken);
			goto done;
		}
		if ((rc = case_ensure(h, case_name ? case_name : name, &case_id)) != QDA_OK ||
		    (rc = store(h, name, source, "txt", source_hash, text_hash, &d, case_id, &none, rep)) != QDA_OK)
			goto done;
		rep->result = QDA_IMPORTED;
	} else {
		rep->result = QDA_SKIPPED_SAME;
	}
	if (!(st = prep(h, "SELECT id FROM document WHERE text_hash = ?"))) {
		rc = QDA_EDB;
		goto done;
	}
	bind_text(st, 1, text_hash);
	if (step_row(h, st, "find document") > 0)
		*doc_id = sqlite3_column_int64(st, 0);
	else
		rc = dberr(h, "find document");
	sqlite3_finalize(st);
done:
	free(taken);
	imp_doc_free(&d);
	if (rc != QDA_OK)
		qda_import_report_free(rep);
	return rc;
}

enum qda_status qda_import_file(struct qda *h, const char *path, const struct qda_import_opts *o,
                                struct qda_import_report *rep)
{
	struct stat sb;
	static const char *const formats[] = { "txt", "md", "vtt", "srt", "docx" };
	const char *format = o && o->format && strcmp(o->format, "auto") ? o->format : qda_import_format(path);
	char source_hash[65], text_hash[65];
	char *raw = NULL, *utf8 = NULL, *stem = NULL, *source = NULL;
	size_t k;
	size_t n = 0, ulen = 0;
	struct imp_doc d = {0};
	enum qda_status rc;
	long long case_id;
	const char *name;
	struct qda_import_opts none = {0};

	if (!o)
		o = &none;
	memset(rep, 0, sizeof *rep);
	if (stat(path, &sb) != 0)
		return seterr_at(h, errno == ENOENT ? QDA_EINPUT : QDA_EIO, path, "cannot read it: %s%s", strerror(errno),
		                 errno == ENOENT ? "; check the path" : "");
	if (S_ISDIR(sb.st_mode))
		return seterr_at(h, QDA_EINPUT, path, "is a directory; give the files in it (e.g. %s/*)", path);
	if (!format || !strcmp(format, "csv"))
		return seterr_at(h, QDA_EINPUT, path,
		                 "not a transcript format qda knows (.txt .md .vtt .srt .docx); give the format with "
		                 "--format txt|md|vtt|srt|docx");
	for (k = 0; k < sizeof formats / sizeof formats[0] && strcmp(format, formats[k]); k++)
		;
	if (k == sizeof formats / sizeof formats[0])
		return seterr(h, QDA_EINVAL, "--format wants auto, txt, md, vtt, srt or docx, not '%s'", format);
	format = formats[k];
	if ((size_t)sb.st_size > MAX_FILE)
		return seterr_at(h, QDA_EINPUT, path, "is %lld bytes; qda takes transcripts of at most %u MiB (%u bytes): "
		                 "split the file, or import it as several documents",
		                 (long long)sb.st_size, MAX_FILE >> 20, MAX_FILE);

	{
		const char *b = basename_of(path), *dot = strrchr(b, '.');
		if (!(stem = strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b))))
			return seterr(h, QDA_ENOMEM, "out of memory");
	}
	name = o->name && *o->name ? o->name : stem;
	rep->format = format;
	if (!(rep->name = strdup(name))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}

	if (!strcmp(format, "docx")) {
		if ((rc = read_file(h, path, MAX_FILE, &raw, &n)) != QDA_OK)
			goto done;
		qda_sha256_hex(raw, n, source_hash);
		free(raw);
		raw = NULL;
		if ((rc = imp_read_docx(h, path, &raw, &n)) != QDA_OK)
			goto done;
	} else {
		if ((rc = read_file(h, path, MAX_FILE, &raw, &n)) != QDA_OK)
			goto done;
		qda_sha256_hex(raw, n, source_hash);
	}
	if (n == 0 || all_space(raw, n)) {
		rc = seterr_at(h, QDA_EINPUT, path, "is empty: there is no text to import");
		goto done;
	}
	if ((rc = decode(h, path, raw, n, o->encoding, &utf8, &ulen)) != QDA_OK)
		goto done;
	if ((rc = check_lines(h, path, utf8, ulen)) != QDA_OK)
		goto done;
	{
		/* Control characters (a NUL, a stray ^A) are no text: each becomes a
		 * space, so positions stay, and the count is told. A form feed (a
		 * page break in exported text) becomes a line break. */
		size_t k, ctl = 0, first = 0;
		for (k = 0; k < ulen; k++) {
			unsigned char ch = (unsigned char)utf8[k];
			if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
				if (!ctl++)
					first = k;
				utf8[k] = ch == '\f' ? '\n' : ' ';
			}
		}
		if (ctl) {
			size_t line, col;
			char *loc;
			line_col(utf8, first, &line, &col);
			if (!(loc = loc_at(path, line, col))) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto done;
			}
			warnf(h, loc, "%zu control character%s (the first here) replaced by a space (a form feed by a line break)",
			      ctl, ctl == 1 ? "" : "s");
			free(loc);
		}
	}
	{
		char *norm;
		size_t nlen;
		rc = qda_text_normalize(utf8, ulen, &norm, &nlen);
		if (rc != QDA_OK) {
			rc = seterr_at(h, rc, path, "cannot normalise the text (%s)",
			               rc == QDA_ENOMEM ? "out of memory" : "invalid Unicode");
			goto done;
		}
		if (utf8 != raw)
			free(utf8);
		utf8 = NULL;
		free(raw);
		raw = norm;
		n = nlen;
	}
	if (!strcmp(format, "vtt") || !strcmp(format, "srt")) {
		if ((rc = imp_read_cues(h, path, raw, n, !strcmp(format, "vtt"), &d)) != QDA_OK)
			goto done;
	} else {
		d.text = raw;
		d.len = n;
		raw = NULL;
		/* Trailing blank lines are not part of the transcript. */
		while (d.len > 0 && (d.text[d.len - 1] == '\n' || d.text[d.len - 1] == ' ' || d.text[d.len - 1] == '\t'))
			d.len--;
		if (d.len < n)
			d.text[d.len++] = '\n';
		d.text[d.len] = '\0';
		if ((rc = imp_find_turns(h, &d)) != QDA_OK)
			goto done;
	}
	if (d.len == 0 || all_space(d.text, d.len)) {
		rc = seterr_at(h, QDA_EINPUT, path, "is empty: there is no text to import");
		goto done;
	}
	qda_sha256_hex(d.text, d.len, text_hash);
	if ((rc = same_text(h, text_hash, &rep->existing)) != QDA_OK)
		goto done;
	if (rep->existing) {
		rep->result = QDA_SKIPPED_SAME;
		goto done;
	}
	if ((rc = names_ok(h, path, name, o->case_name && *o->case_name ? o->case_name : NULL)) != QDA_OK ||
	    (rc = name_taken(h, name, &source)) != QDA_OK)
		goto done;
	if (source) {
		rc = seterr_at(h, QDA_EINPUT, path,
		               "a different document is already named '%s' (%s); import this one under another "
		               "name with --name NAME",
		               name, source);
		goto done;
	}
	if ((rc = case_ensure(h, o->case_name && *o->case_name ? o->case_name : name, &case_id)) != QDA_OK)
		goto done;
	if (o->n_attrs > 0 &&
	    (rc = qda_case_set(h, o->case_name && *o->case_name ? o->case_name : name, o->attrs, o->n_attrs, 0)) !=
	        QDA_OK)
		goto done;
	rc = store(h, name, path, format, source_hash, text_hash, &d, case_id, o, rep);
	if (rc == QDA_OK)
		rep->result = QDA_IMPORTED;
done:
	if (utf8 && utf8 != raw)
		free(utf8);
	free(raw);
	free(stem);
	free(source);
	imp_doc_free(&d);
	if (rc != QDA_OK)
		qda_import_report_free(rep);
	return rc;
}
