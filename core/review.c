/* review.c — peer review of codings: the queue a reviewer works through,
 * verdicts kept as separate records (so a coding can be reviewed by several
 * people and the history stays), review sheets in CSV, and the counts. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* JSON array of strings -> "a; b; c" (SQLite's JSON functions do the parsing). */
#define JOINED(col) "coalesce((SELECT group_concat(value, '; ') FROM json_each(n." col ")), '')"

/* Lines from..to of a document, each with its number, LF-joined, into *out
 * (malloc'd). */
static enum qda_status lines_around(struct qda *h, sqlite3_stmt *st, long long doc, long from, long to, char **out)
{
	struct buf b = { 0 };
	int r = 0;
	*out = NULL;
	buf_adds(&b, "");
	if (to >= from) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, doc);
		sqlite3_bind_int64(st, 2, from);
		sqlite3_bind_int64(st, 3, to);
		while ((r = step_row(h, st, "read the context")) > 0) {
			if (b.len)
				buf_addc(&b, '\n');
			buf_addf(&b, "%5d  %s", sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_reset(st);
	}
	if (r < 0) {
		buf_free(&b);
		return QDA_EDB;
	}
	if (!(*out = buf_take(&b)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

enum qda_status qda_review_queue(struct qda *h, const struct qda_review_opts *o, qda_review_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL, *ctxst = NULL, *cnt = NULL;
	long long node = 0, coder = 0;
	enum qda_status rc = QDA_OK;
	long total = 0, index = 0;
	int step;
	static const char *filter =
		" FROM coding c JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id"
		" JOIN document d ON d.id = c.doc_id LEFT JOIN cases cs ON cs.id = d.case_id"
		" WHERE (?1 = 0 OR c.node_id IN (WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL"
		"        SELECT node.id FROM node JOIN sub ON node.parent_id = sub.id) SELECT id FROM sub))"
		" AND (?2 = 0 OR c.coder_id = ?2) AND (?3 = 0 OR c.method = 'auto')"
		" AND (?4 OR ?5 IS NULL OR NOT EXISTS (SELECT 1 FROM review r JOIN coder rv ON rv.id = r.reviewer_id"
		"      WHERE r.coding_id = c.id AND rv.name = ?5))";
	struct buf q = { 0 };

	if (o->code && (rc = node_find(h, o->code, &node)) != QDA_OK)
		return rc;
	if (o->coder && (rc = coder_lookup(h, o->coder, &coder)) != QDA_OK)
		return rc;
	buf_adds(&q, "SELECT count(*)");
	buf_adds(&q, filter);
	if (!q.s || !(cnt = prep(h, q.s))) {
		buf_free(&q);
		return q.s ? QDA_EDB : seterr(h, QDA_ENOMEM, "out of memory");
	}
	buf_free(&q);
	buf_adds(&q, "SELECT c.id, d.name, coalesce(cs.name, ''),"
	             " (SELECT s.name FROM turn t JOIN speaker s ON s.id = t.speaker_id WHERE t.doc_id = c.doc_id"
	             "   AND t.start <= c.start ORDER BY t.start DESC LIMIT 1),"
	             " n.key, n.name, coalesce(n.definition, ''), " JOINED("include") ", " JOINED("exclude") ","
	             " k.name, c.method, coalesce(c.rule, ''), c.state, substr(d.text, c.start + 1, c.end - c.start),"
	             " c.line_first, c.line_last, c.start, c.end, c.doc_id");
	buf_adds(&q, filter);
	buf_adds(&q, " ORDER BY d.name, c.start, c.id");
	if (!q.s || !(st = prep(h, q.s))) {
		rc = q.s ? QDA_EDB : seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(ctxst = prep(h, "SELECT l.n, t.text FROM line l JOIN line_text t ON t.id = l.id"
	                      " WHERE l.doc_id = ? AND l.n BETWEEN ? AND ? ORDER BY l.n"))) {
		rc = QDA_EDB;
		goto out;
	}
	{
		sqlite3_stmt *both[2] = { cnt, st };
		int i;
		for (i = 0; i < 2; i++) {
			sqlite3_bind_int64(both[i], 1, node);
			sqlite3_bind_int64(both[i], 2, coder);
			sqlite3_bind_int(both[i], 3, o->auto_only);
			sqlite3_bind_int(both[i], 4, o->all);
			bind_text(both[i], 5, o->reviewer);
		}
	}
	if ((step = step_row(h, cnt, "count the codings to review")) > 0)
		total = sqlite3_column_int(cnt, 0);
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	while ((step = step_row(h, st, "read the codings to review")) > 0) {
		struct qda_review_item it;
		long long doc = sqlite3_column_int64(st, 18);
		char *before = NULL, *after = NULL;
		int stop;
		it.coding_id = sqlite3_column_int64(st, 0);
		it.doc = (const char *)sqlite3_column_text(st, 1);
		it.case_name = (const char *)sqlite3_column_text(st, 2);
		it.speaker = (const char *)sqlite3_column_text(st, 3);
		it.code = (const char *)sqlite3_column_text(st, 4);
		it.code_name = (const char *)sqlite3_column_text(st, 5);
		it.definition = (const char *)sqlite3_column_text(st, 6);
		it.include = (const char *)sqlite3_column_text(st, 7);
		it.exclude = (const char *)sqlite3_column_text(st, 8);
		it.coder = (const char *)sqlite3_column_text(st, 9);
		it.method = (const char *)sqlite3_column_text(st, 10);
		it.rule = (const char *)sqlite3_column_text(st, 11);
		it.state = (const char *)sqlite3_column_text(st, 12);
		it.text = (const char *)sqlite3_column_text(st, 13);
		it.line_first = sqlite3_column_int(st, 14);
		it.line_last = sqlite3_column_int(st, 15);
		it.start = sqlite3_column_int(st, 16);
		it.end = sqlite3_column_int(st, 17);
		it.index = ++index;
		it.total = total;
		rc = lines_around(h, ctxst, doc, it.line_first - o->context, it.line_first - 1, &before);
		if (rc == QDA_OK)
			rc = lines_around(h, ctxst, doc, it.line_last + 1, it.line_last + o->context, &after);
		if (rc != QDA_OK) {
			free(before);
			free(after);
			goto out;
		}
		it.before = before;
		it.after = after;
		stop = fn(ctx, &it);
		free(before);
		free(after);
		if (stop)
			break;
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	buf_free(&q);
	sqlite3_finalize(cnt);
	sqlite3_finalize(st);
	sqlite3_finalize(ctxst);
	return rc;
}

static enum qda_status reviewer_id(struct qda *h, const char *name, long long *id)
{
	if (!name || !*name)
		return seterr(h, QDA_EINVAL, "no reviewer: say who is reviewing with --reviewer NAME, --coder NAME or $QDA_CODER");
	return coder_ensure(h, name, id);
}

static const char *state_after(const char *verdict)
{
	if (strcmp(verdict, "accept") == 0)
		return "accepted";
	if (strcmp(verdict, "dispute") == 0 || strcmp(verdict, "suggest") == 0)
		return "disputed";
	return NULL;
}

/* Writing verdicts: the statements prepared once, bound per verdict (a
 * review sheet is hundreds of thousands of rows). */
struct review_writer {
	struct qda *h;
	sqlite3_stmt *coding, *last, *ins, *state;
};

static void review_writer_close(struct review_writer *w)
{
	sqlite3_finalize(w->coding);
	sqlite3_finalize(w->last);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->state);
	memset(w, 0, sizeof *w);
}

static enum qda_status review_writer_open(struct qda *h, struct review_writer *w)
{
	memset(w, 0, sizeof *w);
	w->h = h;
	if (!(w->coding = prep(h, "SELECT 1 FROM coding WHERE id = ?")) ||
	    !(w->last = prep(h, "SELECT verdict = ?2 AND coalesce(comment, '') = coalesce(?3, '') AND coalesce(suggested_id, 0) = ?4"
	                        " FROM review WHERE coding_id = ?1 AND reviewer_id = ?5 AND verdict != 'revise' ORDER BY id DESC LIMIT 1")) ||
	    !(w->ins = prep(h, "INSERT INTO review(coding_id, reviewer_id, verdict, comment, suggested_id, guid)"
	                       " VALUES (?, ?, ?, ?, ?, ?)")) ||
	    !(w->state = prep(h, "UPDATE coding_all SET state = ? WHERE id = ?"))) {
		review_writer_close(w);
		return QDA_EDB;
	}
	return QDA_OK;
}

/* Does coding id exist (and is in force)? 1, 0, or -1 after an error. */
static int review_writer_has(struct review_writer *w, long long coding_id)
{
	int r;
	sqlite3_reset(w->coding);
	sqlite3_bind_int64(w->coding, 1, coding_id);
	r = step_row(w->h, w->coding, "find coding");
	sqlite3_reset(w->coding);
	return r;
}

/* Record reviewer rid's verdict on coding_id, the verdict checked by the
 * caller, and the coding too when known (found 1); *added 0 when it is the
 * same as the reviewer's last one there. */
static enum qda_status review_write(struct review_writer *w, long long coding_id, int found, long long rid,
                                    const char *verdict, const char *comment, long long sid, int *added)
{
	struct qda *h = w->h;
	enum qda_status rc = QDA_OK;
	const char *state;
	char guid[GUID_SIZE];
	int r, same = 0;

	*added = 0;
	if (!found && (r = review_writer_has(w, coding_id)) <= 0)
		return r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no coding %lld; 'qda codings' lists them", coding_id);
	/* The same verdict as this reviewer's last one on the coding: nothing new. */
	sqlite3_reset(w->last);
	sqlite3_bind_int64(w->last, 1, coding_id);
	bind_text(w->last, 2, verdict);
	bind_text(w->last, 3, comment && *comment ? comment : NULL);
	sqlite3_bind_int64(w->last, 4, sid);
	sqlite3_bind_int64(w->last, 5, rid);
	if ((r = step_row(h, w->last, "read the last verdict")) > 0)
		same = sqlite3_column_int(w->last, 0);
	sqlite3_reset(w->last);
	if (r < 0)
		return QDA_EDB;
	if (same)
		return QDA_OK;
	sqlite3_reset(w->ins);
	sqlite3_bind_int64(w->ins, 1, coding_id);
	sqlite3_bind_int64(w->ins, 2, rid);
	bind_text(w->ins, 3, verdict);
	bind_text(w->ins, 4, comment && *comment ? comment : NULL);
	if (sid)
		sqlite3_bind_int64(w->ins, 5, sid);
	else
		sqlite3_bind_null(w->ins, 5);
	guid_new(h, guid);
	sqlite3_bind_text(w->ins, 6, guid, -1, SQLITE_STATIC);
	rc = step_done(h, w->ins);
	sqlite3_reset(w->ins);
	if (rc != QDA_OK)
		return rc;
	if ((state = state_after(verdict))) {
		sqlite3_reset(w->state);
		bind_text(w->state, 1, state);
		sqlite3_bind_int64(w->state, 2, coding_id);
		rc = step_done(h, w->state);
		sqlite3_reset(w->state);
	}
	*added = rc == QDA_OK;
	return rc;
}

enum qda_status qda_review_add(struct qda *h, long long coding_id, const char *reviewer, const char *verdict,
                               const char *comment, const char *suggested, int *added)
{
	struct review_writer w;
	long long rid, sid = 0;
	enum qda_status rc;

	*added = 0;
	if (strcmp(verdict, "accept") && strcmp(verdict, "dispute") && strcmp(verdict, "comment") &&
	    strcmp(verdict, "suggest"))
		return seterr(h, QDA_EINPUT, "verdict '%s' is not one of accept, dispute, suggest, comment", verdict);
	if (!strcmp(verdict, "suggest") && (!suggested || !*suggested))
		return seterr(h, QDA_EINPUT, "a suggestion needs the code suggested instead");
	if (!strcmp(verdict, "comment") && (!comment || !*comment))
		return seterr(h, QDA_EINPUT, "a comment needs its text");
	if ((rc = reviewer_id(h, reviewer, &rid)) != QDA_OK)
		return rc;
	if (suggested && *suggested && (rc = node_find(h, suggested, &sid)) != QDA_OK)
		return rc;
	if ((rc = review_writer_open(h, &w)) != QDA_OK)
		return rc;
	rc = review_write(&w, coding_id, 0, rid, verdict, comment, sid, added);
	review_writer_close(&w);
	return rc;
}

enum qda_status qda_review_apply(struct qda *h, long long coding_id, const char *by, char *applied, size_t n,
                                 long long *revision)
{
	sqlite3_stmt *st;
	long long sid = 0, prev = 0, rid, same = 0, author = 0;
	enum qda_status rc;
	int r;

	*revision = 0;
	if ((rc = reviewer_id(h, by, &rid)) != QDA_OK)
		return rc;
	st = prep(h, "SELECT r.suggested_id, c.node_id, s.key, r.reviewer_id FROM review r JOIN coding c ON c.id = r.coding_id"
	             " JOIN node s ON s.id = r.suggested_id WHERE r.coding_id = ? AND r.verdict = 'suggest'"
	             " ORDER BY r.id DESC LIMIT 1");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	if ((r = step_row(h, st, "find the suggestion")) > 0) {
		sid = sqlite3_column_int64(st, 0);
		prev = sqlite3_column_int64(st, 1);
		snprintf(applied, n, "%s", (const char *)sqlite3_column_text(st, 2));
		author = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (!sid)
		return seterr(h, QDA_EINPUT, "coding %lld has no suggested code to apply; see 'qda review status'", coding_id);
	if (sid == prev)
		return seterr(h, QDA_EINPUT, "coding %lld already has the suggested code '%s'", coding_id, applied);
	if (!(st = prep(h, "SELECT count(*) FROM coding c JOIN coding o ON o.doc_id = c.doc_id AND o.coder_id = c.coder_id"
	                   " AND o.start = c.start AND o.end = c.end WHERE c.id = ?1 AND o.node_id = ?2")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	sqlite3_bind_int64(st, 2, sid);
	if ((r = step_row(h, st, "check the revision")) > 0)
		same = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (same)
		return seterr(h, QDA_EINPUT, "coding %lld cannot take '%s': the same coder already has it on the same span; "
		                             "remove one with 'qda uncode'", coding_id, applied);
	/* The revision is a coding of its own: the passage stays the coder's
	 * (coder_id), the change is the suggesting reviewer's (revised_by), and
	 * who applied it is the 'revise' review's reviewer; the original is
	 * kept, removed as revised, so agreement on the coders' own work is the
	 * same before and after a review. */
	if ((rc = coding_remove(h, coding_id, rid, "revised")) != QDA_OK)
		return rc;
	st = prep(h, "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last, method, rule,"
	             " memo, state, log_id, revision_of, revised_by)"
	             " SELECT doc_id, ?2, coder_id, start, end, line_first, line_last, method, rule, memo, 'revised', ?3,"
	             " id, ?4 FROM coding_all WHERE id = ?1 RETURNING id");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	sqlite3_bind_int64(st, 2, sid);
	sqlite3_bind_int64(st, 3, tx_log_id(h));
	sqlite3_bind_int64(st, 4, author);
	if ((r = step_row(h, st, "write the revision")) > 0)
		*revision = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r <= 0)
		return r < 0 ? QDA_EDB : dberr(h, "write the revision");
	/* the report's choice of quote follows the passage */
	st = prep(h, "UPDATE exemplar SET coding_id = ? WHERE coding_id = ?");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, *revision);
	sqlite3_bind_int64(st, 2, coding_id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	if (rc != QDA_OK)
		return rc;
	st = prep(h, "INSERT INTO review(coding_id, reviewer_id, verdict, previous_id, suggested_id) VALUES (?, ?, 'revise', ?, ?)");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	sqlite3_bind_int64(st, 2, rid);
	sqlite3_bind_int64(st, 3, prev);
	sqlite3_bind_int64(st, 4, sid);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

/* ---- review sheets ---- */

struct sheet_row {
	long line;
	long long id, suggested_id; /* the suggested code's, once checked */
	char *verdict, *comment, *suggested;
};

struct sheet {
	struct qda *h;
	const char *path;
	int col_id, col_verdict, col_comment, col_suggested;
	struct sheet_row *rows;
	size_t n, cap;
	long bad;
	int nomem;
};

static char *trimmed(const char *s)
{
	size_t a = 0, b = strlen(s);
	while (s[a] == ' ' || s[a] == '\t')
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	return strndup(s + a, b - a);
}

static void sheet_header(struct sheet *sh, const struct csv_record *rec)
{
	char *loc;
	size_t i;
	sh->col_id = sh->col_verdict = sh->col_comment = sh->col_suggested = -1;
	for (i = 0; i < rec->n; i++) {
		char *f = trimmed(rec->f[i].s);
		if (!f) {
			sh->nomem = 1;
			return;
		}
		if (!strcmp(f, "id"))
			sh->col_id = (int)i;
		else if (!strcmp(f, "verdict"))
			sh->col_verdict = (int)i;
		else if (!strcmp(f, "comment"))
			sh->col_comment = (int)i;
		else if (!strcmp(f, "suggested_code"))
			sh->col_suggested = (int)i;
		free(f);
	}
	if (sh->col_id < 0 || sh->col_verdict < 0) {
		if (!(loc = loc_at(sh->path, (size_t)rec->line, 0))) {
			sh->nomem = 1;
			return;
		}
		warnf(sh->h, loc, "the header needs the columns id and verdict (as 'qda review export' writes them)");
		free(loc);
		sh->bad++;
	}
}

/* The cell of column col, trimmed and malloc'd ("" when the row has none). */
/* Most of a sheet's cells are empty (rows left without a verdict): they
 * share this one, which is never freed. */
static char empty_cell[1];

static char *cell(const struct csv_record *rec, int col)
{
	const char *s = col >= 0 && (size_t)col < rec->n ? rec->f[col].s : "";
	char *c;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return empty_cell;
	c = trimmed(s);
	csv_unneutralise(c);
	return c;
}

static void cell_free(char *c)
{
	if (c != empty_cell)
		free(c);
}

static void sheet_record(struct sheet *sh, const struct csv_record *rec)
{
	struct sheet_row r = { 0 };
	char *loc = NULL, *end;
	const char *id;

	if (sh->col_id < 0 || sh->col_verdict < 0)
		return;
	r.line = rec->line;
	if ((size_t)sh->col_id >= rec->n || (size_t)sh->col_verdict >= rec->n) {
		if (!(loc = loc_at(sh->path, (size_t)rec->line, 0)))
			goto nomem;
		warnf(sh->h, loc, "%zu fields; the id or verdict column is missing", rec->n);
		sh->bad++;
		goto out;
	}
	id = rec->f[sh->col_id].s;
	r.id = strtoll(id, &end, 10);
	if (end == id || *end || r.id <= 0) {
		if (!(loc = loc_at(sh->path, (size_t)rec->line, 0)))
			goto nomem;
		warnf(sh->h, loc, "id '%s' is not a coding id", id);
		sh->bad++;
		goto out;
	}
	r.verdict = cell(rec, sh->col_verdict);
	r.comment = cell(rec, sh->col_comment);
	r.suggested = cell(rec, sh->col_suggested);
	if (!r.verdict || !r.comment || !r.suggested)
		goto nomem;
	for (end = r.verdict; *end; end++)
		if (*end >= 'A' && *end <= 'Z')
			*end = (char)(*end - 'A' + 'a');
	if (sh->n == sh->cap) {
		size_t cap = sh->cap ? sh->cap * 2 : 64;
		struct sheet_row *v = realloc(sh->rows, cap * sizeof *v);
		if (!v)
			goto nomem;
		sh->rows = v;
		sh->cap = cap;
	}
	sh->rows[sh->n++] = r;
	goto out;
nomem:
	sh->nomem = 1;
	cell_free(r.verdict);
	cell_free(r.comment);
	cell_free(r.suggested);
out:
	free(loc);
}

/* Read the whole sheet into sh->rows; rows with more fields than the header
 * are bad rows, reported and counted; malformed CSV is an error. */
static enum qda_status sheet_read(struct sheet *sh, char delimiter)
{
	struct csv_reader *r;
	struct csv_record rec;
	enum qda_status rc;
	int header = 1;

	if ((rc = csv_open(sh->h, sh->path, delimiter, &r)) != QDA_OK)
		return rc;
	while (!sh->nomem) {
		rc = csv_next(r, &rec);
		if (rc == QDA_EINPUT && rec.wide) {
			warnf(sh->h, qda_errloc(sh->h), "%s", qda_errmsg(sh->h));
			sh->bad++;
			continue;
		}
		if (rc != QDA_OK || !rec.n)
			break;
		if (header)
			sheet_header(sh, &rec);
		else
			sheet_record(sh, &rec);
		header = 0;
	}
	csv_close(r);
	if (rc == QDA_OK && sh->nomem)
		rc = seterr(sh->h, QDA_ENOMEM, "out of memory");
	if (rc == QDA_OK && header)
		rc = seterr_at(sh->h, QDA_EINPUT, sh->path, "the sheet is empty; make one with 'qda review export'");
	return rc;
}

/* Accepted spellings, so a reviewer can type what reads naturally. */
static const char *verdict_word(const char *v)
{
	static const char *const map[][2] = {
		{ "accept", "accept" }, { "accepted", "accept" }, { "ok", "accept" }, { "yes", "accept" },
		{ "dispute", "dispute" }, { "disputed", "dispute" }, { "no", "dispute" },
		{ "suggest", "suggest" }, { "comment", "comment" },
	};
	size_t i;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(v, map[i][0]))
			return map[i][1];
	return NULL;
}

/* A warning at a sheet's row (its location made only then: most rows
 * have none). */
static void row_warn(struct qda *h, const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void row_warn(struct qda *h, const char *path, long line, const char *fmt, ...)
{
	char *loc = loc_at(path, (size_t)line, 0), *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	warnf(h, loc ? loc : path, "%s", msg ? msg : fmt);
	free(msg);
	free(loc);
}

enum qda_status qda_review_import_csv(struct qda *h, const char *path, char delimiter, const char *reviewer,
                                      struct qda_review_import *rep)
{
	struct sheet sh = { 0 };
	struct review_writer w = { 0 };
	size_t i;
	enum qda_status rc;
	long long rid = 0;

	memset(rep, 0, sizeof *rep);
	sh.h = h;
	sh.path = path;
	if ((rc = sheet_read(&sh, delimiter)) != QDA_OK)
		goto out;
	/* Check every row before writing anything. */
	if ((rc = review_writer_open(h, &w)) != QDA_OK)
		goto out;
	for (i = 0; i < sh.n; i++) {
		struct sheet_row *r = &sh.rows[i];
		const char *v = verdict_word(r->verdict);
		int found;
		rep->rows++;
		found = review_writer_has(&w, r->id);
		if (found < 0) {
			rc = QDA_EDB;
		} else if (!found) {
			row_warn(h, path, r->line, "no coding %lld in this project", r->id);
			sh.bad++;
		} else if (!*r->verdict) {
			if (*r->comment || *r->suggested) {
				row_warn(h, path, r->line, "a comment or suggested code without a verdict; write accept, dispute, suggest or comment");
				sh.bad++;
			}
		} else if (!v) {
			row_warn(h, path, r->line, "verdict '%s' is not one of accept, dispute, suggest, comment", r->verdict);
			sh.bad++;
		} else if (!strcmp(v, "suggest") && !*r->suggested) {
			row_warn(h, path, r->line, "verdict suggest needs a code in suggested_code");
			sh.bad++;
		} else if (*r->suggested && (rc = node_find(h, r->suggested, &r->suggested_id)) != QDA_OK) {
			/* an unknown code is the row's error; a failed read is the import's */
			if (rc == QDA_ENOTFOUND) {
				row_warn(h, path, r->line, "%s", qda_errmsg(h));
				sh.bad++;
				rc = QDA_OK;
			}
		} else if (!strcmp(v, "comment") && !*r->comment) {
			row_warn(h, path, r->line, "verdict comment needs the comment");
			sh.bad++;
		}
		if (rc != QDA_OK)
			goto out;
	}
	if (sh.bad) {
		rc = seterr_at(h, QDA_EINPUT, path, "%ld bad row%s; nothing was recorded: correct the sheet and import it again",
		               sh.bad, sh.bad == 1 ? "" : "s");
		goto out;
	}
	for (i = 0; i < sh.n && rc == QDA_OK; i++) {
		struct sheet_row *r = &sh.rows[i];
		const char *v;
		int added = 0;
		if (!*r->verdict) {
			rep->blank++;
			continue;
		}
		v = verdict_word(r->verdict);
		/* a suggested code with an accept or dispute is kept as a suggestion */
		if (*r->suggested && strcmp(v, "comment"))
			v = "suggest";
		/* the reviewer is needed (and created) at the first verdict */
		if (!rid && (rc = reviewer_id(h, reviewer, &rid)) != QDA_OK)
			break;
		/* every coding was found by the check, in this transaction */
		rc = review_write(&w, r->id, 1, rid, v, r->comment, *r->suggested ? r->suggested_id : 0, &added);
		if (added)
			rep->added++;
		else
			rep->unchanged++;
	}
out:
	review_writer_close(&w);
	for (i = 0; i < sh.n; i++) {
		cell_free(sh.rows[i].verdict);
		cell_free(sh.rows[i].comment);
		cell_free(sh.rows[i].suggested);
	}
	free(sh.rows);
	return rc;
}

enum qda_status qda_review_counts(struct qda *h, qda_review_count_fn fn, void *ctx)
{
	/* The theme of a coding: its node's top ancestor. Reviewer: each reviewer
	 * who reviewed codings of the theme, plus "" for the codings' states. */
	sqlite3_stmt *st = prep(h,
		"WITH RECURSIVE up(id, top) AS (SELECT id, id FROM node WHERE parent_id IS NULL"
		"  UNION ALL SELECT node.id, up.top FROM node JOIN up ON node.parent_id = up.id),"
		" c AS (SELECT coding.id, coding.state, up.top FROM coding JOIN up ON up.id = coding.node_id),"
		/* a reviewer's verdicts count whether or not the coding was removed since */
		" a AS (SELECT coding_all.id, up.top FROM coding_all JOIN up ON up.id = coding_all.node_id)"
		" SELECT t.key, '', sum(c.state = 'proposed'), sum(c.state = 'accepted'), sum(c.state = 'disputed'),"
		"        sum(c.state = 'revised'), 0, t.position AS p, 0 AS k"
		" FROM c JOIN node t ON t.id = c.top GROUP BY t.id"
		" UNION ALL"
		" SELECT t.key, rv.name, 0, sum(r.verdict = 'accept'), sum(r.verdict IN ('dispute', 'suggest')),"
		"        sum(r.verdict = 'revise'), count(*), t.position, 1"
		" FROM review r JOIN coder rv ON rv.id = r.reviewer_id JOIN a ON a.id = r.coding_id JOIN node t ON t.id = a.top"
		" GROUP BY t.id, rv.id ORDER BY 8, 1, 9, 2");
	int step;
	if (!st)
		return QDA_EDB;
	while ((step = step_row(h, st, "count reviews")) > 0) {
		struct qda_review_count r;
		r.theme = (const char *)sqlite3_column_text(st, 0);
		r.reviewer = (const char *)sqlite3_column_text(st, 1);
		r.proposed = sqlite3_column_int(st, 2);
		r.accepted = sqlite3_column_int(st, 3);
		r.disputed = sqlite3_column_int(st, 4);
		r.revised = sqlite3_column_int(st, 5);
		r.reviews = sqlite3_column_int(st, 6);
		if (fn(ctx, &r))
			break;
	}
	sqlite3_finalize(st);
	return step < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status qda_review_disputes(struct qda *h, qda_review_dispute_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(h,
		"SELECT c.id, d.name, n.key, k.name, rv.name, coalesce(r.comment, ''), coalesce(s.key, ''),"
		" substr(d.text, c.start + 1, c.end - c.start), r.created, c.line_first, c.line_last,"
		" CASE WHEN c.removed_at IS NULL THEN '' ELSE c.removed_at || ' by '"
		"   || coalesce((SELECT name FROM coder WHERE id = c.removed_by), '?') || ' (' || c.removed_why || ')' END"
		/* a disputed coding removed since keeps its dispute, marked removed */
		" FROM coding_all c JOIN document_all d ON d.id = c.doc_id JOIN node n ON n.id = c.node_id"
		" JOIN coder k ON k.id = c.coder_id"
		" JOIN review r ON r.id = (SELECT max(id) FROM review WHERE coding_id = c.id AND verdict IN ('dispute', 'suggest'))"
		" JOIN coder rv ON rv.id = r.reviewer_id LEFT JOIN node s ON s.id = r.suggested_id"
		" WHERE c.state = 'disputed' ORDER BY d.name, c.start");
	int step;
	if (!st)
		return QDA_EDB;
	while ((step = step_row(h, st, "list disputes")) > 0) {
		struct qda_review_dispute r;
		r.coding_id = sqlite3_column_int64(st, 0);
		r.doc = (const char *)sqlite3_column_text(st, 1);
		r.code = (const char *)sqlite3_column_text(st, 2);
		r.coder = (const char *)sqlite3_column_text(st, 3);
		r.reviewer = (const char *)sqlite3_column_text(st, 4);
		r.comment = (const char *)sqlite3_column_text(st, 5);
		r.suggested = (const char *)sqlite3_column_text(st, 6);
		r.text = (const char *)sqlite3_column_text(st, 7);
		r.when = (const char *)sqlite3_column_text(st, 8);
		r.line_first = sqlite3_column_int(st, 9);
		r.line_last = sqlite3_column_int(st, 10);
		r.removed = (const char *)sqlite3_column_text(st, 11);
		if (fn(ctx, &r))
			break;
	}
	sqlite3_finalize(st);
	return step < 0 ? QDA_EDB : QDA_OK;
}
