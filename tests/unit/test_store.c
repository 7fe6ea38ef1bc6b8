/* test_store.c — unit tests of core/store.c: creating a project (mode
 * 0600, schema version), refusing to overwrite, transactions that roll back,
 * the audit trail, the coder requirement, and error messages cut between
 * characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "internal.h"

static char path[256];

static int setup(void **state)
{
	snprintf(path, sizeof path, "/tmp/qda-test-store-%d.qda", (int)getpid());
	unlink(path);
	return 0;
}

static int teardown(void **state)
{
	char p[300];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static void init_creates_private_file_with_schema(void **state)
{
	struct qda *h = NULL;
	struct stat sb;
	sqlite3_stmt *st;
	assert_int_equal(qda_init(path, &h), QDA_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	st = prep(h, "PRAGMA user_version");
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), qda_schema_version());
	sqlite3_finalize(st);
	st = prep(h, "PRAGMA foreign_keys");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	qda_close(h);
}

static void init_refuses_existing_file(void **state)
{
	struct qda *h = NULL;
	assert_int_equal(qda_init(path, &h), QDA_OK);
	qda_close(h);
	assert_int_equal(qda_init(path, &h), QDA_EEXIST);
	assert_true(strstr(qda_errmsg(h), "already exists") != NULL);
	qda_close(h);
}

static long count(struct qda *h, const char *sql)
{
	sqlite3_stmt *st = prep(h, sql);
	long n;
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void rollback_leaves_nothing_and_commit_logs(void **state)
{
	struct qda *h = NULL;
	long long id;
	assert_int_equal(qda_init(path, &h), QDA_OK);
	assert_int_equal(qda_begin(h, "qda case set X"), QDA_OK);
	assert_int_equal(case_ensure(h, "X", &id), QDA_OK);
	qda_rollback(h);
	assert_int_equal(count(h, "SELECT count(*) FROM cases"), 0);
	assert_int_equal(count(h, "SELECT count(*) FROM log"), 0);
	assert_int_equal(qda_begin(h, "qda case set Y"), QDA_OK);
	assert_int_equal(case_ensure(h, "Y", &id), QDA_OK);
	assert_int_equal(qda_commit(h, "one case"), QDA_OK);
	assert_int_equal(count(h, "SELECT count(*) FROM cases"), 1);
	assert_int_equal(count(h, "SELECT count(*) FROM log WHERE command = 'qda case set Y' AND summary = 'one case'"), 1);
	qda_close(h);
}

static void coder_required_then_created_once(void **state)
{
	struct qda *h = NULL;
	long long a = 0, b = 0;
	assert_int_equal(qda_init(path, &h), QDA_OK);
	assert_int_equal(coder_id(h, &a), QDA_EINVAL);
	assert_string_equal(qda_errmsg(h), "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	assert_int_equal(qda_set_coder(h, "Émilie"), QDA_OK);
	assert_int_equal(coder_id(h, &a), QDA_OK);
	assert_int_equal(coder_id(h, &b), QDA_OK);
	assert_true(a == b);
	assert_int_equal(count(h, "SELECT count(*) FROM coder"), 1);
	qda_close(h);
}

static void guids_are_uuid_v4(void **state)
{
	struct qda *h = NULL;
	long long id;
	sqlite3_stmt *st;
	const char *g;
	assert_int_equal(qda_init(path, &h), QDA_OK);
	assert_int_equal(case_ensure(h, "A", &id), QDA_OK);
	st = prep(h, "SELECT guid FROM cases");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	g = (const char *)sqlite3_column_text(st, 0);
	assert_int_equal(strlen(g), 36);
	assert_int_equal(g[8], '-');
	assert_int_equal(g[14], '4');
	assert_true(strchr("89ab", g[19]) != NULL);
	sqlite3_finalize(st);
	qda_close(h);
}

/* The GUIDs made in bulk (codings, reviews) are UUID version 7: valid UUID
 * text, each greater than the one before (the unique index is appended to),
 * and two handles start their counters apart. */
static void bulk_guids_are_uuid_v7_and_increasing(void **state)
{
	struct qda *h = NULL, *h2 = NULL;
	char prev[GUID_SIZE] = "", g[GUID_SIZE], other[GUID_SIZE];
	int i, k;
	assert_int_equal(qda_init(path, &h), QDA_OK);
	assert_int_equal(qda_open(path, 0, &h2), QDA_OK);
	for (i = 0; i < 10000; i++) {
		guid_new(h, g);
		assert_int_equal(strlen(g), 36);
		for (k = 0; k < 36; k++) {
			if (k == 8 || k == 13 || k == 18 || k == 23)
				assert_int_equal(g[k], '-');
			else
				assert_non_null(strchr("0123456789abcdef", g[k]));
		}
		assert_int_equal(g[14], '7');
		assert_non_null(strchr("89ab", g[19]));
		assert_true(strcmp(prev, g) < 0);
		memcpy(prev, g, sizeof g);
	}
	guid_new(h2, other);
	assert_true(strcmp(other + 14, g + 14) != 0);
	qda_close(h2);
	qda_close(h);
}

/* A text of n copies of the character c. */
static char *repeat(const char *c, size_t n)
{
	size_t k = strlen(c), i;
	char *s = malloc(n * k + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * k, c, k);
	s[n * k] = '\0';
	return s;
}

static void last_warning(void *ctx, const char *loc, const char *msg)
{
	(void)loc;
	snprintf(ctx, 4096, "%s", msg);
}

/* A message or location too long for the handle is cut at the end of a
 * character, whatever the width of the characters: 2047 bytes hold 1023
 * two-byte, 682 three-byte or 511 four-byte characters and a part of the
 * next, which goes. */
static void long_messages_are_cut_between_characters(void **state)
{
	static const struct {
		const char *c;
		size_t kept;
	} cases[] = { { "é", 2046 }, { "€", 2046 }, { "😀", 2044 }, { "a", 2047 } };
	struct qda *h = NULL;
	char warned[4096];
	size_t i, bad;
	assert_int_equal(qda_init(path, &h), QDA_OK);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = repeat(cases[i].c, 3000);
		assert_int_equal(seterr(h, QDA_EINPUT, "%s", s), QDA_EINPUT);
		assert_int_equal(strlen(qda_errmsg(h)), cases[i].kept);
		assert_int_equal(qda_text_check_utf8(qda_errmsg(h), strlen(qda_errmsg(h)), &bad), QDA_OK);
		assert_int_equal(seterr_at(h, QDA_EINPUT, s, "%s", s), QDA_EINPUT);
		assert_int_equal(strlen(qda_errmsg(h)), cases[i].kept);
		assert_int_equal(qda_text_check_utf8(qda_errloc(h), strlen(qda_errloc(h)), &bad), QDA_OK);
		assert_true(strlen(qda_errloc(h)) > 507 && strlen(qda_errloc(h)) <= 511);
		qda_set_warn(h, last_warning, warned);
		warnf(h, "", "%s", s);
		assert_int_equal(strlen(warned), cases[i].kept);
		free(s);
	}
	/* a short message is whole */
	seterr(h, QDA_EINPUT, "no case 'Émilie'");
	assert_string_equal(qda_errmsg(h), "no case 'Émilie'");
	qda_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(init_creates_private_file_with_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(init_refuses_existing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(rollback_leaves_nothing_and_commit_logs, setup, teardown),
		cmocka_unit_test_setup_teardown(coder_required_then_created_once, setup, teardown),
		cmocka_unit_test_setup_teardown(guids_are_uuid_v4, setup, teardown),
		cmocka_unit_test_setup_teardown(bulk_guids_are_uuid_v7_and_increasing, setup, teardown),
		cmocka_unit_test_setup_teardown(long_messages_are_cut_between_characters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
