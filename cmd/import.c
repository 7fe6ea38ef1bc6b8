/* import.c — qda import FILE...: transcripts into the project, all of them
 * or none (one transaction), each a document of a case. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"

static const char *plural(long n)
{
	return n == 1 ? "" : "s";
}

static int import_files(struct cli *cli, int argc, char **argv, struct strlist *attrs, struct strlist *interviewers);

int cmd_import(struct cli *cli, int argc, char **argv)
{
	struct strlist attrs = {0}, interviewers = {0};
	int rc = import_files(cli, argc, argv, &attrs, &interviewers);
	free(attrs.v);
	free(interviewers.v);
	return rc;
}

static int import_files(struct cli *cli, int argc, char **argv, struct strlist *attrs, struct strlist *interviewers)
{
	static const struct usage u = {
		"qda import FILE... [--case NAME] [--attr KEY=VALUE]... [--interviewer NAME]...\n"
		"                   [--name NAME] [--format auto|txt|md|vtt|srt|docx] [--encoding ENC]",
		"Import interview transcripts: plain text and Markdown with speaker turns, WebVTT (Zoom, Teams),\n"
		"SRT and Word .docx. Each becomes a document of a case named after its file (or --case).",
		"Speaker turns: a line starting with 'Name:' (a space or no-break space before the colon is\n"
		"fine), '**Name:**', '[Name]' or 'S01: [00:01:02]' starts a turn, as does a line of its own\n"
		"'Camille Roussel  0:03' (Otter.ai, Word); header lines such as 'Audio file: x.mp3' are not turns. Subtitles (.vtt, .srt) become one\n"
		"'Name: text' line per turn, consecutive cues of one speaker merged, with their timings kept.\n"
		"\n"
		"The text is stored as UTF-8, NFC, with LF line ends and no BOM; a file in another encoding\n"
		"needs --encoding (cp1252, latin1...). A file whose text is already in the project is skipped;\n"
		"a different file with a name already taken is refused unless given another with --name.\n"
		"CSV files are skipped with a warning (case attributes: qda case import FILE.csv).\n"
		"All files are imported in one transaction: if one fails, none is imported.\n"
		"\n"
		"Examples:\n"
		"  qda import interviews/* --interviewer Camille\n"
		"  qda import P07.txt --attr role=patient --attr gender=female\n"
		"  qda import old/P01.txt --encoding cp1252 --name P01-v2",
	};
	const char *case_name = NULL, *name = NULL, *encoding = NULL, *lang_arg = NULL;
	int lang = -1;
	const struct opt opts[] = {
		OPT_STRING("case", 0, &case_name, "NAME", "the case of the documents (default: each file's stem)"),
		OPT_LIST("attr", 0, attrs, "KEY=VALUE", "set an attribute of the case (repeatable)"),
		OPT_LIST("interviewer", 0, interviewers, "NAME",
		         "this speaker is the interviewer (repeatable; 'Camille' also matches 'Camille Roussel')"),
		OPT_STRING("name", 0, &name, "NAME", "the document's name (one file only; default: the file's stem)"),
		OPT_STRING("encoding", 0, &encoding, "ENC", "the files' encoding when not UTF-8 (cp1252, latin1, ...)"),
		OPT_STRING("lang", 0, &lang_arg, "fr|en", "the documents' language, for --stem and words (default: the case's)"),
		OPT_END(),
	};
	struct qda_import_opts io = {0};
	long imported = 0, skipped = 0, ignored = 0, turns = 0, words = 0;
	enum qda_status st = QDA_OK;
	int rc, i, n = opts_parse(cli, &u, opts, argc, argv);
	const char *format = cli->format;
	FILE *msgs;
	char *text = NULL;
	size_t text_len = 0;

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n == 0)
		return usage_error(cli, "give the transcript files to import");
	if (name && n > 1)
		return usage_error(cli, "--name names one document; import the files one by one to rename them");
	if (format && strcmp(format, "auto") && strcmp(format, "txt") && strcmp(format, "md") && strcmp(format, "vtt") &&
	    strcmp(format, "srt") && strcmp(format, "docx"))
		return usage_error(cli, "--format wants auto, txt, md, vtt, srt or docx, not '%s'", format);
	if (lang_arg && (lang = qda_lang_parse(lang_arg)) < 0)
		return usage_error(cli, "--lang wants fr or en, not '%s'", lang_arg);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	io.format = format;
	io.encoding = encoding;
	io.case_name = case_name;
	io.name = name;
	io.attrs = attrs->v;
	io.n_attrs = attrs->n;
	io.interviewers = interviewers->v;
	io.n_interviewers = interviewers->n;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	/* What was imported is told once it is committed. */
	if (!(msgs = open_memstream(&text, &text_len)))
		die_nomem();
	for (i = 0; i < n; i++) {
		struct qda_import_report rep;
		const char *f = qda_import_format(argv[i]);
		struct stat sb;
		if ((!format || !strcmp(format, "auto")) && f && !strcmp(f, "csv") && stat(argv[i], &sb) == 0 &&
		    S_ISREG(sb.st_mode)) {
			cli_warnf(cli, "%s: skipped: a CSV file is not a transcript (case attributes: qda case import %s)",
			          argv[i], argv[i]);
			ignored++;
			continue;
		}
		if (cli->progress_tty && n > 1) {
			fprintf(stderr, "\rimporting %d/%d %s\033[K", i + 1, n, argv[i]);
			fflush(stderr);
		}
		st = qda_import_file(cli->h, argv[i], &io, &rep);
		if (st != QDA_OK)
			break;
		if (rep.result == QDA_SKIPPED_SAME) {
			fprintf(msgs, "skipped %s: the same text is already document %s\n", argv[i], rep.existing);
			skipped++;
			qda_import_report_free(&rep);
			continue;
		}
		if (lang >= 0 && (st = qda_lang_set_doc(cli->h, rep.name, lang)) != QDA_OK) {
			qda_import_report_free(&rep);
			break;
		}
		imported++;
		turns += rep.turns;
		words += rep.words;
		fprintf(msgs, "imported %s as %s (%s): %ld turn%s, %ld speaker%s, %ld word%s\n", argv[i], rep.name, rep.format,
		       rep.turns, plural(rep.turns), rep.speakers, plural(rep.speakers), rep.words, plural(rep.words));
		qda_import_report_free(&rep);
	}
	if (cli->progress_tty && n > 1)
		fputs("\r\033[K", stderr);
	fclose(msgs);
	if (st != QDA_OK) {
		free(text);
		qda_rollback(cli->h);
		rc = cli_fail(cli, st);
		fprintf(stderr, "qda import: nothing was imported\n");
		return rc;
	}
	{
		char summary[256];
		snprintf(summary, sizeof summary, "%ld document%s imported (%ld turn%s, %ld word%s), %ld skipped", imported,
		         plural(imported), turns, plural(turns), words, plural(words), skipped + ignored);
		if ((st = qda_commit(cli->h, summary)) != QDA_OK) {
			free(text);
			return cli_fail(cli, st);
		}
		fputs(text, stdout);
		free(text);
		if (n > 1 || skipped || ignored)
			printf("%s\n", summary);
	}
	return 0;
}
