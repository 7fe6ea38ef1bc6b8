/* doc.c — qda doc remove|rename: the housekeeping of a document. Parses and
 * prints only; core/docs.c marks a document removed or renames it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* "ana 3, bob 1": the codings removed with the document, by coder. */
static int add_coder(void *ctx, const char *name, long n)
{
	char **who = ctx;
	char *more = xasprintf("%s%s%s %ld", *who ? *who : "", *who ? ", " : "", name, n);
	free(*who);
	*who = more;
	return 0;
}

static int doc_remove(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda doc remove DOC [--force]",
		"Remove a document: it leaves docs, show, search and every count, listing and export.",
		"A document that has codings is refused unless --force: its codings are then removed as\n"
		"'qda uncode' removes codings (marked removed by you, why 'document removed', their history\n"
		"kept), every coder's, and the log names the coders. Nothing is deleted: the document is marked\n"
		"removed (who, when), its memos and removed codings keep it as their target, and the same text\n"
		"can be imported again, as a new document. A coder is needed when codings go.",
	};
	int force = 0;
	const struct opt opts[] = {
		OPT_BOOL("force", 'f', &force, "also remove the document's codings, every coder's"),
		OPT_END(),
	};
	enum qda_status st;
	char *who = NULL, *summary;
	long codings = 0;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one document" : "which document? 'qda docs' lists them");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	st = qda_doc_remove(cli->h, argv[0], force, add_coder, &who, &codings);
	if (st != QDA_OK) {
		qda_rollback(cli->h);
		free(who);
		return cli_fail(cli, st);
	}
	if (codings)
		summary = xasprintf("document %s removed with its %ld coding%s (%s)", argv[0], codings,
		                    codings == 1 ? "" : "s", who);
	else
		summary = xasprintf("document %s removed", argv[0]);
	if ((st = qda_commit(cli->h, summary)) == QDA_OK) {
		if (codings)
			printf("removed document %s with its %ld coding%s (%s)\n", argv[0], codings, codings == 1 ? "" : "s",
			       who);
		else
			printf("removed document %s\n", argv[0]);
	}
	free(summary);
	free(who);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

static int doc_rename(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda doc rename DOC NEW",
		"Give a document a new name. Its codings, memos and case stay with it; its case keeps its name\n"
		"('qda case rename' renames a case). A name a current document has is refused.",
		NULL,
	};
	enum qda_status st;
	char *summary;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 2)
		return usage_error(cli, "give the document and its new name");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_doc_rename(cli->h, argv[0], argv[1])) != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	summary = xasprintf("document %s renamed %s", argv[0], argv[1]);
	if ((st = qda_commit(cli->h, summary)) == QDA_OK)
		printf("renamed document %s to %s\n", argv[0], argv[1]);
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_doc(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "remove", doc_remove, OPEN_WRITE, "remove a document (--force: with its codings)" },
		{ "rename", doc_rename, OPEN_WRITE, "give a document a new name" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd_hint(cli, "doc", verbs, argc, argv, "'qda docs' lists the documents, 'qda show DOC' reads one");
}
