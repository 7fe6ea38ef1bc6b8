/* speaker.c — qda speaker role: mark a speaker of a document as interviewer
 * or participant after import (what import's --interviewer does). Parses
 * and prints only; core/docs.c changes the role. 'qda speakers' lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int speaker_role(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda speaker role DOC SPEAKER interviewer|participant",
		"Mark a speaker of a document as interviewer or participant: a missed --interviewer at import\n"
		"set afterwards, or one given by mistake undone.",
		"Counting commands leave out codings lying in interviewer turns unless --include-interviewer,\n"
		"and autocode does not match in them: the counts change with the role. 'qda speakers DOC'\n"
		"lists the speakers and their roles.",
	};
	struct qda_speaker_role_result r;
	const char *role;
	enum qda_status st;
	char *summary;
	int rc, interviewer, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 3)
		return usage_error(cli, "give the document, the speaker and the role (interviewer or participant)");
	role = argv[2];
	if (strcmp(role, "interviewer") == 0)
		interviewer = 1;
	else if (strcmp(role, "participant") == 0)
		interviewer = 0;
	else
		return usage_error(cli, "the role is interviewer or participant, not '%s'", role);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_speaker_role(cli->h, argv[0], argv[1], interviewer, &r)) != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	if (!r.changed) {
		/* nothing written: nothing to log */
		qda_rollback(cli->h);
		printf("%s: %s is already %s; nothing changed\n", r.doc, argv[1], role);
		return 0;
	}
	summary = xasprintf("speaker %s of %s: %s -> %s", argv[1], r.doc, r.was ? "interviewer" : "participant", role);
	if ((st = qda_commit(cli->h, summary)) == QDA_OK)
		printf("%s: %s is now %s (was %s), %ld turn%s%s\n", r.doc, argv[1], role,
		       r.was ? "interviewer" : "participant", r.turns, r.turns == 1 ? "" : "s",
		       interviewer ? "; codings lying in interviewer turns leave the counts unless --include-interviewer"
		                   : "");
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_speaker(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "role", speaker_role, OPEN_WRITE, "mark a speaker of a document as interviewer or participant" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd_hint(cli, "speaker", verbs, argc, argv, "'qda speakers DOC' lists the speakers");
}
