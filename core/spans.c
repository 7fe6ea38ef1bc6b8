/* spans.c — interval arithmetic on spans of text, [start, end) pairs of
 * code-point offsets: sort, union into passages, containment, intersection.
 * The one place the counting modules (freq, cooccur, agree, retrieve,
 * theme merge) take their span rules from. */
#include <stdlib.h>

#include "internal.h"

int span_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

size_t span_union(int64_t *v, size_t n, int64_t gap)
{
	size_t k, m = 0;
	if (n == 0)
		return 0;
	/* skip the sort when the spans came sorted (a query's order) */
	for (k = 1; k < n; k++)
		if (span_cmp(v + 2 * (k - 1), v + 2 * k) > 0) {
			qsort(v, n, 2 * sizeof *v, span_cmp);
			break;
		}
	for (k = 1; k < n; k++) {
		if (v[2 * k] < v[2 * m + 1] + gap) {
			if (v[2 * k + 1] > v[2 * m + 1])
				v[2 * m + 1] = v[2 * k + 1];
		} else {
			m++;
			v[2 * m] = v[2 * k];
			v[2 * m + 1] = v[2 * k + 1];
		}
	}
	return m + 1;
}

size_t qda_spans_union(int64_t *v, size_t n)
{
	return span_union(v, n, 1);
}

size_t spans_passages(struct spans *s)
{
	return s->n = span_union(s->v, s->n, 1);
}

enum qda_status spans_push(struct qda *h, struct spans *s, int64_t start, int64_t end)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int64_t *v = realloc(s->v, cap * 2 * sizeof *v);
		if (!v)
			return seterr(h, QDA_ENOMEM, "out of memory");
		s->v = v;
		s->cap = cap;
	}
	s->v[2 * s->n] = start;
	s->v[2 * s->n + 1] = end;
	s->n++;
	return QDA_OK;
}

int spans_contain(const struct spans *s, int64_t start, int64_t end)
{
	size_t lo = 0, hi = s->n;
	/* the last span starting at or before start */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->v[2 * mid] <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && s->v[2 * (lo - 1) + 1] >= end;
}

int64_t spans_length(const struct spans *s)
{
	int64_t n = 0;
	size_t i;
	for (i = 0; i < s->n; i++)
		n += s->v[2 * i + 1] - s->v[2 * i];
	return n;
}

int64_t spans_intersect_length(const struct spans *a, const struct spans *b)
{
	size_t i = 0, j = 0;
	int64_t n = 0;
	while (i < a->n && j < b->n) {
		int64_t s = a->v[2 * i] > b->v[2 * j] ? a->v[2 * i] : b->v[2 * j];
		int64_t e = a->v[2 * i + 1] < b->v[2 * j + 1] ? a->v[2 * i + 1] : b->v[2 * j + 1];
		if (s < e)
			n += e - s;
		if (a->v[2 * i + 1] < b->v[2 * j + 1])
			i++;
		else
			j++;
	}
	return n;
}

long spans_pairs_within(const struct spans *a, const struct spans *b, int64_t near)
{
	size_t i, j0 = 0, j;
	long count = 0;
	/* a and b meet when the gap between them is at most near characters:
	 * b starts at most near after a ends and ends at most near before a
	 * starts. near = -1 asks for a shared character (overlap). Both lists
	 * are sorted and disjoint, so their ends increase with their starts. */
	for (i = 0; i < a->n; i++) {
		int64_t s = a->v[2 * i], e = a->v[2 * i + 1];
		while (j0 < b->n && b->v[2 * j0 + 1] < s - near)
			j0++;
		for (j = j0; j < b->n && b->v[2 * j] <= e + near; j++)
			count++;
	}
	return count;
}
