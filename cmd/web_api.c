/* web_api.c — qda serve's JSON API under /api/: the listings with the column
 * names of the matching CLI command's --format json, and the writes the
 * pages make (code, uncode, memo, review), each in one short transaction
 * through the same core calls as the command line, refused (409) when the
 * page acted on an older version of what it changes. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "map.h"
#include "svg.h"

/* ---- GET /api/session ---- */

static int api_session(struct web_req *r)
{
	static const struct col cols[] = { { "user", COL_STR }, { "role", COL_STR }, { "csrf", COL_STR },
		                           { "project", COL_STR }, { "team", COL_STR } };
	const char *v[5], *slash;
	struct out *o = web_json(r);
	const char *path = r->cli.h ? qda_path(r->cli.h) : "";
	slash = strrchr(path, '/');
	v[0] = r->sess.user;
	v[1] = qda_role_name(r->sess.role);
	v[2] = r->sess.csrf;
	v[3] = slash ? slash + 1 : path;
	v[4] = web_team(r) ? "yes" : "no";
	out_begin(o, cols, 5);
	out_row(o, v);
	out_end(o);
	web_json_done(r, o);
	return 0;
}

/* ---- GET /api/documents: qda docs's columns, then the coding counts ---- */

struct doc_count {
	char *name;
	long codings, mine;
};
struct docs_ctx {
	struct out *o;
	struct doc_count *c;
	size_t n, cap;
	const char *user;
};

static int collect_count(void *ctx, const char *doc, long codings, long mine)
{
	struct docs_ctx *d = ctx;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->c = xrealloc(d->c, d->cap * sizeof *d->c);
	}
	d->c[d->n].name = xstrdup(doc);
	d->c[d->n].codings = codings;
	d->c[d->n++].mine = mine;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct doc_count *)a)->name, ((const struct doc_count *)b)->name);
}

/* Whether name is one of the ", "-joined names of list. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;
	while (p && *p) {
		const char *comma = strstr(p, ", ");
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p = comma ? comma + 2 : NULL;
	}
	return 0;
}

static int doc_row(void *ctx, const struct qda_doc_row *row)
{
	struct docs_ctx *d = ctx;
	struct doc_count key = { (char *)row->name, 0, 0 }, *c;
	char turns[24], words[24], lines[24], codings[24], mine[24];
	const char *v[12];
	c = bsearch(&key, d->c, d->n, sizeof *d->c, by_name);
	v[0] = row->name;
	v[1] = row->case_name;
	v[2] = row->role;
	v[3] = row->format;
	v[4] = web_num(turns, row->turns);
	v[5] = web_num(words, row->words);
	v[6] = web_num(lines, row->lines);
	v[7] = row->speakers;
	v[8] = row->read_by;
	v[9] = in_list(row->read_by, d->user) ? "yes" : "no";
	v[10] = web_num(codings, c ? c->codings : 0);
	v[11] = web_num(mine, c ? c->mine : 0);
	out_row(d->o, v);
	return 0;
}

static int api_documents(struct web_req *r)
{
	static const struct col cols[] = {
		{ "name", COL_STR },  { "case", COL_STR },    { "role", COL_STR },     { "format", COL_STR },
		{ "turns", COL_INT }, { "words", COL_INT },   { "lines", COL_INT },    { "speakers", COL_STR },
		{ "read_by", COL_STR }, { "read", COL_STR }, { "codings", COL_INT }, { "mine", COL_INT },
	};
	struct docs_ctx d = { 0 };
	enum qda_status st;
	size_t i;
	d.user = r->sess.user;
	st = qda_doc_coding_counts(r->cli.h, r->sess.user, collect_count, &d);
	if (st == QDA_OK) {
		qsort(d.c, d.n, sizeof *d.c, by_name);
		d.o = web_json(r);
		out_begin(d.o, cols, 12);
		st = qda_docs_list(r->cli.h, doc_row, &d);
		out_end(d.o);
		web_json_done(r, d.o);
	}
	for (i = 0; i < d.n; i++)
		free(d.c[i].name);
	free(d.c);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- GET /api/document?name=DOC ---- */

struct turn_acc {
	long n, start, end, line_first, line_last;
	char *speaker;
};
struct doc_ctx {
	struct web_req *r;
	struct out *o;
	struct turn_acc *t;
	size_t nt, cap;
	int memo;
};

static int line_row(void *ctx, const struct qda_line_row *l)
{
	struct doc_ctx *d = ctx;
	char n[24], s[24], e[24], t[24];
	const char *v[7] = { web_num(n, l->n), web_num(s, l->start), web_num(e, l->end), web_num(t, l->turn), l->speaker,
		             l->turn_start ? "yes" : "no", l->text };
	out_row(d->o, v);
	if (l->turn > 0) {
		struct turn_acc *last = d->nt ? &d->t[d->nt - 1] : NULL;
		if (!last || last->n != l->turn) {
			if (d->nt == d->cap) {
				d->cap = d->cap ? 2 * d->cap : 64;
				d->t = xrealloc(d->t, d->cap * sizeof *d->t);
			}
			last = &d->t[d->nt++];
			last->n = l->turn;
			last->start = l->start;
			last->line_first = l->n;
			last->speaker = xstrdup(l->speaker ? l->speaker : "");
		}
		last->end = l->end;
		last->line_last = l->n;
	}
	return 0;
}

static int speaker_row(void *ctx, const struct qda_speaker_row *s)
{
	char turns[24], words[24], first[24];
	const char *v[5] = { s->name, s->interviewer ? "interviewer" : "participant", web_num(turns, s->turns),
		             web_num(words, s->words), web_num(first, s->first_turn) };
	out_row(ctx, v);
	return 0;
}

/* qda codings's columns (json), then the version a page acts on. */
static const struct col coding_cols[] = {
	{ "id", COL_INT },     { "document", COL_STR }, { "lines", COL_STR }, { "start", COL_INT },
	{ "end", COL_INT },    { "code", COL_STR },     { "coder", COL_STR }, { "method", COL_STR },
	{ "rule", COL_STR },   { "memo", COL_STR },     { "text", COL_STR },  { "state", COL_STR },
	{ "version", COL_STR },
};

static int coding_row(void *ctx, const struct qda_extract *e)
{
	struct doc_ctx *d = ctx;
	char id[24], lines[64], start[24], end[24], version[VERSION_MAX];
	const char *v[13];
	if (qda_coding_version(d->r->cli.h, e->coding_id, version, sizeof version, NULL, 0) != QDA_OK)
		return 1;
	snprintf(lines, sizeof lines, "%ld-%ld", e->line_first, e->line_last);
	v[0] = web_num(id, e->coding_id);
	v[1] = e->doc;
	v[2] = lines;
	v[3] = web_num(start, e->start);
	v[4] = web_num(end, e->end);
	v[5] = e->code;
	v[6] = e->coder;
	v[7] = e->method;
	v[8] = *e->rule ? e->rule : NULL;
	v[9] = *e->memo ? e->memo : NULL;
	v[10] = e->text;
	v[11] = e->state;
	v[12] = version;
	out_row(d->o, v);
	return 0;
}

static int api_document(struct web_req *r)
{
	static const struct col dcols[] = { { "name", COL_STR }, { "length", COL_INT }, { "version", COL_STR },
		                            { "text", COL_STR } };
	static const struct col lcols[] = { { "line", COL_INT },  { "start", COL_INT },      { "end", COL_INT },
		                            { "turn", COL_INT },  { "speaker", COL_STR },    { "turn_start", COL_STR },
		                            { "text", COL_STR } };
	static const struct col tcols[] = { { "turn", COL_INT },       { "speaker", COL_STR }, { "start", COL_INT },
		                            { "end", COL_INT },        { "line_first", COL_INT }, { "line_last", COL_INT } };
	static const struct col scols[] = { { "speaker", COL_STR }, { "role", COL_STR },       { "turns", COL_INT },
		                            { "words", COL_INT },   { "first_turn", COL_INT } };
	const char *name = web_arg(r, "name");
	struct qda_doc_text dt;
	struct qda_retrieve_opts ro = { 0 };
	struct doc_ctx d = { 0 };
	enum qda_status st;
	char len[24];
	const char *v[4];
	size_t i;

	if (!name)
		return web_error(r, 400, "which document? give ?name=DOC");
	if ((st = qda_doc_text(r->cli.h, name, &dt)) != QDA_OK)
		return web_fail(r, st);
	d.r = r;
	d.o = web_json(r);
	fputs("{\"document\": ", r->fp);
	out_begin(d.o, dcols, 4);
	v[0] = dt.name;
	v[1] = web_num(len, dt.length);
	v[2] = dt.hash;
	v[3] = dt.text;
	out_row(d.o, v);
	out_end(d.o);
	fputs(", \"lines\": ", r->fp);
	out_begin(d.o, lcols, 7);
	st = qda_doc_lines(r->cli.h, dt.name, 1, 0, line_row, &d);
	out_end(d.o);
	if (st == QDA_OK) {
		fputs(", \"turns\": ", r->fp);
		out_begin(d.o, tcols, 6);
		for (i = 0; i < d.nt; i++) {
			char n[24], s[24], e[24], lf[24], ll[24];
			const char *tv[6] = { web_num(n, d.t[i].n), d.t[i].speaker, web_num(s, d.t[i].start), web_num(e, d.t[i].end),
				              web_num(lf, d.t[i].line_first), web_num(ll, d.t[i].line_last) };
			out_row(d.o, tv);
		}
		out_end(d.o);
		fputs(", \"speakers\": ", r->fp);
		out_begin(d.o, scols, 5);
		st = qda_doc_speakers(r->cli.h, dt.name, speaker_row, d.o);
		out_end(d.o);
	}
	if (st == QDA_OK) {
		fputs(", \"codings\": ", r->fp);
		out_begin(d.o, coding_cols, 13);
		ro.doc = dt.name;
		ro.filter.include_interviewer = 1;
		st = qda_retrieve(r->cli.h, &ro, coding_row, &d);
		out_end(d.o);
		fputs("}\n", r->fp);
	}
	web_json_done(r, d.o);
	for (i = 0; i < d.nt; i++)
		free(d.t[i].speaker);
	free(d.t);
	qda_doc_text_free(&dt);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- GET /api/codings?doc=&code=&coder= ---- */

static int api_codings(struct web_req *r)
{
	struct qda_retrieve_opts ro = { 0 };
	struct doc_ctx d = { 0 };
	const char *code = web_arg(r, "code");
	long limit = 0;
	enum qda_status st;
	if (web_arg(r, "limit") && (web_long(web_arg(r, "limit"), &limit) || limit < 0))
		return web_error(r, 400, "limit wants a number of codings, 1 or more");
	ro.doc = web_arg(r, "doc");
	ro.codes = code ? &code : NULL;
	ro.n_codes = code ? 1 : 0;
	ro.filter.coder = web_arg(r, "coder");
	ro.filter.include_interviewer = 1;
	ro.limit = limit;
	d.r = r;
	d.o = web_json(r);
	out_begin(d.o, coding_cols, 13);
	st = qda_retrieve(r->cli.h, &ro, coding_row, &d);
	out_end(d.o);
	web_json_done(r, d.o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- memos on a coding ---- */

const struct col web_memo_cols[6] = { { "id", COL_INT },     { "kind", COL_STR },    { "target", COL_STR },
	                                { "coder", COL_STR },  { "created", COL_STR }, { "text", COL_STR } };

int web_memo_row(void *ctx, const struct qda_memo_row *m)
{
	char id[24];
	const char *v[6] = { web_num(id, m->id), m->kind, m->target, *m->coder ? m->coder : NULL, m->created, m->text };
	out_row(ctx, v);
	return 0;
}

static int api_memos(struct web_req *r)
{
	const char *coding = web_arg(r, "coding");
	struct out *o = web_json(r);
	enum qda_status st;
	out_begin(o, web_memo_cols, 6);
	st = qda_memo_list(r->cli.h, coding ? "coding" : NULL, coding, web_memo_row, o);
	out_end(o);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- the codebook: qda codebook show --counts's columns, then the rest a page shows ---- */

static char *joined(const char *const *v, size_t n)
{
	size_t i, len = 1;
	char *s;
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 2;
	s = xmalloc(len);
	*s = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, "; ");
		strcat(s, v[i]);
	}
	return s;
}

static int node_row(void *ctx, const struct qda_cb_node *n)
{
	char seg[24], docs[24], depth[24];
	char *inc = joined(n->include, n->n_include), *exc = joined(n->exclude, n->n_exclude);
	char *ex = joined(n->examples, n->n_examples);
	const char *v[13] = { n->name, n->id, n->kind, n->status, web_num(seg, n->segments), web_num(docs, n->documents),
		              *n->parent ? n->parent : NULL, web_num(depth, n->depth), *n->color ? n->color : NULL,
		              n->definition, inc, exc, ex };
	out_row(ctx, v);
	free(inc);
	free(exc);
	free(ex);
	return 0;
}

/* The filters every counting route takes: coder, no_auto, review, where
 * (repeatable: where=role=patient&where=...), include_interviewer. 0, or
 * the 400 reply sent. where's strings are r's. */
struct filter_params {
	struct qda_filter f;
	const char *where[16];
};

static int filter_from(struct web_req *r, struct filter_params *p)
{
	const char *review = web_arg(r, "review");
	memset(p, 0, sizeof *p);
	p->f.coder = web_arg(r, "coder");
	if (p->f.coder && !*p->f.coder)
		p->f.coder = NULL;
	p->f.no_auto = web_flag(r, "no_auto");
	p->f.include_interviewer = web_flag(r, "include_interviewer");
	if (review && *review && qda_review_filter_parse(review, &p->f.review) < 0)
		return web_error(r, 400, "review wants accepted, not-disputed or any, not '%s'", review), 1;
	/* one where per key=value; several are AND'ed */
	{
		const char *w = web_arg(r, "where");
		if (w && *w) {
			p->where[p->f.n_where++] = w;
			p->f.where = p->where;
		}
	}
	return 0;
}

static int api_codebook(struct web_req *r)
{
	static const struct col cols[] = {
		{ "node", COL_STR },       { "id", COL_STR },         { "kind", COL_STR },    { "status", COL_STR },
		{ "segments", COL_INT },   { "documents", COL_INT },  { "parent", COL_STR },  { "depth", COL_INT },
		{ "color", COL_STR },      { "definition", COL_STR }, { "include", COL_STR }, { "exclude", COL_STR },
		{ "examples", COL_STR },
	};
	struct filter_params fp;
	struct out *o;
	enum qda_status st;
	if (filter_from(r, &fp))
		return 0;
	if ((st = qda_filter_check(r->cli.h, &fp.f)) != QDA_OK)
		return web_fail(r, st);
	o = web_json(r);
	out_begin(o, cols, 13);
	st = qda_codebook_walk(r->cli.h, &fp.f, node_row, o);
	out_end(o);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- GET /api/retrieve?code=C&...: qda retrieve's json columns ---- */

static const struct col retrieve_cols[] = {
	{ "coding_id", COL_INT },  { "document", COL_STR },  { "case", COL_STR },       { "speaker", COL_STR },
	{ "line_first", COL_INT }, { "line_last", COL_INT }, { "start", COL_INT },      { "end", COL_INT },
	{ "code", COL_STR },       { "coder", COL_STR },     { "attributes", COL_STR }, { "memo", COL_STR },
	{ "text", COL_STR },       { "context_before", COL_STR }, { "context_after", COL_STR },
};

static int retrieve_row(void *ctx, const struct qda_extract *e)
{
	char id[24], lf[24], ll[24], s[24], en[24], *attrs;
	size_t i, len = 1;
	const char *v[15];
	for (i = 0; i < e->n_attrs; i++)
		len += strlen(e->keys[i]) + strlen(e->values[i]) + 3;
	attrs = xmalloc(len);
	*attrs = '\0';
	for (i = 0; i < e->n_attrs; i++) {
		if (i)
			strcat(attrs, "; ");
		strcat(attrs, e->keys[i]);
		strcat(attrs, "=");
		strcat(attrs, e->values[i]);
	}
	v[0] = web_num(id, e->coding_id);
	v[1] = e->doc;
	v[2] = e->case_name;
	v[3] = e->speaker;
	v[4] = web_num(lf, e->line_first);
	v[5] = web_num(ll, e->line_last);
	v[6] = web_num(s, e->start);
	v[7] = web_num(en, e->end);
	v[8] = e->code;
	v[9] = e->coder;
	v[10] = attrs;
	v[11] = *e->memo ? e->memo : NULL;
	v[12] = e->text;
	v[13] = e->before;
	v[14] = e->after;
	out_row(ctx, v);
	free(attrs);
	return 0;
}

static int api_retrieve(struct web_req *r)
{
	struct qda_retrieve_opts ro = { 0 };
	struct filter_params fp;
	const char *code = web_arg(r, "code");
	long context = 0, limit = 0;
	struct out *o;
	enum qda_status st;
	if (!code || !*code)
		return web_error(r, 400, "which code or theme? give code=ID");
	if (web_arg(r, "context") && (web_long(web_arg(r, "context"), &context) || context < 0 || context > 50))
		return web_error(r, 400, "context wants a number of lines from 0 to 50");
	if (web_arg(r, "limit") && (web_long(web_arg(r, "limit"), &limit) || limit < 0))
		return web_error(r, 400, "limit wants a number of extracts");
	if (filter_from(r, &fp))
		return 0;
	ro.codes = &code;
	ro.n_codes = 1;
	ro.filter = fp.f;
	ro.context = context;
	ro.limit = limit;
	if ((st = qda_node_check(r->cli.h, code)) != QDA_OK || (st = qda_filter_check(r->cli.h, &fp.f)) != QDA_OK)
		return web_fail(r, st);
	o = web_json(r);
	/* as qda retrieve: the context columns only when context is asked */
	out_begin(o, retrieve_cols, context ? 15 : 13);
	st = qda_retrieve(r->cli.h, &ro, retrieve_row, o);
	out_end(o);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- the review queue, verdicts, status and disputes ---- */

struct queue_ctx {
	struct web_req *r;
	struct out *o;
	long limit, n;
};

static int queue_row(void *ctx, const struct qda_review_item *it)
{
	struct queue_ctx *q = ctx;
	char id[24], lines[48], s[24], e[24], version[VERSION_MAX];
	const char *v[22];
	if (qda_coding_version(q->r->cli.h, it->coding_id, version, sizeof version, NULL, 0) != QDA_OK)
		return 1;
	snprintf(lines, sizeof lines, "%ld-%ld", it->line_first, it->line_last);
	v[0] = web_num(id, it->coding_id);
	v[1] = it->doc;
	v[2] = it->case_name;
	v[3] = lines;
	v[4] = it->speaker;
	v[5] = it->text;
	v[6] = it->code;
	v[7] = it->code_name;
	v[8] = it->definition;
	v[9] = it->coder;
	v[10] = it->method;
	v[11] = it->state;
	v[12] = v[13] = v[14] = NULL; /* the sheet's verdict, comment, suggested_code: to fill */
	v[15] = it->include;
	v[16] = it->exclude;
	v[17] = it->before;
	v[18] = it->after;
	v[19] = web_num(s, it->start);
	v[20] = web_num(e, it->end);
	v[21] = version;
	out_row(q->o, v);
	return ++q->n >= q->limit;
}

static int api_queue(struct web_req *r)
{
	static const struct col cols[] = {
		{ "id", COL_INT },          { "document", COL_STR }, { "case", COL_STR },    { "lines", COL_STR },
		{ "speaker", COL_STR },     { "extract", COL_STR },  { "code", COL_STR },    { "code_name", COL_STR },
		{ "definition", COL_STR },  { "coder", COL_STR },    { "method", COL_STR },  { "state", COL_STR },
		{ "verdict", COL_STR },     { "comment", COL_STR },  { "suggested_code", COL_STR },
		{ "include", COL_STR },     { "exclude", COL_STR },  { "context_before", COL_STR },
		{ "context_after", COL_STR }, { "start", COL_INT },  { "end", COL_INT },     { "version", COL_STR },
	};
	struct qda_review_opts ro = { 0 };
	struct queue_ctx q = { 0 };
	enum qda_status st;
	q.limit = 50;
	if (web_arg(r, "limit") && (web_long(web_arg(r, "limit"), &q.limit) || q.limit < 1))
		return web_error(r, 400, "limit wants a number of codings, 1 or more");
	ro.reviewer = r->sess.user;
	ro.code = web_arg(r, "code") && *web_arg(r, "code") ? web_arg(r, "code") : NULL;
	ro.coder = web_arg(r, "coder") && *web_arg(r, "coder") ? web_arg(r, "coder") : NULL;
	ro.auto_only = web_flag(r, "auto");
	ro.all = web_flag(r, "all");
	ro.context = 2;
	q.r = r;
	q.o = web_json(r);
	out_begin(q.o, cols, 22);
	st = qda_review_queue(r->cli.h, &ro, queue_row, &q);
	out_end(q.o);
	web_json_done(r, q.o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

static int count_row(void *ctx, const struct qda_review_count *c)
{
	char p[24], a[24], d[24], v[24], n[24];
	const char *vals[7] = { c->theme,
		                *c->reviewer ? c->reviewer : "(codings)",
		                *c->reviewer ? NULL : web_num(p, c->proposed),
		                web_num(a, c->accepted),
		                web_num(d, c->disputed),
		                web_num(v, c->revised),
		                *c->reviewer ? web_num(n, c->reviews) : NULL };
	out_row(ctx, vals);
	return 0;
}

static int api_review_status(struct web_req *r)
{
	static const struct col cols[] = { { "theme", COL_STR },    { "reviewer", COL_STR }, { "proposed", COL_INT },
		                           { "accepted", COL_INT }, { "disputed", COL_INT }, { "revised", COL_INT },
		                           { "reviews", COL_INT } };
	struct out *o = web_json(r);
	enum qda_status st;
	out_begin(o, cols, 7);
	st = qda_review_counts(r->cli.h, count_row, o);
	out_end(o);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

static int dispute_row(void *ctx, const struct qda_review_dispute *d)
{
	char id[24], lines[48];
	const char *v[10];
	snprintf(lines, sizeof lines, "%ld-%ld", d->line_first, d->line_last);
	v[0] = web_num(id, d->coding_id);
	v[1] = d->doc;
	v[2] = lines;
	v[3] = d->code;
	v[4] = d->coder;
	v[5] = d->reviewer;
	v[6] = *d->suggested ? d->suggested : NULL;
	v[7] = d->comment;
	v[8] = d->text;
	v[9] = *d->removed ? d->removed : NULL;
	out_row(ctx, v);
	return 0;
}

static int api_disputes(struct web_req *r)
{
	static const struct col cols[] = {
		{ "coding", COL_INT }, { "document", COL_STR }, { "lines", COL_STR },     { "code", COL_STR },
		{ "coder", COL_STR },  { "reviewer", COL_STR }, { "suggested", COL_STR }, { "comment", COL_STR },
		{ "extract", COL_STR }, { "removed", COL_STR },
	};
	struct out *o = web_json(r);
	enum qda_status st;
	out_begin(o, cols, 10);
	st = qda_review_disputes(r->cli.h, dispute_row, o);
	out_end(o);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- reports: freq, cooccur, the map, agreement ---- */

static int level_from(struct web_req *r, enum qda_level *l, enum qda_level dflt)
{
	const char *s = web_arg(r, "level");
	*l = dflt;
	if (s && *s && parse_level(s, l) < 0)
		return web_error(r, 400, "level wants theme, subtheme, code or all, not '%s'", s), 1;
	return 0;
}

static int svg_wanted(struct web_req *r)
{
	const char *f = web_arg(r, "format");
	return f && strcmp(f, "svg") == 0;
}

static int api_freq(struct web_req *r)
{
	struct qda_freq_opts fo = { 0 };
	struct filter_params fp;
	const char *by = web_arg(r, "by"), *count = web_arg(r, "count");
	int k = FREQ_CASES, svg = svg_wanted(r);
	struct out *o;
	enum qda_status st;

	if (level_from(r, &fo.level, QDA_LEVEL_ALL) || filter_from(r, &fp))
		return 0;
	if (count && *count) {
		if (!strcmp(count, "segments"))
			k = FREQ_SEGMENTS;
		else if (!strcmp(count, "documents"))
			k = FREQ_DOCUMENTS;
		else if (!strcmp(count, "cases"))
			k = FREQ_CASES;
		else if (!strcmp(count, "words"))
			k = FREQ_WORDS;
		else
			return web_error(r, 400, "count wants segments, documents, cases or words");
	}
	fo.by = by && *by ? by : NULL;
	fo.filter = fp.f;
	fo.words = k == FREQ_WORDS;
	if ((st = qda_filter_check(r->cli.h, &fp.f)) != QDA_OK)
		return web_fail(r, st);
	if (svg) {
		r->type = "image/svg+xml";
		o = out_new(OUT_SVG, r->fp);
	} else {
		o = web_json(r);
	}
	st = freq_write(r->cli.h, o, &fo, k, 0, 0);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

static int api_cooccur(struct web_req *r)
{
	struct qda_cooccur_opts co = { 0 };
	struct qda_cooccur *c = NULL;
	struct filter_params fp;
	const char *scope = web_arg(r, "scope"), *measure = web_arg(r, "measure");
	int jaccard = measure && !strcmp(measure, "jaccard");
	enum qda_status st;
	struct col *cols;
	size_t i, j;

	if (level_from(r, &co.level, QDA_LEVEL_THEME) || filter_from(r, &fp))
		return 0;
	if (measure && *measure && strcmp(measure, "count") && !jaccard)
		return web_error(r, 400, "measure wants count or jaccard");
	co.scope = QDA_SCOPE_OVERLAP;
	if (scope && *scope) {
		if (!strcmp(scope, "overlap"))
			co.scope = QDA_SCOPE_OVERLAP;
		else if (!strcmp(scope, "turn"))
			co.scope = QDA_SCOPE_TURN;
		else if (!strcmp(scope, "doc"))
			co.scope = QDA_SCOPE_DOC;
		else if (!strcmp(scope, "case"))
			co.scope = QDA_SCOPE_CASE;
		else
			return web_error(r, 400, "scope wants overlap, turn, doc or case");
	}
	co.filter = fp.f;
	if ((st = qda_filter_check(r->cli.h, &fp.f)) != QDA_OK || (st = qda_cooccur(r->cli.h, &co, &c)) != QDA_OK)
		return web_fail(r, st);
	if (svg_wanted(r)) {
		double *v = xcalloc(c->n * c->n + 1, sizeof *v);
		char **texts = xcalloc(c->n * c->n + 1, sizeof *texts);
		for (i = 0; i < c->n; i++)
			for (j = 0; j < c->n; j++) {
				double x = jaccard ? (i == j ? NAN : qda_cooccur_jaccard(c, i, j, co.scope))
				                   : (double)c->n12[i * c->n + j];
				v[i * c->n + j] = isnan(x) ? 0 : x;
				texts[i * c->n + j] = isnan(x) ? NULL
				                      : jaccard ? xasprintf("%.2f", x)
				                                : xasprintf("%ld", c->n12[i * c->n + j]);
			}
		r->type = "image/svg+xml";
		svg_heatmap(r->fp, jaccard ? "Co-occurrence (Jaccard)" : "Co-occurrence (passages)", c->n,
		            (const char *const *)c->names, v, (const char *const *)texts);
		for (i = 0; i < c->n * c->n; i++)
			free(texts[i]);
		free(texts);
		free(v);
	} else {
		struct out *o = web_json(r);
		const char **vals = xcalloc(c->n + 1, sizeof *vals);
		char (*bufs)[32] = xcalloc(c->n + 1, sizeof *bufs);
		cols = xcalloc(c->n + 1, sizeof *cols);
		cols[0] = (struct col){ "code", COL_STR };
		for (i = 0; i < c->n; i++)
			cols[i + 1] = (struct col){ c->ids[i], COL_NUM };
		out_begin(o, cols, c->n + 1);
		for (i = 0; i < c->n; i++) {
			vals[0] = c->ids[i];
			for (j = 0; j < c->n; j++) {
				double x = jaccard ? qda_cooccur_jaccard(c, i, j, co.scope) : (double)c->n12[i * c->n + j];
				vals[j + 1] = cell_num(o, bufs[j + 1], x, 3);
			}
			out_row(o, vals);
		}
		out_end(o);
		web_json_done(r, o);
		free(cols);
		free(vals);
		free(bufs);
	}
	qda_cooccur_free(c);
	return 0;
}

static pthread_mutex_t map_mu = PTHREAD_MUTEX_INITIALIZER;

static int api_map(struct web_req *r)
{
	struct filter_params fp;
	enum qda_level level;
	int rc;
	if (level_from(r, &level, QDA_LEVEL_THEME) || filter_from(r, &fp))
		return 0;
	r->type = "image/svg+xml";
	/* Graphviz keeps global state: one map at a time */
	pthread_mutex_lock(&map_mu);
	rc = map_render(&r->cli, r->fp, "svg", level, 0.1, 0, &fp.f);
	pthread_mutex_unlock(&map_mu);
	if (rc)
		return web_error(r, 500, "the thematic map could not be drawn (Graphviz failed); see the server's messages");
	return 0;
}

struct agree_ctx {
	struct out *o;
};

static const char *numd(char *buf, double v, int decimals)
{
	if (isnan(v))
		return NULL;
	if (fabs(v) < 1e15 && v == floor(v))
		snprintf(buf, 32, "%.0f", v);
	else
		snprintf(buf, 32, "%.*g", decimals > 6 ? decimals : 17, v);
	return buf;
}

static int agree_row(void *ctx, const struct qda_agree_row *row)
{
	struct agree_ctx *a = ctx;
	char units[24], ca[24], cb[24], both[24], neither[24], pct[32], kappa[32], kw[32], coded[32];
	const char *v[13];
	v[0] = row->code;
	v[1] = row->doc;
	v[2] = web_num(units, row->c.n);
	v[3] = web_num(ca, row->c.a);
	v[4] = web_num(cb, row->c.b);
	v[5] = web_num(both, row->c.both);
	v[6] = web_num(neither, row->c.n - row->c.a - row->c.b + row->c.both);
	v[7] = numd(pct, qda_agree_percent(&row->c), 17);
	v[8] = numd(kappa, qda_agree_kappa(&row->c), 17);
	v[9] = row->doc ? NULL : numd(kw, row->kappa_weighted, 17);
	v[10] = numd(coded, qda_agree_coded(&row->c), 17);
	v[11] = units;
	v[12] = row->c.n < 10 ? "fewer than 10 units" : NULL;
	out_row(a->o, v);
	return 0;
}

static int api_agree(struct web_req *r)
{
	static const struct col cols[] = {
		{ "code", COL_STR }, { "document", COL_STR }, { "units", COL_INT }, { "a", COL_INT }, { "b", COL_INT },
		{ "both", COL_INT }, { "neither", COL_INT }, { "agreement", COL_NUM }, { "kappa", COL_NUM },
		{ "kappa_weighted", COL_NUM }, { "coded_agreement", COL_NUM }, { "n_units", COL_INT },
		{ "warning", COL_STR },
	};
	struct qda_agree_opts ao = { 0 };
	struct filter_params fp;
	struct agree_ctx a;
	const char *coders = web_arg(r, "coders"), *unit = web_arg(r, "unit"), *names[2];
	char *copy, *comma;
	enum qda_status st;

	if (!coders || !(comma = strchr(coders, ',')) || strchr(comma + 1, ','))
		return web_error(r, 400, "give two coders: coders=A,B");
	if (filter_from(r, &fp))
		return 0;
	copy = xstrdup(coders);
	comma = strchr(copy, ',');
	*comma = '\0';
	names[0] = copy;
	names[1] = comma + 1;
	ao.coders = names;
	ao.n_coders = 2;
	ao.code = web_arg(r, "code") && *web_arg(r, "code") ? web_arg(r, "code") : NULL;
	ao.unit = QDA_AGREE_CHAR;
	if (unit && !strcmp(unit, "turn"))
		ao.unit = QDA_AGREE_TURN;
	else if (unit && !strcmp(unit, "doc"))
		ao.unit = QDA_AGREE_DOC;
	else if (unit && *unit && strcmp(unit, "char")) {
		free(copy);
		return web_error(r, 400, "unit wants char, turn or doc");
	}
	ao.filter = fp.f;
	ao.filter.coder = NULL;
	a.o = web_json(r);
	out_begin(a.o, cols, 13);
	st = qda_agree(r->cli.h, &ao, agree_row, &a, NULL);
	out_end(a.o);
	web_json_done(r, a.o);
	free(copy);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- small lists the pages' menus need ---- */

static int api_attributes(struct web_req *r)
{
	static const struct col cols[] = { { "key", COL_STR } };
	char **keys = NULL;
	size_t n = 0, i;
	struct out *o;
	enum qda_status st = qda_case_keys(r->cli.h, &keys, &n);
	if (st != QDA_OK)
		return web_fail(r, st);
	o = web_json(r);
	out_begin(o, cols, 1);
	for (i = 0; i < n; i++) {
		const char *v[1] = { keys[i] };
		out_row(o, v);
	}
	out_end(o);
	web_json_done(r, o);
	qda_strv_free(keys, n);
	return 0;
}

static int coder_row(void *ctx, const struct qda_coder_row *c)
{
	char a[24], b[24], d[24], e[24];
	const char *v[7] = { c->name, web_num(a, c->codings), web_num(b, c->removed), web_num(d, c->reviews), web_num(e, c->memos),
		             c->first, c->last };
	out_row(ctx, v);
	return 0;
}

static int api_coders(struct web_req *r)
{
	static const struct col cols[] = {
		{ "name", COL_STR },  { "codings", COL_INT }, { "removed", COL_INT }, { "reviews", COL_INT },
		{ "memos", COL_INT }, { "first", COL_STR },   { "last", COL_STR },
	};
	struct out *o = web_json(r);
	enum qda_status st;
	out_begin(o, cols, 7);
	st = qda_coders_list(r->cli.h, coder_row, o);
	out_end(o);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* ---- the routes ---- */

static const struct route {
	const char *method, *path;
	int (*fn)(struct web_req *);
	int write;
} routes[] = {
	{ "GET", "/api/session", api_session, 0 },
	{ "GET", "/api/documents", api_documents, 0 },
	{ "GET", "/api/document", api_document, 0 },
	{ "GET", "/api/codebook", api_codebook, 0 },
	{ "GET", "/api/codings", api_codings, 0 },
	{ "POST", "/api/codings", web_code, 1 },
	{ "DELETE", "/api/codings", web_uncode, 1 },
	{ "GET", "/api/memos", api_memos, 0 },
	{ "POST", "/api/memos", web_memo_add, 1 },
	{ "GET", "/api/retrieve", api_retrieve, 0 },
	{ "GET", "/api/review/queue", api_queue, 0 },
	{ "POST", "/api/review", web_review, 1 },
	{ "GET", "/api/review/status", api_review_status, 0 },
	{ "GET", "/api/disputes", api_disputes, 0 },
	{ "GET", "/api/freq", api_freq, 0 },
	{ "GET", "/api/cooccur", api_cooccur, 0 },
	{ "GET", "/api/map", api_map, 0 },
	{ "GET", "/api/agree", api_agree, 0 },
	{ "GET", "/api/attributes", api_attributes, 0 },
	{ "GET", "/api/coders", api_coders, 0 },
};

int web_api(struct web_req *r)
{
	size_t i;
	int known = 0;
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (strcmp(routes[i].path, r->path) != 0)
			continue;
		known = 1;
		if (strcmp(routes[i].method, r->method) != 0)
			continue;
		if (web_open(r, routes[i].write))
			return 1;
		routes[i].fn(r);
		return 1;
	}
	if (known) {
		web_error(r, 405, "%s does not take %s", r->path, r->method);
		return 1;
	}
	return 0;
}
