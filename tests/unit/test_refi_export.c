/* test_refi_export.c — qda_export_qdpx on the counting fixture: what it
 * holds, the same bytes twice, nothing handed to the writer when the export
 * fails, and a writer's failure reported as QDA_EIO. */
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

#define FIXTURE_NAME "refi-export"
#include "project_fixture.h"

struct sink {
	struct buf b;
	int calls, fail;
};

static int collect(void *ctx, const void *bytes, size_t n)
{
	struct sink *s = ctx;
	s->calls++;
	if (s->fail)
		return 1;
	return buf_add(&s->b, bytes, n);
}

static void the_fixture_exports_whole_and_the_same_twice(void **state)
{
	struct qda *h = open_fixture();
	struct qda_export_report rep;
	struct sink a = { 0 }, b = { 0 };
	(void)state;
	assert_int_equal(qda_export_qdpx(h, collect, &a, &rep), QDA_OK);
	assert_int_equal(rep.documents, 4);
	assert_int_equal(rep.codings, 8);
	assert_int_equal(rep.codes, 7);
	assert_int_equal(rep.cases, 3);
	assert_int_equal(rep.variables, 1);
	assert_int_equal(rep.notes, 0);
	assert_int_equal(rep.users, 2);
	assert_int_equal(rep.codings_skipped, 0);
	assert_true(a.b.len > 4);
	assert_memory_equal(a.b.s, "PK\3\4", 4);
	assert_int_equal(qda_export_qdpx(h, collect, &b, NULL), QDA_OK);
	assert_int_equal(a.b.len, b.b.len);
	assert_memory_equal(a.b.s, b.b.s, a.b.len);
	buf_free(&a.b);
	buf_free(&b.b);
	close_fixture(h);
}

static void a_failed_export_writes_nothing(void **state)
{
	struct qda *h = open_fixture();
	struct sink s = { 0 };
	(void)state;
	assert_int_equal(exec(h, "DROP VIEW coding; CREATE VIEW coding AS SELECT 1 AS x"), QDA_OK);
	assert_int_equal(qda_export_qdpx(h, collect, &s, NULL), QDA_EDB);
	assert_int_equal(s.calls, 0);
	assert_non_null(strstr(qda_errmsg(h), "no such column"));
	close_fixture(h);
}

static void a_writer_that_fails_is_an_io_error(void **state)
{
	struct qda *h = open_fixture();
	struct sink s = { .fail = 1 };
	(void)state;
	assert_int_equal(qda_export_qdpx(h, collect, &s, NULL), QDA_EIO);
	assert_int_equal(s.calls, 1);
	assert_string_equal(qda_errmsg(h), "cannot write the REFI-QDA project");
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_fixture_exports_whole_and_the_same_twice),
		cmocka_unit_test(a_failed_export_writes_nothing),
		cmocka_unit_test(a_writer_that_fails_is_an_io_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
