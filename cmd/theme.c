/* theme.c — qda theme rename|define|status|move|merge|split: reshape the
 * codebook as themes are searched for, reviewed, defined and named. Each
 * reshape is one transaction, logged, and kept as a codebook version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Open the project and the output, and begin the transaction. */
static int start(struct cli *cli, struct changes *ch)
{
	enum qda_status st;
	int rc = 0;
	if ((rc = cli_open(cli, OPEN_NONE)) || !(ch->o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		out_close(cli, ch->o, 1);
		ch->o = NULL;
		return cli_fail(cli, st);
	}
	return 0;
}

/* Commit with the summary (printed after the changes in text), or roll back. */
/* Commit (or roll back) and close; summary is the audit trail's, freed here. */
static int end(struct cli *cli, struct changes *ch, enum qda_status st, char *summary)
{
	int rc;
	if (st == QDA_OK) {
		st = qda_commit(cli->h, summary);
		if (ch->n)
			out_end(ch->o);
		if (st == QDA_OK && ch->o->fmt == OUT_TEXT)
			fprintf(ch->o->fp, "%s\n", ch->n ? summary : "nothing changed");
	} else {
		qda_rollback(cli->h);
	}
	free(summary);
	rc = out_close(cli, ch->o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}

static int theme_rename(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda theme rename ID NEWNAME",
		"Give a theme, sub-theme or code a new name. Its id, and so its codings, stay.",
		NULL,
	};
	struct changes ch = { 0 };
	char *summary;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 2)
		return usage_error(cli, "give the id and the new name (quoted)");
	if ((rc = start(cli, &ch)))
		return rc;
	summary = xasprintf("theme %s renamed '%s'", argv[0], argv[1]);
	return end(cli, &ch, qda_theme_rename(cli->h, argv[0], argv[1], print_change, &ch), summary);
}

static int theme_define(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda theme define ID [--definition TEXT] [--include TEXT]... [--exclude TEXT]...",
		"Write a node's definition and its inclusion and exclusion criteria (phase 5). Each\n"
		"--include or --exclude given replaces that whole list; an empty --definition removes it.",
		NULL,
	};
	const char *definition = NULL;
	struct strlist inc = { 0 }, exc = { 0 };
	const struct opt opts[] = {
		OPT_STRING("definition", 'd', &definition, "TEXT", "the definition: what the node is about"),
		OPT_LIST("include", 'i', &inc, "TEXT", "an inclusion criterion (repeatable)"),
		OPT_LIST("exclude", 'x', &exc, "TEXT", "an exclusion criterion (repeatable)"),
		OPT_END(),
	};
	struct changes ch = { 0 };
	char *summary;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		rc = n == -1 ? 0 : 2;
	else if (n != 1)
		rc = usage_error(cli, "give one id");
	else if (!definition && !inc.n && !exc.n)
		rc = usage_error(cli, "give --definition, --include or --exclude");
	else if (!(rc = start(cli, &ch))) {
		summary = xasprintf("theme %s defined", argv[0]);
		rc = end(cli, &ch,
		         qda_theme_define(cli->h, argv[0], definition, inc.n ? inc.v : NULL, inc.n, exc.n ? exc.v : NULL,
		                          exc.n, print_change, &ch),
		         summary);
	}
	strlist_free(&inc);
	strlist_free(&exc);
	return rc;
}

static int theme_status(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda theme status ID candidate|reviewed|defined",
		"Set where a node stands: candidate (phase 3, generated from the codes), reviewed\n"
		"(phase 4, checked against the extracts and the data set) or defined (phase 5).",
		NULL,
	};
	struct changes ch = { 0 };
	char *summary;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 2)
		return usage_error(cli, "give the id and the status");
	if (strcmp(argv[1], "candidate") && strcmp(argv[1], "reviewed") && strcmp(argv[1], "defined"))
		return usage_error(cli, "the status is candidate, reviewed or defined, not '%s'", argv[1]);
	if ((rc = start(cli, &ch)))
		return rc;
	summary = xasprintf("theme %s is %s", argv[0], argv[1]);
	return end(cli, &ch, qda_theme_status(cli->h, argv[0], argv[1], print_change, &ch), summary);
}

static int theme_move(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda theme move ID (--under PARENT | --top)",
		"Move a node, with what lies below it, under another node (a theme moved under one\n"
		"becomes a sub-theme), or with --top make it a theme. Its codings stay with it.",
		NULL,
	};
	const char *under = NULL;
	int top = 0;
	const struct opt opts[] = {
		OPT_STRING("under", 'u', &under, "PARENT", "the node to move it under"),
		OPT_BOOL("top", 0, &top, "make it a theme, at the top of the tree"),
		OPT_END(),
	};
	struct changes ch = { 0 };
	char *summary;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give one id");
	if (!under == !top)
		return usage_error(cli, "give --under PARENT or --top");
	if ((rc = start(cli, &ch)))
		return rc;
	summary = xasprintf("theme %s moved %s%s", argv[0], under ? "under " : "to the top", under ? under : "");
	return end(cli, &ch, qda_theme_move(cli->h, argv[0], under, print_change, &ch), summary);
}

static int theme_merge(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda theme merge ID... --into TARGET [--name NAME]",
		"Merge nodes into one: their codings and children move to TARGET, and the merged nodes\n"
		"leave the codebook. Two codings of the same coder in the same document that overlap\n"
		"or touch become one (their reviews and memos kept). A TARGET that does not exist is\n"
		"created beside the first node, named NAME (or TARGET).",
		NULL,
	};
	const char *into = NULL, *name = NULL;
	const struct opt opts[] = {
		OPT_STRING("into", 0, &into, "TARGET", "the node that receives the codings"),
		OPT_STRING("name", 0, &name, "NAME", "the name of a new target"),
		OPT_END(),
	};
	struct qda_theme_merge_result res;
	struct changes ch = { 0 };
	enum qda_status st;
	char *summary;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n < 1)
		return usage_error(cli, "give the nodes to merge");
	if (!into)
		return usage_error(cli, "give --into TARGET");
	if ((rc = start(cli, &ch)))
		return rc;
	st = qda_theme_merge(cli->h, (const char **)argv, (size_t)n, into, name, print_change, &ch, &res);
	summary = xasprintf("merged into %s: %ld coding%s moved, %ld combined", into, res.moved,
	                    res.moved == 1 ? "" : "s", res.combined);
	return end(cli, &ch, st, summary);
}

static int theme_split(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda theme split ID --into NEW --codings ID,ID... [--name NAME]",
		"Split a node by moving some of its codings (or its descendants') to another node: NEW,\n"
		"created beside ID (named NAME, or NEW) when it does not exist. 'qda codings --code ID'\n"
		"lists the codings with their ids.",
		NULL,
	};
	const char *into = NULL, *name = NULL;
	struct strlist ids = { 0 };
	const struct opt opts[] = {
		OPT_STRING("into", 0, &into, "NEW", "the node that receives the codings"),
		OPT_LIST("codings", 'c', &ids, "ID,ID...", "the codings to move (repeatable)"),
		OPT_STRING("name", 0, &name, "NAME", "the name of a new node"),
		OPT_END(),
	};
	struct changes ch = { 0 };
	long long *v = NULL;
	size_t nv = 0, i;
	long moved = 0;
	enum qda_status st;
	char *summary;
	int rc = 0, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		strlist_free(&ids);
		return n == -1 ? 0 : 2;
	}
	if (n != 1)
		rc = usage_error(cli, "give one id to split");
	else if (!into)
		rc = usage_error(cli, "give --into NEW");
	else if (!ids.n)
		rc = usage_error(cli, "give the codings to move with --codings ID,ID...");
	for (i = 0; !rc && i < ids.n; i++) {
		char *copy = xstrdup(ids.v[i]), *tok, *save = NULL;
		for (tok = strtok_r(copy, ", ", &save); tok && !rc; tok = strtok_r(NULL, ", ", &save)) {
			char *e;
			long long id = strtoll(tok, &e, 10);
			if (e == tok || *e || id <= 0)
				rc = usage_error(cli, "a coding id is a number, not '%s'", tok);
			v = xrealloc(v, (nv + 1) * sizeof *v);
			v[nv++] = id;
		}
		free(copy);
	}
	strlist_free(&ids);
	if (rc || (rc = start(cli, &ch))) {
		free(v);
		return rc;
	}
	st = qda_theme_split(cli->h, argv[0], into, name, v, nv, print_change, &ch, &moved);
	summary = xasprintf("split %s: %ld coding%s moved to %s", argv[0], moved, moved == 1 ? "" : "s", into);
	free(v);
	return end(cli, &ch, st, summary);
}

int cmd_theme(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "rename", theme_rename, OPEN_WRITE, "give a node a new name (its id stays)" },
		{ "define", theme_define, OPEN_WRITE, "write a node's definition and criteria" },
		{ "status", theme_status, OPEN_WRITE, "set a node's status: candidate, reviewed or defined" },
		{ "move", theme_move, OPEN_WRITE, "move a node under another, or to the top" },
		{ "merge", theme_merge, OPEN_WRITE, "merge nodes and their codings into one" },
		{ "split", theme_split, OPEN_WRITE, "move some of a node's codings to another node" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd(cli, "theme", verbs, argc, argv);
}
