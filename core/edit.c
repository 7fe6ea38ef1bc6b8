/* edit.c — coding in the editor: a document rendered as numbered lines with
 * the coder's codes margin, and an edited file turned back into codings
 * (added and removed) after every line has been checked. Never runs the
 * editor, reads the environment or prints: that is cmd/edit.c. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* One line of the document as the editing file shows it. */
struct eline {
	char *text;
	int64_t start, end;
};

struct edoc {
	long long id;
	char *name;
	struct eline *v;
	long n;
	int width;  /* digits of the line numbers */
	int nomem;  /* keep_line ran out of memory */
};

static void edoc_free(struct edoc *d)
{
	long i;
	for (i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	free(d->name);
	d->v = NULL;
	d->name = NULL;
	d->n = 0;
}

static int keep_line(void *ctx, const struct qda_line_row *r)
{
	struct edoc *d = ctx;
	struct eline *v;
	if (r->n != d->n + 1)
		return 0; /* lines come numbered from 1 without gaps */
	if (!(v = realloc(d->v, (size_t)(d->n + 1) * sizeof *v))) {
		d->nomem = 1;
		return 1;
	}
	d->v = v;
	if (!(v[d->n].text = strdup(r->text ? r->text : ""))) {
		d->nomem = 1;
		return 1;
	}
	v[d->n].start = r->start;
	v[d->n].end = r->end;
	d->n++;
	return 0;
}

static enum qda_status edoc_load(struct qda *h, const char *doc, struct edoc *d)
{
	sqlite3_stmt *st;
	enum qda_status rc = QDA_OK;
	const char *name;
	long k;
	int found;

	memset(d, 0, sizeof *d);
	if ((rc = doc_lookup(h, doc, &d->id)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT name FROM document WHERE id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, d->id);
	if ((found = step_row(h, st, "read document")) <= 0)
		rc = found < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document '%s'; 'qda docs' lists them", doc);
	else if (!(name = (const char *)sqlite3_column_text(st, 0)) || !(d->name = strdup(name)))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	sqlite3_finalize(st);
	if (rc == QDA_OK && (rc = qda_doc_lines(h, d->name, 1, 0, keep_line, d)) == QDA_OK && d->nomem)
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	if (rc != QDA_OK) {
		edoc_free(d);
		return rc;
	}
	for (d->width = 1, k = d->n; k >= 10; k /= 10)
		d->width++;
	if (d->width < 4)
		d->width = 4;
	return QDA_OK;
}

/* ---- rendering ---- */

struct render {
	struct qda *h;
	struct edoc *d;
	struct buf *b;
	int failed;
};

static int render_line(void *ctx, long line, const char *codes)
{
	struct render *r = ctx;
	const char *p;
	if (line < 1 || line > r->d->n)
		return 0;
	if (buf_addf(r->b, "%0*ld | %s |", r->d->width, line, r->d->v[line - 1].text))
		goto nomem;
	if (*codes && buf_addc(r->b, ' '))
		goto nomem;
	for (p = codes; *p; p++)
		if (buf_addc(r->b, *p) || (*p == ',' && buf_addc(r->b, ' ')))
			goto nomem;
	if (buf_addc(r->b, '\n'))
		goto nomem;
	return 0;
nomem:
	r->failed = 1;
	return 1;
}

enum qda_status qda_edit_render(struct qda *h, const char *doc, char **out, size_t *len)
{
	struct edoc d;
	struct buf b = { 0 };
	struct render r;
	enum qda_status rc;

	*out = NULL;
	*len = 0;
	if (!h->coder)
		return seterr(h, QDA_EINVAL, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	if ((rc = edoc_load(h, doc, &d)) != QDA_OK)
		return rc;
	if (d.n == 0) {
		rc = seterr(h, QDA_EINPUT, "%s has no lines to code", d.name);
		goto out;
	}
	if (buf_addf(&b,
	             "# qda edit: your codes margin of %s. Each line below is a line of the document: its\n"
	             "# number, ' | ', its text, ' | ' and the margin, the ids of the codes you give the line,\n"
	             "# separated by commas (\"| listening, trust\"). Change the margins only; the numbers and\n"
	             "# the text stay as they are. A code on consecutive lines becomes one coding of those\n"
	             "# lines; a code taken off every line of a coding removes the coding. Lines starting\n"
	             "# with # are ignored. Save and quit to apply; 'qda codebook show' lists the codes.\n"
	             "# document: %s\n"
	             "# coder: %s\n"
	             "# project: %s\n",
	             d.name, d.name, h->coder, h->path ? h->path : "")) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	r.h = h;
	r.d = &d;
	r.b = &b;
	r.failed = 0;
	rc = qda_codes_by_line(h, d.name, h->coder, render_line, &r);
	if (rc == QDA_OK && r.failed)
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	if (rc != QDA_OK)
		goto out;
	*len = b.len;
	*out = buf_take(&b);
out:
	buf_free(&b);
	edoc_free(&d);
	return rc;
}

int qda_edit_header(const char *text, const char *field, char **out)
{
	const char *p = text;
	size_t fl = strlen(field);
	*out = NULL;
	while (p && *p == '#') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > fl + 4 && strncmp(p, "# ", 2) == 0 && strncmp(p + 2, field, fl) == 0 && p[2 + fl] == ':' &&
		    p[3 + fl] == ' ')
			return (*out = strndup(p + fl + 4, len - fl - 4)) ? 0 : -1;
		p = nl ? nl + 1 : NULL;
	}
	return 1;
}

/* ---- applying an edited file ---- */

/* A code met in the margins or the coder's codings, with its state per line. */
struct ecode {
	long long node;
	char *key;
	unsigned char *now, *was; /* per line from 1: in the edited margin, in the old one */
};

struct ecodes {
	struct ecode *v;
	size_t n;
	long nlines;
};

static void ecodes_free(struct ecodes *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].now);
		free(c->v[i].was);
	}
	free(c->v);
}

static struct ecode *ecode_get(struct ecodes *c, long long node, const char *key)
{
	struct ecode *v, *e;
	size_t i;
	for (i = 0; i < c->n; i++)
		if (c->v[i].node == node)
			return &c->v[i];
	if (!(v = realloc(c->v, (c->n + 1) * sizeof *v)))
		return NULL;
	c->v = v;
	e = &v[c->n];
	memset(e, 0, sizeof *e);
	e->node = node;
	e->key = strdup(key);
	e->now = calloc((size_t)c->nlines + 2, 1);
	e->was = calloc((size_t)c->nlines + 2, 1);
	c->n++;
	if (!e->key || !e->now || !e->was)
		return NULL;
	return e;
}

/* A coding of the coder in the document. */
struct ecoding {
	long long id, node;
	long first, last;
};

struct apply {
	struct qda *h;
	const char *path;
	qda_row_error_fn err;
	void *ctx;
	struct qda_edit_report *rep;
	int nomem;  /* a report could not be written: out of memory */
};

static void bad(struct apply *a, long fline, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(struct apply *a, long fline, const char *fmt, ...)
{
	struct buf loc = { 0 };
	char *msg = NULL;
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (fline > 0)
		buf_addf(&loc, "%s:%ld", a->path, fline);
	else
		buf_adds(&loc, a->path);
	if (r < 0 || loc.failed)
		a->nomem = 1;
	else if (a->err)
		a->err(a->ctx, loc.s, msg);
	if (r >= 0)
		free(msg);
	buf_free(&loc);
	a->rep->bad++;
}

static int is_blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Lines first..last of the document as "N" or "N-M". */
static const char *range(char *out, size_t n, long first, long last)
{
	if (first == last)
		snprintf(out, n, "%ld", first);
	else
		snprintf(out, n, "%ld-%ld", first, last);
	return out;
}

/* The codes of one margin into c->now for the line; unknown codes reported. */
static enum qda_status margin_codes(struct apply *a, struct ecodes *c, long line, long fline, const char *m,
                                    size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t j;
		char *key;
		long long node = 0;
		struct ecode *e;
		enum qda_status rc;
		while (i < len && (m[i] == ',' || m[i] == ' ' || m[i] == '\t' || m[i] == '\r'))
			i++;
		for (j = i; j < len && m[j] != ',' && m[j] != ' ' && m[j] != '\t' && m[j] != '\r'; j++)
			;
		if (j == i)
			break;
		if (!(key = strndup(m + i, j - i)))
			return seterr(a->h, QDA_ENOMEM, "out of memory");
		i = j;
		/* the keys met so far need no lookup */
		for (e = NULL, j = 0; j < c->n; j++)
			if (strcmp(c->v[j].key, key) == 0)
				e = &c->v[j];
		if (!e) {
			rc = code_lookup(a->h, key, &node);
			if (rc == QDA_ENOTFOUND || rc == QDA_EINPUT) {
				bad(a, fline, "%s", qda_errmsg(a->h));
				free(key);
				continue;
			}
			if (rc == QDA_OK && !(e = ecode_get(c, node, key)))
				rc = seterr(a->h, QDA_ENOMEM, "out of memory");
			if (rc != QDA_OK) {
				free(key);
				return rc;
			}
		}
		free(key);
		e->now[line] = 1;
	}
	return QDA_OK;
}

/* Check every line of the edited text and fill c->now. fline_of[line] is the
 * file line of each document line (0 when missing). */
static enum qda_status parse(struct apply *a, const struct edoc *d, const char *text, struct ecodes *c,
                             long *fline_of)
{
	const char *p = text;
	long fline = 0, expected = 1, line, *mangled;
	enum qda_status rc;
	char r1[64];

	/* mangled[L]: lines with a mangled number met where line L was due; the
	 * lines they stand for are not reported missing a second time */
	if (!(mangled = calloc((size_t)d->n + 2, sizeof *mangled)))
		return seterr(a->h, QDA_ENOMEM, "out of memory");

	while (*p) {
		const char *nl = strchr(p, '\n'), *q, *rest;
		size_t len = nl ? (size_t)(nl - p) : strlen(p), tl;
		const char *end = p + len;
		char *num_end;

		fline++;
		if (len && p[len - 1] == '\r')
			end--, len--;
		if (*p == '#' || is_blank(p, len))
			goto next;
		line = strtol(p, &num_end, 10);
		q = num_end;
		while (q < end && *q == ' ')
			q++;
		if (!(*p >= '0' && *p <= '9') || num_end == p || q >= end || *q != '|') {
			bad(a, fline,
			    "the line number is mangled: each line starts with its number and ' | ' as qda wrote it ('%.*s')",
			    (int)utf8_prefix(p, len, 40), p);
			if (expected <= d->n)
				mangled[expected]++;
			goto next;
		}
		if (line < 1 || line > d->n) {
			bad(a, fline, "line %ld is not in %s (lines 1-%ld): lines cannot be added", line, d->name, d->n);
			goto next;
		}
		if (fline_of[line]) {
			bad(a, fline, "line %ld appears twice (first at line %ld of the file): lines cannot be copied", line,
			    fline_of[line]);
			goto next;
		}
		fline_of[line] = fline;
		/* a jump forward is lines missing (reported at the end); a step
		 * back is a line moved */
		if (line < expected)
			bad(a, fline, "line %ld is out of order: it comes after line %ld; lines cannot be moved", line,
			    expected - 1);
		else
			expected = line + 1;
		/* the text as written, then the margin after a '|' */
		rest = q + 1;
		if (rest < end && *rest == ' ')
			rest++;
		tl = strlen(d->v[line - 1].text);
		if ((size_t)(end - rest) < tl || memcmp(rest, d->v[line - 1].text, tl) != 0) {
			bad(a, fline, "the text of line %ld was changed: qda edit changes the codes margin only (after the last '|')",
			    line);
			goto next;
		}
		rest += tl;
		while (rest < end && *rest == ' ')
			rest++;
		if (rest < end && *rest != '|') {
			bad(a, fline, "the text of line %ld was changed: qda edit changes the codes margin only (after the last '|')",
			    line);
			goto next;
		}
		if (rest < end && (rc = margin_codes(a, c, line, fline, rest + 1, (size_t)(end - rest - 1))) != QDA_OK) {
			free(mangled);
			return rc;
		}
	next:
		if (!nl)
			break;
		p = nl + 1;
	}
	/* missing lines, as runs */
	for (line = 1; line <= d->n; line++) {
		long first = line;
		if (fline_of[line])
			continue;
		while (line < d->n && !fline_of[line + 1])
			line++;
		first += mangled[first];
		if (first > line)
			continue;
		bad(a, 0, "line%s %s of %s %s missing: every line of the document stays in the file",
		    first == line ? "" : "s", range(r1, sizeof r1, first, line), d->name, first == line ? "is" : "are");
	}
	free(mangled);
	return QDA_OK;
}

struct removal {
	qda_edit_change_fn fn;
	void *ctx;
};

static int removed_one(void *ctx, const struct qda_extract *e)
{
	struct removal *r = ctx;
	struct qda_edit_change ch;
	if (r->fn) {
		ch.added = 0;
		ch.coding_id = e->coding_id;
		ch.code = e->code;
		ch.line_first = e->line_first;
		ch.line_last = e->line_last;
		r->fn(r->ctx, &ch);
	}
	return 0;
}

enum qda_status qda_edit_apply(struct qda *h, const char *doc, const char *path, const char *text,
                               qda_row_error_fn err, void *ctx, qda_edit_change_fn fn, void *fctx,
                               struct qda_edit_report *rep)
{
	struct edoc d;
	struct ecodes c = { 0 };
	struct ecoding *old = NULL;
	size_t nold = 0, i, k;
	long *fline_of = NULL, l;
	long long coder = 0, *gone = NULL;
	size_t ngone = 0;
	sqlite3_stmt *st = NULL;
	struct coding_writer *w = NULL;
	struct apply a;
	struct removal rm = { fn, fctx };
	enum qda_status rc;
	char r1[64], r2[64];
	int step;

	memset(rep, 0, sizeof *rep);
	memset(&a, 0, sizeof a);
	a.h = h;
	a.path = path;
	a.err = err;
	a.ctx = ctx;
	a.rep = rep;
	if (!h->coder)
		return seterr(h, QDA_EINVAL, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	if ((rc = edoc_load(h, doc, &d)) != QDA_OK)
		return rc;
	c.nlines = d.n;
	if (!(fline_of = calloc((size_t)d.n + 2, sizeof *fline_of))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}

	/* the coder's codings of the document: the old margin */
	if ((rc = coder_lookup(h, h->coder, &coder)) == QDA_ENOTFOUND)
		coder = -1; /* no codings yet */
	else if (rc != QDA_OK)
		goto out;
	if (!(st = prep(h, "SELECT c.id, c.node_id, n.key, c.line_first, c.line_last FROM coding c"
	                   " JOIN node n ON n.id = c.node_id WHERE c.doc_id = ? AND c.coder_id = ?"
	                   " ORDER BY c.line_first, c.id"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, d.id);
	sqlite3_bind_int64(st, 2, coder);
	while ((step = step_row(h, st, "read codings")) > 0) {
		struct ecoding *v = realloc(old, (nold + 1) * sizeof *v);
		struct ecode *e;
		if (!v) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		old = v;
		v[nold].id = sqlite3_column_int64(st, 0);
		v[nold].node = sqlite3_column_int64(st, 1);
		v[nold].first = sqlite3_column_int(st, 3);
		v[nold].last = sqlite3_column_int(st, 4);
		if (v[nold].first < 1)
			v[nold].first = 1;
		if (v[nold].last > d.n)
			v[nold].last = d.n;
		if (!(e = ecode_get(&c, v[nold].node, (const char *)sqlite3_column_text(st, 2)))) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		for (l = v[nold].first; l <= v[nold].last; l++)
			e->was[l] = 1;
		nold++;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;

	if ((rc = parse(&a, &d, text, &c, fline_of)) != QDA_OK)
		goto out;
	/* a coding goes when its code left every line it touches; leaving only
	 * some of them cannot be said with whole codings */
	for (i = 0; i < nold; i++) {
		struct ecode *e = NULL;
		long off = 0, on = 0, first_off = 0;
		for (k = 0; k < c.n; k++)
			if (c.v[k].node == old[i].node)
				e = &c.v[k];
		for (l = old[i].first; l <= old[i].last; l++) {
			if (!fline_of[l])
				continue;
			if (e->now[l]) {
				on++;
			} else {
				if (!off++)
					first_off = l;
			}
		}
		if (!off)
			continue;
		if (on) {
			bad(&a, fline_of[first_off],
			    "'%s' is taken off line %ld but its coding %lld covers lines %s as one: take it off lines %s, or"
			    " keep it on line %ld",
			    e->key, first_off, old[i].id, range(r1, sizeof r1, old[i].first, old[i].last),
			    range(r2, sizeof r2, old[i].first, old[i].last), first_off);
			continue;
		}
		{
			long long *g = realloc(gone, (ngone + 1) * sizeof *gone);
			if (!g) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			gone = g;
		}
		gone[ngone++] = old[i].id;
	}
	/* a new code on empty lines only has nothing to code */
	for (k = 0; k < c.n; k++) {
		for (l = 1; l <= d.n; l++) {
			long first = l;
			if (!c.v[k].now[l] || c.v[k].was[l])
				continue;
			while (l < d.n && c.v[k].now[l + 1] && !c.v[k].was[l + 1])
				l++;
			if (d.v[first - 1].start >= d.v[l - 1].end)
				bad(&a, fline_of[first], "line%s %s of %s %s empty: there is nothing to code with '%s'",
				    first == l ? "" : "s", range(r1, sizeof r1, first, l), d.name, first == l ? "is" : "are",
				    c.v[k].key);
		}
	}
	if (a.nomem) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (rep->bad) {
		rc = seterr_at(h, QDA_EINPUT, path, "%ld bad line%s; nothing was changed", rep->bad,
		               rep->bad == 1 ? "" : "s");
		goto out;
	}

	/* removals first, so a report reads in the order things happened */
	if (ngone) {
		long removed = 0;
		if ((rc = qda_uncode(h, gone, ngone, 0, removed_one, &rm, &removed)) != QDA_OK)
			goto out;
		rep->removed = removed;
	}
	/* a run of consecutive lines where a code is new is one coding */
	for (k = 0; k < c.n; k++) {
		struct ecode *e = &c.v[k];
		for (l = 1; l <= d.n; l++) {
			long first = l;
			long long id = 0;
			int created = 0;
			struct qda_edit_change ch;
			if (!e->now[l] || e->was[l])
				continue;
			while (l < d.n && e->now[l + 1] && !e->was[l + 1])
				l++;
			if (!w && (rc = coding_writer_new(h, &w)) != QDA_OK)
				goto out;
			if (!coder || coder < 0) {
				if ((rc = coder_id(h, &coder)) != QDA_OK)
					goto out;
			}
			if ((rc = coding_writer_add(w, d.id, e->node, coder, d.v[first - 1].start, d.v[l - 1].end, first, l,
			                            "edit", NULL, NULL, &id, &created)) != QDA_OK)
				goto out;
			if (!created)
				continue;
			rep->added++;
			if (fn) {
				ch.added = 1;
				ch.coding_id = id;
				ch.code = e->key;
				ch.line_first = first;
				ch.line_last = l;
				fn(fctx, &ch);
			}
		}
	}
out:
	coding_writer_free(w);
	sqlite3_finalize(st);
	free(gone);
	free(old);
	free(fline_of);
	ecodes_free(&c);
	edoc_free(&d);
	return rc;
}
