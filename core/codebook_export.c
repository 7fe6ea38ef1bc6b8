/* codebook_export.c — the codebook read back out of the project: the walk the
 * listings and tables use (show, csv, md, orphans), YAML through the libyaml
 * emitter that loads back to the same codebook, and REFI-QDA .qdc through
 * libxml2's xmlTextWriter. Never writes to the project. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "refi.h"

/* ---- the walk ---- */

struct count {
	char *id;
	long segments, documents;
};

struct counts {
	struct count *v;
	size_t n, cap;
	int nomem;
};

static int collect_count(void *ctx, const struct qda_freq_result *res, const struct qda_freq_row *row)
{
	struct counts *c = ctx;
	(void)res;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct count *v = realloc(c->v, cap * sizeof *v);
		if (!v) {
			c->nomem = 1;
			return 1;
		}
		c->v = v;
		c->cap = cap;
	}
	if (!(c->v[c->n].id = strdup(row->id))) {
		c->nomem = 1;
		return 1;
	}
	c->v[c->n].segments = row->all.segments;
	c->v[c->n].documents = row->all.documents;
	c->n++;
	return 0;
}

static int by_count_id(const void *a, const void *b)
{
	return strcmp(((const struct count *)a)->id, ((const struct count *)b)->id);
}

static void node_row(const struct cb *cb, const struct cb_node *n, struct qda_cb_node *r)
{
	memset(r, 0, sizeof *r);
	r->id = n->id;
	r->name = n->name;
	r->kind = cb_kind_name(n->kind);
	r->parent = n->parent >= 0 ? cb->nodes[n->parent].id : "";
	r->status = n->status;
	r->definition = n->definition ? n->definition : "";
	r->color = n->color ? n->color : "";
	r->guid = n->guid ? n->guid : "";
	r->include = (const char *const *)n->include.v;
	r->n_include = n->include.n;
	r->exclude = (const char *const *)n->exclude.v;
	r->n_exclude = n->exclude.n;
	r->examples = (const char *const *)n->examples.v;
	r->n_examples = n->examples.n;
	r->keywords = (const char *const *)n->keywords.v;
	r->n_keywords = n->keywords.n;
	r->patterns = (const char *const *)n->patterns.v;
	r->n_patterns = n->patterns.n;
	r->depth = n->depth;
}

enum qda_status qda_codebook_walk(struct qda *h, const struct qda_filter *counts, qda_cb_node_fn fn, void *ctx)
{
	struct cb cb;
	struct counts c = { 0 };
	enum qda_status rc;
	size_t i;

	if ((rc = cb_from_db(h, &cb)) != QDA_OK)
		return rc;
	if (counts) {
		/* the counting rules of freq, with the same filters */
		struct qda_freq_opts fo = { 0 };
		fo.level = QDA_LEVEL_ALL;
		fo.filter = *counts;
		rc = qda_freq(h, &fo, collect_count, &c);
		if (rc == QDA_OK && c.nomem)
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		if (rc != QDA_OK)
			goto out;
		if (c.n)
			qsort(c.v, c.n, sizeof *c.v, by_count_id);
	}
	for (i = 0; i < cb.n; i++) {
		struct qda_cb_node r;
		node_row(&cb, &cb.nodes[i], &r);
		if (counts) {
			struct count key = { cb.nodes[i].id, 0, 0 }, *f;
			f = c.n ? bsearch(&key, c.v, c.n, sizeof *c.v, by_count_id) : NULL;
			if (f) {
				r.segments = f->segments;
				r.documents = f->documents;
			}
		}
		if (fn(ctx, &r))
			break;
	}
out:
	for (i = 0; i < c.n; i++)
		free(c.v[i].id);
	free(c.v);
	cb_free(&cb);
	return rc;
}

enum qda_status qda_codebook_orphans(struct qda *h, qda_cb_node_fn fn, void *ctx)
{
	struct cb cb;
	sqlite3_stmt *st = NULL;
	char *used = NULL;
	long long *dbids = NULL;
	enum qda_status rc;
	size_t i;

	if ((rc = cb_from_db(h, &cb)) != QDA_OK)
		return rc;
	used = calloc(cb.n + 1, 1);
	if (!used) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(st = prep(h, "SELECT EXISTS (SELECT 1 FROM coding WHERE node_id = ?)"))) {
		rc = QDA_EDB;
		goto out;
	}
	/* a node is used when it or a descendant has a coding: children come
	 * after their parent in tree order, so walk backwards */
	for (i = cb.n; i-- > 0;) {
		int found;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, cb.nodes[i].db_id);
		if ((found = step_row(h, st, "read codings")) < 0) {
			rc = QDA_EDB;
			goto out;
		}
		if (found && sqlite3_column_int(st, 0))
			used[i] = 1;
		if (used[i] && cb.nodes[i].parent >= 0)
			used[cb.nodes[i].parent] = 1;
	}
	for (i = 0; i < cb.n; i++) {
		struct qda_cb_node r;
		if (used[i])
			continue;
		node_row(&cb, &cb.nodes[i], &r);
		if (fn(ctx, &r))
			break;
	}
out:
	sqlite3_finalize(st);
	free(used);
	free(dbids);
	cb_free(&cb);
	return rc;
}

/* ---- YAML ---- */

static int yaml_out(void *data, unsigned char *buffer, size_t size)
{
	return buf_add(data, buffer, size) == 0;
}

struct em {
	yaml_emitter_t e;
	yaml_event_t ev;
	int ok;
};

static void emit(struct em *m)
{
	if (m->ok && !yaml_emitter_emit(&m->e, &m->ev))
		m->ok = 0;
}

static void scalar(struct em *m, const char *s)
{
	size_t len = strlen(s);
	/* a plain "null", "~" or "" would read back as no value */
	int quote = len == 0 || (len == 1 && s[0] == '~') ||
	            (len == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
	if (!m->ok)
		return;
	if (!yaml_scalar_event_initialize(&m->ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1,
	                                  quote ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE)) {
		m->ok = 0;
		return;
	}
	emit(m);
}

static void map_start(struct em *m)
{
	if (m->ok && yaml_mapping_start_event_initialize(&m->ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE))
		emit(m);
}

static void map_end(struct em *m)
{
	if (m->ok && yaml_mapping_end_event_initialize(&m->ev))
		emit(m);
}

static void seq_start(struct em *m, int flow)
{
	if (m->ok && yaml_sequence_start_event_initialize(&m->ev, NULL, NULL, 1,
	                                                  flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE))
		emit(m);
}

static void seq_end(struct em *m)
{
	if (m->ok && yaml_sequence_end_event_initialize(&m->ev))
		emit(m);
}

static void pair(struct em *m, const char *k, const char *v)
{
	if (!v)
		return;
	scalar(m, k);
	scalar(m, v);
}

static void list(struct em *m, const char *k, const struct strv *v, int flow)
{
	size_t i;
	if (!v->n)
		return;
	scalar(m, k);
	seq_start(m, flow);
	for (i = 0; i < v->n; i++)
		scalar(m, v->v[i]);
	seq_end(m);
}

static void yaml_node(struct em *m, const struct cb *cb, long i);

static void children(struct em *m, const struct cb *cb, long i, int codes)
{
	long k;
	int any = 0;
	for (k = cb->nodes[i].first_child; k >= 0; k = cb->nodes[k].next_sibling) {
		if ((cb->nodes[k].kind == CB_CODE) != codes)
			continue;
		if (!any) {
			scalar(m, codes ? "codes" : "subthemes");
			seq_start(m, 0);
			any = 1;
		}
		yaml_node(m, cb, k);
	}
	if (any)
		seq_end(m);
}

static void yaml_node(struct em *m, const struct cb *cb, long i)
{
	const struct cb_node *n = &cb->nodes[i];
	map_start(m);
	pair(m, "id", n->id);
	pair(m, "name", n->name);
	pair(m, "status", n->status);
	pair(m, "definition", n->definition);
	list(m, "include", &n->include, 0);
	list(m, "exclude", &n->exclude, 0);
	list(m, "examples", &n->examples, 0);
	list(m, "keywords", &n->keywords, 1);
	list(m, "patterns", &n->patterns, 1);
	pair(m, "color", n->color);
	children(m, cb, i, 0);
	children(m, cb, i, 1);
	map_end(m);
}

enum qda_status qda_codebook_export_yaml(struct qda *h, char **out, size_t *len)
{
	struct cb cb;
	struct buf b = { 0 };
	struct em m;
	enum qda_status rc;
	size_t i;

	*out = NULL;
	*len = 0;
	if ((rc = cb_from_db(h, &cb)) != QDA_OK)
		return rc;
	memset(&m, 0, sizeof m);
	if (!yaml_emitter_initialize(&m.e)) {
		cb_free(&cb);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	m.ok = 1;
	yaml_emitter_set_output(&m.e, yaml_out, &b);
	yaml_emitter_set_unicode(&m.e, 1);
	yaml_emitter_set_width(&m.e, 100);
	yaml_emitter_set_indent(&m.e, 2);
	if (yaml_stream_start_event_initialize(&m.ev, YAML_UTF8_ENCODING))
		emit(&m);
	if (m.ok && yaml_document_start_event_initialize(&m.ev, NULL, NULL, NULL, 1))
		emit(&m);
	map_start(&m);
	pair(&m, "codebook", cb.title ? cb.title : "Codebook");
	pair(&m, "description", cb.description);
	scalar(&m, "themes");
	seq_start(&m, 0);
	for (i = 0; i < cb.n; i++)
		if (cb.nodes[i].parent < 0)
			yaml_node(&m, &cb, (long)i);
	seq_end(&m);
	map_end(&m);
	if (m.ok && yaml_document_end_event_initialize(&m.ev, 1))
		emit(&m);
	if (m.ok && yaml_stream_end_event_initialize(&m.ev))
		emit(&m);
	if (m.ok && !yaml_emitter_flush(&m.e))
		m.ok = 0;
	if (!m.ok)
		rc = seterr(h, QDA_EIO, "cannot write the codebook as YAML: %s", m.e.problem ? m.e.problem : "out of memory");
	yaml_emitter_delete(&m.e);
	cb_free(&cb);
	if (rc == QDA_OK && buf_addc(&b, '\0'))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	if (rc != QDA_OK) {
		buf_free(&b);
		return rc;
	}
	*len = b.len - 1;
	*out = buf_take(&b);
	return QDA_OK;
}

/* ---- REFI-QDA codebook ---- */

static int valid_rgb(const char *c)
{
	size_t len = c ? strlen(c) : 0;
	return c && c[0] == '#' && (len == 7 || len == 4) && strspn(c + 1, "0123456789abcdefABCDEF") == len - 1;
}

/* The definition, then "Include: a; b" and "Exclude: c" lines, then, when
 * the node's id is not the slug of its name, a line "qda id: KEY": REFI-QDA
 * codes have no id, and an import makes one from the name (refi_codes.c
 * reads the line back and strips it). */
static int qdc_description(xmlTextWriterPtr w, const struct cb_node *n)
{
	struct buf b = { 0 };
	char *slug = code_slug(n->name);
	size_t i;
	int r = !slug;
	if (n->definition)
		r = buf_adds(&b, n->definition);
	if (!r && n->include.n) {
		r = buf_adds(&b, b.len ? "\nInclude: " : "Include: ");
		for (i = 0; !r && i < n->include.n; i++)
			r = (i && buf_adds(&b, "; ")) || buf_adds(&b, n->include.v[i]);
	}
	if (!r && n->exclude.n) {
		r = buf_adds(&b, b.len ? "\nExclude: " : "Exclude: ");
		for (i = 0; !r && i < n->exclude.n; i++)
			r = (i && buf_adds(&b, "; ")) || buf_adds(&b, n->exclude.v[i]);
	}
	if (!r && n->id && strcmp(n->id, slug))
		r = buf_adds(&b, b.len ? "\nqda id: " : "qda id: ") || buf_adds(&b, n->id);
	free(slug);
	if (!r && b.len)
		r = buf_addc(&b, '\0') || xmlTextWriterWriteElement(w, BAD_CAST "Description", BAD_CAST b.s) < 0;
	buf_free(&b);
	return r ? -1 : 0;
}

struct codes_ctx {
	refi_code_extra_fn extra;
	void *ctx;
};

static int qdc_node(xmlTextWriterPtr w, const struct cb *cb, long i, const struct codes_ctx *x)
{
	const struct cb_node *n = &cb->nodes[i];
	long k;
	if (xmlTextWriterStartElement(w, BAD_CAST "Code") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "guid", BAD_CAST(n->guid ? n->guid : "")) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST n->name) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "isCodable", BAD_CAST "true") < 0)
		return -1;
	if (valid_rgb(n->color) && xmlTextWriterWriteAttribute(w, BAD_CAST "color", BAD_CAST n->color) < 0)
		return -1;
	if (qdc_description(w, n))
		return -1;
	if (x->extra && x->extra(x->ctx, w, n))
		return -1;
	for (k = n->first_child; k >= 0; k = cb->nodes[k].next_sibling)
		if (qdc_node(w, cb, k, x))
			return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

int refi_write_codes(xmlTextWriterPtr w, const struct cb *cb, refi_code_extra_fn extra, void *ctx)
{
	struct codes_ctx x = { extra, ctx };
	size_t i;
	if (xmlTextWriterStartElement(w, BAD_CAST "Codes") < 0)
		return -1;
	for (i = 0; i < cb->n; i++)
		if (cb->nodes[i].parent < 0 && qdc_node(w, cb, (long)i, &x))
			return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

enum qda_status qda_codebook_export_qdc(struct qda *h, char **out, size_t *len)
{
	struct cb cb;
	xmlBufferPtr xb = NULL;
	xmlTextWriterPtr w = NULL;
	enum qda_status rc;
	int bad = 0;

	*out = NULL;
	*len = 0;
	if ((rc = cb_from_db(h, &cb)) != QDA_OK)
		return rc;
	if (!cb.n) {
		rc = seterr(h, QDA_EINPUT, "the codebook is empty; a REFI-QDA codebook needs at least one code");
		goto out;
	}
	if (!(xb = xmlBufferCreate()) || !(w = xmlNewTextWriterMemory(xb, 0))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	bad = xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL) < 0 ||
	      xmlTextWriterStartElementNS(w, NULL, BAD_CAST "CodeBook", BAD_CAST "urn:QDA-XML:codebook:1.0") < 0 ||
	      xmlTextWriterWriteAttribute(w, BAD_CAST "origin", BAD_CAST "qda " QDA_VERSION) < 0 ||
	      refi_write_codes(w, &cb, NULL, NULL);
	if (!bad)
		bad = xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	w = NULL;
	if (bad) {
		rc = seterr(h, QDA_EIO, "cannot write the REFI-QDA codebook");
		goto out;
	}
	*len = (size_t)xmlBufferLength(xb);
	if (!(*out = malloc(*len + 1))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(*out, xmlBufferContent(xb), *len);
	(*out)[*len] = '\0';
	if (*len && (*out)[*len - 1] != '\n') {
		char *t = realloc(*out, *len + 2);
		if (!t) {
			free(*out);
			*out = NULL;
			*len = 0;
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		*out = t;
		(*out)[(*len)++] = '\n';
		(*out)[*len] = '\0';
	}
out:
	if (w)
		xmlFreeTextWriter(w);
	if (xb)
		xmlBufferFree(xb);
	cb_free(&cb);
	return rc;
}
