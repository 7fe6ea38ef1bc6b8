/* case.c — qda case set|import|remove|rename: give cases their attributes,
 * one by one or from a CSV file (first column the case, the others
 * attributes), and keep the list of cases tidy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int case_set(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda case set CASE KEY=VALUE... [--create]",
		"Set attributes of a case (role=patient age_group=35-49 ...). An empty VALUE removes the\n"
		"attribute. The case must exist (made by import) unless --create is given.",
		NULL,
	};
	int create = 0;
	const struct opt opts[] = {
		OPT_BOOL("create", 0, &create, "create the case if it does not exist"),
		OPT_END(),
	};
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n < 2)
		return usage_error(cli, "give a case and at least one KEY=VALUE");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	st = qda_case_set(cli->h, argv[0], (const char **)argv + 1, (size_t)n - 1, create);
	if (st == QDA_OK) {
		char *summary = xasprintf("case %s: %d attribute%s set", argv[0], n - 1, n == 2 ? "" : "s");
		st = qda_commit(cli->h, summary);
		if (st == QDA_OK)
			printf("%s\n", summary);
		free(summary);
	} else {
		qda_rollback(cli->h);
	}
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

/* The cases a CSV import touched, by what it did to them. */
struct touched {
	struct cli *cli;         /* for the refused rows' messages */
	struct strlist names[3]; /* by enum qda_case_change */
};

static void on_applied(void *ctx, const char *case_name, enum qda_case_change change)
{
	struct strlist *l = &((struct touched *)ctx)->names[change];
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(case_name);
}

static void on_refused(void *ctx, const char *loc, const char *msg)
{
	struct touched *t = ctx;
	fprintf(stderr, "qda %s: %s: error: %s\n", t->cli->cmdname, loc, msg);
}

static void print_touched(const char *what, const struct strlist *l)
{
	size_t i;
	if (!l->n)
		return;
	printf("%s %zu case%s: ", what, l->n, l->n == 1 ? "" : "s");
	for (i = 0; i < l->n; i++)
		printf("%s%s", i ? ", " : "", l->v[i]);
	putchar('\n');
}

static int case_import(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda case import FILE.csv [--create] [--delimiter SEP]",
		"Set case attributes from a CSV file: a header row, the first column the case name, the\n"
		"other columns attributes (e.g. case,role,gender,age_group). An empty cell removes that\n"
		"attribute. UTF-8, with or without a BOM.",
		"Cases come from imported documents (one per participant): a row naming a case the project\n"
		"does not have is refused, every such row told with its line, and nothing is changed, unless\n"
		"--create, which makes new cases (a participant with no transcript yet). The cases created,\n"
		"updated (an attribute changed) and left unchanged are listed. The file is read strictly: a\n"
		"cell holding a comma, a quote or a line break is written in quotes, its quotes doubled;\n"
		"every row has the header's cells. A file separated by ';' (French Excel) or tabs needs\n"
		"--delimiter ';' or --delimiter tab.",
	};
	static const char *const what[] = { "created", "updated", "unchanged" };
	int create = 0;
	const char *delimiter = NULL;
	const struct opt opts[] = {
		OPT_BOOL("create", 0, &create, "create the cases the project does not have"),
		OPT_DELIMITER(&delimiter),
		OPT_END(),
	};
	struct qda_case_import ci = { 0 };
	struct touched t = { 0 };
	enum qda_status st;
	char *summary = NULL, delim;
	size_t i, k;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give one CSV file");
	if ((rc = cli_delimiter(cli, delimiter, &delim)))
		return rc;
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	ci.create = create;
	ci.err = on_refused;
	ci.applied = on_applied;
	ci.ctx = &t;
	t.cli = cli;
	st = qda_case_import_csv(cli->h, argv[0], delim, &ci);
	if (st == QDA_OK) {
		long counts[3] = { ci.created, ci.updated, ci.unchanged };
		summary = xasprintf("attributes set for %ld case%s from %s", ci.created + ci.updated + ci.unchanged,
		                    ci.created + ci.updated + ci.unchanged == 1 ? "" : "s", argv[0]);
		for (i = 0, k = 0; i < 3; i++)
			if (counts[i]) {
				char *more = xasprintf("%s%s%ld %s", summary, k++ ? ", " : ": ", counts[i], what[i]);
				free(summary);
				summary = more;
			}
		st = qda_commit(cli->h, summary);
		if (st == QDA_OK) {
			for (i = 0; i < 3; i++)
				print_touched(what[i], &t.names[i]);
			printf("%s\n", summary);
		}
	} else {
		qda_rollback(cli->h);
	}
	for (i = 0; i < 3; i++) {
		for (k = 0; k < t.names[i].n; k++)
			free((char *)t.names[i].v[k]);
		strlist_free(&t.names[i]);
	}
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

static int case_remove(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda case remove CASE",
		"Remove a case and its attributes: a participant who withdrew, a case made by mistake.",
		"Refused while a current document belongs to the case (remove it first: qda doc remove) or a\n"
		"memo is written on it (memos keep their targets). Documents removed earlier that belonged to\n"
		"it keep no case.",
	};
	struct qda_case_remove_result r;
	enum qda_status st;
	char *summary;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one case" : "which case? 'qda cases' lists them");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_case_remove(cli->h, argv[0], &r)) != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	summary = xasprintf("case %s removed", argv[0]);
	if ((st = qda_commit(cli->h, summary)) == QDA_OK) {
		printf("removed case %s (%ld attribute%s)", argv[0], r.attributes, r.attributes == 1 ? "" : "s");
		if (r.detached)
			printf("; %ld removed document%s no longer name%s a case", r.detached, r.detached == 1 ? "" : "s",
			       r.detached == 1 ? "s" : "");
		putchar('\n');
	}
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

static int case_rename(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda case rename CASE NEW",
		"Give a case a new name (a pseudonym, a corrected id). Its documents, attributes and memos\n"
		"stay with it; the documents keep their own names ('qda doc rename' renames one).",
		NULL,
	};
	enum qda_status st;
	char *summary;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 2)
		return usage_error(cli, "give the case and its new name");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_case_rename(cli->h, argv[0], argv[1])) != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	summary = xasprintf("case %s renamed %s", argv[0], argv[1]);
	if ((st = qda_commit(cli->h, summary)) == QDA_OK)
		printf("renamed case %s to %s\n", argv[0], argv[1]);
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_case(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "set", case_set, OPEN_WRITE, "set attributes of a case" },
		{ "import", case_import, OPEN_WRITE, "set case attributes from a CSV file" },
		{ "remove", case_remove, OPEN_WRITE, "remove a case that has no documents" },
		{ "rename", case_rename, OPEN_WRITE, "give a case a new name" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd_hint(cli, "case", verbs, argc, argv, "'qda cases' lists the cases");
}
