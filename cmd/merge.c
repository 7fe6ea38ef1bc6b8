/* merge.c — qda merge OTHER.qda: bring a co-coder's codings into this
 * project (documents by content, codes by id, coders kept distinct). */
#include <stdio.h>

#include "cmd.h"

int cmd_merge(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda merge OTHER.qda",
		"Bring the codings of a co-coder who worked on a copy of the project into this one.\n"
		"Documents are matched by their text (SHA-256), codes by id, coders by name (kept distinct, so\n"
		"'qda agree' can compare them); codes the co-coder added are added under the same parent.\n"
		"Reviews and memos of merged codings come too. Merging the same file twice adds nothing.",
		"A document with the same name but different text, or one not in this project, is reported\n"
		"and its codings are not merged. The other file is opened read-only.",
	};
	struct qda_merge_report r;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give the co-coder's project file");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	st = qda_merge(cli->h, argv[0], cli->cmdline, &r);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("merged %s: %ld documents matched", argv[0], r.docs_matched);
	if (r.docs_conflict || r.docs_missing)
		printf(" (%ld with different text, %ld not here: not merged)", r.docs_conflict, r.docs_missing);
	printf("\n  codings: %ld added, %ld already here, %ld skipped\n", r.codings_added, r.codings_present,
	       r.codings_skipped);
	printf("  coders added: %ld; codes added: %ld; reviews: %ld; memos: %ld\n", r.coders_added, r.nodes_added,
	       r.reviews_added, r.memos_added);
	return 0;
}
