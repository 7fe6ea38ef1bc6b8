/* test_spans.c — the counting rules' building blocks: spans.c (passages,
 * containment, intersection, pairs within N characters, never fewer for a
 * wider N), layout.c (lines, turns and interviewer material, the blank line
 * between two interviewer turns included) and filter.c (--where lists and
 * checked values, the methods sentence). */
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

#define FIXTURE_NAME "spans"
#include "project_fixture.h"

static void push_all(struct spans *s, const int64_t *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		assert_int_equal(spans_push(NULL, s, v[2 * i], v[2 * i + 1]), QDA_OK);
}

static void passages_join_touching_spans(void **state)
{
	int64_t v[] = { 40, 50, 30, 40, 0, 10, 5, 12, 60, 61 };
	(void)state;
	/* [30,40) and [40,50) touch: one passage; [0,10) and [5,12) overlap */
	assert_int_equal(qda_spans_union(v, 5), 3);
	assert_int_equal(v[0], 0);
	assert_int_equal(v[1], 12);
	assert_int_equal(v[2], 30);
	assert_int_equal(v[3], 50);
	assert_int_equal(v[4], 60);
	assert_int_equal(v[5], 61);
	/* the gap-0 union (overlap only) keeps touching spans apart */
	{
		int64_t w[] = { 30, 40, 40, 50 };
		assert_int_equal(span_union(w, 2, 0), 2);
	}
}

static void contain_and_intersect(void **state)
{
	struct spans a = { 0 }, b = { 0 };
	int64_t av[] = { 0, 10, 20, 30 }, bv[] = { 5, 25 };
	(void)state;
	push_all(&a, av, 2);
	push_all(&b, bv, 1);
	assert_true(spans_contain(&a, 20, 30));
	assert_true(spans_contain(&a, 2, 3));
	assert_false(spans_contain(&a, 5, 25));
	assert_false(spans_contain(&a, 10, 11));
	assert_int_equal(spans_length(&a), 20);
	assert_int_equal(spans_intersect_length(&a, &b), 10);
	free(a.v);
	free(b.v);
}

static void pairs_within_never_fall_for_a_wider_window(void **state)
{
	struct spans e = { 0 }, f = { 0 };
	/* e [0,10) f [14,20) e [25,35) f [39,45): gaps 4, 5, 4 */
	int64_t ev[] = { 0, 10, 25, 35 }, fv[] = { 14, 20, 39, 45 };
	long last = 0;
	int64_t n;
	(void)state;
	push_all(&e, ev, 2);
	push_all(&f, fv, 2);
	assert_int_equal(spans_pairs_within(&e, &f, -1), 0);
	assert_int_equal(spans_pairs_within(&e, &f, 3), 0);
	assert_int_equal(spans_pairs_within(&e, &f, 4), 2);
	assert_int_equal(spans_pairs_within(&e, &f, 5), 3);
	assert_int_equal(spans_pairs_within(&f, &e, 5), 3);
	assert_int_equal(spans_pairs_within(&e, &f, 29), 4);
	for (n = -1; n < 60; n++) {
		long k = spans_pairs_within(&e, &f, n);
		assert_true(k >= last);
		assert_int_equal(k, spans_pairs_within(&f, &e, n));
		last = k;
	}
	free(e.v);
	free(f.v);
}

static void pairs_overlap_and_touch(void **state)
{
	struct spans c = { 0 }, d = { 0 };
	/* c [0,10) d [5,15) c [15,25) d [20,30) */
	int64_t cv[] = { 0, 10, 15, 25 }, dv[] = { 5, 15, 20, 30 };
	(void)state;
	push_all(&c, cv, 2);
	push_all(&d, dv, 2);
	assert_int_equal(spans_pairs_within(&c, &d, -1), 2);
	assert_int_equal(spans_pairs_within(&c, &d, 0), 3);
	free(c.v);
	free(d.v);
}

#define RULES_SQL "tests/fixtures/counting/rules.sql"

static void layout_lines_turns_and_interviewer_material(void **state)
{
	struct qda *h = fixture_project(RULES_SQL);
	struct layout L;
	(void)state;
	assert_int_equal(layout_open(h, LAYOUT_LINES | LAYOUT_TURNS, &L), QDA_OK);
	assert_int_equal(layout_load(&L, 1), QDA_OK);
	assert_int_equal(L.n_lines, 5);
	assert_int_equal(L.n_turns, 3);
	assert_int_equal(layout_line_of(&L, 0), 1);
	assert_int_equal(layout_line_of(&L, 21), 2);
	assert_int_equal(layout_line_of(&L, 99), 5);
	assert_int_equal(layout_turn_of(&L, 21), -1);
	assert_int_equal(layout_turn_of(&L, 22), 1);
	assert_int_equal(layout_turn_of(&L, 41), -1);
	/* two interviewer turns and the blank line between them: [0,42) */
	assert_int_equal(L.iv.n, 1);
	assert_true(layout_interviewer(&L, 0, 40));
	assert_true(layout_interviewer(&L, 0, 42));
	assert_false(layout_interviewer(&L, 0, 43));
	assert_false(layout_interviewer(&L, 42, 50));
	/* a document without turns has no interviewer material */
	assert_int_equal(layout_load(&L, 2), QDA_OK);
	assert_int_equal(L.n_turns, 0);
	assert_false(layout_interviewer(&L, 0, 10));
	layout_close(&L);
	close_fixture(h);
}

static void filter_where_lists_and_checks(void **state)
{
	struct qda *h = fixture_project(RULES_SQL);
	const char *ok[] = { "role=patient,relative" }, *bad[] = { "role=patinet" }, *key[] = { "rol=x" };
	struct qda_filter f = { 0 };
	struct filter_sql fs;
	char *s;
	(void)state;
	f.where = ok;
	f.n_where = 1;
	f.no_auto = 1;
	f.review = QDA_REVIEW_ACCEPTED;
	assert_int_equal(filter_prepare(h, &f, &fs), QDA_OK);
	assert_string_equal(fs.where.s, " AND EXISTS (SELECT 1 FROM attribute a WHERE a.case_id = d.case_id"
	                                " AND a.key = ? AND a.value IN (?, ?))");
	assert_string_equal(fs.coding.s, " AND c.method <> 'auto' AND c.state IN ('accepted', 'revised')");
	assert_int_equal(fs.n_params, 3);
	assert_string_equal(fs.params[2], "relative");
	filter_sql_free(&fs);
	f.where = bad;
	assert_int_equal(qda_filter_check(h, &f), QDA_EINPUT);
	assert_string_equal(qda_errmsg(h), "no case has role=patinet; did you mean 'patient'? ('qda cases' lists the values)");
	f.where = key;
	assert_int_equal(qda_filter_check(h, &f), QDA_EINPUT);
	f.where = NULL;
	f.n_where = 0;
	f.coder = "carol";
	assert_int_equal(qda_filter_check(h, &f), QDA_ENOTFOUND);
	s = qda_filter_describe(&f);
	assert_string_equal(s, "Codings by carol only; automatic codings left out; only codings a reviewer accepted"
	                       " (or revised); codings lying wholly in interviewer turns left out. A passage is a"
	                       " maximal run of coded text: overlapping and touching codings of one code are one"
	                       " passage, and a theme counts the union of its codes' passages.");
	free(s);
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passages_join_touching_spans),
		cmocka_unit_test(contain_and_intersect),
		cmocka_unit_test(pairs_within_never_fall_for_a_wider_window),
		cmocka_unit_test(pairs_overlap_and_touch),
		cmocka_unit_test(layout_lines_turns_and_interviewer_material),
		cmocka_unit_test(filter_where_lists_and_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
