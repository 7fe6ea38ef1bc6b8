/* web_write.c — the writes of qda serve's API: code a span, remove one's own
 * coding, a memo on a coding, a review verdict. Each is one short
 * transaction through the core call the matching command makes, logged as
 * that command's line, and refused (409) when the page acted on an older
 * version of what it changes. */
#include <stdlib.h>
#include <string.h>

#include "web.h"

/* A change from the browser: begin, with the CLI's command line in the log. */
static int begin(struct web_req *r, const char *const *argv, size_t n)
{
	char *cmd = web_cmdline(argv, n);
	enum qda_status st = qda_begin(r->cli.h, cmd);
	free(cmd);
	if (st != QDA_OK)
		return web_fail(r, st), 1;
	return 0;
}

static int commit(struct web_req *r, const char *summary)
{
	enum qda_status st = qda_commit(r->cli.h, summary);
	if (st != QDA_OK)
		return web_fail(r, st), 1;
	return 0;
}

static int fail_rollback(struct web_req *r, enum qda_status st)
{
	web_fail(r, st);
	qda_rollback(r->cli.h);
	return 1;
}

/* The stale-page rule: version is what the page saw; 0 when the coding is
 * as it was, else the 409 reply sent. The coder's name in owner. */
static int coding_unchanged(struct web_req *r, long long id, const char *version, char *owner, size_t n)
{
	char now[VERSION_MAX];
	enum qda_status st = qda_coding_version(r->cli.h, id, now, sizeof now, owner, n);
	if (st != QDA_OK)
		return web_fail(r, st), 1;
	if (!version || !*version)
		return web_error(r, 400, "give the coding's version (the 'version' of the coding the page shows)"), 1;
	if (strcmp(now, version) != 0)
		return web_error(r, 409,
		                 "coding %lld has changed since this page was loaded (another person removed, reviewed or "
		                 "revised it); reload the page and try again",
		                 id),
		       1;
	return 0;
}

/* ---- POST /api/codings: doc, start, end (code points), code [new, under],
 * memo, version (the document's, as the page loaded it) ---- */

int web_code(struct web_req *r)
{
	static const struct col cols[] = { { "id", COL_INT },     { "document", COL_STR }, { "start", COL_INT },
		                           { "end", COL_INT },    { "lines", COL_STR },    { "code", COL_STR },
		                           { "created", COL_STR }, { "node_created", COL_STR }, { "text", COL_STR } };
	const char *doc = web_param(r, "doc"), *code = web_param(r, "code"), *under = web_param(r, "under");
	const char *memo = web_param(r, "memo"), *version = web_param(r, "version");
	struct qda_code_opts co = { 0 };
	struct qda_code_result res = { 0 };
	struct qda_span sp = { 0 };
	struct qda_doc_text dt = { 0 };
	enum qda_status st;
	long start, end;
	char chars[64], *summary, idb[24], sb[24], eb[24], lines[64], *text;
	const char *argv[8];
	size_t n = 0, a, b;
	struct out *o;

	if (!doc || !code || !*code)
		return web_error(r, 400, "give doc, start, end and code");
	if (web_long(web_param(r, "start"), &start) || web_long(web_param(r, "end"), &end) || start < 0 ||
	    end <= start)
		return web_error(r, 400, "start and end are code points with 0 <= start < end (the end excluded)");
	if (!version || !*version)
		return web_error(r, 400, "give the document's version (the one the page loaded)");
	co.create = web_flag(r, "new");
	co.under = under && *under ? under : NULL;
	co.memo = memo && *memo ? memo : NULL;
	if (co.under && !co.create)
		return web_error(r, 400, "under goes with new=1");
	if (co.memo && qda_text_check_input(r->cli.h, "the memo", co.memo) != QDA_OK)
		return web_fail(r, QDA_EINPUT);
	if (qda_text_check_input(r->cli.h, "the code", code) != QDA_OK)
		return web_fail(r, QDA_EINPUT);
	snprintf(chars, sizeof chars, "%ld-%ld", start, end);
	argv[n++] = "code";
	argv[n++] = doc;
	argv[n++] = "--chars";
	argv[n++] = chars;
	argv[n++] = code;
	if (co.create) {
		argv[n++] = "--new";
		argv[n++] = "--under";
		argv[n++] = co.under ? co.under : "";
	}
	if (begin(r, argv, n))
		return 0;
	/* positions are the text's: a document changed since (pseudonymised)
	 * would put them on other words */
	if ((st = qda_doc_text(r->cli.h, doc, &dt)) != QDA_OK)
		return fail_rollback(r, st);
	if (strcmp(dt.hash, version) != 0) {
		qda_doc_text_free(&dt);
		qda_rollback(r->cli.h);
		return web_error(r, 409, "the document %s has changed since this page was loaded; reload the page and "
		                 "select the passage again", doc);
	}
	if ((st = qda_span_units(r->cli.h, doc, QDA_UNIT_CHAR, start, end, &sp)) != QDA_OK ||
	    (st = qda_code_span(r->cli.h, &sp, code, &co, &res)) != QDA_OK) {
		qda_span_free(&sp);
		qda_doc_text_free(&dt);
		return fail_rollback(r, st);
	}
	summary = xasprintf("coded %s lines %ld-%ld [%ld, %ld): %d coding%s added%s%lld%s", sp.doc, sp.line_first,
	                    sp.line_last, sp.start, sp.end, res.created, res.created == 1 ? "" : "s",
	                    res.created ? " (" : " (already: ", res.coding_id, ")");
	if (commit(r, summary)) {
		free(summary);
		qda_span_free(&sp);
		qda_code_result_free(&res);
		qda_doc_text_free(&dt);
		return 0;
	}
	free(summary);
	a = qda_text_cp_to_byte(dt.text, dt.len, (size_t)sp.start);
	b = qda_text_cp_to_byte(dt.text, dt.len, (size_t)sp.end);
	text = xasprintf("%.*s", (int)(b - a), dt.text + a);
	snprintf(lines, sizeof lines, "%ld-%ld", sp.line_first, sp.line_last);
	{
		const char *v[9] = { web_num(idb, res.coding_id), sp.doc, web_num(sb, sp.start), web_num(eb, sp.end), lines, res.code,
			             res.created ? "yes" : "no", res.node_created ? "yes" : "no", text };
		r->status = res.created ? 201 : 200;
		o = web_json(r);
		out_begin(o, cols, 9);
		out_row(o, v);
		out_end(o);
		web_json_done(r, o);
	}
	free(text);
	qda_span_free(&sp);
	qda_code_result_free(&res);
	qda_doc_text_free(&dt);
	return 0;
}

/* ---- DELETE /api/codings?id=N&version=V: one's own coding ---- */

int web_uncode(struct web_req *r)
{
	static const struct col cols[] = { { "id", COL_INT }, { "removed", COL_INT } };
	const char *version = web_param(r, "version");
	char owner[256], ids[24], *summary, nb[24];
	long id;
	long long lid;
	long removed = 0;
	enum qda_status st;
	const char *argv[2];
	struct out *o;

	if (web_long(web_param(r, "id"), &id) || id <= 0)
		return web_error(r, 400, "which coding? give id=N");
	lid = id;
	web_num(ids, lid);
	argv[0] = "uncode";
	argv[1] = ids;
	if (begin(r, argv, 2))
		return 0;
	if (coding_unchanged(r, lid, version, owner, sizeof owner)) {
		qda_rollback(r->cli.h);
		return 0;
	}
	if (strcmp(owner, r->sess.user) != 0) {
		qda_rollback(r->cli.h);
		return web_error(r, 403, "coding %ld is %s's: only its coder removes it from the browser ('qda uncode %ld "
		                 "--force' at the command line, logged with both names)", id, owner, id);
	}
	if ((st = qda_uncode(r->cli.h, &lid, 1, 0, NULL, NULL, &removed)) != QDA_OK)
		return fail_rollback(r, st);
	summary = xasprintf("removed %ld coding%s (%ld)", removed, removed == 1 ? "" : "s", id);
	st = commit(r, summary);
	free(summary);
	if (st)
		return 0;
	o = web_json(r);
	{
		const char *v[2] = { ids, web_num(nb, removed) };
		out_begin(o, cols, 2);
		out_row(o, v);
		out_end(o);
	}
	web_json_done(r, o);
	return 0;
}

/* POST /api/memos: coding, version, text */
int web_memo_add(struct web_req *r)
{
	const char *text = web_param(r, "text"), *version = web_param(r, "version");
	char ids[24], owner[256], *summary;
	long id;
	long long memo = 0;
	enum qda_status st;
	const char *argv[5];
	struct out *o;

	if (web_long(web_param(r, "coding"), &id) || id <= 0)
		return web_error(r, 400, "which coding? give coding=N");
	if (!text || !*text)
		return web_error(r, 400, "the memo is empty; write its text");
	web_num(ids, id);
	argv[0] = "memo";
	argv[1] = "add";
	argv[2] = "--coding";
	argv[3] = ids;
	argv[4] = "(text)";
	if (begin(r, argv, 5))
		return 0;
	if (coding_unchanged(r, id, version, owner, sizeof owner)) {
		qda_rollback(r->cli.h);
		return 0;
	}
	if ((st = qda_memo_add(r->cli.h, "coding", ids, text, &memo)) != QDA_OK)
		return fail_rollback(r, st);
	summary = xasprintf("memo %lld on coding %s", memo, ids);
	st = commit(r, summary);
	free(summary);
	if (st)
		return 0;
	r->status = 201;
	o = web_json(r);
	out_begin(o, web_memo_cols, 6);
	st = qda_memo_show(r->cli.h, memo, web_memo_row, o);
	out_end(o);
	web_json_done(r, o);
	return st != QDA_OK ? web_fail(r, st) : 0;
}

/* POST /api/review: coding, version, verdict (accept, dispute, suggest,
 * comment), comment, suggested (a code id, with suggest) */
int web_review(struct web_req *r)
{
	static const struct col cols[] = { { "coding", COL_INT }, { "verdict", COL_STR }, { "recorded", COL_STR },
		                           { "state", COL_STR },  { "version", COL_STR } };
	const char *verdict = web_param(r, "verdict"), *comment = web_param(r, "comment");
	const char *suggested = web_param(r, "suggested"), *version = web_param(r, "version");
	char ids[24], owner[256], *summary, now[VERSION_MAX], *state;
	const char *argv[8];
	long id;
	int added = 0;
	size_t n = 0;
	enum qda_status st;
	struct out *o;

	if (r->sess.role != QDA_ROLE_REVIEWER)
		return web_error(r, 403, "%s's account is a coder's; a reviewer's account records verdicts "
		                 "(qda user add NAME --role reviewer)", r->sess.user);
	if (web_long(web_param(r, "coding"), &id) || id <= 0)
		return web_error(r, 400, "which coding? give coding=N");
	if (!verdict || (strcmp(verdict, "accept") && strcmp(verdict, "dispute") && strcmp(verdict, "suggest") &&
	                 strcmp(verdict, "comment")))
		return web_error(r, 400, "verdict wants accept, dispute, suggest or comment");
	if (comment && !*comment)
		comment = NULL;
	if (suggested && !*suggested)
		suggested = NULL;
	if (!strcmp(verdict, "suggest") && !suggested)
		return web_error(r, 400, "suggest wants the code to suggest: suggested=ID");
	if (!strcmp(verdict, "comment") && !comment)
		return web_error(r, 400, "a comment needs its text");
	if (comment && qda_text_check_input(r->cli.h, "the comment", comment) != QDA_OK)
		return web_fail(r, QDA_EINPUT);
	web_num(ids, id);
	argv[n++] = "review";
	argv[n++] = verdict;
	argv[n++] = ids;
	if (suggested)
		argv[n++] = suggested;
	if (begin(r, argv, n))
		return 0;
	if (coding_unchanged(r, id, version, owner, sizeof owner)) {
		qda_rollback(r->cli.h);
		return 0;
	}
	if ((st = qda_review_add(r->cli.h, id, r->sess.user, verdict, comment, suggested, &added)) != QDA_OK)
		return fail_rollback(r, st);
	summary = xasprintf("review: coding %ld %s", id, verdict);
	st = commit(r, summary);
	free(summary);
	if (st)
		return 0;
	if ((st = qda_coding_version(r->cli.h, id, now, sizeof now, NULL, 0)) != QDA_OK)
		return web_fail(r, st);
	/* the state is the version's fourth field */
	state = xstrdup(now);
	{
		char *p = state, *dot;
		int k;
		for (k = 0; k < 3 && p; k++)
			p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL;
		if (p && (dot = strchr(p, '.')))
			*dot = '\0';
		r->status = added ? 201 : 200;
		o = web_json(r);
		{
			const char *v[5] = { ids, verdict, added ? "yes" : "no", p ? p : "", now };
			out_begin(o, cols, 5);
			out_row(o, v);
			out_end(o);
		}
		web_json_done(r, o);
	}
	free(state);
	return 0;
}

