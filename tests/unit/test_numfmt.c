/* test_numfmt.c — qda_num_shortest against the plain way (printf asked for
 * each length, the fewest digits that read back), on figures of every
 * kind: ratios and percentages as the listings print them, powers of ten,
 * ties, the largest and smallest doubles, and random bit patterns. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qda.h"

static int reads_back(char *buf, int p, double v)
{
	return snprintf(buf, 32, "%.*g", p, v) < 32 && strtod(buf, NULL) == v;
}

/* the fewest p in 1..17 whose "%.*g" reads back as v */
static const char *plain(char *buf, double v)
{
	int p;
	for (p = 1; p < 17 && !reads_back(buf, p, v); p++)
		;
	if (p == 17)
		snprintf(buf, 32, "%.17g", v);
	return buf;
}

static void same(double v)
{
	char a[32], b[32];
	plain(a, v);
	qda_num_shortest(b, v);
	if (strcmp(a, b) != 0)
		fail_msg("%.17g: printf's shortest is %s, qda_num_shortest gave %s", v, a, b);
}

static uint64_t state = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
	/* xorshift64*: the same figures on every run */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545F4914F6CDD1Du;
}

static void figures_as_listings_print_them(void **st)
{
	long a, b;
	(void)st;
	for (a = 1; a <= 300; a++)
		for (b = 1; b <= 300; b++) {
			same((double)a / (double)b);
			same(100.0 * (double)a / (double)b);
			same(-(double)a / (double)b / 7.0);
			same((double)a / ((double)b + 0.5) - 0.5);
		}
}

static void edges(void **st)
{
	static const double v[] = { 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e-5, 1e-4, 0.001, 123456.789, 1e15, 1e16, 1e17,
	                            1e21, 1e22, 1e23, 5e-324, 2.2250738585072014e-308, DBL_MAX, -DBL_MAX, 9.5, 0.5,
	                            99.99999999999999, 999999999999999.9, 0.30000000000000004, 1.7976931348623157e308,
	                            4.35, 4.345, 0.000123456789, 1.5e-7, 12345678901234567890.0, -0.1, 0.0, -0.0 };
	size_t i;
	int e;
	(void)st;
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		same(v[i]);
	for (e = -320; e <= 308; e++) {
		same(pow(10, e));
		same(nextafter(pow(10, e), INFINITY));
		same(nextafter(pow(10, e), 0));
		same(5 * pow(10, e));
		same(9.5 * pow(10, e));
	}
}

static void random_doubles(void **st)
{
	long i;
	(void)st;
	for (i = 0; i < 100000; i++) {
		uint64_t bits = next();
		double v;
		memcpy(&v, &bits, sizeof v);
		if (!isfinite(v))
			continue;
		same(v);
		same((double)(next() % 1000000) / (double)(1 + next() % 1000000));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures_as_listings_print_them),
		cmocka_unit_test(edges),
		cmocka_unit_test(random_doubles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
