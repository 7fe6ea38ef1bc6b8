/* test_saturation.c — exact figures of qda_saturation on the hand-made
 * project tests/fixtures/saturation/project.sql (its comment lists each
 * document's codes): the order, the new codes, the runs, and each verdict. */
#include <math.h>
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

#define FIXTURE_NAME "saturation"
#include "project_fixture.h"

#define SATURATION_SQL "tests/fixtures/saturation/project.sql"

static struct qda_saturation_opts defaults(void)
{
	struct qda_saturation_opts o = { 0 };
	o.order = QDA_SAT_IMPORT;
	o.level = QDA_LEVEL_CODE;
	o.base = 4;
	o.run = 2;
	o.threshold = 5;
	return o;
}

/* The documents' names in order, space-joined. */
static void names(const struct qda_saturation *s, char *buf, size_t n)
{
	size_t i, len = 0;
	buf[0] = '\0';
	for (i = 0; i < s->n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " " : "", s->rows[i].doc);
}

/* Import order: Kim a b c (3), Ali d (4), Bea e f (6), Joe g (7: the base),
 * Eve h (8), Dan x (9: run Eve+Dan 2/7), Ida (run 1/7), Cy (run 0/7: reached
 * at 8). Gus (no coding) and Hal (interviewer turn only) are left out. */
static void import_order_reached_at_8(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	static const long cum[] = { 3, 4, 6, 7, 8, 9, 9, 9 };
	char buf[128];
	size_t i;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	names(s, buf, sizeof buf);
	assert_string_equal(buf, "Kim Ali Bea Joe Eve Dan Ida Cy");
	for (i = 0; i < 8; i++)
		assert_int_equal(s->rows[i].cumulative, cum[i]);
	assert_string_equal(s->rows[0].new_ids, "a; b; c");
	assert_string_equal(s->rows[2].new_ids, "e; f");
	assert_string_equal(s->rows[6].new_ids, "");
	assert_string_equal(s->rows[0].key, "1");
	assert_int_equal(s->rows[4].run_new, -1);
	assert_true(isnan(s->rows[4].run_pct));
	assert_int_equal(s->rows[5].run_new, 2);
	assert_true(fabs(s->rows[5].run_pct - 200.0 / 7) < 1e-12);
	assert_int_equal(s->rows[6].run_new, 1);
	assert_int_equal(s->rows[7].run_new, 0);
	assert_int_equal(s->base_codes, 7);
	assert_int_equal(s->left_out, 2);
	assert_int_equal(s->verdict, QDA_SAT_REACHED);
	assert_int_equal(s->at, 8);
	assert_true(s->pct == 0);
	qda_saturation_free(s);
	close_fixture(h);
}

/* The threshold holds with equality: base Kim+Ali = 4 codes; runs 3, 2, 2,
 * 1, 0 new from position 4: 25% at position 7 is at the threshold of 25. */
static void threshold_is_at_or_under(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	o.base = 2;
	o.threshold = 25;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	assert_int_equal(s->base_codes, 4);
	assert_int_equal(s->rows[3].run_new, 3);
	assert_true(s->rows[3].run_pct == 75);
	assert_int_equal(s->verdict, QDA_SAT_REACHED);
	assert_int_equal(s->at, 7);
	assert_true(s->pct == 25);
	qda_saturation_free(s);
	o.threshold = 24.9;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	assert_int_equal(s->at, 8);
	qda_saturation_free(s);
	close_fixture(h);
}

/* By the interview date (reverse id order): Cy c e, Ida x, Dan b, Eve h
 * (base 5), Joe a g, Bea f (run 3/5), Ali d (2/5), Kim (1/5): not reached. */
static void attribute_order_not_reached(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	char buf[128];
	o.order = QDA_SAT_ATTR;
	o.attr = "interviewed";
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	names(s, buf, sizeof buf);
	assert_string_equal(buf, "Cy Ida Dan Eve Joe Bea Ali Kim");
	assert_int_equal(s->base_codes, 5);
	assert_true(s->rows[5].run_pct == 60);
	assert_true(s->rows[7].run_pct == 20);
	assert_int_equal(s->verdict, QDA_SAT_NOT_REACHED);
	assert_int_equal(s->no_key, 0);
	qda_saturation_free(s);
	close_fixture(h);
}

/* wave sorts as numbers (1 2 3 9 10 11 20), Joe's case has none: last. */
static void numeric_attribute_and_missing_values(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	char buf[128];
	o.order = QDA_SAT_ATTR;
	o.attr = "wave";
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	names(s, buf, sizeof buf);
	assert_string_equal(buf, "Eve Bea Kim Ida Ali Cy Dan Joe");
	assert_null(s->rows[7].key);
	assert_int_equal(s->no_key, 1);
	assert_int_equal(s->verdict, QDA_SAT_REACHED);
	assert_int_equal(s->at, 7);
	qda_saturation_free(s);
	close_fixture(h);
}

/* Date of the first counted coding: Eve and Joe tie (02-01 09:00), by name;
 * Kim's first coding is 01-10, bob's later one does not move it. */
static void date_order_ties_by_name(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	char buf[128];
	o.order = QDA_SAT_DATE;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	names(s, buf, sizeof buf);
	assert_string_equal(buf, "Ali Kim Bea Eve Joe Dan Ida Cy");
	assert_string_equal(s->rows[1].key, "2024-01-10T10:00:00Z");
	qda_saturation_free(s);
	close_fixture(h);
}

/* Sub-themes: Kim s1, Ali s2, Bea s3, then nothing new; Ida's only code x
 * lies under a theme, no sub-theme: Ida counts, brings none. */
static void subtheme_level(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	o.level = QDA_LEVEL_SUBTHEME;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	assert_int_equal(s->n, 8);
	assert_string_equal(s->rows[1].new_ids, "s2");
	assert_int_equal(s->base_codes, 3);
	assert_int_equal(s->rows[6].new_codes, 0);
	assert_int_equal(s->verdict, QDA_SAT_REACHED);
	assert_int_equal(s->at, 6);
	qda_saturation_free(s);
	close_fixture(h);
}

/* Edge cases: fewer documents than base + run; a base with no code. */
static void too_few_and_empty_base(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	const char *where[] = { "site=B" };
	o.filter.where = where;
	o.filter.n_where = 1;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	assert_int_equal(s->n, 2);
	assert_int_equal(s->verdict, QDA_SAT_TOO_FEW);
	assert_int_equal(s->rows[1].run_new, -1);
	qda_saturation_free(s);
	o.level = QDA_LEVEL_SUBTHEME;
	o.order = QDA_SAT_ATTR;
	o.attr = "interviewed";
	o.base = o.run = 1;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	assert_int_equal(s->base_codes, 0);
	assert_int_equal(s->verdict, QDA_SAT_EMPTY_BASE);
	assert_int_equal(s->rows[1].run_new, 1);
	assert_true(isnan(s->rows[1].run_pct));
	qda_saturation_free(s);
	close_fixture(h);
}

/* Hal's only coding lies in an interviewer turn: counted with the flag. */
static void interviewer_included(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	o.filter.include_interviewer = 1;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_OK);
	assert_int_equal(s->n, 9);
	assert_string_equal(s->rows[8].doc, "Hal");
	assert_string_equal(s->rows[8].new_ids, "y");
	assert_int_equal(s->rows[8].run_new, 1);
	assert_int_equal(s->left_out, 1);
	assert_int_equal(s->at, 8);
	qda_saturation_free(s);
	close_fixture(h);
}

static void bad_options(void **state)
{
	struct qda *h = fixture_project(SATURATION_SQL);
	struct qda_saturation_opts o = defaults();
	struct qda_saturation *s = NULL;
	o.run = 0;
	assert_int_equal(qda_saturation(h, &o, &s), QDA_EINVAL);
	assert_null(s);
	o = defaults();
	o.order = QDA_SAT_ATTR;
	o.attr = "wav";
	assert_int_equal(qda_saturation(h, &o, &s), QDA_EINPUT);
	assert_string_equal(qda_errmsg(h), "no case has an attribute 'wav'; did you mean 'wave'? ('qda cases' lists them)");
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(import_order_reached_at_8),
		cmocka_unit_test(threshold_is_at_or_under),
		cmocka_unit_test(attribute_order_not_reached),
		cmocka_unit_test(numeric_attribute_and_missing_values),
		cmocka_unit_test(date_order_ties_by_name),
		cmocka_unit_test(subtheme_level),
		cmocka_unit_test(too_few_and_empty_base),
		cmocka_unit_test(interviewer_included),
		cmocka_unit_test(bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
