/* user.c — qda user add | list | remove | password: the accounts of a team's
 * qda serve. Reads passwords from standard input or a prompt with echo off,
 * never from the command line (it would land in the shell's history, the
 * process list and the audit trail). core/user.c keeps the hashes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"

/* One line of fd without its line end, malloc'd; NULL at end of input. */
static char *read_line(FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, fp);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	if (strlen(line) != (size_t)n) {
		/* a NUL byte: the password would be cut at it */
		free(line);
		errno = EINVAL;
		return NULL;
	}
	return line;
}

/* Prompt on the terminal with echo off. */
static char *ask_hidden(const char *prompt)
{
	struct termios old, quiet;
	char *s;
	int tty = tcgetattr(0, &old) == 0;
	fputs(prompt, stderr);
	fflush(stderr);
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	s = read_line(stdin);
	if (tty)
		tcsetattr(0, TCSAFLUSH, &old);
	return s;
}

/* The new password: asked twice on a terminal, else the first line of
 * standard input. NULL after printing why. */
static char *new_password(struct cli *cli, const char *name)
{
	char *pw, *again, *prompt;
	if (!isatty(0)) {
		errno = 0;
		if (!(pw = read_line(stdin)))
			cli_errorf(cli, errno == EINVAL ? "the password read from standard input holds a NUL byte"
			                                : "no password on standard input; give it as its first line, or run "
			                                  "the command at a terminal to be asked");
		return pw;
	}
	prompt = xasprintf("Password for %s: ", name);
	pw = ask_hidden(prompt);
	free(prompt);
	if (!pw) {
		cli_errorf(cli, "no password given");
		return NULL;
	}
	again = ask_hidden("The same password again: ");
	if (!again || strcmp(pw, again) != 0) {
		cli_errorf(cli, "the two passwords differ; nothing changed, run the command again");
		free(again);
		free(pw);
		return NULL;
	}
	free(again);
	return pw;
}

static void forget(char *pw)
{
	if (pw) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

static int user_add(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda user add NAME --role coder|reviewer",
		"Give someone an account on the team's server (qda serve --listen): NAME is the coder their work\n"
		"is recorded as; a coder codes, removes their own codings and writes memos, a reviewer also\n"
		"accepts, disputes, suggests and comments (qda review).",
		"The password is asked twice at a terminal (not shown), or read as the first line of standard\n"
		"input (printf '%s\\n' \"$PW\" | qda user add ana --role coder); never from the command line. It\n"
		"needs 8 characters or more; only its argon2id hash is kept in the project.",
	};
	const char *role_s = NULL;
	const struct opt opts[] = {
		OPT_STRING("role", 'r', &role_s, "ROLE", "coder or reviewer"),
		OPT_END(),
	};
	enum qda_role role;
	enum qda_status st;
	char *pw, *summary;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one account name" : "give the account's name");
	if (!role_s)
		return usage_error(cli, "say what the account may do: --role coder or --role reviewer");
	if (qda_role_parse(role_s, &role) < 0)
		return usage_error(cli, "--role wants coder or reviewer, not '%s'", role_s);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	/* the name's checks before the password is asked for */
	{
		char why[128];
		enum qda_role had;
		if (qda_coder_name_check(argv[0], why, sizeof why) != QDA_OK)
			return cli_errorf(cli, "account name '%s' %s; an account's name is the coder its work is recorded as",
			                  argv[0], why);
		if (qda_user_role(cli->h, argv[0], &had) == QDA_OK)
			return cli_errorf(cli, "there is already an account '%s' (%s); remove it first ('qda user remove %s') "
			                  "or choose another name", argv[0], qda_role_name(had), argv[0]);
	}
	if (!(pw = new_password(cli, argv[0])))
		return 1;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		forget(pw);
		return cli_fail(cli, st);
	}
	st = qda_user_add(cli->h, argv[0], role, pw);
	forget(pw);
	if (st != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	summary = xasprintf("account %s added (%s)", argv[0], qda_role_name(role));
	st = qda_commit(cli->h, summary);
	free(summary);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("added account %s (%s)\n", argv[0], qda_role_name(role));
	return 0;
}

static int user_password(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda user password NAME",
		"Give an account a new password, asked twice at a terminal or read as the first line of\n"
		"standard input. A running server lets the old sessions go on until they end.",
		NULL,
	};
	enum qda_status st;
	enum qda_role role;
	char *pw, *summary;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give one account name");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_user_role(cli->h, argv[0], &role)) != QDA_OK)
		return cli_fail(cli, st);
	if (!(pw = new_password(cli, argv[0])))
		return 1;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		forget(pw);
		return cli_fail(cli, st);
	}
	st = qda_user_password(cli->h, argv[0], pw);
	forget(pw);
	if (st != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	summary = xasprintf("account %s: new password", argv[0]);
	st = qda_commit(cli->h, summary);
	free(summary);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("new password for %s\n", argv[0]);
	return 0;
}

static int user_remove(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda user remove NAME",
		"Remove an account: its person can no longer log in, and a running server refuses its sessions\n"
		"at their next request. Their codings, reviews and memos stay theirs (the coder stays).",
		NULL,
	};
	enum qda_status st;
	char *summary;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give one account name");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_user_remove(cli->h, argv[0])) != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	summary = xasprintf("account %s removed", argv[0]);
	st = qda_commit(cli->h, summary);
	free(summary);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("removed account %s\n", argv[0]);
	return 0;
}

static const struct col cols[] = { { "name", COL_STR }, { "role", COL_STR }, { "created", COL_STR } };

static int list_row(void *ctx, const struct qda_user_row *r)
{
	const char *v[3] = { r->name, r->role, r->created };
	out_row(ctx, v);
	return 0;
}

static int user_list(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda user list [--format FMT]",
		"List the accounts of qda serve: name, role (coder or reviewer) and when it was made (UTC).",
		NULL,
	};
	struct out *o;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	return out_finish(cli, o, qda_user_list(cli->h, list_row, o));
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "add", user_add, OPEN_WRITE, "an account for qda serve: NAME --role coder|reviewer" },
		{ "list", user_list, OPEN_READ, "the accounts and their roles" },
		{ "password", user_password, OPEN_WRITE, "a new password for an account" },
		{ "remove", user_remove, OPEN_WRITE, "remove an account (its work stays)" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd_hint(cli, "user", verbs, argc, argv, "qda serve --help");
}
