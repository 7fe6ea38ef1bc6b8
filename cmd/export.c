/* export.c — qda export FILE.qdpx: the project as a REFI-QDA project for
 * NVivo, ATLAS.ti, MAXQDA, QualCoder. The logic is core/refi_export.c; this
 * file parses, writes the file whole (outfile.c) and says what went in. */
#include <string.h>

#include "cmd.h"

static int write_out(void *ctx, const void *bytes, size_t n)
{
	return fwrite(bytes, 1, n, ctx) != n;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda export FILE.qdpx [--format qdpx]",
		"Write the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder and\n"
		"the other REFI-QDA programs: the coders (Users), the codebook, the case attributes\n"
		"(Variables), the cases with their documents, every current document (sources/GUID.txt,\n"
		"UTF-8, LF) with its current codings (positions in code points, end exclusive), and the\n"
		"memos and journal (Notes).",
		"Every object keeps its GUID and stored timestamps, so exporting the same project twice gives\n"
		"the same file. Removed codings and documents stay out; codings of a retired code stay out,\n"
		"with a warning. Reviews, speaker turns and the audit trail do not travel (REFI-QDA has no\n"
		"place for them). FILE is written whole: a file of that name is replaced only once the\n"
		"export is complete, and left as it was when the export fails.",
	};
	struct qda_export_report rep;
	struct outfile *f;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (cli->format && strcmp(cli->format, "qdpx") != 0)
		return usage_error(cli, "unknown format '%s'; use qdpx", cli->format);
	if (cli->output)
		return usage_error(cli, "give the file to write as the argument (qda export FILE.qdpx), not with -o");
	if (n != 1)
		return usage_error(cli, n ? "give one file to write" : "give the file to write (qda export FILE.qdpx)");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((rc = out_refuse_project(cli, argv[0], "")))
		return rc;
	if (!(f = outfile_open(cli, argv[0], &rc)))
		return rc;
	st = qda_export_qdpx(cli->h, write_out, outfile_fp(f), &rep);
	if (st != QDA_OK) {
		outfile_discard(f);
		return cli_fail(cli, st);
	}
	if ((rc = outfile_commit(cli, f)))
		return rc;
	if (rep.codings_skipped)
		cli_warnf(cli, "%ld codings of retired codes were left out (the codebook no longer has their codes)",
		          rep.codings_skipped);
	printf("exported %s: %ld documents, %ld codings, %ld codes, %ld cases, %ld variables, %ld notes, %ld users\n",
	       argv[0], rep.documents, rep.codings, rep.codes, rep.cases, rep.variables, rep.notes, rep.users);
	return 0;
}
