/* uncode.c — qda uncode: remove codings by id (all or nothing), or those of
 * one code in one document. Parses and prints only; core/coding.c removes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct removal {
	struct strlist msgs; /* one line per removed coding, for stdout */
	char *ids;           /* "1, 2": the removed codings, for the log */
	char *others;        /* "12 (yanis), 14 (yanis)": other coders' codings, for the log */
	const char *me;
};

static int removed_line(void *ctx, const struct qda_extract *e)
{
	struct removal *r = ctx;
	char *line = xasprintf("removed coding %lld: %s lines %ld-%ld [%ld, %ld) %s (%s, %s)", e->coding_id, e->doc,
	                       e->line_first, e->line_last, e->start, e->end, e->code, e->coder, e->method);
	r->msgs.v = xrealloc(r->msgs.v, (r->msgs.n + 1) * sizeof *r->msgs.v);
	r->msgs.v[r->msgs.n++] = line;
	line = xasprintf("%s%s%lld", r->ids ? r->ids : "", r->ids ? ", " : "", e->coding_id);
	free(r->ids);
	r->ids = line;
	if (strcmp(e->coder, r->me) != 0) {
		char *more = xasprintf("%s%s%lld (%s)", r->others ? r->others : "", r->others ? ", " : "", e->coding_id,
		                       e->coder);
		free(r->others);
		r->others = more;
	}
	return 0;
}

int cmd_uncode(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda uncode ID...\n"
		"       qda uncode --doc DOC --code CODE [--coder NAME]",
		"Remove codings: by id ('qda codings' lists them), all or nothing (one unknown id removes\n"
		"none); or every coding of one code (exactly that code) in one document, of one coder.",
		"A removed coding is marked removed (who, when): it leaves every count, listing and export,\n"
		"but keeps its id, memos and reviews ('qda codings --removed' lists it; 'qda undo' brings it\n"
		"back). A coding belongs to its coder: removing another coder's needs --force, and the log\n"
		"keeps both names.",
	};
	const char *doc = NULL, *code = NULL, *coder = NULL;
	int force = 0;
	const struct opt opts[] = {
		OPT_BOOL("force", 'f', &force, "also remove codings of other coders"),
		OPT_STRING("doc", 'd', &doc, "DOC", "the codings of this document (with --code)"),
		OPT_STRING("code", 'c', &code, "CODE", "the codings of this code (with --doc)"),
		OPT_STRING("coder", 0, &coder, "NAME", "with --doc and --code: only this coder's codings"),
		OPT_END(),
	};
	struct removal r = { 0 };
	long long *ids = NULL;
	long removed = 0;
	enum qda_status st;
	char *summary;
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
	r.me = qda_coder(cli->h) ? qda_coder(cli->h) : "";
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		free(ids);
		return cli_fail(cli, st);
	}
	if (n > 0)
		st = qda_uncode(cli->h, ids, (size_t)n, force, removed_line, &r, &removed);
	else
		st = qda_uncode_where(cli->h, doc, code, coder, force, removed_line, &r, &removed);
	free(ids);
	if (st == QDA_OK) {
		/* the log names both coders when one removed the other's work */
		if (r.others)
			summary = xasprintf("removed %ld coding%s (%s); %s removed other coders' codings with --force: %s",
			                    removed, removed == 1 ? "" : "s", r.ids, r.me, r.others);
		else
			summary = xasprintf("removed %ld coding%s%s%s%s", removed, removed == 1 ? "" : "s", r.ids ? " (" : "",
			                    r.ids ? r.ids : "", r.ids ? ")" : "");
		st = qda_commit(cli->h, summary);
		free(summary);
	} else {
		qda_rollback(cli->h);
	}
	if (st == QDA_OK) {
		for (i = 0; i < (int)r.msgs.n; i++)
			printf("%s\n", r.msgs.v[i]);
		if (removed == 0)
			printf("no codings of %s in %s%s%s; nothing removed\n", code, doc, coder ? " by " : "",
			       coder ? coder : "");
	}
	for (i = 0; i < (int)r.msgs.n; i++)
		free((char *)r.msgs.v[i]);
	strlist_free(&r.msgs);
	free(r.others);
	free(r.ids);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}
