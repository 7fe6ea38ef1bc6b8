/* test_read_errors.c — a read that fails part-way is an error, never a short
 * result: every reading function of core/ is run again and again with
 * SQLite interrupting it at its k-th virtual-machine step (a progress
 * handler, as a busy or I/O error mid-read would), for every k until the
 * function finishes untouched; each interrupted run must end in QDA_EDB
 * with SQLite's message, not QDA_OK with fewer rows. The writing functions
 * get the same treatment, in a transaction rolled back after each run; for
 * them an interruption SQLite absorbs itself (FTS5 reads its data version
 * through a statement of its own, and carries on when it is interrupted)
 * may end in QDA_OK, but then with everything written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "internal.h"

#define FIXTURE_NAME "read-errors"
#include "project_fixture.h"

/* The coding tests' documents and codebook with the autocode additions,
 * coded by alice and bob (overlapping, in two documents), one exemplar,
 * a memo. */
static struct qda *open_project(void)
{
	static const char *const more[] = { "tests/fixtures/coding/project.sql", "tests/fixtures/autocode/project.sql" };
	struct qda *h = fixture_project("tests/fixtures/coding/docs.sql");
	size_t i;
	for (i = 0; i < sizeof more / sizeof more[0]; i++) {
		char *sql = fixture_read(more[i]);
		assert_int_equal(exec(h, sql), QDA_OK);
		free(sql);
	}
	assert_int_equal(exec(h, "INSERT INTO coder(id, name) VALUES (1, 'alice'), (2, 'bob');"
	                         "INSERT INTO coding_all(id, doc_id, node_id, coder_id, start, end, line_first, line_last) VALUES"
	                         " (1, 1, 3, 1, 52, 100, 2, 2), (2, 1, 3, 2, 60, 143, 2, 3), (3, 1, 4, 1, 100, 143, 3, 3),"
	                         " (4, 1, 5, 2, 188, 252, 5, 5), (5, 2, 7, 1, 0, 20, 1, 1), (6, 2, 7, 2, 5, 30, 1, 1),"
	                         " (7, 3, 5, 1, 0, 20, 1, 1);"
	                         "INSERT INTO exemplar(coding_id) VALUES (2);"
	                         "INSERT INTO memo(target_kind, coder_id, text) VALUES ('journal', 1, 'day one');"),
	                 QDA_OK);
	qda_set_coder(h, "alice");
	return h;
}

/* open_project with what the review, memo, log and undo listings read:
 * bob disputes coding 1, alice suggests 'time' for bob's coding 2, bob
 * accepts coding 3; a memo on case P01 and one on coding 1; three commands
 * in the log, two of them alice's with their undo records. */
static struct qda *open_reviewed(void)
{
	struct qda *h = open_project();
	assert_int_equal(exec(h, "INSERT INTO review(coding_id, reviewer_id, verdict, comment, suggested_id) VALUES"
	                         " (1, 2, 'dispute', 'not trust yet', NULL), (2, 1, 'suggest', 'rather time', 4),"
	                         " (3, 2, 'accept', NULL, NULL);"
	                         "UPDATE coding_all SET state = 'disputed' WHERE id IN (1, 2);"
	                         "UPDATE coding_all SET state = 'accepted' WHERE id = 3;"
	                         "INSERT INTO memo(target_kind, case_id, coder_id, text) VALUES ('case', 1, 2, 'a case memo');"
	                         "INSERT INTO memo(target_kind, coding_id, coder_id, text) VALUES ('coding', 1, 1, 'why');"
	                         "INSERT INTO log(coder, command, summary) VALUES ('alice', 'qda code P01', 'coded P01'),"
	                         " ('bob', 'qda code P02', 'coded P02'), ('alice', 'qda memo add', 'memo 2');"
	                         "INSERT INTO undo(log_id, changeset) VALUES (1, NULL), (3, x'00');"),
	                 QDA_OK);
	return h;
}

/* The progress handler: interrupt at the at-th call, once. */
struct tick {
	long calls, at;
	int fired;
};

static int tick(void *ctx)
{
	struct tick *t = ctx;
	if (++t->calls != t->at)
		return 0;
	t->fired = 1;
	return 1;
}

/* What a write left in the project: the rows of the tables writers fill. */
static void written(struct qda *h, char *out, size_t n)
{
	sqlite3_stmt *st = prep(h, "SELECT (SELECT count(*) FROM document) || ' ' || (SELECT count(*) FROM line)"
	                           " || ' ' || (SELECT count(*) FROM line_fts) || ' ' || (SELECT count(*) FROM turn)"
	                           " || ' ' || (SELECT count(*) FROM speaker) || ' ' || (SELECT count(*) FROM cases)"
	                           " || ' ' || (SELECT group_concat(key || '=' || value) FROM attribute)"
	                           " || ' ' || (SELECT count(*) FROM node) || ' ' || (SELECT count(*) FROM coding)"
	                           " || ' ' || (SELECT count(*) FROM codebook_version)");
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* One run of fn with the progress handler t (NULL: none); when tx, in a
 * transaction rolled back after it, what it wrote in was. */
static enum qda_status run(struct qda *h, enum qda_status (*fn)(struct qda *h), int tx, struct tick *t, char *was,
                           size_t n)
{
	enum qda_status st;
	if (tx)
		assert_int_equal(qda_begin(h, "test"), QDA_OK);
	if (t)
		sqlite3_progress_handler(h->db, 1, tick, t);
	st = fn(h);
	sqlite3_progress_handler(h->db, 0, NULL, NULL);
	if (tx) {
		if (st == QDA_OK)
			written(h, was, n);
		qda_rollback(h);
	}
	return st;
}

/* Run fn with an interruption at every VM step in turn, until a run goes
 * through untouched (which must succeed). Returns the runs interrupted. */
static long sweep(struct qda *h, const char *name, enum qda_status (*fn)(struct qda *h), int tx)
{
	struct tick t;
	enum qda_status st;
	char whole[512] = "", was[512];
	long k;
	if ((st = run(h, fn, tx, NULL, whole, sizeof whole)) != QDA_OK)
		fail_msg("%s: %d (%s) without interruption", name, st, qda_errmsg(h));
	for (k = 1;; k++) {
		memset(&t, 0, sizeof t);
		t.at = k;
		st = run(h, fn, tx, &t, was, sizeof was);
		if (!t.fired) {
			if (st != QDA_OK)
				fail_msg("%s: %d (%s) without interruption", name, st, qda_errmsg(h));
			return k - 1;
		}
		if (tx && st == QDA_OK) {
			if (strcmp(was, whole))
				fail_msg("%s: interrupted at step %ld of %ld, returned QDA_OK having written %s instead of %s",
				         name, k, t.calls, was, whole);
			continue;
		}
		if (st != QDA_EDB)
			fail_msg("%s: interrupted at step %ld of %ld, returned %d (%s) instead of QDA_EDB", name, k, t.calls,
			         st, st == QDA_OK ? "a short result" : qda_errmsg(h));
		if (!strstr(qda_errmsg(h), "interrupt"))
			fail_msg("%s: interrupted at step %ld: message '%s' does not say so", name, k, qda_errmsg(h));
	}
}

static int any_doc(void *ctx, const struct qda_doc_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_line(void *ctx, const struct qda_line_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_speaker(void *ctx, const struct qda_speaker_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_case(void *ctx, const struct qda_case_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_hit(void *ctx, const struct qda_search_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_freq(void *ctx, const struct qda_freq_result *res, const struct qda_freq_row *r)
{
	(void)res;
	(void)r;
	++*(long *)ctx;
	return 0;
}
static int any_extract(void *ctx, const struct qda_extract *e) { (void)e; ++*(long *)ctx; return 0; }
static int any_agree(void *ctx, const struct qda_agree_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_alpha(void *ctx, const struct qda_alpha_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_disagreement(void *ctx, const struct qda_disagreement *d) { (void)d; ++*(long *)ctx; return 0; }
static int any_node(void *ctx, const struct qda_node_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_cb_node(void *ctx, const struct qda_cb_node *n) { (void)n; ++*(long *)ctx; return 0; }
static int any_exemplar(void *ctx, const struct qda_exemplar_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_change(void *ctx, const struct qda_cb_change *c) { (void)c; ++*(long *)ctx; return 0; }
static int any_version(void *ctx, const struct qda_cb_version *v) { (void)v; ++*(long *)ctx; return 0; }
static int any_auto(void *ctx, const struct qda_autocode_row *r) { (void)r; ++*(long *)ctx; return 0; }

static long rows;

static enum qda_status docs_list(struct qda *h) { return qda_docs_list(h, any_doc, &rows); }
static enum qda_status doc_lines(struct qda *h) { return qda_doc_lines(h, "P01", 0, 0, any_line, &rows); }
static enum qda_status doc_speakers(struct qda *h) { return qda_doc_speakers(h, "P01", any_speaker, &rows); }
static enum qda_status cases_list(struct qda *h) { return qda_cases_list(h, any_case, &rows); }

static enum qda_status case_keys(struct qda *h)
{
	char **keys = NULL;
	size_t n = 0;
	enum qda_status st = qda_case_keys(h, &keys, &n);
	qda_strv_free(keys, n);
	return st;
}

static enum qda_status search(struct qda *h)
{
	struct qda_search_opts o = { .query = "temps", .context = 1 };
	return qda_search(h, &o, any_hit, &rows);
}

static enum qda_status freq(struct qda *h)
{
	struct qda_freq_opts o = { .level = QDA_LEVEL_ALL, .by = "role", .words = 1 };
	return qda_freq(h, &o, any_freq, &rows);
}

static enum qda_status freq_where(struct qda *h)
{
	static const char *where[] = { "gender=female" };
	struct qda_freq_opts o = { .level = QDA_LEVEL_CODE, .filter = { .coder = "bob", .where = where, .n_where = 1 } };
	return qda_freq(h, &o, any_freq, &rows);
}

static enum qda_status retrieve(struct qda *h)
{
	struct qda_retrieve_opts o = { .context = 1 };
	return qda_retrieve(h, &o, any_extract, &rows);
}

static enum qda_status retrieve_and(struct qda *h)
{
	static const char *codes[] = { "relationship" }, *and_codes[] = { "time" }, *where[] = { "role=patient" };
	struct qda_retrieve_opts o = { .codes = codes, .n_codes = 1, .and_codes = and_codes, .n_and = 1,
	                               .filter = { .where = where, .n_where = 1, .coder = "alice" }, .context_turns = 1 };
	return qda_retrieve(h, &o, any_extract, &rows);
}

static enum qda_status cooccur(struct qda *h)
{
	static const enum qda_scope scopes[] = { QDA_SCOPE_OVERLAP, QDA_SCOPE_NEAR, QDA_SCOPE_TURN, QDA_SCOPE_DOC,
	                                         QDA_SCOPE_CASE };
	enum qda_status st = QDA_OK;
	size_t i;
	for (i = 0; st == QDA_OK && i < sizeof scopes / sizeof scopes[0]; i++) {
		struct qda_cooccur_opts o = { .level = QDA_LEVEL_CODE, .scope = scopes[i], .near = 50 };
		struct qda_cooccur *c = NULL;
		st = qda_cooccur(h, &o, &c);
		qda_cooccur_free(c);
	}
	return st;
}

static const char *coders[] = { "alice", "bob" };

static enum qda_status agree(struct qda *h)
{
	static const enum qda_agree_unit units[] = { QDA_AGREE_CHAR, QDA_AGREE_TURN, QDA_AGREE_DOC };
	enum qda_status st = QDA_OK;
	size_t i;
	for (i = 0; st == QDA_OK && i < 3; i++) {
		struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .unit = units[i] };
		struct qda_agree_summary sum;
		st = qda_agree(h, &o, any_agree, &rows, &sum);
	}
	return st;
}

static enum qda_status agree_alpha(struct qda *h)
{
	static const enum qda_agree_unit units[] = { QDA_AGREE_CHAR, QDA_AGREE_TURN, QDA_AGREE_DOC };
	enum qda_status st = QDA_OK;
	size_t i;
	for (i = 0; st == QDA_OK && i < 3; i++) {
		struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .unit = units[i] };
		struct qda_agree_summary sum;
		st = qda_agree_alpha(h, &o, any_alpha, &rows, &sum);
		if (st == QDA_OK) {
			o.domain = "relationship";
			st = qda_agree_alpha(h, &o, any_alpha, &rows, &sum);
		}
	}
	return st;
}

static enum qda_status agree_disagreements(struct qda *h)
{
	static const enum qda_agree_unit units[] = { QDA_AGREE_CHAR, QDA_AGREE_TURN, QDA_AGREE_DOC };
	enum qda_status st = QDA_OK;
	size_t i;
	for (i = 0; st == QDA_OK && i < 3; i++) {
		struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .unit = units[i] };
		struct qda_agree_summary sum;
		st = qda_agree_disagreements(h, &o, any_disagreement, &rows, &sum);
	}
	return st;
}

static enum qda_status nodes(struct qda *h) { return qda_nodes(h, any_node, &rows); }
static enum qda_status node_check(struct qda *h) { return qda_node_check(h, "listening"); }
static enum qda_status codebook_walk(struct qda *h)
{
	static const struct qda_filter all = { 0 };
	return qda_codebook_walk(h, &all, any_cb_node, &rows);
}
static enum qda_status codebook_orphans(struct qda *h) { return qda_codebook_orphans(h, any_cb_node, &rows); }

static enum qda_status codebook_export(struct qda *h)
{
	char *out = NULL;
	size_t len;
	enum qda_status st = qda_codebook_export_yaml(h, &out, &len);
	free(out);
	out = NULL;
	if (st == QDA_OK)
		st = qda_codebook_export_qdc(h, &out, &len);
	free(out);
	return st;
}

static enum qda_status report_facts(struct qda *h)
{
	struct qda_report_facts f;
	enum qda_status st = qda_report_facts(h, &f);
	if (st == QDA_OK)
		qda_report_facts_free(&f);
	return st;
}

static enum qda_status exemplars(struct qda *h) { return qda_exemplars(h, "relationship", 3, NULL, any_exemplar, &rows); }

static enum qda_status autocode_dry_run(struct qda *h)
{
	struct qda_autocode_opts o = { .keywords = 1, .dry_run = 1, .unit = QDA_AUTO_SENTENCE };
	return qda_autocode(h, &o, any_auto, NULL, &rows);
}

/* A call expected to fail as given (an unknown name, an ambiguous quote):
 * QDA_OK when it did, with a message holding want; its own status
 * otherwise (QDA_EDB when the read behind the message was interrupted). */
static enum qda_status expect(struct qda *h, enum qda_status st, enum qda_status want_st, const char *want)
{
	if (st == want_st && strstr(qda_errmsg(h), want))
		return QDA_OK;
	if (st == QDA_OK || st == want_st)
		fail_msg("expected %d with '%s', got %d: %s", want_st, want, st, qda_errmsg(h));
	return st;
}

static int any_margin(void *ctx, long line, const char *codes) { (void)line; (void)codes; ++*(long *)ctx; return 0; }
static int any_item(void *ctx, const struct qda_review_item *it) { (void)it; ++*(long *)ctx; return 0; }
static int any_count(void *ctx, const struct qda_review_count *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_dispute(void *ctx, const struct qda_review_dispute *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_memo(void *ctx, const struct qda_memo_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_undo(void *ctx, const struct qda_undo_row *r) { (void)r; ++*(long *)ctx; return 0; }
static int any_log(void *ctx, const struct qda_log_row *r) { (void)r; ++*(long *)ctx; return 0; }

static enum qda_status codes_by_line(struct qda *h)
{
	enum qda_status st = qda_codes_by_line(h, "P01", NULL, any_margin, &rows);
	if (st == QDA_OK)
		st = qda_codes_by_line(h, "P01", "bob", any_margin, &rows);
	if (st == QDA_OK)
		st = qda_codes_by_line(h, "P02", "carol", any_margin, &rows); /* no such coder yet: a warning */
	if (st == QDA_OK)
		st = expect(h, qda_codes_by_line(h, "P1", NULL, any_margin, &rows), QDA_ENOTFOUND, "did you mean 'P01'");
	return st;
}

static enum qda_status edit_render(struct qda *h)
{
	char *out = NULL;
	size_t len;
	enum qda_status st = qda_edit_render(h, "P01", &out, &len);
	free(out);
	return st;
}

static enum qda_status span_units(struct qda *h)
{
	struct qda_span sp = { 0 };
	enum qda_status st = qda_span_units(h, "P01", QDA_UNIT_LINE, 2, 3, &sp);
	qda_span_free(&sp);
	if (st == QDA_OK)
		st = qda_span_units(h, "P01", QDA_UNIT_TURN, 2, 4, &sp);
	qda_span_free(&sp);
	if (st == QDA_OK)
		st = qda_span_units(h, "P02", QDA_UNIT_CHAR, 5, 40, &sp);
	qda_span_free(&sp);
	if (st == QDA_OK)
		st = expect(h, qda_span_units(h, "P01", QDA_UNIT_LINE, 4, 9, &sp), QDA_EINPUT, "P01 has 5 lines");
	qda_span_free(&sp);
	if (st == QDA_OK)
		st = expect(h, qda_span_units(h, "P1", QDA_UNIT_LINE, 1, 1, &sp), QDA_ENOTFOUND, "did you mean 'P01'");
	qda_span_free(&sp);
	return st;
}

static enum qda_status span_quote(struct qda *h)
{
	struct qda_span sp = { 0 };
	enum qda_status st = qda_span_quote(h, "P01", "le temps de m’écouter, vraiment", &sp);
	qda_span_free(&sp);
	if (st == QDA_OK)
		st = expect(h, qda_span_quote(h, "P01", "le temps", &sp), QDA_EINPUT, "occurs 3 times");
	qda_span_free(&sp);
	if (st == QDA_OK)
		st = expect(h, qda_span_quote(h, "P01", "LE MEDECIN etait", &sp), QDA_EINPUT, "at line 5");
	qda_span_free(&sp);
	return st;
}

static enum qda_status review_queue(struct qda *h)
{
	struct qda_review_opts o = { .context = 1 };
	enum qda_status st = qda_review_queue(h, &o, any_item, &rows);
	if (st == QDA_OK) {
		struct qda_review_opts f = { .reviewer = "bob", .code = "relationship", .coder = "alice", .context = 2 };
		st = qda_review_queue(h, &f, any_item, &rows);
	}
	return st;
}

static enum qda_status review_counts(struct qda *h)
{
	enum qda_status st = qda_review_counts(h, any_count, &rows);
	if (st == QDA_OK)
		st = qda_review_disputes(h, any_dispute, &rows);
	return st;
}

static enum qda_status memo_list(struct qda *h)
{
	enum qda_status st = qda_memo_list(h, NULL, NULL, any_memo, &rows);
	if (st == QDA_OK)
		st = qda_memo_list(h, "case", "P01", any_memo, &rows);
	if (st == QDA_OK)
		st = qda_memo_list(h, "coding", "1", any_memo, &rows);
	if (st == QDA_OK)
		st = expect(h, qda_memo_list(h, "case", "P1", any_memo, &rows), QDA_ENOTFOUND, "did you mean 'P01'");
	return st;
}

static enum qda_status undo_list(struct qda *h) { return qda_undo_list(h, 0, any_undo, &rows); }
static enum qda_status log_list(struct qda *h) { return qda_log_list(h, 0, any_log, &rows); }

static void sweep_project(const char *name, enum qda_status (*fn)(struct qda *h))
{
	struct qda *h = open_project();
	assert_true(sweep(h, name, fn, 0) > 0);
	close_fixture(h);
}

static void sweep_writer(const char *name, enum qda_status (*fn)(struct qda *h))
{
	struct qda *h = open_project();
	assert_true(sweep(h, name, fn, 1) > 0);
	close_fixture(h);
}

static void docs_list_fails(void **state) { sweep_project("qda_docs_list", docs_list); }
static void doc_lines_fails(void **state) { sweep_project("qda_doc_lines", doc_lines); }
static void doc_speakers_fails(void **state) { sweep_project("qda_doc_speakers", doc_speakers); }
static void cases_list_fails(void **state) { sweep_project("qda_cases_list", cases_list); }
static void case_keys_fails(void **state) { sweep_project("qda_case_keys", case_keys); }
static void search_fails(void **state) { sweep_project("qda_search", search); }
static void freq_fails(void **state) { sweep_project("qda_freq", freq); }
static void freq_where_fails(void **state) { sweep_project("qda_freq --coder --where", freq_where); }
static void retrieve_fails(void **state) { sweep_project("qda_retrieve", retrieve); }
static void retrieve_and_fails(void **state) { sweep_project("qda_retrieve --and --where", retrieve_and); }
static void cooccur_fails(void **state) { sweep_project("qda_cooccur", cooccur); }
static void agree_fails(void **state) { sweep_project("qda_agree", agree); }
static void agree_alpha_fails(void **state) { sweep_project("qda_agree_alpha", agree_alpha); }
static void agree_disagreements_fails(void **state) { sweep_project("qda_agree_disagreements", agree_disagreements); }
static void nodes_fails(void **state) { sweep_project("qda_nodes", nodes); }
static void node_check_fails(void **state) { sweep_project("qda_node_check", node_check); }
static void codebook_walk_fails(void **state) { sweep_project("qda_codebook_walk", codebook_walk); }
static void codebook_orphans_fails(void **state) { sweep_project("qda_codebook_orphans", codebook_orphans); }
static void codebook_export_fails(void **state) { sweep_project("qda_codebook_export", codebook_export); }
static void report_facts_fails(void **state) { sweep_project("qda_report_facts", report_facts); }
static void exemplars_fails(void **state) { sweep_project("qda_exemplars", exemplars); }
static void autocode_dry_run_fails(void **state) { sweep_project("qda_autocode --dry-run", autocode_dry_run); }

/* Writing functions run in a transaction rolled back after each run, so
 * every run starts from the same project. */
static enum qda_status case_set(struct qda *h)
{
	static const char *kv[] = { "role=peer", "gender=" };
	return qda_case_set(h, "P01", kv, 2, 0);
}

static enum qda_status import_file(struct qda *h)
{
	struct qda_import_report rep;
	enum qda_status st = qda_import_file(h, "tests/fixtures/corpus-src/P04.txt", NULL, &rep);
	if (st == QDA_OK)
		qda_import_report_free(&rep);
	return st;
}

static enum qda_status codebook_load(struct qda *h)
{
	struct qda_codebook_load_result r;
	return qda_codebook_load(h, "tests/fixtures/codebook/good.yaml", 1, NULL, NULL, NULL, &r);
}

static enum qda_status autocode(struct qda *h)
{
	struct qda_autocode_opts o = { .keywords = 1, .unit = QDA_AUTO_SENTENCE };
	return qda_autocode(h, &o, any_auto, NULL, &rows);
}

/* The codebook's versions: good.yaml, then good-v2.yaml. */
static struct qda *open_versions(void)
{
	struct qda *h = fixture_project_sql("SELECT 1;");
	struct qda_codebook_load_result r;
	qda_set_coder(h, "alice");
	assert_int_equal(qda_begin(h, "test"), QDA_OK);
	assert_int_equal(qda_codebook_load(h, "tests/fixtures/codebook/good.yaml", 0, NULL, NULL, NULL, &r), QDA_OK);
	assert_int_equal(qda_codebook_load(h, "tests/fixtures/codebook/good-v2.yaml", 1, NULL, NULL, NULL, &r), QDA_OK);
	assert_int_equal(qda_commit(h, "test"), QDA_OK);
	return h;
}

static enum qda_status codebook_history(struct qda *h) { return qda_codebook_history(h, any_version, &rows); }
static enum qda_status codebook_diff(struct qda *h) { return qda_codebook_diff(h, 0, 0, any_change, &rows); }

static enum qda_status codebook_title(struct qda *h)
{
	char *title = NULL, *description = NULL;
	enum qda_status st = qda_codebook_title(h, &title, &description);
	free(title);
	free(description);
	return st;
}

static void sweep_versions(const char *name, enum qda_status (*fn)(struct qda *h))
{
	struct qda *h = open_versions();
	assert_true(sweep(h, name, fn, 0) > 0);
	close_fixture(h);
}

static void sweep_reviewed(const char *name, enum qda_status (*fn)(struct qda *h), int tx)
{
	struct qda *h = open_reviewed();
	assert_true(sweep(h, name, fn, tx) > 0);
	close_fixture(h);
}

static void codes_by_line_fails(void **state) { sweep_project("qda_codes_by_line", codes_by_line); }
static void edit_render_fails(void **state) { sweep_project("qda_edit_render", edit_render); }
static void span_units_fails(void **state) { sweep_project("qda_span_units", span_units); }
static void span_quote_fails(void **state) { sweep_project("qda_span_quote", span_quote); }
static void review_queue_fails(void **state) { sweep_reviewed("qda_review_queue", review_queue, 0); }
static void review_counts_fails(void **state) { sweep_reviewed("qda_review_counts, qda_review_disputes", review_counts, 0); }
static void memo_list_fails(void **state) { sweep_reviewed("qda_memo_list", memo_list, 0); }
static void undo_list_fails(void **state) { sweep_reviewed("qda_undo_list", undo_list, 0); }
static void log_list_fails(void **state) { sweep_reviewed("qda_log_list", log_list, 0); }

/* The writers of coding.c, review.c, memo.c and theme.c. */
static enum qda_status code_span(struct qda *h)
{
	struct qda_span sp = { 0 };
	struct qda_code_opts o = { .memo = "heard" }, vivo = { .create = 1, .under = "relationship" };
	struct qda_code_result r = { 0 };
	enum qda_status st = qda_span_units(h, "P02", QDA_UNIT_LINE, 2, 3, &sp);
	if (st == QDA_OK)
		st = qda_code_span(h, &sp, "listening", &o, &r);
	qda_code_result_free(&r);
	if (st == QDA_OK)
		st = qda_code_span(h, &sp, "Être écouté", &vivo, &r);
	qda_code_result_free(&r);
	if (st == QDA_OK)
		st = expect(h, qda_code_span(h, &sp, "trsut", &o, &r), QDA_ENOTFOUND, "did you mean 'trust'");
	qda_code_result_free(&r);
	if (st == QDA_OK)
		st = expect(h, qda_code_span(h, &sp, "old-code", &o, &r), QDA_EINPUT, "is retired");
	qda_code_result_free(&r);
	qda_span_free(&sp);
	return st;
}

static enum qda_status memo_add(struct qda *h)
{
	long long id;
	enum qda_status st = qda_memo_add(h, "case", "P02", "a clinician", &id);
	if (st == QDA_OK)
		st = qda_memo_add(h, "coding", "2", "on coding 2", &id);
	if (st == QDA_OK)
		st = expect(h, qda_memo_add(h, "case", "P2", "x", &id), QDA_ENOTFOUND, "did you mean 'P02'");
	return st;
}

static enum qda_status review_add(struct qda *h)
{
	int added;
	char applied[64];
	long long revision;
	enum qda_status st = qda_review_add(h, 4, "bob", "accept", NULL, NULL, &added);
	if (st == QDA_OK)
		st = qda_review_add(h, 1, "bob", "dispute", "not trust yet", NULL, &added); /* the same: nothing new */
	if (st == QDA_OK)
		st = expect(h, qda_review_add(h, 99, "bob", "accept", NULL, NULL, &added), QDA_ENOTFOUND, "no coding 99");
	if (st == QDA_OK)
		st = qda_review_apply(h, 2, "alice", applied, sizeof applied, &revision);
	return st;
}

static const char sheet_path[] = "/tmp/qda-test-read-errors-sheet.csv";

static enum qda_status review_import(struct qda *h)
{
	struct qda_review_import rep;
	return qda_review_import_csv(h, sheet_path, ',', "carol", &rep);
}

static enum qda_status theme_move(struct qda *h)
{
	enum qda_status st = qda_theme_move(h, "listening", "care", any_change, &rows);
	if (st == QDA_OK)
		st = qda_theme_move(h, "trust-building", NULL, any_change, &rows);
	if (st == QDA_OK)
		st = expect(h, qda_theme_move(h, "care", "doctor", any_change, &rows), QDA_EINPUT, "lies within");
	if (st == QDA_OK)
		st = expect(h, qda_theme_move(h, "relationship", "listening", any_change, &rows), QDA_EINPUT, "is a code");
	return st;
}

static enum qda_status theme_merge(struct qda *h)
{
	static const char *from[] = { "time", "listening" };
	struct qda_theme_merge_result r;
	return qda_theme_merge(h, from, 2, "trust", NULL, any_change, &rows, &r);
}

static enum qda_status theme_split(struct qda *h)
{
	static const long long codings[] = { 1, 2, 3 };
	long moved;
	return qda_theme_split(h, "trust-building", "trust-time", "Trust over time", codings, 3, any_change, &rows,
	                       &moved);
}

static void code_span_fails(void **state) { sweep_writer("qda_code_span", code_span); }
static void memo_add_fails(void **state) { sweep_writer("qda_memo_add", memo_add); }
static void review_add_fails(void **state) { sweep_reviewed("qda_review_add, qda_review_apply", review_add, 1); }

static void review_import_fails(void **state)
{
	FILE *fp = fopen(sheet_path, "w");
	assert_non_null(fp);
	fputs("id,verdict,comment,suggested_code\n1,accept,,\n2,dispute,too broad,\n3,,,\n5,suggest,,listening\n", fp);
	fclose(fp);
	sweep_reviewed("qda_review_import_csv", review_import, 1);
	unlink(sheet_path);
}

static void theme_move_fails(void **state) { sweep_writer("qda_theme_move", theme_move); }
static void theme_merge_fails(void **state) { sweep_reviewed("qda_theme_merge", theme_merge, 1); }
static void theme_split_fails(void **state) { sweep_reviewed("qda_theme_split", theme_split, 1); }

static void case_set_fails(void **state) { sweep_writer("qda_case_set", case_set); }
static void import_file_fails(void **state) { sweep_writer("qda_import_file", import_file); }
static void codebook_load_fails(void **state) { sweep_writer("qda_codebook_load", codebook_load); }
static void autocode_fails(void **state) { sweep_writer("qda_autocode", autocode); }

static void codebook_history_fails(void **state) { sweep_versions("qda_codebook_history", codebook_history); }
static void codebook_diff_fails(void **state) { sweep_versions("qda_codebook_diff", codebook_diff); }
static void codebook_title_fails(void **state) { sweep_versions("qda_codebook_title", codebook_title); }

/* The plain case the sweep generalises: the document listing cut after its
 * first row of three. */
static int interrupt(void *ctx)
{
	(void)ctx;
	return 1;
}

struct cut {
	struct qda *h;
	long rows;
};

static int cut_after_first(void *ctx, const struct qda_doc_row *r)
{
	struct cut *c = ctx;
	(void)r;
	if (c->rows++ == 0)
		sqlite3_progress_handler(c->h->db, 1, interrupt, NULL);
	return 0;
}

static void docs_list_cut_after_one_row(void **state)
{
	struct cut c = { open_project(), 0 };
	assert_int_equal(qda_docs_list(c.h, cut_after_first, &c), QDA_EDB);
	assert_int_equal(c.rows, 1);
	assert_string_equal(qda_errmsg(c.h), "list documents: database error: interrupted");
	sqlite3_progress_handler(c.h->db, 0, NULL, NULL);
	c.rows = 0;
	assert_int_equal(qda_docs_list(c.h, any_doc, &c.rows), QDA_OK);
	assert_int_equal(c.rows, 3);
	close_fixture(c.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docs_list_cut_after_one_row),
		cmocka_unit_test(docs_list_fails),
		cmocka_unit_test(doc_lines_fails),
		cmocka_unit_test(doc_speakers_fails),
		cmocka_unit_test(cases_list_fails),
		cmocka_unit_test(case_keys_fails),
		cmocka_unit_test(search_fails),
		cmocka_unit_test(freq_fails),
		cmocka_unit_test(freq_where_fails),
		cmocka_unit_test(retrieve_fails),
		cmocka_unit_test(retrieve_and_fails),
		cmocka_unit_test(cooccur_fails),
		cmocka_unit_test(agree_fails),
		cmocka_unit_test(agree_alpha_fails),
		cmocka_unit_test(agree_disagreements_fails),
		cmocka_unit_test(nodes_fails),
		cmocka_unit_test(node_check_fails),
		cmocka_unit_test(codebook_walk_fails),
		cmocka_unit_test(codebook_orphans_fails),
		cmocka_unit_test(codebook_export_fails),
		cmocka_unit_test(report_facts_fails),
		cmocka_unit_test(exemplars_fails),
		cmocka_unit_test(autocode_dry_run_fails),
		cmocka_unit_test(codes_by_line_fails),
		cmocka_unit_test(edit_render_fails),
		cmocka_unit_test(span_units_fails),
		cmocka_unit_test(span_quote_fails),
		cmocka_unit_test(review_queue_fails),
		cmocka_unit_test(review_counts_fails),
		cmocka_unit_test(memo_list_fails),
		cmocka_unit_test(undo_list_fails),
		cmocka_unit_test(log_list_fails),
		cmocka_unit_test(case_set_fails),
		cmocka_unit_test(import_file_fails),
		cmocka_unit_test(codebook_load_fails),
		cmocka_unit_test(autocode_fails),
		cmocka_unit_test(code_span_fails),
		cmocka_unit_test(memo_add_fails),
		cmocka_unit_test(review_add_fails),
		cmocka_unit_test(review_import_fails),
		cmocka_unit_test(theme_move_fails),
		cmocka_unit_test(theme_merge_fails),
		cmocka_unit_test(theme_split_fails),
		cmocka_unit_test(codebook_history_fails),
		cmocka_unit_test(codebook_diff_fails),
		cmocka_unit_test(codebook_title_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
