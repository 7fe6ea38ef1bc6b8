/* test_review.c — peer review on the hand-made project: the queue, verdicts
 * as records with the coding's state following, idempotent verdicts,
 * applying a suggested code, review sheets checked before anything is
 * written, and the counts. */
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

#define FIXTURE_NAME "review"
#include "project_fixture.h"

static long long ids[16];
static size_t n_ids;

static int collect(void *ctx, const struct qda_review_item *it)
{
	ids[n_ids++] = it->coding_id;
	if (ctx)
		assert_int_equal(it->total, *(long *)ctx);
	return 0;
}

static void queue_skips_what_the_reviewer_has_reviewed(void **state)
{
	struct qda *h = open_fixture();
	struct qda_review_opts o = { 0 };
	long total = 8;
	int added;
	o.reviewer = "rita";
	n_ids = 0;
	assert_int_equal(qda_review_queue(h, &o, collect, &total), QDA_OK);
	assert_int_equal(n_ids, 8);
	assert_int_equal(qda_review_add(h, ids[0], "rita", "accept", NULL, NULL, &added), QDA_OK);
	assert_int_equal(added, 1);
	total = 7;
	n_ids = 0;
	assert_int_equal(qda_review_queue(h, &o, collect, &total), QDA_OK);
	assert_int_equal(n_ids, 7);
	o.code = "s"; /* a sub-theme: its codes a and b, 5 codings, one reviewed */
	total = 4;
	n_ids = 0;
	assert_int_equal(qda_review_queue(h, &o, collect, &total), QDA_OK);
	assert_int_equal(n_ids, 4);
	close_fixture(h);
}

static void verdicts_are_records_and_states_follow(void **state)
{
	struct qda *h = open_fixture();
	int added;
	assert_int_equal(qda_review_add(h, 1, "rita", "dispute", "not about listening", NULL, &added), QDA_OK);
	assert_int_equal(scalar(h, "SELECT state = 'disputed' FROM coding WHERE id = 1"), 1);
	assert_int_equal(qda_review_add(h, 1, "rita", "dispute", "not about listening", NULL, &added), QDA_OK);
	assert_int_equal(added, 0);
	assert_int_equal(qda_review_add(h, 1, "sam", "accept", NULL, NULL, &added), QDA_OK);
	assert_int_equal(added, 1);
	assert_int_equal(scalar(h, "SELECT state = 'accepted' FROM coding WHERE id = 1"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM review WHERE coding_id = 1"), 2);
	assert_int_equal(qda_review_add(h, 1, "rita", "maybe", NULL, NULL, &added), QDA_EINPUT);
	assert_string_equal(qda_errmsg(h), "verdict 'maybe' is not one of accept, dispute, suggest, comment");
	assert_int_equal(qda_review_add(h, 1, NULL, "accept", NULL, NULL, &added), QDA_EINVAL);
	close_fixture(h);
}

static void a_suggested_code_is_applied_and_the_old_one_kept(void **state)
{
	struct qda *h = open_fixture();
	char code[64];
	long long revision = 0, first;
	int added;
	assert_int_equal(qda_review_add(h, 1, "rita", "suggest", "rather trust", "bb", &added), QDA_ENOTFOUND);
	assert_string_equal(qda_errmsg(h), "unknown code 'bb'; did you mean 'b'? (see qda codebook show)");
	assert_int_equal(qda_review_apply(h, 1, "alice", code, sizeof code, &revision), QDA_EINPUT);
	assert_int_equal(qda_review_add(h, 1, "rita", "suggest", "rather b", "b", &added), QDA_OK);
	first = scalar(h, "SELECT max(id) + 1 FROM coding_all");
	assert_int_equal(qda_review_apply(h, 1, "alice", code, sizeof code, &revision), QDA_OK);
	assert_string_equal(code, "b");
	assert_int_equal(revision, first);
	/* the revision takes the coding's place; the original is kept with its code */
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding WHERE id = 1"), 0);
	assert_int_equal(scalar(h, "SELECT node_id FROM coding_all WHERE id = 1"), 3);
	assert_int_equal(scalar(h, "SELECT node_id FROM coding WHERE revision_of = 1"), 4);
	assert_int_equal(scalar(h, "SELECT state = 'revised' FROM coding WHERE revision_of = 1"), 1);
	assert_int_equal(scalar(h, "SELECT previous_id FROM review WHERE coding_id = 1 AND verdict = 'revise'"), 3);
	close_fixture(h);
}

static void write_file(const char *p, const char *s)
{
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(s, fp);
	fclose(fp);
}

static int warnings;
static void count_warning(void *ctx, const char *loc, const char *msg)
{
	warnings++;
}

static void sheets_are_checked_first_and_import_twice_adds_nothing(void **state)
{
	struct qda *h = open_fixture();
	struct qda_review_import rep;
	char sheet[300];
	snprintf(sheet, sizeof sheet, "%s.csv", path);
	qda_set_warn(h, count_warning, NULL);
	write_file(sheet, "\xEF\xBB\xBFid,extract,verdict,comment,suggested_code\n"
	             "1,\"l'écoute, enfin\",accept,,\n"
	             "2,x,peut-être,,\n"
	             "99,x,accept,,\n"
	             "3,x,suggest,,\n");
	warnings = 0;
	assert_int_equal(qda_review_import_csv(h, sheet, 0, "rita", &rep), QDA_EINPUT);
	assert_int_equal(warnings, 3);
	assert_string_equal(qda_errmsg(h), "3 bad rows; nothing was recorded: correct the sheet and import it again");
	assert_int_equal(scalar(h, "SELECT count(*) FROM review"), 0);
	write_file(sheet, "id,verdict,comment,suggested_code\n"
	             "1,Accept,,\n"
	             "2,dispute,\"trop large, à revoir\",\n"
	             "3,,,\n"
	             "4,suggest,mieux,a\n");
	assert_int_equal(qda_review_import_csv(h, sheet, 0, "rita", &rep), QDA_OK);
	assert_int_equal(rep.rows, 4);
	assert_int_equal(rep.added, 3);
	assert_int_equal(rep.blank, 1);
	assert_int_equal(qda_review_import_csv(h, sheet, 0, "rita", &rep), QDA_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.unchanged, 3);
	assert_int_equal(scalar(h, "SELECT count(*) FROM review"), 3);
	assert_int_equal(scalar(h, "SELECT count(*) FROM review WHERE comment = 'trop large, à revoir'"), 1);
	unlink(sheet);
	close_fixture(h);
}

struct counts {
	long proposed, accepted, disputed, rows;
};

static int add_counts(void *ctx, const struct qda_review_count *r)
{
	struct counts *c = ctx;
	if (!*r->reviewer) {
		c->proposed += r->proposed;
		c->accepted += r->accepted;
		c->disputed += r->disputed;
	}
	c->rows++;
	return 0;
}

static void counts_per_theme_and_reviewer(void **state)
{
	struct qda *h = open_fixture();
	struct counts c = { 0 };
	int added;
	assert_int_equal(qda_review_add(h, 1, "rita", "accept", NULL, NULL, &added), QDA_OK);
	assert_int_equal(qda_review_add(h, 8, "rita", "dispute", "hmm", NULL, &added), QDA_OK);
	assert_int_equal(qda_review_counts(h, add_counts, &c), QDA_OK);
	assert_int_equal(c.proposed, 6);
	assert_int_equal(c.accepted, 1);
	assert_int_equal(c.disputed, 1);
	assert_int_equal(c.rows, 4); /* t and u, each with its states and rita's verdicts */
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queue_skips_what_the_reviewer_has_reviewed),
		cmocka_unit_test(verdicts_are_records_and_states_follow),
		cmocka_unit_test(a_suggested_code_is_applied_and_the_old_one_kept),
		cmocka_unit_test(sheets_are_checked_first_and_import_twice_adds_nothing),
		cmocka_unit_test(counts_per_theme_and_reviewer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
