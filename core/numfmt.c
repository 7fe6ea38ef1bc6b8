/* numfmt.c — a double in the fewest significant digits that read back as
 * it, written as printf's "%.*g" writes it: the machine formats' numbers
 * (CSV, TSV, JSON), where a listing of agreement or co-occurrence can hold
 * a million of them. printf is asked once, for all 17 digits; the shorter
 * candidates are that string rounded, which is exact except when the digits
 * cut off are a 5 and zeros (then printf is asked for that length too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qda.h"

/* s: "-d.dddddddddddddddde+XX" from "%.16e"; the 17 digits and the exponent. */
static int split17(const char *s, int *neg, char d[17], int *exp10)
{
	int i = 0, k = 0;
	*neg = s[i] == '-';
	if (*neg)
		i++;
	for (; s[i] && s[i] != 'e'; i++)
		if (s[i] >= '0' && s[i] <= '9') {
			if (k == 17)
				return -1;
			d[k++] = s[i];
		}
	if (k != 17 || s[i] != 'e')
		return -1;
	*exp10 = atoi(s + i + 1);
	return 0;
}

/* The 17 digits rounded to p (half up): r[0..p), *x the new exponent;
 * -1 when the digits cut off are exactly a 5 and zeros (a tie printf may
 * break the other way, the exact value being above or below it). */
static int round_to(const char d[17], int exp10, int p, char *r, int *x)
{
	int i, up = 0;
	*x = exp10;
	memcpy(r, d, (size_t)p);
	if (p < 17) {
		if (d[p] == '5') {
			for (i = p + 1; i < 17 && d[i] == '0'; i++)
				;
			if (i == 17)
				return -1;
		}
		up = d[p] >= '5';
	}
	for (i = p - 1; up && i >= 0; i--) {
		if (r[i] == '9') {
			r[i] = '0';
		} else {
			r[i]++;
			up = 0;
		}
	}
	if (up) { /* 99..9 became 100..0 */
		r[0] = '1';
		for (i = 1; i < p; i++)
			r[i] = '0';
		(*x)++;
	}
	return 0;
}

/* p digits r with exponent x written as "%.*g" writes them. */
static void as_g(char *out, int neg, const char *r, int p, int x)
{
	char *o = out;
	int n = p, i;
	while (n > 1 && r[n - 1] == '0') /* %g drops trailing zeros */
		n--;
	if (neg)
		*o++ = '-';
	if (x < -4 || x >= p) {
		*o++ = r[0];
		if (n > 1) {
			*o++ = '.';
			memcpy(o, r + 1, (size_t)(n - 1));
			o += n - 1;
		}
		sprintf(o, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
		return;
	}
	if (x < 0) {
		*o++ = '0';
		*o++ = '.';
		for (i = -1; i > x; i--)
			*o++ = '0';
		memcpy(o, r, (size_t)n);
		o += n;
	} else {
		for (i = 0; i <= x; i++)
			*o++ = i < n ? r[i] : '0';
		if (n > x + 1) {
			*o++ = '.';
			memcpy(o, r + x + 1, (size_t)(n - x - 1));
			o += n - x - 1;
		}
	}
	*o = '\0';
}

/* "%.*g" of v with p digits into out[32]: does it read back as v? */
static int try_p(char *out, const char d[17], int neg, int exp10, int p, double v)
{
	char r[17];
	int x;
	if (round_to(d, exp10, p, r, &x) == 0)
		as_g(out, neg, r, p, x);
	else
		snprintf(out, 32, "%.*g", p, v);
	return strtod(out, NULL) == v;
}

const char *qda_num_shortest(char *buf, double v)
{
	char s[40], d[17], tmp[32];
	int neg, exp10, p, lo, hi;

	snprintf(s, sizeof s, "%.16e", v);
	if (split17(s, &neg, d, &exp10) != 0) { /* inf, nan */
		snprintf(buf, 32, "%.17g", v);
		return buf;
	}
	/* if p digits read back, p + 1 do too: 16 and 15 first (most figures
	 * need 16 or 17), then a binary search below */
	if (!try_p(buf, d, neg, exp10, 16, v)) {
		as_g(buf, neg, d, 17, exp10);
		return buf;
	}
	if (!try_p(tmp, d, neg, exp10, 15, v))
		return buf;
	for (lo = 1, hi = 15; lo < hi;) {
		p = (lo + hi) / 2;
		if (try_p(tmp, d, neg, exp10, p, v))
			hi = p;
		else
			lo = p + 1;
	}
	try_p(buf, d, neg, exp10, lo, v);
	return buf;
}
