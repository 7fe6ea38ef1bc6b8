/* test_merge.c — merging a co-coder's copy: new codings and coders come in,
 * documents with other text are reported and skipped, merging twice adds
 * nothing; codes follow this codebook's history, conflicts are named, and a
 * dry run writes nothing. */
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

#define FIXTURE_NAME "merge"
#include "project_fixture.h"

static int warnings;
static char last_warning[1024];
static void on_warn(void *ctx, const char *loc, const char *msg)
{
	warnings++;
	snprintf(last_warning, sizeof last_warning, "%s: %s", loc, msg);
}

static void merge_brings_new_codings_once(void **state)
{
	struct qda *h = open_fixture(), *o = NULL;
	struct qda_merge_report r;
	char other[300], *sql;

	snprintf(other, sizeof other, "%s.other", path);
	unlink(other);
	assert_int_equal(qda_init(other, &o), QDA_OK);
	sql = fixture_read(COUNTING_SQL);
	assert_int_equal(exec(o, sql), QDA_OK);
	free(sql);
	/* the co-coder: a new coder, two new codings, an in-vivo code, one doc changed */
	assert_int_equal(exec(o, "INSERT INTO coder(id, name) VALUES (3, 'carol');"
	                         "INSERT INTO node(id, key, parent_id, kind, name, in_vivo) VALUES (8, 'vivo', 2, 'code', 'in vivo', 1);"
	                         "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last) VALUES"
	                         " (1, 3, 3, 0, 12, 1, 1), (4, 8, 3, 0, 2, 1, 1), (3, 4, 3, 1, 2, 1, 1);"
	                         "UPDATE document_all SET text = 'autre', text_hash = 'h3b' WHERE id = 3;"), QDA_OK);
	qda_close(o);
	qda_set_warn(h, on_warn, NULL);
	assert_int_equal(qda_merge(h, other, "qda merge", 0, NULL, NULL, &r), QDA_OK);
	assert_int_equal(r.docs_matched, 3);
	assert_int_equal(r.docs_conflict, 1);
	assert_int_equal(warnings, 1);
	assert_true(strstr(last_warning, "a document named 'D3' is here with different text; its 3 codings were not merged") != NULL);
	assert_int_equal(r.coders_added, 1);
	assert_int_equal(r.nodes_added, 1);
	assert_int_equal(r.codings_added, 2);
	assert_int_equal(r.codings_present, 6);
	assert_int_equal(r.codings_skipped, 3);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding"), 10);
	assert_int_equal(scalar(h, "SELECT parent_id FROM node WHERE key = 'vivo'"), 2);
	assert_int_equal(qda_merge(h, other, "qda merge", 0, NULL, NULL, &r), QDA_OK);
	assert_int_equal(r.codings_added, 0);
	assert_int_equal(r.nodes_added, 0);
	assert_int_equal(r.coders_added, 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding"), 10);
	assert_int_equal(scalar(h, "SELECT count(*) FROM log WHERE command = 'qda merge'"), 2);
	unlink(other);
	close_fixture(h);
}

/* The report's rows as "kind code: detail" lines. */
static char rows[4096];
static int on_row(void *ctx, const struct qda_merge_row *r)
{
	size_t n = strlen(rows);
	snprintf(rows + n, sizeof rows - n, "%s %s: %s\n", r->kind, r->code, r->detail);
	return 0;
}

/* The co-coder's copy: the counting project as it was, carol's coding of
 * code a (D1 0-12) and what sql adds. Its path goes to other. */
static void make_copy(char *other, size_t n, const char *sql)
{
	struct qda *o = NULL;
	char *fixture;
	snprintf(other, n, "%s.other", path);
	unlink(other);
	assert_int_equal(qda_init(other, &o), QDA_OK);
	fixture = fixture_read(COUNTING_SQL);
	assert_int_equal(exec(o, fixture), QDA_OK);
	free(fixture);
	assert_int_equal(exec(o, "INSERT INTO coder(id, name) VALUES (3, 'carol');"
	                         "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)"
	                         " VALUES (1, 3, 3, 0, 12, 1, 1)"), QDA_OK);
	if (sql)
		assert_int_equal(exec(o, sql), QDA_OK);
	qda_close(o);
}

/* The copy of the project as it was, before this project reshaped it: node
 * GUIDs must match, so the copy is made from this project's own file. */
static void copy_of(struct qda *h, char *other, size_t n)
{
	char cmd[700];
	snprintf(other, n, "%s.other", path);
	assert_int_equal(exec(h, "PRAGMA wal_checkpoint(TRUNCATE)"), QDA_OK);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, other);
	assert_int_equal(system(cmd), 0);
}

static void a_code_merged_here_takes_the_copys_codings(void **state)
{
	struct qda *h = open_fixture(), *o = NULL;
	struct qda_merge_report r;
	struct qda_theme_merge_result mr;
	const char *from[] = { "a" }, *from2[] = { "b" };
	char other[300];

	copy_of(h, other, sizeof other);
	assert_int_equal(qda_open(other, 0, &o), QDA_OK);
	assert_int_equal(exec(o, "INSERT INTO coder(id, name) VALUES (3, 'carol');"
	                         "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)"
	                         " VALUES (1, 3, 3, 0, 12, 1, 1)"), QDA_OK);
	qda_close(o);
	/* here: a into b, then b into c */
	assert_int_equal(qda_begin(h, "qda theme merge"), QDA_OK);
	assert_int_equal(qda_theme_merge(h, from, 1, "b", NULL, NULL, NULL, &mr), QDA_OK);
	assert_int_equal(qda_theme_merge(h, from2, 1, "c", NULL, NULL, NULL, &mr), QDA_OK);
	assert_int_equal(qda_commit(h, "merged"), QDA_OK);
	rows[0] = '\0';
	assert_int_equal(qda_merge(h, other, "qda merge", 0, on_row, NULL, &r), QDA_OK);
	assert_string_equal(rows, "mapped a: a -> c: merged into b here (codebook version 1), then into c (codebook version 2);"
	                          " 1 new coding\n"
	                          "mapped b: b -> c: merged into c here (codebook version 2); no new coding\n");
	assert_int_equal(r.codings_added, 1);
	assert_int_equal(r.nodes_mapped, 2);
	assert_int_equal(r.nodes_added, 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding c JOIN node n ON n.id = c.node_id"
	                           " WHERE n.key = 'c' AND c.coder_id = (SELECT id FROM coder WHERE name = 'carol')"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM node WHERE key IN ('a', 'b') AND retired = 0"), 0);
	unlink(other);
	close_fixture(h);
}

static void a_dry_run_reports_and_writes_nothing(void **state)
{
	struct qda *h = open_fixture();
	struct qda_merge_report r;
	char other[300];

	make_copy(other, sizeof other, "INSERT INTO node(id, key, parent_id, kind, name, in_vivo) VALUES (8, 'vivo', 2, 'code', 'in vivo', 1);"
	                               "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)"
	                               " VALUES (4, 8, 3, 0, 2, 1, 1)");
	rows[0] = '\0';
	assert_int_equal(qda_merge(h, other, "qda merge", 1, on_row, NULL, &r), QDA_OK);
	/* the fixture's nodes were not made from the copy's: same ids, other GUIDs */
	assert_string_equal(rows, "added vivo: code 'in vivo' under s; 1 new coding\n");
	assert_int_equal(r.codings_added, 2);
	assert_int_equal(r.nodes_added, 1);
	assert_int_equal(r.coders_added, 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding_all"), 8);
	assert_int_equal(scalar(h, "SELECT count(*) FROM node"), 7);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coder"), 2);
	assert_int_equal(scalar(h, "SELECT count(*) FROM codebook_version"), 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM log WHERE command = 'qda merge'"), 0);
	/* and the merge itself does it, with a codebook version for the code */
	assert_int_equal(qda_merge(h, other, "qda merge", 0, NULL, NULL, &r), QDA_OK);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding_all"), 10);
	assert_int_equal(scalar(h, "SELECT count(*) FROM codebook_version WHERE origin LIKE 'merge %'"), 1);
	unlink(other);
	close_fixture(h);
}

static void a_code_of_another_kind_is_a_conflict(void **state)
{
	struct qda *h = open_fixture();
	struct qda_merge_report r;
	char other[300];

	assert_int_equal(exec(h, "INSERT INTO node(key, kind, name, position) VALUES ('vivo', 'theme', 'Vivo', 2)"), QDA_OK);
	make_copy(other, sizeof other, "INSERT INTO node(id, key, parent_id, kind, name) VALUES (8, 'vivo', 2, 'code', 'in vivo');"
	                               "INSERT INTO memo(target_kind, node_id, text) VALUES ('node', 8, 'why vivo');"
	                               "UPDATE coding_all SET node_id = 8 WHERE id = 9");
	rows[0] = '\0';
	assert_int_equal(qda_merge(h, other, "qda merge", 0, on_row, NULL, &r), QDA_OK);
	assert_string_equal(rows, "conflict vivo: a code in the copy, a theme here, made separately under the same id;"
	                          " 1 coding and 1 memo not merged: in the copy, give it another id"
	                          " (qda theme merge vivo --into NEW-ID), then merge again\n");
	assert_int_equal(r.nodes_conflict, 1);
	assert_int_equal(r.codings_added, 0);
	assert_int_equal(r.codings_skipped, 1);
	assert_int_equal(r.codings_present, 8);
	assert_int_equal(r.memos_added, 0);
	unlink(other);
	close_fixture(h);
}

static void a_review_applied_in_the_copy_keeps_its_original(void **state)
{
	struct qda *h = open_fixture();
	struct qda_merge_report r;
	char other[300];

	/* in the copy, bob's suggestion b applied to carol's coding 9 of a */
	make_copy(other, sizeof other,
	          "UPDATE coding_all SET removed_at = '2024-05-01T10:00:00Z', removed_by = 2, removed_why = 'revised'"
	          " WHERE id = 9;"
	          "INSERT INTO coding_all(id, doc_id, node_id, coder_id, start, end, line_first, line_last, state,"
	          " revision_of, revised_by) VALUES (10, 1, 4, 3, 0, 12, 1, 1, 'revised', 9, 2)");
	rows[0] = '\0';
	assert_int_equal(qda_merge(h, other, "qda merge", 0, on_row, NULL, &r), QDA_OK);
	assert_string_equal(rows, "");
	assert_int_equal(r.codings_added, 1);
	assert_int_equal(r.codings_present, 8);
	/* the revision, current, refers to the original, kept removed as revised */
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding c JOIN coding_all o ON o.id = c.revision_of"
	                           " JOIN node n ON n.id = c.node_id JOIN node p ON p.id = o.node_id"
	                           " WHERE n.key = 'b' AND p.key = 'a' AND o.removed_why = 'revised'"
	                           " AND c.revised_by = (SELECT id FROM coder WHERE name = 'bob')"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding_original o JOIN coder k ON k.id = o.coder_id"
	                           " WHERE k.name = 'carol'"), 1);
	assert_int_equal(qda_merge(h, other, "qda merge", 0, NULL, NULL, &r), QDA_OK);
	assert_int_equal(r.codings_added, 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding_all"), 10);
	unlink(other);
	close_fixture(h);
}

static void a_copy_of_an_older_qda_is_refused_with_the_way_out(void **state)
{
	struct qda *h = open_fixture();
	struct qda_merge_report r;
	char other[300];

	make_copy(other, sizeof other, "PRAGMA user_version = 1");
	assert_int_equal(qda_merge(h, other, "qda merge", 0, NULL, NULL, &r), QDA_EINPUT);
	assert_string_equal(qda_errloc(h), other);
	{
		char want[200];
		snprintf(want, sizeof want, "was written by an older qda (schema 1, this one has %d) and merge only "
		                            "reads it, so it is not upgraded here; upgrade a copy, then merge that: cp ",
		         qda_schema_version());
		assert_non_null(strstr(qda_errmsg(h), want));
	}
	assert_int_equal(scalar(h, "SELECT count(*) FROM log WHERE command = 'qda merge'"), 0);
	unlink(other);
	close_fixture(h);
}

static void a_file_that_is_not_a_project_is_refused(void **state)
{
	struct qda *h = open_fixture();
	struct qda_merge_report r;
	assert_int_equal(qda_merge(h, "/nonexistent.qda", "qda merge", 0, NULL, NULL, &r), QDA_EINPUT);
	assert_string_equal(qda_errloc(h), "/nonexistent.qda");
	assert_string_equal(qda_errmsg(h), "no such project file; give the co-coder's .qda file");
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_brings_new_codings_once),
		cmocka_unit_test(a_code_merged_here_takes_the_copys_codings),
		cmocka_unit_test(a_dry_run_reports_and_writes_nothing),
		cmocka_unit_test(a_code_of_another_kind_is_a_conflict),
		cmocka_unit_test(a_review_applied_in_the_copy_keeps_its_original),
		cmocka_unit_test(a_copy_of_an_older_qda_is_refused_with_the_way_out),
		cmocka_unit_test(a_file_that_is_not_a_project_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
