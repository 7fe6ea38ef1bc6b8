/* test_freq.c — exact counts of qda_freq on a hand-made project: segments,
 * documents and cases, union roll-up, overlapping codings of two coders, a
 * case with two documents, groups by attribute, interviewer-only codings. */
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

#define FIXTURE_NAME "freq"
#include "project_fixture.h"

struct got {
	char id[16];
	int depth;
	struct qda_freq_cell all;
	struct qda_freq_cell groups[4];
	size_t n_groups;
	char group_names[4][16];
	long group_cases[4];
	long excluded, cases, documents;
};

struct collect {
	struct got rows[16];
	size_t n;
};

static int collect(void *ctx, const struct qda_freq_result *res, const struct qda_freq_row *r)
{
	struct collect *c = ctx;
	struct got *g = &c->rows[c->n++];
	size_t i;
	snprintf(g->id, sizeof g->id, "%s", r->id);
	g->depth = r->depth;
	g->all = r->all;
	g->n_groups = res->n_groups;
	for (i = 0; i < res->n_groups && i < 4; i++) {
		g->groups[i] = r->groups[i];
		snprintf(g->group_names[i], sizeof g->group_names[i], "%s", res->groups[i].value);
		g->group_cases[i] = res->groups[i].cases;
	}
	g->excluded = res->excluded_interviewer;
	g->cases = res->cases;
	g->documents = res->documents;
	return 0;
}

static const struct got *find(const struct collect *c, const char *id)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->rows[i].id, id) == 0)
			return &c->rows[i];
	fail_msg("no row %s", id);
	return NULL;
}

#define ASSERT_CELL(cell, s, d, k) do { \
	assert_int_equal((cell).segments, s); \
	assert_int_equal((cell).documents, d); \
	assert_int_equal((cell).cases, k); } while (0)

static void union_rollup_in_tree_order(void **state)
{
	struct qda *h = open_fixture();
	struct qda_freq_opts o = { 0 };
	struct collect c = { 0 };
	assert_int_equal(qda_freq(h, &o, collect, &c), QDA_OK);
	assert_int_equal(c.n, 7);
	/* tree order: t, s, a, b, c, u, uu */
	assert_string_equal(c.rows[0].id, "t");
	assert_string_equal(c.rows[1].id, "s");
	assert_string_equal(c.rows[2].id, "a");
	assert_string_equal(c.rows[3].id, "b");
	assert_string_equal(c.rows[4].id, "c");
	assert_string_equal(c.rows[5].id, "u");
	assert_string_equal(c.rows[6].id, "uu");
	assert_int_equal(c.rows[2].depth, 3);
	ASSERT_CELL(find(&c, "a")->all, 2, 2, 1);  /* a case with two documents counts once */
	ASSERT_CELL(find(&c, "b")->all, 2, 2, 2);  /* two coders' overlapping spans: one segment */
	ASSERT_CELL(find(&c, "s")->all, 3, 3, 2);  /* a and b overlap in D1: one segment */
	ASSERT_CELL(find(&c, "c")->all, 1, 1, 1);  /* the interviewer-only coding is left out */
	ASSERT_CELL(find(&c, "t")->all, 4, 3, 2);
	ASSERT_CELL(find(&c, "u")->all, 1, 1, 1);
	assert_int_equal(c.rows[0].excluded, 1);
	assert_int_equal(c.rows[0].cases, 3);
	assert_int_equal(c.rows[0].documents, 4);
	close_fixture(h);
}

static void groups_by_attribute(void **state)
{
	struct qda *h = open_fixture();
	struct qda_freq_opts o = { 0 };
	struct collect c = { 0 };
	const struct got *t, *u;
	o.by = "role";
	o.level = QDA_LEVEL_THEME;
	assert_int_equal(qda_freq(h, &o, collect, &c), QDA_OK);
	assert_int_equal(c.n, 2);
	t = find(&c, "t");
	u = find(&c, "u");
	assert_int_equal(t->n_groups, 2);
	assert_string_equal(t->group_names[0], "clinician");
	assert_string_equal(t->group_names[1], "patient");
	assert_int_equal(t->group_cases[0], 1);
	assert_int_equal(t->group_cases[1], 2);
	ASSERT_CELL(t->groups[0], 0, 0, 0);
	ASSERT_CELL(t->groups[1], 4, 3, 2);
	ASSERT_CELL(u->groups[0], 1, 1, 1);
	ASSERT_CELL(u->groups[1], 0, 0, 0);
	close_fixture(h);
}

static void one_coder_and_interviewer_included(void **state)
{
	struct qda *h = open_fixture();
	struct qda_freq_opts o = { 0 };
	struct collect c = { 0 };
	o.filter.coder = "bob";
	assert_int_equal(qda_freq(h, &o, collect, &c), QDA_OK);
	ASSERT_CELL(find(&c, "s")->all, 2, 2, 2);
	ASSERT_CELL(find(&c, "t")->all, 2, 2, 2);
	ASSERT_CELL(find(&c, "u")->all, 0, 0, 0);
	memset(&c, 0, sizeof c);
	o.filter.coder = NULL;
	o.filter.include_interviewer = 1;
	assert_int_equal(qda_freq(h, &o, collect, &c), QDA_OK);
	ASSERT_CELL(find(&c, "c")->all, 2, 1, 1);
	ASSERT_CELL(find(&c, "t")->all, 5, 3, 2);
	close_fixture(h);
}

static void where_and_words(void **state)
{
	struct qda *h = open_fixture();
	struct qda_freq_opts o = { 0 };
	struct collect c = { 0 };
	const char *where[] = { "role=clinician" };
	o.filter.where = where;
	o.filter.n_where = 1;
	o.words = 1;
	assert_int_equal(qda_freq(h, &o, collect, &c), QDA_OK);
	ASSERT_CELL(find(&c, "t")->all, 0, 0, 0);
	ASSERT_CELL(find(&c, "u")->all, 1, 1, 1);
	assert_int_equal(find(&c, "u")->all.words, 2); /* "un de|ux": two words touched */
	assert_int_equal(c.rows[0].cases, 1);
	assert_int_equal(c.rows[0].documents, 1);
	close_fixture(h);
}

static void unknown_coder_is_an_error(void **state)
{
	struct qda *h = open_fixture();
	struct qda_freq_opts o = { 0 };
	struct collect c = { 0 };
	o.filter.coder = "zoe";
	assert_int_equal(qda_freq(h, &o, collect, &c), QDA_ENOTFOUND);
	assert_string_equal(qda_errmsg(h), "no coder 'zoe' in this project");
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(union_rollup_in_tree_order),
		cmocka_unit_test(groups_by_attribute),
		cmocka_unit_test(one_coder_and_interviewer_included),
		cmocka_unit_test(where_and_words),
		cmocka_unit_test(unknown_coder_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
