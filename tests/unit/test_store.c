/* test_store.c — unit tests of core/store.c: creating a project (mode
 * 0600, schema version), refusing to overwrite, transactions that roll back,
 * the audit trail, and the coder requirement. */
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
	qda_set_coder(h, "Émilie");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(init_creates_private_file_with_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(init_refuses_existing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(rollback_leaves_nothing_and_commit_logs, setup, teardown),
		cmocka_unit_test_setup_teardown(coder_required_then_created_once, setup, teardown),
		cmocka_unit_test_setup_teardown(guids_are_uuid_v4, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
