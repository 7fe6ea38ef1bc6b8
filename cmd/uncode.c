/* uncode.c — qda uncode: remove codings by id (all or nothing), or those of
 * one code in one document. Parses and prints only; core/coding.c removes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int removed_line(void *ctx, const struct qda_extract *e)
{
	struct strlist *msgs = ctx;
	msgs->v = xrealloc(msgs->v, (msgs->n + 1) * sizeof *msgs->v);
	msgs->v[msgs->n++] = xasprintf("removed coding %lld: %s lines %ld-%ld [%ld, %ld) %s (%s, %s)", e->coding_id,
	                               e->doc, e->line_first, e->line_last, e->start, e->end, e->code, e->coder,
	                               e->method);
	return 0;
}

int cmd_uncode(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda uncode ID...\n"
		"       qda uncode --doc DOC --code CODE [--coder NAME]",
		"Remove codings: by id ('qda codings' lists them), all or nothing (one unknown id removes\n"
		"none); or every coding of one code (exactly that code) in one document, of one coder.",
		"Reviews and exemplar choices of a removed coding go with it. The removal is in the audit\n"
		"trail (qda log).",
	};
	const char *doc = NULL, *code = NULL, *coder = NULL;
	const struct opt opts[] = {
		OPT_STRING("doc", 'd', &doc, "DOC", "the codings of this document (with --code)"),
		OPT_STRING("code", 'c', &code, "CODE", "the codings of this code (with --doc)"),
		OPT_STRING("coder", 0, &coder, "NAME", "with --doc and --code: only this coder's codings"),
		OPT_END(),
	};
	struct strlist msgs = { 0 };
	long long *ids = NULL;
	long removed = 0;
	enum qda_status st;
	char summary[256];
	int rc, i, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if ((doc || code || coder) && n > 0)
		return usage_error(cli, "give ids or --doc and --code, not both");
	if (!doc && !code && !coder && n == 0)
		return usage_error(cli, "which codings? give their ids ('qda codings' lists them)");
	if (n == 0 && (!doc || !code))
		return usage_error(cli, "--doc and --code go together");
	ids = xcalloc((size_t)n + 1, sizeof *ids);
	for (i = 0; i < n; i++) {
		char *end;
		errno = 0;
		ids[i] = strtoll(argv[i], &end, 10);
		if (errno || end == argv[i] || *end || ids[i] < 1) {
			free(ids);
			return usage_error(cli, "'%s' is not a coding id (a whole number)", argv[i]);
		}
	}
	if ((rc = cli_open(cli, OPEN_NONE))) {
		free(ids);
		return rc;
	}
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		free(ids);
		return cli_fail(cli, st);
	}
	if (n > 0)
		st = qda_uncode(cli->h, ids, (size_t)n, removed_line, &msgs, &removed);
	else
		st = qda_uncode_where(cli->h, doc, code, coder, removed_line, &msgs, &removed);
	free(ids);
	if (st == QDA_OK) {
		snprintf(summary, sizeof summary, "removed %ld coding%s", removed, removed == 1 ? "" : "s");
		st = qda_commit(cli->h, summary);
	} else {
		qda_rollback(cli->h);
	}
	if (st == QDA_OK) {
		for (i = 0; i < (int)msgs.n; i++)
			printf("%s\n", msgs.v[i]);
		if (removed == 0)
			printf("no codings of %s in %s%s%s; nothing removed\n", code, doc, coder ? " by " : "",
			       coder ? coder : "");
	}
	for (i = 0; i < (int)msgs.n; i++)
		free((char *)msgs.v[i]);
	strlist_free(&msgs);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}
