/* merge.c — qda merge OTHER.qda: bring a co-coder's codings into this
 * project (documents by content, codes by GUID or id through this codebook's
 * history, coders kept distinct) and report what became of each code. */
#include <stdio.h>

#include "cmd.h"

static const struct col cols[] = { { "kind", COL_STR }, { "code", COL_STR }, { "detail", COL_STR } };

static int on_row(void *ctx, const struct qda_merge_row *r)
{
	const char *v[3] = { r->kind, r->code, r->detail };
	out_row(ctx, v);
	return 0;
}

int cmd_merge(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda merge OTHER.qda [--dry-run]",
		"Bring the codings of a co-coder who worked on a copy of the project into this one.\n"
		"Documents are matched by their text (SHA-256), coders by GUID or name (kept distinct, so 'qda agree'\n"
		"can compare them), codes by GUID or id as this codebook has them now: a code merged here\n"
		"(theme merge) takes the copy's codings of it, through a chain of merges; a code renamed, moved\n"
		"or given another id here keeps them. A code the copy added is added under where its parent\n"
		"lands. Reviews and memos of merged codings come too. Merging the same file twice adds nothing.",
		"The report names every code added, mapped (a -> b, and why) or in conflict (a code removed here\n"
		"with no successor, or made separately under an id that is another kind here): a conflict's\n"
		"codings are not merged, and the row says what to do. It also names the copy's own renames,\n"
		"moves and removals of codes (the codebook here is kept) and the codings the copy removed that\n"
		"are current here (kept: 'qda uncode ID' removes one). Codings removed in the copy are not\n"
		"merged. --format csv or json: the rows (kind, code, detail); text adds the counts.\n"
		"A document with the same name but different text, or one not in this project, is reported\n"
		"and its codings are not merged. The other file is opened read-only; one written by an older\n"
		"qda is not upgraded, and the message says how to merge an upgraded copy of it.",
	};
	int dry_run = 0;
	const struct opt opts[] = {
		OPT_BOOL("dry-run", 'n', &dry_run, "show the whole report and the counts; write nothing"),
		OPT_END(),
	};
	struct qda_merge_report r;
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give the co-coder's project file");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	st = qda_merge(cli->h, argv[0], cli->cmdline, dry_run, on_row, o, &r);
	if (st != QDA_OK || o->fmt != OUT_TEXT)
		return out_finish(cli, o, st);
	/* text: the rows (when there are any), then the counts */
	if (o->nrows)
		out_end(o);
	if (dry_run)
		fprintf(o->fp, "merge %s (dry run, nothing written): %ld %s matched", argv[0], r.docs_matched,
		        noun(r.docs_matched, "document", "documents"));
	else
		fprintf(o->fp, "merged %s: %ld %s matched", argv[0], r.docs_matched, noun(r.docs_matched, "document", "documents"));
	if (r.docs_conflict || r.docs_missing)
		fprintf(o->fp, " (%ld with different text, %ld not here: not merged)", r.docs_conflict, r.docs_missing);
	fprintf(o->fp, "\n  codings: %ld %s, %ld already here, %ld skipped\n", r.codings_added,
	        dry_run ? "to add" : "added", r.codings_present, r.codings_skipped);
	fprintf(o->fp, "  coders %s: %ld; codes %s: %ld; reviews: %ld; memos: %ld\n", dry_run ? "to add" : "added",
	        r.coders_added, dry_run ? "to add" : "added", r.nodes_added, r.reviews_added, r.memos_added);
	return out_close(cli, o, 0);
}
