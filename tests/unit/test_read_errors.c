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
	struct qda_freq_opts o = { .level = QDA_LEVEL_CODE, .coder = "bob", .where = where, .n_where = 1 };
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
	                               .where = where, .n_where = 1, .coder = "alice", .context_turns = 1 };
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
static enum qda_status codebook_walk(struct qda *h) { return qda_codebook_walk(h, 1, any_cb_node, &rows); }
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

static enum qda_status exemplars(struct qda *h) { return qda_exemplars(h, "relationship", 3, any_exemplar, &rows); }

static enum qda_status autocode_dry_run(struct qda *h)
{
	struct qda_autocode_opts o = { .keywords = 1, .dry_run = 1, .unit = QDA_AUTO_SENTENCE };
	return qda_autocode(h, &o, any_auto, NULL, &rows);
}

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
		cmocka_unit_test(case_set_fails),
		cmocka_unit_test(import_file_fails),
		cmocka_unit_test(codebook_load_fails),
		cmocka_unit_test(autocode_fails),
		cmocka_unit_test(codebook_history_fails),
		cmocka_unit_test(codebook_diff_fails),
		cmocka_unit_test(codebook_title_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
