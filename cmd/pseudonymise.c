/* pseudonymise.c — qda pseudonymise --map FILE.csv [--dry-run]: real names
 * replaced by pseudonyms, codings kept on the same words (core/pseudonymise.c).
 * The map and the real names never reach the project, its log included. */
#include <string.h>

#include "cmd.h"

static const struct col hit_cols[] = {
	{ "in", COL_STR },   { "document", COL_STR }, { "line", COL_INT },    { "column", COL_INT },
	{ "name", COL_STR }, { "pseudonym", COL_STR }, { "context", COL_STR },
};
static const struct col count_cols[] = {
	{ "in", COL_STR }, { "document", COL_STR }, { "name", COL_STR }, { "pseudonym", COL_STR }, { "occurrences", COL_INT },
};

static int on_hit(void *ctx, const struct qda_pseudo_hit *x)
{
	char line[32], col[32];
	const char *v[7];
	snprintf(line, sizeof line, "%ld", x->line);
	snprintf(col, sizeof col, "%ld", x->col);
	v[0] = x->in;
	v[1] = x->document;
	v[2] = line;
	v[3] = col;
	v[4] = x->name;
	v[5] = x->pseudonym;
	v[6] = x->context;
	out_row(ctx, v);
	return 0;
}

static int on_count(void *ctx, const struct qda_pseudo_count *c)
{
	char n[32];
	const char *v[5];
	snprintf(n, sizeof n, "%ld", c->n);
	v[0] = c->in;
	v[1] = c->document;
	v[2] = c->name;
	v[3] = c->pseudonym;
	v[4] = n;
	out_row(ctx, v);
	return 0;
}

/* What changed, in numbers only: the log must not hold a real name. */
static void totals(char *s, size_t size, const struct qda_pseudo_totals *t, const char *verb)
{
	snprintf(s, size, "%ld %s %s: %ld %s, %ld %s moved, %ld %s, %ld %s, %ld document %s, %ld %s, %ld log %s; %ld undo %s dropped",
	         t->occurrences, noun(t->occurrences, "occurrence", "occurrences"), verb, t->documents,
	         noun(t->documents, "document text", "document texts"), t->codings, noun(t->codings, "coding", "codings"),
	         t->speakers, noun(t->speakers, "speaker", "speakers"), t->cases, noun(t->cases, "case", "cases"),
	         t->names, noun(t->names, "name", "names"), t->memos, noun(t->memos, "memo", "memos"), t->log,
	         noun(t->log, "entry", "entries"), t->undo, noun(t->undo, "record", "records"));
}

int cmd_pseudonymise(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda pseudonymise --map FILE.csv [--dry-run]",
		"Replace real names by pseudonyms in the documents' texts, speaker labels, case and document\n"
		"names and memos, every coding kept on the same words.",
		"The map is a CSV with the header 'name,pseudonym', one name a row; it stays outside the\n"
		"project. A name matches as a whole word, case and accents as written (\"Marie\" is not\n"
		"\"marie\" nor \"Marié\"); of two names that start at one place the longer wins (\"Marie\n"
		"Dupont\" before \"Marie\"). Codings, turns and lines follow the text; a replacement that\n"
		"would cut a coding (a coding's start or end inside a name) is refused and nothing changes.\n"
		"The log records the numbers, never the names; the change cannot be undone (an undo record\n"
		"would keep the real names): dump or copy the project first.\n"
		"\n"
		"Output: per place (a document's text, a speaker, a case, a memo) the occurrences of each\n"
		"name; --dry-run lists every occurrence with its line, column and context, writes nothing.",
	};
	const char *map_path = NULL, *delim_arg = NULL;
	int dry_run = 0;
	const struct opt opts[] = {
		OPT_STRING("map", 'm', &map_path, "FILE.csv", "the names and their pseudonyms (name,pseudonym)"),
		OPT_BOOL("dry-run", 'n', &dry_run, "list every occurrence in context; write nothing"),
		OPT_DELIMITER(&delim_arg),
		OPT_END(),
	};
	struct qda_pseudo_map *m = NULL;
	struct qda_pseudo_totals t;
	struct out *o;
	enum qda_status st;
	char summary[512], delim;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (!map_path)
		return usage_error(cli, "give the names and pseudonyms with --map FILE.csv (header name,pseudonym)");
	if ((rc = cli_delimiter(cli, delim_arg, &delim)))
		return rc;
	if ((rc = cli_open(cli, dry_run ? OPEN_READ : OPEN_WRITE)))
		return rc;
	if ((st = qda_pseudo_map_load(cli->h, map_path, delim, &m)) != QDA_OK)
		return cli_fail(cli, st);
	if (!(o = out_open(cli, OUT_LISTING, &rc))) {
		qda_pseudo_map_free(m);
		return rc;
	}
	if (dry_run) {
		out_begin(o, hit_cols, 7);
		st = qda_pseudonymise(cli->h, m, 1, on_hit, NULL, o, &t);
	} else {
		out_begin(o, count_cols, 5);
		if ((st = qda_begin(cli->h, cli->cmdline)) == QDA_OK) {
			st = qda_pseudonymise(cli->h, m, 0, NULL, on_count, o, &t);
			if (st == QDA_OK) {
				totals(summary, sizeof summary, &t, "replaced");
				st = qda_commit(cli->h, summary);
			} else {
				qda_rollback(cli->h);
			}
		}
	}
	qda_pseudo_map_free(m);
	if (st != QDA_OK)
		return out_finish(cli, o, st);
	out_end(o);
	if (o->fmt == OUT_TEXT) {
		totals(summary, sizeof summary, &t, dry_run ? "would be replaced" : "replaced");
		fprintf(o->fp, dry_run ? "dry run: %s; nothing written\n" : "%s\n", summary);
	}
	return out_close(cli, o, 0);
}
