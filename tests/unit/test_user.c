/* test_user.c — unit tests of core/user.c (accounts for qda serve: argon2id
 * hashes, logins, roles) and core/reader.c (a document's text and version,
 * a coding's version that changes with what a page shows). */
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

static char path[256], txt[256];

static int setup(void **state)
{
	struct qda *h = NULL;
	FILE *fp;
	snprintf(path, sizeof path, "/tmp/qda-test-user-%d.qda", (int)getpid());
	snprintf(txt, sizeof txt, "/tmp/E01-%d.txt", (int)getpid());
	unlink(path);
	assert_int_equal(qda_init(path, &h), QDA_OK);
	*state = h;
	fp = fopen(txt, "w");
	assert_non_null(fp);
	fputs("Élodie: 😊 Là, j’ai été écoutée.\nCamille: D’accord.\n", fp);
	fclose(fp);
	return 0;
}

static int teardown(void **state)
{
	char p[300];
	qda_close(*state);
	unlink(path);
	unlink(txt);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static void add(struct qda *h, const char *name, enum qda_role role, const char *pw, enum qda_status want)
{
	assert_int_equal(qda_begin(h, "qda user add"), QDA_OK);
	assert_int_equal(qda_user_add(h, name, role, pw), want);
	if (want == QDA_OK)
		assert_int_equal(qda_commit(h, "account"), QDA_OK);
	else
		qda_rollback(h);
}

static void login_checks_the_password_and_gives_the_role(void **state)
{
	struct qda *h = *state;
	enum qda_role role = QDA_ROLE_CODER;
	long n = 0;

	add(h, "marie", QDA_ROLE_REVIEWER, "relecture-2024", QDA_OK);
	assert_int_equal(qda_user_count(h, &n), QDA_OK);
	assert_int_equal(n, 1);
	assert_int_equal(qda_user_login(h, "marie", "relecture-2024", &role), QDA_OK);
	assert_int_equal(role, QDA_ROLE_REVIEWER);
	assert_int_equal(qda_user_login(h, "marie", "relecture-2025", &role), QDA_EINPUT);
	assert_string_equal(qda_errmsg(h), "wrong name or password");
	/* an unknown name says the same */
	assert_int_equal(qda_user_login(h, "zed", "relecture-2024", &role), QDA_EINPUT);
	assert_string_equal(qda_errmsg(h), "wrong name or password");
}

static void only_an_argon2id_hash_is_stored(void **state)
{
	struct qda *h = *state;
	sqlite3_stmt *st;
	add(h, "ana", QDA_ROLE_CODER, "un mot de passe", QDA_OK);
	st = prep(h, "SELECT hash FROM user WHERE name = 'ana'");
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_memory_equal(sqlite3_column_text(st, 0), "$argon2id$", 10);
	assert_null(strstr((const char *)sqlite3_column_text(st, 0), "mot de passe"));
	sqlite3_finalize(st);
}

static void bad_names_and_passwords_are_refused(void **state)
{
	struct qda *h = *state;
	add(h, "ana", QDA_ROLE_CODER, "court", QDA_EINPUT);
	assert_string_equal(qda_errmsg(h), "the password is shorter than 8 characters; choose a longer one");
	/* eight characters, not eight bytes */
	add(h, "ana", QDA_ROLE_CODER, "ééééééé", QDA_EINPUT);
	add(h, "ana", QDA_ROLE_CODER, "éééééééé", QDA_OK);
	add(h, "ana", QDA_ROLE_CODER, "autre-mot-de-passe", QDA_EEXIST);
	add(h, " ana", QDA_ROLE_CODER, "autre-mot-de-passe", QDA_EINPUT);
	add(h, "a,b", QDA_ROLE_CODER, "autre-mot-de-passe", QDA_EINPUT);
}

static void removal_and_a_new_password(void **state)
{
	struct qda *h = *state;
	enum qda_role role;
	add(h, "ana", QDA_ROLE_CODER, "un mot de passe", QDA_OK);
	assert_int_equal(qda_begin(h, "qda user password ana"), QDA_OK);
	assert_int_equal(qda_user_password(h, "ana", "un autre mot de passe"), QDA_OK);
	assert_int_equal(qda_commit(h, "password"), QDA_OK);
	assert_int_equal(qda_user_login(h, "ana", "un mot de passe", &role), QDA_EINPUT);
	assert_int_equal(qda_user_login(h, "ana", "un autre mot de passe", &role), QDA_OK);
	assert_int_equal(qda_begin(h, "qda user remove ana"), QDA_OK);
	assert_int_equal(qda_user_remove(h, "ana"), QDA_OK);
	assert_int_equal(qda_commit(h, "removed"), QDA_OK);
	assert_int_equal(qda_user_role(h, "ana", &role), QDA_ENOTFOUND);
	assert_int_equal(qda_user_remove(h, "ana"), QDA_ENOTFOUND);
}

static void a_documents_text_and_version(void **state)
{
	struct qda *h = *state;
	struct qda_import_report rep = { 0 };
	struct qda_doc_text d;
	char hex[65];
	assert_int_equal(qda_begin(h, "qda import"), QDA_OK);
	assert_int_equal(qda_import_file(h, txt, NULL, &rep), QDA_OK);
	assert_int_equal(qda_commit(h, "imported"), QDA_OK);
	assert_int_equal(qda_doc_text(h, rep.name, &d), QDA_OK);
	assert_string_equal(d.text, "Élodie: 😊 Là, j’ai été écoutée.\nCamille: D’accord.\n");
	assert_int_equal(d.length, 51);
	qda_sha256_hex(d.text, d.len, hex);
	assert_string_equal(d.hash, hex);
	qda_doc_text_free(&d);
	qda_doc_text_free(&d); /* a zeroed one is fine */
	assert_int_equal(qda_doc_text(h, "E02", &d), QDA_ENOTFOUND);
	qda_import_report_free(&rep);
}

static void a_codings_version_follows_what_a_page_shows(void **state)
{
	struct qda *h = *state;
	struct qda_import_report rep = { 0 };
	struct qda_span sp;
	struct qda_code_result r;
	struct qda_code_opts o = { NULL, 1, "t" };
	char v1[96], v2[96], v3[96], coder[64];
	int added = 0;
	long removed = 0;

	assert_int_equal(qda_set_coder(h, "ana"), QDA_OK);
	assert_int_equal(qda_begin(h, "qda import"), QDA_OK);
	assert_int_equal(qda_import_file(h, txt, NULL, &rep), QDA_OK);
	assert_int_equal(exec(h, "INSERT INTO node(key, name, kind) VALUES ('t', 'T', 'theme')"), QDA_OK);
	assert_int_equal(qda_span_units(h, rep.name, QDA_UNIT_CHAR, 11, 14, &sp), QDA_OK);
	assert_int_equal(qda_code_span(h, &sp, "la", &o, &r), QDA_OK);
	assert_int_equal(qda_commit(h, "coded"), QDA_OK);
	assert_int_equal(qda_coding_version(h, r.coding_id, v1, sizeof v1, coder, sizeof coder), QDA_OK);
	assert_string_equal(coder, "ana");
	assert_int_equal(qda_coding_version(h, r.coding_id, v2, sizeof v2, NULL, 0), QDA_OK);
	assert_string_equal(v1, v2);
	assert_int_equal(qda_begin(h, "qda review"), QDA_OK);
	assert_int_equal(qda_review_add(h, r.coding_id, "marie", "comment", "why?", NULL, &added), QDA_OK);
	assert_int_equal(qda_commit(h, "reviewed"), QDA_OK);
	assert_int_equal(qda_coding_version(h, r.coding_id, v2, sizeof v2, NULL, 0), QDA_OK);
	assert_string_not_equal(v1, v2);
	assert_int_equal(qda_begin(h, "qda uncode"), QDA_OK);
	assert_int_equal(qda_uncode(h, &r.coding_id, 1, 0, NULL, NULL, &removed), QDA_OK);
	assert_int_equal(qda_commit(h, "removed"), QDA_OK);
	assert_int_equal(qda_coding_version(h, r.coding_id, v3, sizeof v3, NULL, 0), QDA_OK);
	assert_string_not_equal(v2, v3);
	assert_int_equal(qda_coding_version(h, 999, v3, sizeof v3, NULL, 0), QDA_ENOTFOUND);
	qda_span_free(&sp);
	qda_code_result_free(&r);
	qda_import_report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(login_checks_the_password_and_gives_the_role, setup, teardown),
		cmocka_unit_test_setup_teardown(only_an_argon2id_hash_is_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_names_and_passwords_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(removal_and_a_new_password, setup, teardown),
		cmocka_unit_test_setup_teardown(a_documents_text_and_version, setup, teardown),
		cmocka_unit_test_setup_teardown(a_codings_version_follows_what_a_page_shows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
