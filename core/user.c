/* user.c — accounts for qda serve: a name (the coder it records work as), a
 * role (coder or reviewer) and a password kept only as an argon2id hash
 * (libsodium's crypto_pwhash_str). Never stores, logs or returns a password;
 * never prints. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

int qda_role_parse(const char *s, enum qda_role *r)
{
	if (s && strcmp(s, "coder") == 0)
		*r = QDA_ROLE_CODER;
	else if (s && strcmp(s, "reviewer") == 0)
		*r = QDA_ROLE_REVIEWER;
	else
		return -1;
	return 0;
}

const char *qda_role_name(enum qda_role r)
{
	return r == QDA_ROLE_REVIEWER ? "reviewer" : "coder";
}

static enum qda_status crypto_ready(struct qda *h)
{
	/* idempotent and thread-safe; -1 only when no random source works */
	if (sodium_init() < 0)
		return seterr(h, QDA_EIO, "the password library could not start (no source of randomness)");
	return QDA_OK;
}

enum qda_status qda_password_check(struct qda *h, const char *password)
{
	size_t len = password ? strlen(password) : 0, bad;
	if (len == 0)
		return seterr(h, QDA_EINPUT, "the password is empty; give one of at least %d characters", PASSWORD_MIN);
	if (qda_text_check_utf8(password, len, &bad) != QDA_OK)
		return seterr(h, QDA_EINPUT, "the password is not valid UTF-8 (byte %zu)", bad + 1);
	if (qda_text_cplen(password, len) < PASSWORD_MIN)
		return seterr(h, QDA_EINPUT, "the password is shorter than %d characters; choose a longer one",
		              PASSWORD_MIN);
	if (len > PASSWORD_MAX)
		return seterr(h, QDA_EINPUT, "the password is longer than %d bytes; choose a shorter one", PASSWORD_MAX);
	return QDA_OK;
}

static enum qda_status hash_password(struct qda *h, const char *password, char out[crypto_pwhash_STRBYTES])
{
	enum qda_status rc;
	if ((rc = crypto_ready(h)) != QDA_OK)
		return rc;
	if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return seterr(h, QDA_ENOMEM, "out of memory hashing the password");
	return QDA_OK;
}

/* QDA_OK when name is an account (its role in *role, may be NULL),
 * QDA_ENOTFOUND naming the accounts otherwise. */
static enum qda_status find(struct qda *h, const char *name, enum qda_role *role, char *hash, size_t n)
{
	sqlite3_stmt *st = prep(h, "SELECT role, hash FROM user WHERE name = ?");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	r = step_row(h, st, "read the accounts");
	if (r > 0) {
		if (role)
			qda_role_parse((const char *)sqlite3_column_text(st, 0), role);
		if (hash)
			snprintf(hash, n, "%s", (const char *)sqlite3_column_text(st, 1));
	} else if (r == 0) {
		rc = seterr(h, QDA_ENOTFOUND, "no account '%s'; 'qda user list' lists them", name);
	} else {
		rc = QDA_EDB;
	}
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_user_add(struct qda *h, const char *name, enum qda_role role, const char *password)
{
	char why[128], hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	enum qda_status rc;

	if (qda_coder_name_check(name, why, sizeof why) != QDA_OK)
		return seterr(h, QDA_EINPUT, "account name '%s' %s; an account's name is the coder its work is recorded as",
		              name ? name : "", why);
	if ((rc = find(h, name, NULL, NULL, 0)) == QDA_OK)
		return seterr(h, QDA_EEXIST, "there is already an account '%s'; remove it first ('qda user remove %s') or "
		              "choose another name", name, name);
	if (rc != QDA_ENOTFOUND)
		return rc;
	if ((rc = qda_password_check(h, password)) != QDA_OK || (rc = hash_password(h, password, hash)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "INSERT INTO user(name, role, hash) VALUES (?, ?, ?)")))
		return QDA_EDB;
	bind_text(st, 1, name);
	bind_text(st, 2, qda_role_name(role));
	bind_text(st, 3, hash);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

enum qda_status qda_user_password(struct qda *h, const char *name, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	enum qda_status rc;

	if ((rc = find(h, name, NULL, NULL, 0)) != QDA_OK)
		return rc;
	if ((rc = qda_password_check(h, password)) != QDA_OK || (rc = hash_password(h, password, hash)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "UPDATE user SET hash = ? WHERE name = ?")))
		return QDA_EDB;
	bind_text(st, 1, hash);
	bind_text(st, 2, name);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_user_remove(struct qda *h, const char *name)
{
	sqlite3_stmt *st;
	enum qda_status rc;

	if ((rc = find(h, name, NULL, NULL, 0)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "DELETE FROM user WHERE name = ?")))
		return QDA_EDB;
	bind_text(st, 1, name);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_user_list(struct qda *h, qda_user_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(h, "SELECT name, role, created FROM user ORDER BY name COLLATE NOCASE, name");
	int r;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(h, st, "read the accounts")) > 0) {
		struct qda_user_row row = {
			(const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2),
		};
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status qda_user_count(struct qda *h, long *n)
{
	long long v = 0;
	enum qda_status rc = query_int(h, "SELECT count(*) FROM user", 0, &v);
	*n = (long)v;
	return rc;
}

enum qda_status qda_user_role(struct qda *h, const char *name, enum qda_role *role)
{
	return find(h, name, role, NULL, 0);
}

enum qda_status qda_user_login(struct qda *h, const char *name, const char *password, enum qda_role *role)
{
	/* a hash to verify against when there is no such account, so that a
	 * wrong name costs as long as a wrong password */
	static const char dummy_pw[] = "qda-no-such-account";
	char hash[crypto_pwhash_STRBYTES], dummy[crypto_pwhash_STRBYTES];
	enum qda_status rc, found;

	if ((rc = crypto_ready(h)) != QDA_OK)
		return rc;
	found = name && *name ? find(h, name, role, hash, sizeof hash) : QDA_ENOTFOUND;
	if (found != QDA_OK && found != QDA_ENOTFOUND)
		return found;
	if (found == QDA_ENOTFOUND) {
		if (hash_password(h, dummy_pw, dummy) != QDA_OK)
			return QDA_ENOMEM;
		snprintf(hash, sizeof hash, "%s", dummy);
	}
	if (!password || crypto_pwhash_str_verify(hash, password, strlen(password)) != 0 || found != QDA_OK)
		return seterr(h, QDA_EINPUT, "wrong name or password");
	return QDA_OK;
}
