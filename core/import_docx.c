/* import_docx.c — the paragraphs of a Word .docx: word/document.xml streamed
 * out of the zip (libzip) through libxml2's xmlReader, one line per w:p.
 * Tabs and line breaks inside a paragraph are kept; deleted text (w:delText)
 * and field codes (w:instrText) are not text. The archive is untrusted: its
 * size, compression ratio, nesting depth and CRC are checked, no DTD, no
 * entity, no network; nothing is ever held but the text. */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <string.h>
#include <zip.h>

#include "import.h"

/* Limits (README, "Limits"): word/document.xml at most DOCX_MAX_XML bytes
 * uncompressed and, past 1 MiB, at most DOCX_MAX_RATIO times its compressed
 * size (Word's XML compresses 5 to 20 times; a bomb, thousands); elements
 * nested at most DOCX_MAX_DEPTH deep (Word's tables in tables stay under 30). */
#define DOCX_MAX_XML   (512ull << 20)
#define DOCX_MAX_RATIO 100
#define DOCX_MAX_DEPTH 128

struct docx_in {
	zip_file_t *zf;
	zip_uint64_t read, cap;
	int over, ioerr, dtd;
	char tail[8]; /* the last bytes read, for a marker split across reads */
	size_t tail_len;
	char zerr[160];
};

/* Whether "<!DOCTYPE" or "<!ENTITY" starts in the bytes read: Word never
 * writes a DTD, so one is a hostile file (entity expansion). libxml2 parses
 * ahead of the reader, so this is looked for in the bytes, before they are
 * parsed. */
static int has_dtd(struct docx_in *in, const char *p, size_t n)
{
	char join[sizeof in->tail + 16];
	size_t k = n < 16 ? n : 16, all;
	int found;
	memcpy(join, in->tail, in->tail_len);
	memcpy(join + in->tail_len, p, k);
	all = in->tail_len + k;
	found = memmem(join, all, "<!DOCTYPE", 9) || memmem(join, all, "<!ENTITY", 8) ||
	        memmem(p, n, "<!DOCTYPE", 9) || memmem(p, n, "<!ENTITY", 8);
	/* the tail: the last bytes of everything read so far */
	if (n >= sizeof in->tail) {
		memcpy(in->tail, p + n - sizeof in->tail, sizeof in->tail);
		in->tail_len = sizeof in->tail;
	} else {
		size_t keep = all < sizeof in->tail ? all : sizeof in->tail;
		memcpy(in->tail, join + all - keep, keep);
		in->tail_len = keep;
	}
	return found;
}

/* xmlReader's input: the entry, counted as it is read, in case the zip's
 * header lies about the size. */
static int read_entry(void *ctx, char *out, int len)
{
	struct docx_in *in = ctx;
	zip_int64_t n = zip_fread(in->zf, out, (zip_uint64_t)len);
	if (n < 0) {
		in->ioerr = 1;
		snprintf(in->zerr, sizeof in->zerr, "%s", zip_file_strerror(in->zf));
		return -1;
	}
	in->read += (zip_uint64_t)n;
	if (in->read > in->cap) {
		in->over = 1;
		return -1;
	}
	if (has_dtd(in, out, (size_t)n)) {
		in->dtd = 1;
		return -1;
	}
	return (int)n;
}

static int close_entry(void *ctx)
{
	(void)ctx;
	return 0;
}

struct docx_err {
	int line;
	char msg[200];
};

static void on_error(void *ctx, const xmlError *e)
{
	struct docx_err *d = ctx;
	size_t k;
	if (d->msg[0] || !e)
		return;
	d->line = e->line;
	snprintf(d->msg, sizeof d->msg, "%s", e->message ? e->message : "parse error");
	for (k = strlen(d->msg); k > 0 && (d->msg[k - 1] == '\n' || d->msg[k - 1] == ' '); k--)
		d->msg[k - 1] = '\0';
}

static int is_w(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);
	const xmlChar *ln = xmlTextReaderConstLocalName(r);
	return ln && !strcmp((const char *)ln, name) && ns && strstr((const char *)ns, "wordprocessingml");
}

/* Walk the stream: each w:t's text, w:tab as a tab, w:br and w:cr as line
 * breaks, a line break at each w:p's end; nothing inside w:delText or
 * w:instrText. Returns 1 at the end, 0 on a parse error, -1 out of memory,
 * -2 a DTD or an entity, -3 nested too deep. */
static int walk(xmlTextReaderPtr r, struct buf *b)
{
	int ret, in_t = -1, skip = -1;
	while ((ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r), d = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
		    type == XML_READER_TYPE_ENTITY)
			return -2; /* Word never writes a DTD: entity expansion */
		if (type == XML_READER_TYPE_ELEMENT && d + 1 > DOCX_MAX_DEPTH)
			return -3;
		if (skip >= 0) {
			if (type == XML_READER_TYPE_END_ELEMENT && d == skip)
				skip = -1;
			continue;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			int empty = xmlTextReaderIsEmptyElement(r);
			if (is_w(r, "t")) {
				in_t = empty ? -1 : d;
			} else if (is_w(r, "tab")) {
				if (buf_addc(b, '\t'))
					return -1;
			} else if (is_w(r, "br") || is_w(r, "cr")) {
				if (buf_addc(b, '\n'))
					return -1;
			} else if (is_w(r, "delText") || is_w(r, "instrText")) {
				if (!empty)
					skip = d;
			} else if (empty && is_w(r, "p") && buf_addc(b, '\n')) {
				return -1;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (d == in_t)
				in_t = -1;
			else if (is_w(r, "p") && buf_addc(b, '\n'))
				return -1;
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		            type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
		           in_t >= 0 && d == in_t + 1) {
			const xmlChar *v = xmlTextReaderConstValue(r);
			if (v && buf_adds(b, (const char *)v))
				return -1;
		}
	}
	return ret == 0 ? 1 : 0;
}

enum qda_status imp_read_docx(struct qda *h, const char *file, char **out, size_t *len)
{
	int err = 0, w;
	zip_t *z = zip_open(file, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	zip_stat_t zs;
	struct docx_in in = { 0 };
	struct docx_err perr = { 0 };
	xmlTextReaderPtr r = NULL;
	struct buf b = { 0 };
	enum qda_status rc = QDA_OK;

	*out = NULL;
	if (!z && err != ZIP_ER_NOZIP && err != ZIP_ER_OPEN && err != ZIP_ER_NOENT && err != ZIP_ER_READ) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		rc = seterr_at(h, QDA_EINPUT, file, "this .docx is a damaged zip archive (%s); open it in Word and save "
		               "it again", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	if (!z)
		return seterr_at(h, QDA_EINPUT, file,
		                 "not a Word .docx file (it is not a zip archive); save it again as .docx, or give "
		                 "the format with --format txt");
	if (zip_stat(z, "word/document.xml", 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE)) {
		rc = seterr_at(h, QDA_EINPUT, file, "not a Word .docx file: it holds no word/document.xml");
		goto done;
	}
	/* The caps, before a byte is inflated. */
	if (zs.size > DOCX_MAX_XML) {
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml expands to %llu bytes, over qda's %llu MiB; "
		               "nothing was imported", (unsigned long long)zs.size, DOCX_MAX_XML >> 20);
		goto done;
	}
	if ((zs.valid & ZIP_STAT_COMP_SIZE) && zs.size > (1u << 20) &&
	    zs.size / (zs.comp_size ? zs.comp_size : 1) > DOCX_MAX_RATIO) {
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml expands to %llu bytes, over %d times its "
		               "compressed size (%llu bytes): a zip bomb, not a Word document; nothing was imported",
		               (unsigned long long)zs.size, DOCX_MAX_RATIO, (unsigned long long)zs.comp_size);
		goto done;
	}
	in.cap = zs.size;
	if (!(in.zf = zip_fopen(z, "word/document.xml", 0))) {
		rc = seterr_at(h, QDA_EINPUT, file, "cannot read word/document.xml: %s", zip_strerror(z));
		goto done;
	}
	r = xmlReaderForIO(read_entry, close_entry, &in, "document.xml", NULL,
	                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!r) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	xmlTextReaderSetStructuredErrorHandler(r, (xmlStructuredErrorFunc)on_error, &perr);
	if (buf_add(&b, NULL, 0)) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	w = walk(r, &b);
	if (w == 1 && !in.ioerr && !in.over) {
		/* read to the end, so a CRC error shows: libzip checks it there */
		char rest[256];
		zip_int64_t k;
		while ((k = zip_fread(in.zf, rest, sizeof rest)) > 0)
			in.read += (zip_uint64_t)k;
		if (k < 0) {
			in.ioerr = 1;
			snprintf(in.zerr, sizeof in.zerr, "%s", zip_file_strerror(in.zf));
		} else if (in.read > in.cap) {
			in.over = 1;
		}
	}
	if (in.over)
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml holds more than the %llu bytes its zip header "
		               "declares: a damaged or hostile file; nothing was imported", (unsigned long long)in.cap);
	else if (in.ioerr)
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml is damaged (%s); open it in Word and save it "
		               "again", in.zerr);
	else if (w == -1)
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	else if (w == -2 || in.dtd)
		rc = seterr_at(h, QDA_EINPUT, file, "not a Word document: its word/document.xml declares a DTD");
	else if (w == -3)
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml:%d: elements nested over %d deep; qda takes "
		               "Word documents nested at most %d deep: open it in Word and save it again",
		               xmlTextReaderGetParserLineNumber(r), DOCX_MAX_DEPTH, DOCX_MAX_DEPTH);
	else if (w == 0)
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml is not well-formed XML (line %d: %s); open it in "
		               "Word and save it again", perr.msg[0] ? perr.line : xmlTextReaderGetParserLineNumber(r),
		               perr.msg[0] ? perr.msg : "parse error");
	if (rc != QDA_OK)
		goto done;
	*len = b.len;
	*out = buf_take(&b);
done:
	if (r)
		xmlFreeTextReader(r);
	if (in.zf)
		zip_fclose(in.zf);
	buf_free(&b);
	zip_discard(z);
	return rc;
}
