/* test_merge.c — merging a co-coder's copy: new codings and coders come in,
 * documents with other text are reported and skipped, and merging twice adds
 * nothing. */
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
	assert_int_equal(qda_merge(h, other, "qda merge", &r), QDA_OK);
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
	assert_int_equal(qda_merge(h, other, "qda merge", &r), QDA_OK);
	assert_int_equal(r.codings_added, 0);
	assert_int_equal(r.nodes_added, 0);
	assert_int_equal(r.coders_added, 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding"), 10);
	assert_int_equal(scalar(h, "SELECT count(*) FROM log WHERE command = 'qda merge'"), 2);
	unlink(other);
	close_fixture(h);
}

static void a_file_that_is_not_a_project_is_refused(void **state)
{
	struct qda *h = open_fixture();
	struct qda_merge_report r;
	assert_int_equal(qda_merge(h, "/nonexistent.qda", "qda merge", &r), QDA_EINPUT);
	assert_string_equal(qda_errloc(h), "/nonexistent.qda");
	assert_string_equal(qda_errmsg(h), "no such project file; give the co-coder's .qda file");
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_brings_new_codings_once),
		cmocka_unit_test(a_file_that_is_not_a_project_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
