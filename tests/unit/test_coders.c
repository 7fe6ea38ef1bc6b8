/* test_coders.c — unit tests of core/coders.c and the housekeeping of
 * docs.c and cases.c on the counting project: listing coders, the names that
 * look like one person, renaming and merging coders with every reference
 * moved, removing a document and a case. */
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

#define FIXTURE_NAME "coders"
#include "project_fixture.h"

static char warned[4096];
static void on_warn(void *ctx, const char *loc, const char *msg)
{
	size_t n = strlen(warned);
	snprintf(warned + n, sizeof warned - n, "%s\n", msg);
}

static char listed[1024];
static int on_coder(void *ctx, const struct qda_coder_row *r)
{
	size_t n = strlen(listed);
	snprintf(listed + n, sizeof listed - n, "%s %ld %ld %ld %ld\n", r->name, r->codings, r->removed, r->reviews,
	         r->memos);
	return 0;
}

static void names_follow_one_rule(void **state)
{
	char why[128];
	assert_null(name_problem("Marie Dupont", 100));
	assert_null(name_problem("Émilie", 100));
	assert_string_equal(name_problem("", 100), "is empty");
	assert_string_equal(name_problem(" P01", 200), "starts or ends with a space");
	assert_string_equal(name_problem("a\tb", 200), "has a control character");
	assert_int_equal(qda_coder_name_check("Marie Dupont", why, sizeof why), QDA_OK);
	assert_int_equal(qda_coder_name_check("a,b", why, sizeof why), QDA_EINPUT);
	assert_string_equal(why, "has a comma, which separates names in --coders A,B");
	assert_int_equal(qda_coder_name_check("", why, sizeof why), QDA_EINPUT);
	assert_string_equal(why, "a coder needs a name");
}

static void coders_are_listed_and_look_alikes_warned(void **state)
{
	struct qda *h = open_fixture();
	warned[0] = listed[0] = '\0';
	qda_set_warn(h, on_warn, NULL);
	assert_int_equal(exec(h, "INSERT INTO coder(name) VALUES ('Alice'), ('ann'), ('dan')"), QDA_OK);
	assert_int_equal(exec(h, "INSERT INTO memo(target_kind, coder_id, text) VALUES ('project', 2, 'x');"
	                         "INSERT INTO review(coding_id, reviewer_id, verdict) VALUES (1, 2, 'accept')"),
	                 QDA_OK);
	assert_int_equal(qda_coders_list(h, on_coder, NULL), QDA_OK);
	assert_string_equal(listed, "Alice 0 0 0 0\nalice 6 0 0 0\nann 0 0 0 0\nbob 2 0 1 1\ndan 0 0 0 0\n");
	/* ann and dan are one letter apart but too short to tell */
	assert_string_equal(warned, "coders 'Alice' and 'alice' look like one person (the same name but for case and "
	                            "accents); if so, make them one with: qda coder rename Alice alice --merge\n");
	close_fixture(h);
}

static void rename_refuses_a_taken_name_unless_merge(void **state)
{
	struct qda *h = open_fixture();
	struct qda_coder_rename_result r;
	assert_int_equal(qda_begin(h, "test"), QDA_OK);
	assert_int_equal(qda_coder_rename(h, "alice", "bob", 0, &r), QDA_EEXIST);
	assert_int_equal(qda_coder_rename(h, "alice", "alicia", 0, &r), QDA_OK);
	assert_int_equal(r.merged, 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding c JOIN coder k ON k.id = c.coder_id"
	                           " WHERE k.name = 'alicia'"),
	                 6);
	assert_int_equal(qda_coder_rename(h, "nobody", "x", 0, &r), QDA_ENOTFOUND);
	qda_rollback(h);
	close_fixture(h);
}

static void merge_moves_every_reference_and_keeps_a_shared_coding_once(void **state)
{
	struct qda *h = open_fixture();
	struct qda_coder_rename_result r;
	sqlite3_stmt *st;
	/* bob also coded alice's first span; bob reviewed, wrote, imported,
	 * removed and revised */
	assert_int_equal(exec(h, "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)"
	                         " VALUES (1, 3, 2, 0, 10, 1, 1);"
	                         "INSERT INTO review(coding_id, reviewer_id, verdict) VALUES (1, 2, 'accept');"
	                         "INSERT INTO memo(target_kind, coder_id, text) VALUES ('project', 2, 'x');"
	                         "UPDATE document_all SET coder_id = 2 WHERE id = 1;"
	                         "UPDATE coding_all SET revised_by = 2 WHERE id = 2;"
	                         "UPDATE coding_all SET removed_at = 'now', removed_by = 2, removed_why = 'uncode'"
	                         " WHERE id = 3"),
	                 QDA_OK);
	assert_int_equal(qda_begin(h, "test"), QDA_OK);
	assert_int_equal(qda_coder_rename(h, "bob", "alice", 1, &r), QDA_OK);
	assert_int_equal(qda_commit(h, "merged"), QDA_OK);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.codings, 3);
	assert_int_equal(r.duplicates, 1);
	assert_int_equal(r.reviews, 1);
	assert_int_equal(r.memos, 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coder"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding_all WHERE coder_id <> 1 OR removed_by <> 1"
	                           " OR revised_by <> 1"),
	                 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding WHERE doc_id = 1 AND node_id = 3 AND start = 0"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding_all WHERE removed_why = 'merged'"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM review WHERE reviewer_id = 1"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM memo WHERE coder_id = 1"), 1);
	assert_int_equal(scalar(h, "SELECT coder_id FROM document_all WHERE id = 1"), 1);
	st = prep(h, "PRAGMA foreign_key_check");
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	close_fixture(h);
}

static void doc_remove_marks_the_document_and_its_codings(void **state)
{
	struct qda *h = open_fixture();
	long n = 0;
	qda_set_coder(h, "carol");
	assert_int_equal(qda_begin(h, "test"), QDA_OK);
	assert_int_equal(qda_doc_remove(h, "D1", 0, NULL, NULL, &n), QDA_EINPUT);
	assert_string_equal(qda_errmsg(h), "D1 has 4 codings (alice 4); nothing was removed. With --force its codings "
	                                   "go with it, as codings are removed: marked removed, their history kept");
	assert_int_equal(qda_doc_remove(h, "D1", 1, NULL, NULL, &n), QDA_OK);
	assert_int_equal(n, 4);
	assert_int_equal(qda_commit(h, "removed"), QDA_OK);
	assert_int_equal(scalar(h, "SELECT count(*) FROM document WHERE name = 'D1'"), 0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding_all c JOIN coder k ON k.id = c.removed_by"
	                           " WHERE c.doc_id = 1 AND k.name = 'carol' AND c.removed_why = 'document removed'"),
	                 4);
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_follow_one_rule),
		cmocka_unit_test(coders_are_listed_and_look_alikes_warned),
		cmocka_unit_test(rename_refuses_a_taken_name_unless_merge),
		cmocka_unit_test(merge_moves_every_reference_and_keeps_a_shared_coding_once),
		cmocka_unit_test(doc_remove_marks_the_document_and_its_codings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
