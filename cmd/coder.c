/* coder.c — qda coder rename: a coder's new name, or (--merge) two coders
 * made one. Parses and prints only; core/coders.c renames and merges. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

static int coder_rename(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda coder rename OLD NEW [--merge]",
		"Give a coder a new name: their codings, reviews and memos follow. The name follows the rule\n"
		"of --coder (no comma, no space at either end, at most 100 characters).",
		"When NEW is already a coder (the same person under two names: 'Alice' and 'alice', see 'qda\n"
		"coders'), the rename is refused unless --merge: then every coding, review, memo, import and\n"
		"codebook version of OLD becomes NEW's, a coding both made (same document, code and span) is\n"
		"kept once (OLD's removed as merged, its history kept), and OLD goes. The audit trail keeps\n"
		"the names as they were when each change was made.",
	};
	int merge = 0;
	const struct opt opts[] = {
		OPT_BOOL("merge", 0, &merge, "NEW is already a coder: make the two one"),
		OPT_END(),
	};
	struct qda_coder_rename_result r;
	enum qda_status st;
	char *summary;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 2)
		return usage_error(cli, "give the coder's name and the new name");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_coder_rename(cli->h, argv[0], argv[1], merge, &r)) != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	if (r.merged)
		summary = xasprintf("coder %s merged into %s: %ld coding%s, %ld review%s, %ld memo%s", argv[0], argv[1],
		                    r.codings, r.codings == 1 ? "" : "s", r.reviews, r.reviews == 1 ? "" : "s", r.memos,
		                    r.memos == 1 ? "" : "s");
	else
		summary = xasprintf("coder %s renamed %s", argv[0], argv[1]);
	if ((st = qda_commit(cli->h, summary)) == QDA_OK) {
		if (!r.merged)
			printf("renamed coder %s to %s\n", argv[0], argv[1]);
		else {
			printf("merged coder %s into %s: %ld coding%s", argv[0], argv[1], r.codings, r.codings == 1 ? "" : "s");
			if (r.duplicates)
				printf(" (%ld %s had made too, removed as merged)", r.duplicates, argv[1]);
			printf(", %ld review%s, %ld memo%s\n", r.reviews, r.reviews == 1 ? "" : "s", r.memos,
			       r.memos == 1 ? "" : "s");
		}
	}
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_coder(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "rename", coder_rename, OPEN_WRITE, "give a coder a new name, or merge two (--merge)" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd_hint(cli, "coder", verbs, argc, argv, "'qda coders' lists the coders");
}
