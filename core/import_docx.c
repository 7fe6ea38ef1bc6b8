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

/* The text of the document in order, without recursion (a hostile file may
 * nest elements deeper than the stack): each w:t's text, w:tab as a tab,
 * w:br and w:cr as line breaks, a line break after each w:p. */
static int walk(const xmlNode *root, struct buf *b)
{
	const xmlNode *n = root;
	while (n) {
		int descend = 0;
		if (n->type == XML_ELEMENT_NODE) {
			if (is_w(n, "t")) {
				const xmlNode *c;
				for (c = n->children; c; c = c->next)
					if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content &&
					    buf_adds(b, (const char *)c->content))
						return -1;
			} else if (is_w(n, "tab")) {
				if (buf_addc(b, '\t'))
					return -1;
			} else if (is_w(n, "br") || is_w(n, "cr")) {
				if (buf_addc(b, '\n'))
					return -1;
			} else if (!is_w(n, "delText") && !is_w(n, "instrText")) {
				descend = n->children != NULL;
			}
		}
		if (descend) {
			n = n->children;
			continue;
		}
		/* done with n: close the paragraphs it ends, then go on */
		for (;;) {
			if (n->type == XML_ELEMENT_NODE && is_w(n, "p") && buf_addc(b, '\n'))
				return -1;
			if (n == root)
				return 0;
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (!n)
				return 0;
		}
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
	/* Word never writes a DTD: one here is a hostile file (entity expansion) */
	if (memmem(xml, zs.size, "<!DOCTYPE", 9) || memmem(xml, zs.size, "<!ENTITY", 8)) {
		rc = seterr_at(h, QDA_EINPUT, file, "not a Word document: its word/document.xml declares a DTD");
		goto done;
	}
	doc = xmlReadMemory(xml, (int)zs.size, "document.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                                            XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		const char *msg = e && e->message ? e->message : "parse error";
		size_t k;
		for (k = strlen(msg); k > 0 && (msg[k - 1] == '\n' || msg[k - 1] == ' '); k--)
			;
		rc = seterr_at(h, QDA_EINPUT, file, "word/document.xml is not well-formed XML (line %d: %.*s); open it in "
		               "Word and save it again", e ? e->line : 0, (int)k, msg);
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
