/* refi_codes.c — REFI-QDA codes (a .qdc codebook, or the CodeBook of a
 * .qdpx project) into qda's codebook tree: names, colours, descriptions,
 * GUIDs and the hierarchy, nested or spelled in names ("Parent/Child").
 * Also the XML reading both use: no network, no DTD, no entity expansion. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>

#include "refi.h"

int refi_is_qdc(const char *path)
{
	size_t l = strlen(path);
	return l > 4 && !strcasecmp(path + l - 4, ".qdc");
}

int refi_is(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, local);
}

xmlNode *refi_kid(const xmlNode *p, const char *local)
{
	xmlNode *c;
	for (c = p ? p->children : NULL; c; c = c->next)
		if (refi_is(c, local))
			return c;
	return NULL;
}

xmlNode *refi_next(const xmlNode *n, const char *local)
{
	for (n = n->next; n; n = n->next)
		if (refi_is(n, local))
			return (xmlNode *)n;
	return NULL;
}

const char *refi_attr(const xmlNode *n, const char *name)
{
	xmlAttr *a = xmlHasProp((xmlNode *)n, BAD_CAST name);
	if (!a || !a->children || a->children->type != XML_TEXT_NODE || a->children->next)
		return NULL;
	return (const char *)a->children->content;
}

char *refi_content(const xmlNode *n)
{
	xmlChar *c = n ? xmlNodeGetContent(n) : NULL;
	char *s;
	if (!c)
		return NULL;
	s = strdup((const char *)c);
	xmlFree(c);
	return s;
}

int refi_guid(const char *in, char out[37])
{
	size_t i, l = in ? strlen(in) : 0;
	if (l == 38 && in[0] == '{' && in[37] == '}') {
		in++;
		l = 36;
	}
	if (l != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? in[i] != '-' : !isxdigit((unsigned char)in[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	out[36] = '\0';
	return 0;
}

/* The first error of a parse: the one that says what went wrong (the last
 * is often "Premature end of data"). */
struct first_error {
	int set, line, col;
	char msg[400];
};

static void first_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = data;
	struct first_error *f = ctxt ? ctxt->_private : NULL;
	if (!f || f->set || !e || e->level < XML_ERR_ERROR)
		return;
	f->set = 1;
	f->line = e->line;
	f->col = e->int2;
	snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "not well-formed XML");
}

xmlDoc *refi_xml_read(const char *text, size_t len, const char *entry, char *loc_tail, size_t nloc, char *msg,
                      size_t nmsg)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	struct first_error f = { 0 };
	xmlDoc *doc = NULL;
	*loc_tail = *msg = '\0';
	if (!ctxt) {
		snprintf(msg, nmsg, "out of memory");
		return NULL;
	}
	ctxt->_private = &f;
	ctxt->sax->serror = first_error;
	/* no XML_PARSE_NOENT (no entity expansion), no DTD loading, no network */
	doc = xmlCtxtReadMemory(ctxt, text, (int)len, entry, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                                           XML_PARSE_NOWARNING);
	if (!doc || !ctxt->wellFormed) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
		size_t l;
		if (!f.set && e)
			first_error(ctxt, e);
		snprintf(loc_tail, nloc, ":%d:%d", f.set && f.line > 0 ? f.line : 1, f.set && f.col > 0 ? f.col : 1);
		snprintf(msg, nmsg, "%s", f.set ? f.msg : "not well-formed XML");
		l = strlen(msg);
		while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
			msg[--l] = '\0';
		if (doc)
			xmlFreeDoc(doc);
		doc = NULL;
	} else if (doc->intSubset || doc->extSubset) {
		const char *d = strstr(text, "<!DOCTYPE"), *p;
		long line = 1;
		for (p = text; d && p < d; p++)
			line += *p == '\n';
		snprintf(loc_tail, nloc, ":%ld:1", line);
		snprintf(msg, nmsg, "a DOCTYPE is not allowed here: qda loads no DTD and expands no entity");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* ---- the code tree as written, before it becomes a cb ---- */

struct tnode {
	char *name, *desc, *color;
	char guid[37];
	long line;
	long *kids;
	size_t n_kids, cap;
};
struct ttree {
	struct tnode *v;
	size_t n, cap;
	long *top;
	size_t n_top, cap_top;
};

static void ttree_free(struct ttree *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].desc);
		free(t->v[i].color);
		free(t->v[i].kids);
	}
	free(t->v);
	free(t->top);
	memset(t, 0, sizeof *t);
}

static int push_long(long **v, size_t *n, size_t *cap, long x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		long *p = realloc(*v, nc * sizeof *p);
		if (!p)
			return -1;
		*v = p;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/* A new node under parent (-1: at the top); its index or -1. */
static long tnew(struct ttree *t, long parent, const char *name, size_t nlen)
{
	struct tnode *n;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 32;
		struct tnode *p = realloc(t->v, nc * sizeof *p);
		if (!p)
			return -1;
		t->v = p;
		t->cap = nc;
	}
	n = &t->v[t->n];
	memset(n, 0, sizeof *n);
	if (!(n->name = strndup(name, nlen)))
		return -1;
	if (parent < 0 ? push_long(&t->top, &t->n_top, &t->cap_top, (long)t->n)
	               : push_long(&t->v[parent].kids, &t->v[parent].n_kids, &t->v[parent].cap, (long)t->n))
		return -1;
	return (long)t->n++;
}

static long tfind(const struct ttree *t, long parent, const char *name, size_t nlen)
{
	const long *v = parent < 0 ? t->top : t->v[parent].kids;
	size_t n = parent < 0 ? t->n_top : t->v[parent].n_kids, i;
	for (i = 0; i < n; i++)
		if (strlen(t->v[v[i]].name) == nlen && !memcmp(t->v[v[i]].name, name, nlen))
			return v[i];
	return -1;
}

static int valid_rgb(const char *c)
{
	size_t len = c ? strlen(c) : 0;
	return c && c[0] == '#' && (len == 7 || len == 4) && strspn(c + 1, "0123456789abcdefABCDEF") == len - 1;
}

/* Copy what a Code element says onto node ix. Two Codes of one path name
 * (MAXQDA's "A/B" twice) fill one node: the later one's colour and
 * description replace the earlier's (found by fuzzing: they leaked). */
static int tfill(struct ttree *t, long ix, const xmlNode *x)
{
	struct tnode *n = &t->v[ix];
	const char *c = refi_attr(x, "color");
	free(n->color);
	free(n->desc);
	n->color = n->desc = NULL;
	if (refi_guid(refi_attr(x, "guid"), n->guid))
		n->guid[0] = '\0';
	n->line = xmlGetLineNo((xmlNode *)x);
	if (valid_rgb(c) && !(n->color = strdup(c)))
		return -1;
	if (refi_kid(x, "Description") && !(n->desc = refi_content(refi_kid(x, "Description"))))
		return -1;
	return 0;
}

static int has_nesting(const xmlNode *codes)
{
	const xmlNode *c;
	for (c = refi_kid(codes, "Code"); c; c = refi_next(c, "Code"))
		if (refi_kid(c, "Code"))
			return 1;
	return 0;
}

struct cerr {
	const char *name;
	qda_cb_error_fn err;
	void *ctx;
	long n;
};

static void code_error(struct cerr *e, const xmlNode *x, const char *msg)
{
	char loc[600];
	snprintf(loc, sizeof loc, "%s:%ld", e->name, (long)xmlGetLineNo((xmlNode *)x));
	if (e->err)
		e->err(e->ctx, loc, msg);
	e->n++;
}

static int tnested(struct ttree *t, long parent, const xmlNode *x, struct cerr *e)
{
	const xmlNode *c;
	for (c = refi_kid(x, "Code"); c; c = refi_next(c, "Code")) {
		const char *name = refi_attr(c, "name");
		long ix;
		if (!name || !*name) {
			code_error(e, c, "a Code without a name; give it a name attribute");
			continue;
		}
		if ((ix = tnew(t, parent, name, strlen(name))) < 0 || tfill(t, ix, c) || tnested(t, ix, c, e))
			return -1;
	}
	return 0;
}

/* Codes side by side whose names spell the hierarchy: "Parent/Child" (or
 * "Parent\Child"), a part named by no code of its own becoming a node. */
static int tpaths(struct ttree *t, const xmlNode *codes, struct cerr *e)
{
	const xmlNode *c;
	int slash = 0;
	for (c = refi_kid(codes, "Code"); c; c = refi_next(c, "Code")) {
		const char *name = refi_attr(c, "name");
		if (name && strchr(name, '/'))
			slash = 1;
	}
	for (c = refi_kid(codes, "Code"); c; c = refi_next(c, "Code")) {
		const char *name = refi_attr(c, "name"), *p;
		long parent = -1, ix = -1;
		if (!name || !*name) {
			code_error(e, c, "a Code without a name; give it a name attribute");
			continue;
		}
		for (p = name; *p;) {
			size_t k = strcspn(p, slash ? "/" : "\\");
			if (k > 0) {
				if ((ix = tfind(t, parent, p, k)) < 0 && (ix = tnew(t, parent, p, k)) < 0)
					return -1;
				parent = ix;
			}
			p += k;
			if (*p)
				p++;
		}
		if (ix < 0) {
			code_error(e, c, "a Code whose name is only separators");
			continue;
		}
		if (tfill(t, ix, c))
			return -1;
	}
	return 0;
}

static int valid_key(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' ||
		      s[i] == '-'))
			return 0;
	return len > 0;
}

/* The length of d without its last line when that line is "qda id: KEY"
 * (qda's id of a code whose id is not the slug of its name, which a REFI-QDA
 * code cannot otherwise carry); the key into n->id. */
static int take_id(const char *d, struct cb_node *n, size_t *keep)
{
	size_t len = strlen(d), b;
	while (len && (d[len - 1] == '\n' || d[len - 1] == ' '))
		len--;
	for (b = len; b > 0 && d[b - 1] != '\n'; b--)
		;
	*keep = strlen(d);
	if (len - b <= 8 || strncmp(d + b, "qda id: ", 8) || !valid_key(d + b + 8, len - b - 8))
		return 0;
	if (!(n->id = strndup(d + b + 8, len - b - 8)))
		return -1;
	*keep = b;
	return 0;
}

/* A description as qda writes one: the definition, then "Include: a; b"
 * and "Exclude: c" lines, then perhaps "qda id: KEY". */
static int split_desc(const char *d, struct cb_node *n)
{
	struct buf def = { 0 };
	const char *p = d, *stop;
	size_t keep;
	if (take_id(d, n, &keep))
		return -1;
	stop = d + keep;
	while (p < stop) {
		size_t k = strcspn(p, "\n");
		if (p + k > stop)
			k = (size_t)(stop - p);
		struct strv *list = NULL;
		if (k > 9 && !strncmp(p, "Include: ", 9))
			list = &n->include;
		else if (k > 9 && !strncmp(p, "Exclude: ", 9))
			list = &n->exclude;
		if (list) {
			const char *q = p + 9, *end = p + k;
			while (q < end) {
				const char *s = strstr(q, "; ");
				char **v;
				if (!s || s > end)
					s = end;
				if (!(v = realloc(list->v, (list->n + 1) * sizeof *v)) || !(v[list->n] = strndup(q, (size_t)(s - q)))) {
					if (v)
						list->v = v;
					buf_free(&def);
					return -1;
				}
				list->v = v;
				list->n++;
				q = s < end ? s + 2 : end;
			}
		} else {
			if (def.len)
				buf_addc(&def, '\n');
			buf_add(&def, p, k);
		}
		p += k;
		if (p < stop)
			p++;
	}
	while (def.len && (def.s[def.len - 1] == '\n' || def.s[def.len - 1] == ' '))
		def.len--;
	if (def.len) {
		buf_addc(&def, '\0');
		if (!(n->definition = buf_take(&def)))
			return -1;
	}
	buf_free(&def);
	return 0;
}

/* Node ix of t into cb under parent, then its children: those with children
 * (sub-themes) before the others (codes), the order qda keeps. */
static int emit(const struct ttree *t, long ix, struct cb *cb, long parent)
{
	const struct tnode *tn = &t->v[ix];
	long me = cb_add(cb, parent < 0 ? CB_THEME : tn->n_kids ? CB_SUBTHEME : CB_CODE, parent);
	struct cb_node *n;
	size_t i;
	int pass;
	if (me < 0)
		return -1;
	n = &cb->nodes[me];
	n->line = n->id_line = tn->line;
	n->col = n->id_col = 1;
	if (!(n->name = strdup(tn->name)) || !(n->status = strdup("candidate")) ||
	    (tn->color && !(n->color = strdup(tn->color))) || (tn->guid[0] && !(n->guid = strdup(tn->guid))) ||
	    (tn->desc && split_desc(tn->desc, n)))
		return -1;
	if (parent >= 0)
		cb->nodes[parent].nkids++;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < tn->n_kids; i++)
			if ((t->v[tn->kids[i]].n_kids > 0) == (pass == 0) && emit(t, tn->kids[i], cb, me))
				return -1;
	return 0;
}

long refi_codes_to_cb(const char *name, const xmlNode *codes, struct cb *cb, qda_cb_error_fn err, void *ctx)
{
	struct ttree t = { 0 };
	struct cerr e = { name, err, ctx, 0 };
	size_t i;
	int r = 0;
	if (codes)
		r = has_nesting(codes) ? tnested(&t, -1, codes, &e) : tpaths(&t, codes, &e);
	for (i = 0; !r && i < t.n_top; i++)
		r = emit(&t, t.top[i], cb, -1);
	ttree_free(&t);
	if (r || cb_link(cb))
		return -1;
	return e.n;
}

long refi_qdc_parse(const char *name, const char *text, size_t len, struct cb *cb, qda_cb_error_fn err, void *ctx)
{
	char tail[64], msg[512], loc[700];
	xmlDoc *doc;
	xmlNode *root;
	long n;
	memset(cb, 0, sizeof *cb);
	if (!(doc = refi_xml_read(text, len, name, tail, sizeof tail, msg, sizeof msg))) {
		snprintf(loc, sizeof loc, "%s%s", name, tail);
		if (err)
			err(ctx, loc, msg);
		return 1;
	}
	root = xmlDocGetRootElement(doc);
	if (!refi_is(root, "CodeBook")) {
		snprintf(loc, sizeof loc, "%s:%ld", name, root ? (long)xmlGetLineNo(root) : 1L);
		snprintf(msg, sizeof msg, "not a REFI-QDA codebook: the root element is <%s>, not <CodeBook>",
		         root ? (const char *)root->name : "");
		if (err)
			err(ctx, loc, msg);
		xmlFreeDoc(doc);
		return 1;
	}
	n = refi_codes_to_cb(name, refi_kid(root, "Codes"), cb, err, ctx);
	xmlFreeDoc(doc);
	return n;
}

enum qda_status refi_cb_ids(struct qda *h, struct cb *cb)
{
	sqlite3_stmt *st = prep(h, "SELECT key FROM node WHERE guid = ?");
	unsigned char *given = calloc(cb->n + 1, 1); /* the node's id is the project's */
	size_t i, j;
	if (!st || !given) {
		sqlite3_finalize(st);
		free(given);
		return st ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
	}
	for (i = 0; i < cb->n; i++) {
		struct cb_node *n = &cb->nodes[i];
		int r;
		if (!n->guid)
			continue;
		sqlite3_reset(st);
		bind_text(st, 1, n->guid);
		if ((r = step_row(h, st, "find code")) < 0) {
			sqlite3_finalize(st);
			free(given);
			return QDA_EDB;
		}
		if (r > 0) {
			free(n->id);
			if (!(n->id = strdup((const char *)sqlite3_column_text(st, 0)))) {
				sqlite3_finalize(st);
				free(given);
				return seterr(h, QDA_ENOMEM, "out of memory");
			}
			given[i] = 1;
		}
	}
	sqlite3_finalize(st);
	/* an id a description carried ("qda id: KEY") is kept when no id the
	 * project gave, nor one carried before it, is the same */
	for (i = 0; i < cb->n; i++) {
		struct cb_node *n = &cb->nodes[i];
		int taken = 0;
		if (!n->id || given[i])
			continue;
		for (j = 0; j < cb->n && !taken; j++)
			taken = j != i && cb->nodes[j].id && (given[j] || j < i) && !strcmp(cb->nodes[j].id, n->id);
		if (taken) {
			free(n->id);
			n->id = NULL;
		}
	}
	free(given);
	for (i = 0; i < cb->n; i++) {
		struct cb_node *n = &cb->nodes[i];
		char *base;
		int k;
		if (n->id)
			continue;
		if (!(base = code_slug(n->name)))
			return seterr(h, QDA_ENOMEM, "out of memory");
		if (!*base) {
			free(base);
			if (!(base = strdup("code")))
				return seterr(h, QDA_ENOMEM, "out of memory");
		}
		for (k = 1;; k++) {
			struct buf b = { 0 };
			int taken = 0;
			if (k == 1)
				buf_adds(&b, base);
			else
				buf_addf(&b, "%s-%d", base, k);
			if (b.failed) {
				free(base);
				return seterr(h, QDA_ENOMEM, "out of memory");
			}
			for (j = 0; j < cb->n && !taken; j++)
				taken = cb->nodes[j].id && !strcmp(cb->nodes[j].id, b.s);
			if (!taken) {
				n->id = buf_take(&b);
				break;
			}
			buf_free(&b);
		}
		free(base);
	}
	return QDA_OK;
}
