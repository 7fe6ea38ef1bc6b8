/* test_codebook.c — the codebook module: parsing with exact error places,
 * shorthand codes, the JSON snapshot read back to the same codebook, loading
 * by id (unchanged on a second load, refusal of a node with codings), and the
 * merge that folds a coder's touching codings into one. */
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

#define FIXTURE_NAME "codebook"
#include "project_fixture.h"

struct errs {
	char loc[8][64];
	char msg[8][256];
	int n;
};

static void collect(void *ctx, const char *loc, const char *msg)
{
	struct errs *e = ctx;
	if (e->n < 8) {
		snprintf(e->loc[e->n], sizeof e->loc[0], "%s", loc);
		snprintf(e->msg[e->n], sizeof e->msg[0], "%s", msg);
	}
	e->n++;
}

static long parse(const char *text, struct cb *cb, struct errs *e)
{
	memset(e, 0, sizeof *e);
	return cb_parse("t.yaml", text, strlen(text), cb, collect, e);
}

static void test_parse_tree(void **state)
{
	struct cb cb;
	struct errs e;
	(void)state;
	assert_int_equal(parse("codebook: T\nthemes:\n  - id: a\n    name: A\n    codes: [Écoute attentive, {id: b, name: B}]\n"
	                       "    subthemes:\n      - id: s\n        name: S\n",
	                       &cb, &e),
	                 0);
	assert_int_equal(cb.n, 4);
	/* sub-themes come before codes whatever the order of the keys */
	assert_string_equal(cb.nodes[1].id, "s");
	assert_int_equal(cb.nodes[1].kind, CB_SUBTHEME);
	assert_string_equal(cb.nodes[2].id, "ecoute-attentive");
	assert_string_equal(cb.nodes[2].name, "Écoute attentive");
	assert_int_equal(cb.nodes[2].kind, CB_CODE);
	assert_int_equal(cb.nodes[2].depth, 2);
	assert_string_equal(cb.nodes[3].status, "candidate");
	assert_int_equal(cb.nodes[0].first_child, 1);
	assert_int_equal(cb.nodes[1].next_sibling, 2);
	cb_free(&cb);
}

static void test_parse_errors_in_order(void **state)
{
	struct cb cb;
	struct errs e;
	(void)state;
	assert_int_equal(parse("codebook: T\nthemes:\n  - id: A!\n    name: A\n    stauts: defined\n  - id: b\n"
	                       "    name: B\n    status: done\n    patterns: ['a)']\n",
	                       &cb, &e),
	                 4);
	assert_string_equal(e.loc[0], "t.yaml:3:9");
	assert_string_equal(e.msg[0], "bad id 'A!': use only lower-case letters a-z, digits, '.', '_' and '-'");
	assert_string_equal(e.loc[1], "t.yaml:5:5");
	assert_string_equal(e.msg[1], "unknown key 'stauts'; did you mean 'status'?");
	assert_string_equal(e.loc[2], "t.yaml:8:13");
	assert_string_equal(e.loc[3], "t.yaml:9:16");
	assert_string_equal(e.msg[3], "invalid pattern 'a)': unmatched closing parenthesis at offset 1");
	cb_free(&cb);
}

static void test_parse_structure_errors(void **state)
{
	struct cb cb;
	struct errs e;
	(void)state;
	assert_int_equal(parse("", &cb, &e), 1);
	assert_string_equal(e.loc[0], "t.yaml:1:1");
	cb_free(&cb);
	assert_int_equal(parse("- a\n", &cb, &e), 1);
	cb_free(&cb);
	assert_int_equal(parse("codebook: T\n", &cb, &e), 1);
	assert_string_equal(e.msg[0], "no 'themes:'; add the list of themes");
	cb_free(&cb);
	assert_int_equal(parse("codebook: T\nthemes:\n  - id: a\n    name: A\n    include: {x: 1}\n    color: red\n", &cb, &e), 2);
	assert_string_equal(e.msg[0], "'include' must be a list of text, not a mapping");
	assert_string_equal(e.msg[1], "bad color 'red'; write it as \"#rrggbb\" (quoted)");
	cb_free(&cb);
	assert_int_equal(parse("codebook: T\nthemes: []\n---\ncodebook: U\n", &cb, &e), 1);
	assert_string_equal(e.loc[0], "t.yaml:3:1");
	cb_free(&cb);
}

static void test_json_round_trip(void **state)
{
	struct cb a, b;
	struct errs e;
	struct cb_changes c = { 0 };
	struct qda h;
	char *json;
	(void)state;
	memset(&h, 0, sizeof h);
	assert_int_equal(parse("codebook: \"T \\\"q\\\"\"\ndescription: \"line\\nnext\\ttab\"\nthemes:\n  - id: a\n    name: A\n"
	                       "    keywords: [\"é\", 'back\\slash']\n    patterns: ['\\btrust\\b']\n    color: '#abcdef'\n"
	                       "    codes: [x, y]\n",
	                       &a, &e),
	                 0);
	json = cb_to_json(&a);
	assert_non_null(json);
	assert_int_equal(cb_parse("snap", json, strlen(json), &b, collect, &e), 0);
	assert_int_equal(cb_diff(&h, &a, &b, &c), QDA_OK);
	assert_int_equal(c.n, 0);
	assert_string_equal(b.description, "line\nnext\ttab");
	assert_string_equal(b.nodes[0].keywords.v[1], "back\\slash");
	cb_changes_free(&c);
	cb_free(&a);
	cb_free(&b);
	free(json);
}

/* One case, one document of 26 letters on one line, coders ann and bob. */
static struct qda *project(void)
{
	return fixture_project_sql("INSERT INTO cases(id, name) VALUES (1, 'P01');"
	                           "INSERT INTO document_all(id, name, case_id, format, source_hash, text_hash, text, length, lines,"
	                           " words) VALUES (1, 'P01', 1, 'txt', 's', 't', 'abcdefghijklmnopqrstuvwxyz', 26, 1, 1);"
	                           "INSERT INTO line(doc_id, n, start, end) VALUES (1, 1, 0, 26);"
	                           "INSERT INTO coder(id, name) VALUES (1, 'ann'), (2, 'bob');");
}

static const char *write_yaml(const char *name, const char *text)
{
	static char p[2][300];
	static int k;
	FILE *fp;
	k = !k;
	snprintf(p[k], sizeof p[k], "/tmp/qda-test-codebook-%d-%s", (int)getpid(), name);
	fp = fopen(p[k], "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return p[k];
}

static int count_changes(void *ctx, const struct qda_cb_change *c)
{
	(void)c;
	(*(int *)ctx)++;
	return 0;
}

static long long one(struct qda *h, const char *sql)
{
	sqlite3_stmt *st = prep(h, sql);
	long long v = -1;
	assert_non_null(st);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_load_update_refuse(void **state)
{
	struct qda *h = project();
	struct qda_codebook_load_result r;
	struct errs e = { 0 };
	const char *v1 = write_yaml("v1.yaml", "codebook: T\nthemes:\n  - id: a\n    name: A\n    codes: [b, c]\n");
	const char *v2 = write_yaml("v2.yaml", "codebook: T\nthemes:\n  - id: a\n    name: A2\n    codes: [b]\n");
	int n = 0;
	(void)state;
	assert_int_equal(qda_codebook_load(h, v1, 0, collect, count_changes, &n, &r), QDA_OK);
	assert_int_equal(n, 4); /* title, a, b, c */
	assert_int_equal(r.version, 1);
	n = 0;
	assert_int_equal(qda_codebook_load(h, v1, 0, collect, count_changes, &n, &r), QDA_OK);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(n, 0);
	assert_int_equal(exec(h, "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)"
	                         " SELECT 1, id, 1, 0, 5, 1, 1 FROM node WHERE key = 'c'"),
	                 QDA_OK);
	assert_int_equal(qda_codebook_load(h, v2, 0, collect, count_changes, &e, &r), QDA_EINPUT);
	assert_int_equal(one(h, "SELECT count(*) FROM node WHERE name = 'A'"), 1);
	assert_int_equal(qda_codebook_load(h, v2, 1, collect, NULL, NULL, &r), QDA_OK);
	assert_int_equal(r.version, 2);
	assert_int_equal(one(h, "SELECT retired FROM node WHERE key = 'c'"), 1);
	assert_int_equal(one(h, "SELECT count(*) FROM codebook_version"), 2);
	unlink(v1);
	unlink(v2);
	close_fixture(h);
}

static void test_merge_combines(void **state)
{
	struct qda *h = project();
	struct qda_codebook_load_result r;
	struct qda_theme_merge_result m;
	const char *v1 = write_yaml("m.yaml", "codebook: T\nthemes:\n  - id: a\n    name: A\n    codes: [b, c, d]\n");
	const char *from[] = { "b", "c" };
	(void)state;
	assert_int_equal(qda_codebook_load(h, v1, 0, NULL, NULL, NULL, &r), QDA_OK);
	/* ann: [0,5) b and [5,9) c touch, [3,4) d overlaps but is not merged;
	 * bob: [2,6) c stays his own */
	assert_int_equal(exec(h, "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last) VALUES"
	                         " (1, (SELECT id FROM node WHERE key = 'b'), 1, 0, 5, 1, 1),"
	                         " (1, (SELECT id FROM node WHERE key = 'c'), 1, 5, 9, 1, 1),"
	                         " (1, (SELECT id FROM node WHERE key = 'd'), 1, 3, 4, 1, 1),"
	                         " (1, (SELECT id FROM node WHERE key = 'c'), 2, 2, 6, 1, 1),"
	                         " (1, (SELECT id FROM node WHERE key = 'b'), 1, 12, 14, 1, 1)"),
	                 QDA_OK);
	assert_int_equal(qda_theme_merge(h, from, 2, "e", "E", NULL, NULL, &m), QDA_OK);
	assert_int_equal(m.moved, 4);
	assert_int_equal(m.combined, 1);
	assert_int_equal(m.created, 1);
	assert_int_equal(one(h, "SELECT count(*) FROM coding"), 4);
	assert_int_equal(one(h, "SELECT end FROM coding WHERE coder_id = 1 AND start = 0"), 9);
	/* b is gone; c stays retired: the coding of c folded into ann's run is
	 * marked removed (schema 2), not deleted, and still names its code */
	assert_int_equal(one(h, "SELECT count(*) FROM node WHERE key = 'b'"), 0);
	assert_int_equal(one(h, "SELECT retired FROM node WHERE key = 'c'"), 1);
	assert_int_equal(one(h, "SELECT count(*) FROM coding_all c JOIN node n ON n.id = c.node_id"
	                        " WHERE n.key = 'c' AND c.removed_why = 'merged'"), 1);
	assert_int_equal(one(h, "SELECT count(*) FROM codebook_version"), 2);
	unlink(v1);
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_tree),
		cmocka_unit_test(test_parse_errors_in_order),
		cmocka_unit_test(test_parse_structure_errors),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_load_update_refuse),
		cmocka_unit_test(test_merge_combines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
