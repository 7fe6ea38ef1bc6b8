/* test_agree.c — exact values of the agreement statistics: NVivo's kappa
 * check vector, Krippendorff's published alpha examples on the pure
 * function, and qda_agree, qda_agree_alpha and qda_agree_disagreements on
 * the hand-made projects of tests/fixtures/agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>
#include <cmocka.h>

#include "internal.h"

#define FIXTURE_NAME "agree"
#include "project_fixture.h"

/* The project of tests/fixtures/agree/<name>.sql. */
static struct qda *open_agree(const char *name)
{
	char file[256];
	snprintf(file, sizeof file, "tests/fixtures/agree/%s.sql", name);
	return fixture_project(file);
}

/* Rounded as printed: percentages to 2 decimals, kappa and alpha to 3. */
static long r3(double v)
{
	return lround(v * 1000);
}

static void nvivo_check_vector(void **state)
{
	struct qda_agree_counts c = { 1000, 150, 100, 50 };
	assert_int_equal(lround(qda_agree_percent(&c) * 100), 8500);
	assert_int_equal(r3(qda_agree_kappa(&c)), 318);
	assert_true(fabs(qda_agree_kappa(&c) - 70.0 / 220.0) < 1e-12);
	assert_int_equal(lround(qda_agree_coded(&c) * 100), 2500);
}

static void kappa_is_one_when_n_equals_ef(void **state)
{
	struct qda_agree_counts none = { 500, 0, 0, 0 }, all = { 500, 500, 500, 500 };
	assert_true(qda_agree_kappa(&none) == 1.0);
	assert_true(qda_agree_kappa(&all) == 1.0);
	assert_true(qda_agree_percent(&none) == 100.0);
	assert_true(isnan(qda_agree_coded(&none)));
}

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", C:
 * four observers, twelve units, nominal values with missing data. */
static void alpha_nominal_published_example(void **state)
{
	enum { M = -1 };
	static const int obs[4][12] = {
		{ 1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M },
		{ 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3 },
		{ M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M },
		{ 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M },
	};
	int v[12 * 4];
	size_t u, c;
	double a;
	for (u = 0; u < 12; u++)
		for (c = 0; c < 4; c++)
			v[u * 4 + c] = obs[c][u];
	a = qda_alpha_nominal(v, 12, 4);
	assert_int_equal(r3(a), 743);
	/* 1 - (n - 1) * sum o_ck / sum n_c n_k with n = 40 */
	assert_true(fabs(a - 0.743421) < 1e-6);
}

/* The same paper, A: two observers, ten units, binary data: 0.095. */
static void alpha_binary_published_example(void **state)
{
	static const int a[10] = { 0, 1, 0, 0, 0, 0, 0, 0, 1, 0 };
	static const int b[10] = { 1, 1, 1, 0, 0, 1, 0, 0, 0, 0 };
	int v[20];
	size_t u;
	for (u = 0; u < 10; u++) {
		v[2 * u] = a[u];
		v[2 * u + 1] = b[u];
	}
	assert_int_equal(r3(qda_alpha_nominal(v, 10, 2)), 95);
	assert_true(fabs(qda_alpha_nominal(v, 10, 2) - (1 - 19.0 * 8 / 168)) < 1e-12);
}

static void alpha_undefined_without_variation(void **state)
{
	static const int same[6] = { 1, 1, 1, 1, 1, 1 };
	static const int lone[6] = { 0, -1, -1, 1, 2, -1 };
	assert_true(isnan(qda_alpha_nominal(same, 3, 2)));
	/* no unit with two values: nothing pairable */
	assert_true(isnan(qda_alpha_nominal(lone, 3, 2)));
}

/* Krippendorff (1995), "On the reliability of unitizing continuous data",
 * Sociological Methodology 25:47-76, p. 57: four pairs of coders unitize a
 * continuum of 24 (one category each):
 *   A Bertha  0 0|1 1 1 1 1 1 1 1|0 0 0 0|1 1 1 1 1 1|0 0 0 0
 *     Bill    0 0 0 0|1 1 1 1|0 0 0 0 0 0 0|1 1|0 0 0 0 0 0 0
 *   B John    1 (x18)|0 (x6);  Jill: units [0,2) [2,3) [3,4) [4,5) [5,6) [6,9) [9,10)
 *   C Gerret  units [2,8) [10,12) [14,18) [20,22); Gill [0,2) [4,8) [10,14) [16,18) [20,22)
 *   D Heather units [0,2) [2,10) [10,14) [14,20) [20,24); Hill [0,4) [4,8) [8,15) [15,17) [17,24)
 * D_o is exact at any scale. By hand for A: the overlapping pairs of units
 * give (2-4)^2 + (10-8)^2 = 8 and (14-15)^2 + (20-17)^2 = 10; D_o = 2 * 18 /
 * (2 * 1 * 24^2) = 0.03125, the published value. D_e by hand at the scale
 * of 24: units 8, 6, 4, 2 (N = 4), gaps 2, 4, 4 and 4, 7, 7; the
 * numerator sums 840 + (330 + 36 * 4) + (84 + 16 * 11) + (6 + 4 * 22) =
 * 1668, the denominator 48 * 47 - (56 + 30 + 12 + 2) = 2156: D_e = 2/24 *
 * 1668 / 2156 = 0.0644712. The published alphas (.553, -.926, .679, .066)
 * are for the continuous case: the same continuum stretched 50,000 times
 * reproduces A (.553) and D (.066) to the third decimal; B comes to -.928
 * (D_e 1.1758 against the published 1.1773) and C to .693 (D_e .0905
 * against .0864). This follows the D_e of the 2004 textbook, which differs
 * slightly from the 1995 paper's formula: the likely source of those
 * differences (DKPro Statistics' tests of the same example allow 0.005 on
 * D_e and 0.02 on alpha). */
static double unitize(const int64_t *spans, const size_t *n, int64_t scale, int64_t length, double *d_o, double *d_e)
{
	int64_t v[2][32];
	const int64_t *p[2] = { v[0], v[1] };
	size_t i, c, k = 0;
	for (c = 0; c < 2; c++)
		for (i = 0; i < 2 * n[c]; i++)
			v[c][i] = spans[k++] * scale;
	return qda_alpha_u(p, n, 2, length * scale, d_o, d_e);
}

static void alpha_u_published_example(void **state)
{
	static const int64_t a[] = { 2, 10, 14, 20, 4, 8, 15, 17 };
	static const size_t na[] = { 2, 2 };
	static const int64_t b[] = { 0, 18, 0, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 9, 9, 10 };
	static const size_t nb[] = { 1, 7 };
	static const int64_t c[] = { 2, 8, 10, 12, 14, 18, 20, 22, 0, 2, 4, 8, 10, 14, 16, 18, 20, 22 };
	static const size_t nc[] = { 4, 5 };
	static const int64_t d[] = { 0, 2, 2, 10, 10, 14, 14, 20, 20, 24, 0, 4, 4, 8, 8, 15, 15, 17, 17, 24 };
	static const size_t nd[] = { 5, 5 };
	double d_o, d_e, x;
	x = unitize(a, na, 1, 24, &d_o, &d_e);
	assert_true(d_o == 0.03125);
	assert_true(fabs(d_e - 1668.0 / 2156 / 12) < 1e-15);
	assert_true(fabs(x - (1 - 0.03125 / (1668.0 / 2156 / 12))) < 1e-12);
	unitize(b, nb, 1, 24, &d_o, &d_e);
	assert_int_equal(lround(d_o * 1e5), 226736);
	unitize(c, nc, 1, 24, &d_o, &d_e);
	assert_int_equal(lround(d_o * 1e5), 2778);
	unitize(d, nd, 1, 24, &d_o, &d_e);
	assert_int_equal(lround(d_o * 1e5), 38715);
	assert_int_equal(r3(unitize(a, na, 50000, 24, NULL, NULL)), 553);
	assert_int_equal(r3(unitize(b, nb, 50000, 24, NULL, NULL)), -928);
	assert_int_equal(r3(unitize(c, nc, 50000, 24, NULL, NULL)), 693);
	assert_int_equal(r3(unitize(d, nd, 50000, 24, NULL, NULL)), 66);
}

static void alpha_u_perfect_and_undefined(void **state)
{
	static const int64_t same[] = { 3, 7, 3, 7 };
	static const size_t n1[] = { 1, 1 }, n0[] = { 0, 0 };
	double d_o, d_e;
	assert_true(unitize(same, n1, 1, 20, &d_o, &d_e) == 1.0);
	assert_true(d_o == 0);
	/* no unit at all: undefined */
	assert_true(isnan(unitize(same, n0, 1, 20, &d_o, &d_e)));
}

struct krows {
	struct { char code[16], doc[16]; struct qda_agree_counts c; } r[32];
	size_t n;
};

static int collect(void *ctx, const struct qda_agree_row *r)
{
	struct krows *k = ctx;
	assert_true(k->n < 32);
	snprintf(k->r[k->n].code, 16, "%s", r->code);
	snprintf(k->r[k->n].doc, 16, "%s", r->doc ? r->doc : "*");
	k->r[k->n].c = r->c;
	k->n++;
	return 0;
}

#define ASSERT_ROW(row, cd, dc, N, A, B, BOTH) do { \
	assert_string_equal((row).code, cd); assert_string_equal((row).doc, dc); \
	assert_int_equal((row).c.n, N); assert_int_equal((row).c.a, A); \
	assert_int_equal((row).c.b, B); assert_int_equal((row).c.both, BOTH); } while (0)

static void kappa_rows_per_code_and_document(void **state)
{
	struct qda *h = open_agree("project");
	const char *coders[] = { "alice", "bob" };
	struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .unit = QDA_AGREE_CHAR };
	struct qda_agree_summary sum;
	struct krows k = { 0 };
	assert_int_equal(qda_agree(h, &o, collect, &k, &sum), QDA_OK);
	assert_int_equal(k.n, 8);
	ASSERT_ROW(k.r[0], "t", "D1", 1000, 160, 170, 50);
	ASSERT_ROW(k.r[1], "t", "D2", 200, 60, 50, 35);
	ASSERT_ROW(k.r[2], "t", "*", 1200, 220, 220, 85);
	ASSERT_ROW(k.r[3], "k", "D1", 1000, 150, 100, 50);
	ASSERT_ROW(k.r[4], "k", "*", 1200, 150, 100, 50);
	ASSERT_ROW(k.r[5], "m", "D1", 1000, 10, 70, 0);
	ASSERT_ROW(k.r[6], "m", "D2", 200, 60, 50, 35);
	ASSERT_ROW(k.r[7], "m", "*", 1200, 70, 120, 35);
	assert_int_equal(r3(qda_agree_kappa(&k.r[2].c)), 249);
	assert_int_equal(r3(qda_agree_kappa(&k.r[5].c)), -18);
	assert_int_equal(sum.docs, 2);
	assert_int_equal(sum.docs_left_out, 1);
	assert_int_equal(sum.units, 1200);
	close_fixture(h);
}

static void kappa_turn_unit(void **state)
{
	struct qda *h = open_agree("project");
	const char *coders[] = { "alice", "bob" };
	struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .code = "t", .unit = QDA_AGREE_TURN };
	struct krows k = { 0 };
	assert_int_equal(qda_agree(h, &o, collect, &k, NULL), QDA_OK);
	assert_int_equal(k.n, 2);
	ASSERT_ROW(k.r[0], "t", "D1", 10, 3, 3, 2);
	ASSERT_ROW(k.r[1], "t", "*", 10, 3, 3, 2);
	assert_int_equal(r3(qda_agree_kappa(&k.r[1].c)), 524);
	close_fixture(h);
}

/* tests/fixtures/agree/interviewer.sql: codings wholly in interviewer
 * material are left out and its characters and turns are no units, unless
 * filter.include_interviewer. */
static void interviewer_material_is_left_out(void **state)
{
	struct qda *h = open_agree("interviewer");
	const char *coders[] = { "alice", "bob" };
	struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .code = "k", .doc = "D", .unit = QDA_AGREE_CHAR };
	struct krows k = { 0 };
	assert_int_equal(qda_agree(h, &o, collect, &k, NULL), QDA_OK);
	ASSERT_ROW(k.r[0], "k", "D", 70, 30, 40, 25);
	assert_true(qda_agree_kappa(&k.r[0].c) == 0.44);
	o.filter.include_interviewer = 1;
	k.n = 0;
	assert_int_equal(qda_agree(h, &o, collect, &k, NULL), QDA_OK);
	ASSERT_ROW(k.r[0], "k", "D", 100, 45, 60, 35);
	o.unit = QDA_AGREE_TURN;
	k.n = 0;
	assert_int_equal(qda_agree(h, &o, collect, &k, NULL), QDA_OK);
	ASSERT_ROW(k.r[0], "k", "D", 4, 4, 3, 3);
	o.filter.include_interviewer = 0;
	k.n = 0;
	assert_int_equal(qda_agree(h, &o, collect, &k, NULL), QDA_OK);
	ASSERT_ROW(k.r[0], "k", "D", 2, 2, 2, 2);
	close_fixture(h);
}

static void unknown_coder_names_the_known(void **state)
{
	struct qda *h = open_agree("project");
	const char *coders[] = { "alice", "zoe" };
	struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .unit = QDA_AGREE_CHAR };
	struct krows k = { 0 };
	assert_int_equal(qda_agree(h, &o, collect, &k, NULL), QDA_ENOTFOUND);
	assert_string_equal(qda_errmsg(h), "no coder 'zoe' in this project; the coders are alice, bob, carol");
	coders[1] = "alice";
	assert_int_equal(qda_agree(h, &o, collect, &k, NULL), QDA_EINVAL);
	close_fixture(h);
}

static char alpha_code[16];

/* The row, its code copied: the strings live during the callback only. */
static int alpha_collect(void *ctx, const struct qda_alpha_row *r)
{
	*(struct qda_alpha_row *)ctx = *r;
	snprintf(alpha_code, sizeof alpha_code, "%s", r->code);
	((struct qda_alpha_row *)ctx)->code = alpha_code;
	((struct qda_alpha_row *)ctx)->name = NULL;
	return 0;
}

static void alpha_end_to_end(void **state)
{
	struct qda *h = open_agree("alpha-nominal");
	const char *four[] = { "ann", "ben", "cat", "dan" };
	struct qda_agree_opts o = { .coders = four, .n_coders = 4, .domain = "v", .unit = QDA_AGREE_TURN, .nominal = 1 };
	struct qda_alpha_row r = { 0 };
	assert_int_equal(qda_agree_alpha(h, &o, alpha_collect, &r, NULL), QDA_OK);
	assert_string_equal(r.code, "v");
	assert_int_equal(r.n_values, 5);
	assert_true(r.units == 11 && r.pairable == 40);
	assert_int_equal(r3(r.alpha), 743);
	close_fixture(h);

	h = open_agree("alpha-binary");
	o.coders = four;
	o.n_coders = 2;
	o.domain = NULL;
	assert_int_equal(qda_agree_alpha(h, &o, alpha_collect, &r, NULL), QDA_OK);
	assert_string_equal(r.code, "q");
	assert_true(r.units == 10 && r.pairable == 20);
	assert_int_equal(r3(r.alpha), 95);
	close_fixture(h);
}

struct drows {
	char line[8][128];
	size_t n;
};

static int d_collect(void *ctx, const struct qda_disagreement *d)
{
	struct drows *k = ctx;
	assert_true(k->n < 8);
	snprintf(k->line[k->n++], 128, "%s %ld-%ld %ld %ld %s %s/%s %s", d->doc, d->line_first, d->line_last, d->start,
	         d->end, d->code, d->coded_by, d->not_by, d->text);
	return 0;
}

static void disagreements_with_text(void **state)
{
	struct qda *h = open_agree("review");
	const char *coders[] = { "alice", "bob" };
	struct qda_agree_opts o = { .coders = coders, .n_coders = 2, .unit = QDA_AGREE_CHAR };
	struct drows k = { 0 };
	assert_int_equal(qda_agree_disagreements(h, &o, d_collect, &k, NULL), QDA_OK);
	assert_int_equal(k.n, 3);
	assert_string_equal(k.line[0], "P1 1-1 5 16 trust bob/alice I trust her");
	assert_string_equal(k.line[1], "P1 1-1 17 25 listen bob/alice because ");
	assert_string_equal(k.line[2], "P1 2-3 38 64 time alice/bob Ben: And the doctor?\nAna: ");
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nvivo_check_vector),
		cmocka_unit_test(kappa_is_one_when_n_equals_ef),
		cmocka_unit_test(alpha_nominal_published_example),
		cmocka_unit_test(alpha_binary_published_example),
		cmocka_unit_test(alpha_undefined_without_variation),
		cmocka_unit_test(alpha_u_published_example),
		cmocka_unit_test(alpha_u_perfect_and_undefined),
		cmocka_unit_test(kappa_rows_per_code_and_document),
		cmocka_unit_test(kappa_turn_unit),
		cmocka_unit_test(interviewer_material_is_left_out),
		cmocka_unit_test(unknown_coder_names_the_known),
		cmocka_unit_test(alpha_end_to_end),
		cmocka_unit_test(disagreements_with_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
