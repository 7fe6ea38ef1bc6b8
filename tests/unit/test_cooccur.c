/* test_cooccur.c — exact co-occurrence counts on the hand-made project of
 * project_fixture.h: overlap regions, near:N, document, case and turn scopes, the
 * c-coefficient and character Jaccard. */
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

#define FIXTURE_NAME "cooccur"
#include "project_fixture.h"

#define N12(c, i, j) ((c)->n12[(i) * (c)->n + (j)])

static struct qda_cooccur *run(struct qda *h, enum qda_level level, enum qda_scope scope, long near, int iv)
{
	struct qda_cooccur_opts o = { 0 };
	struct qda_cooccur *c = NULL;
	o.level = level;
	o.scope = scope;
	o.near = near;
	o.filter.include_interviewer = iv;
	assert_int_equal(qda_cooccur(h, &o, &c), QDA_OK);
	return c;
}

static void overlap_at_code_level(void **state)
{
	struct qda *h = open_fixture();
	struct qda_cooccur *c = run(h, QDA_LEVEL_CODE, QDA_SCOPE_OVERLAP, 0, 0);
	assert_int_equal(c->n, 4);
	assert_string_equal(c->ids[0], "a");
	assert_string_equal(c->ids[1], "b");
	assert_string_equal(c->ids[2], "c");
	assert_string_equal(c->ids[3], "uu");
	assert_int_equal(c->freq[0], 2);
	assert_int_equal(c->freq[1], 2); /* two coders' overlapping spans in D3 are one segment */
	assert_int_equal(c->freq[2], 1); /* the interviewer-only coding is left out */
	assert_int_equal(N12(c, 0, 1), 1);
	assert_int_equal(N12(c, 1, 0), 1);
	assert_int_equal(N12(c, 0, 2), 0);
	assert_int_equal(N12(c, 0, 0), 2);
	assert_float_equal(qda_cooccur_c(c, 0, 1), 1.0 / 3.0, 1e-9);
	/* both: [5,10) = 5 chars; either: a 20 + b 25 - 5 = 40 */
	assert_float_equal(qda_cooccur_jaccard(c, 0, 1, QDA_SCOPE_OVERLAP), 5.0 / 40.0, 1e-9);
	assert_int_equal(qda_cooccur_skewed(c, 0, 1), 0);
	qda_cooccur_free(c);
	close_fixture(h);
}

static void themes_roll_up(void **state)
{
	struct qda *h = open_fixture();
	struct qda_cooccur *c = run(h, QDA_LEVEL_THEME, QDA_SCOPE_OVERLAP, 0, 0);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->ids[0], "t");
	assert_int_equal(c->freq[0], 4);
	assert_int_equal(c->freq[1], 1);
	assert_int_equal(N12(c, 0, 1), 0);
	qda_cooccur_free(c);
	close_fixture(h);
}

static void near_joins_spans_within_n_characters(void **state)
{
	struct qda *h = open_fixture();
	struct qda_cooccur *c = run(h, QDA_LEVEL_CODE, QDA_SCOPE_NEAR, 40, 0);
	assert_int_equal(N12(c, 0, 2), 1); /* a [0,10) and c [50,60): 40 apart */
	assert_int_equal(N12(c, 1, 2), 1);
	assert_int_equal(N12(c, 0, 1), 1);
	qda_cooccur_free(c);
	c = run(h, QDA_LEVEL_CODE, QDA_SCOPE_NEAR, 39, 0);
	assert_int_equal(N12(c, 0, 2), 0);
	assert_int_equal(N12(c, 1, 2), 1); /* b ends at 15 */
	qda_cooccur_free(c);
	close_fixture(h);
}

static void document_and_case_units(void **state)
{
	struct qda *h = open_fixture();
	struct qda_cooccur *c = run(h, QDA_LEVEL_CODE, QDA_SCOPE_DOC, 0, 0);
	assert_int_equal(c->freq[0], 2);
	assert_int_equal(c->freq[1], 2);
	assert_int_equal(N12(c, 0, 1), 1);
	assert_int_equal(N12(c, 0, 2), 1);
	assert_int_equal(N12(c, 1, 2), 1);
	assert_int_equal(N12(c, 2, 3), 0);
	qda_cooccur_free(c);
	c = run(h, QDA_LEVEL_CODE, QDA_SCOPE_CASE, 0, 0);
	assert_int_equal(c->freq[0], 1); /* D1 and D2 are one case */
	assert_int_equal(c->freq[1], 2);
	assert_int_equal(N12(c, 0, 1), 1);
	qda_cooccur_free(c);
	close_fixture(h);
}

static void turn_units(void **state)
{
	struct qda *h = open_fixture();
	struct qda_cooccur *c = run(h, QDA_LEVEL_CODE, QDA_SCOPE_TURN, 0, 1);
	assert_int_equal(c->freq[0], 0);
	assert_int_equal(c->freq[2], 1); /* c [75,80) lies in the one turn [70,100) */
	qda_cooccur_free(c);
	close_fixture(h);
}

/* The sweep against the pairwise reference: random codings of the four codes
 * on D1..D3 (text of 100 characters), then for each pair of codes the
 * passages that meet (spans_pairs_within) and the shared characters
 * (spans_intersect_length) summed over documents, at overlap and near:N. */
static void sweep_agrees_with_the_pairwise_reference(void **state)
{
	static const long long code[] = { 3, 4, 5, 7 };
	struct qda *h = open_fixture();
	unsigned seed = 12345;
	int round;
	(void)state;
	assert_int_equal(exec(h, "DELETE FROM coding_all"), QDA_OK);
	for (round = 0; round < 120; round++) {
		char sql[200];
		long long s, e;
		seed = seed * 1103515245u + 12345u;
		s = (seed >> 8) % 95;
		seed = seed * 1103515245u + 12345u;
		e = s + 1 + (long long)((seed >> 8) % 12);
		snprintf(sql, sizeof sql,
		         "INSERT OR IGNORE INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)"
		         " VALUES (%d, %lld, 1, %lld, %lld, 1, 1)",
		         1 + round % 3, code[(seed >> 4) % 4], s, e > 100 ? 100 : e);
		assert_int_equal(exec(h, sql), QDA_OK);
	}
	assert_true(scalar(h, "SELECT count(*) FROM coding") > 100);
	for (long near = -1; near <= 7; near += 4) {
		struct qda_cooccur *c = run(h, QDA_LEVEL_CODE, near < 0 ? QDA_SCOPE_OVERLAP : QDA_SCOPE_NEAR, near, 1);
		size_t i, j;
		assert_int_equal(c->n, 4);
		for (i = 0; i < 4; i++)
			for (j = i + 1; j < 4; j++) {
				long pairs = 0;
				int64_t both = 0;
				int d;
				for (d = 1; d <= 3; d++) {
					struct spans a = { 0 }, b = { 0 };
					char sql[160];
					sqlite3_stmt *st;
					snprintf(sql, sizeof sql, "SELECT node_id, start, end FROM coding WHERE doc_id = %d"
					         " AND node_id IN (%lld, %lld)", d, code[i], code[j]);
					assert_non_null(st = prep(h, sql));
					while (sqlite3_step(st) == SQLITE_ROW)
						assert_int_equal(spans_push(h, sqlite3_column_int64(st, 0) == code[i] ? &a : &b,
						                            sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)),
						                 QDA_OK);
					sqlite3_finalize(st);
					spans_passages(&a);
					spans_passages(&b);
					pairs += spans_pairs_within(&a, &b, near);
					both += spans_intersect_length(&a, &b);
					free(a.v);
					free(b.v);
				}
				assert_int_equal(N12(c, i, j), pairs);
				assert_int_equal(N12(c, j, i), pairs);
				assert_float_equal(c->both[i * 4 + j], (double)both, 1e-9);
			}
		qda_cooccur_free(c);
	}
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overlap_at_code_level),
		cmocka_unit_test(themes_roll_up),
		cmocka_unit_test(near_joins_spans_within_n_characters),
		cmocka_unit_test(document_and_case_units),
		cmocka_unit_test(turn_units),
		cmocka_unit_test(sweep_agrees_with_the_pairwise_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
