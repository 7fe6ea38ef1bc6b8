/* import_docx.c — the paragraphs of a Word .docx: word/document.xml out of
 * the zip (libzip), its w:p paragraphs' text (libxml2), one line each. Tabs
 * and line breaks inside a paragraph are kept; deleted text (w:delText) and
 * field codes (w:instrText) are not text. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <zip.h>

#include "import.h"

#define MAX_XML (256u << 20)

static int is_w(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name) && n->ns && n->ns->href &&
	       strstr((const char *)n->ns->href, "wordprocessingml");
}

static int walk(const xmlNode *n, struct buf *b)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_w(n, "t")) {
			xmlChar *t = xmlNodeGetContent(n);
			int r = t ? buf_adds(b, (const char *)t) : 0;
			xmlFree(t);
			if (r)
				return -1;
			continue;
		}
		if (is_w(n, "tab")) {
			if (buf_addc(b, '\t'))
				return -1;
			continue;
		}
		if (is_w(n, "br") || is_w(n, "cr")) {
			if (buf_addc(b, '\n'))
				return -1;
			continue;
		}
		if (is_w(n, "delText") || is_w(n, "instrText"))
			continue;
		if (walk(n->children, b))
			return -1;
		if (is_w(n, "p") && buf_addc(b, '\n'))
			return -1;
	}
	return 0;
}

enum qda_status imp_read_docx(struct qda *h, const char *file, char **out, size_t *len)
{
	int err = 0;
	zip_t *z = zip_open(file, ZIP_RDONLY, &err);
	zip_stat_t zs;
	zip_file_t *zf = NULL;
	char *xml = NULL;
	xmlDoc *doc = NULL;
	struct buf b = {0};
	enum qda_status rc = QDA_OK;

	*out = NULL;
	if (!z)
		return seterr_at(h, QDA_EINPUT, file,
		                 "not a Word .docx file (it is not a zip archive); save it again as .docx, or give "
		                 "the format with --format txt");
	if (zip_stat(z, "word/document.xml", 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE)) {
		rc = seterr_at(h, QDA_EINPUT, file, "not a Word .docx file: it holds no word/document.xml");
		goto done;
	}
	if (zs.size > MAX_XML) {
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml is over %u MB", MAX_XML >> 20);
		goto done;
	}
	if (!(xml = malloc(zs.size + 1))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	if (!(zf = zip_fopen(z, "word/document.xml", 0)) || zip_fread(zf, xml, zs.size) != (zip_int64_t)zs.size) {
		rc = seterr_at(h, QDA_EINPUT, file, "cannot read word/document.xml: %s", zip_strerror(z));
		goto done;
	}
	doc = xmlReadMemory(xml, (int)zs.size, "document.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                                            XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml is not well-formed XML (line %d: %s)",
		               e ? e->line : 0, e && e->message ? e->message : "parse error");
		goto done;
	}
	if (buf_add(&b, NULL, 0) || walk(xmlDocGetRootElement(doc), &b)) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	*len = b.len;
	*out = buf_take(&b);
done:
	if (doc)
		xmlFreeDoc(doc);
	if (zf)
		zip_fclose(zf);
	free(xml);
	buf_free(&b);
	zip_discard(z);
	return rc;
}
