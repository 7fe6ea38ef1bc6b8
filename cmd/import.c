/* import.c — qda import FILE...: transcripts into the project, all of them
 * or none (one transaction), each a document of a case. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd.h"

static const char *plural(long n)
{
	return n == 1 ? "" : "s";
}

static int import_files(struct cli *cli, int argc, char **argv, struct strlist *attrs, struct strlist *interviewers);

/* ---- a REFI-QDA project (.qdpx) ---- */

static int is_qdpx(const char *path)
{
	size_t l = strlen(path);
	return l > 5 && !strcasecmp(path + l - 5, ".qdpx");
}

struct rows {
	char **v; /* item, count, status, detail per row */
	size_t n, cap;
};

static void rows_add(struct rows *r, const char *item, long n, const char *status, const char *detail)
{
	char num[24];
	if (r->n + 4 > r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = realloc(r->v, r->cap * sizeof *r->v);
		if (!r->v)
			die_nomem();
	}
	snprintf(num, sizeof num, "%ld", n);
	r->v[r->n++] = xstrdup(item);
	r->v[r->n++] = xstrdup(num);
	r->v[r->n++] = xstrdup(status);
	r->v[r->n++] = xstrdup(detail ? detail : "");
}

static int refi_row(void *ctx, const struct qda_refi_row *r)
{
	rows_add(ctx, r->item, r->n, r->status, r->detail);
	return 0;
}

static int import_qdpx(struct cli *cli, const char *path)
{
	static const struct col cols[] = {
		{ "item", COL_STR }, { "count", COL_INT }, { "status", COL_STR }, { "detail", COL_STR },
	};
	struct qda_refi_report rep;
	struct rows skipped = { 0 }, all = { 0 };
	enum qda_status st;
	struct out *o;
	char summary[512];
	size_t i;
	int rc;

	if (cli->format && !strcmp(cli->format, "auto"))
		cli->format = NULL;
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		out_close(cli, o, 1);
		return cli_fail(cli, st);
	}
	st = qda_refi_import(cli->h, path, refi_row, &skipped, &rep);
	if (st != QDA_OK) {
		qda_rollback(cli->h);
		out_close(cli, o, 1);
		rc = cli_fail(cli, st);
		fprintf(stderr, "qda import: nothing was imported\n");
		goto out;
	}
	snprintf(summary, sizeof summary,
	         "%s%s%s: %ld document%s (%ld matched), %ld code%s (%ld matched), %ld coding%s, %ld case%s, %ld "
	         "variable value%s, %ld memo%s, %ld user%s imported; %ld selection%s not placed",
	         path, rep.origin ? " from " : "", rep.origin ? rep.origin : "", rep.documents, plural(rep.documents),
	         rep.documents_matched, rep.codes, plural(rep.codes), rep.codes_matched, rep.codings, plural(rep.codings),
	         rep.cases, plural(rep.cases), rep.variables, plural(rep.variables), rep.memos, plural(rep.memos),
	         rep.users, plural(rep.users), rep.selections_skipped, plural(rep.selections_skipped));
	if ((st = qda_commit(cli->h, summary)) != QDA_OK) {
		out_close(cli, o, 1);
		rc = cli_fail(cli, st);
		goto out;
	}
	rows_add(&all, "documents", rep.documents, "imported", NULL);
	if (rep.documents_matched)
		rows_add(&all, "documents", rep.documents_matched, "matched", "the same text was here already");
	rows_add(&all, "codes", rep.codes, "imported", NULL);
	if (rep.codes_matched)
		rows_add(&all, "codes", rep.codes_matched, "matched", "by GUID or id");
	rows_add(&all, "codings", rep.codings, "imported", NULL);
	if (rep.codings_present)
		rows_add(&all, "codings", rep.codings_present, "matched", "the same coder had coded the same span");
	rows_add(&all, "cases", rep.cases, "imported", NULL);
	if (rep.cases_matched)
		rows_add(&all, "cases", rep.cases_matched, "matched", "by name");
	rows_add(&all, "variables", rep.variables, "imported", "case attribute values");
	rows_add(&all, "memos", rep.memos, "imported", NULL);
	if (rep.memos_present)
		rows_add(&all, "memos", rep.memos_present, "matched", "the same memo was here already");
	rows_add(&all, "users", rep.users, "imported", "as coders");
	if (rep.users_matched)
		rows_add(&all, "users", rep.users_matched, "matched", "by GUID or name");
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < all.n; i += 4)
		out_row(o, (const char *const *)all.v + i);
	for (i = 0; i < skipped.n; i += 4)
		out_row(o, (const char *const *)skipped.v + i);
	out_end(o);
	rc = out_close(cli, o, 0);
	qda_refi_report_free(&rep);
out:
	for (i = 0; i < all.n; i++)
		free(all.v[i]);
	for (i = 0; i < skipped.n; i++)
		free(skipped.v[i]);
	free(all.v);
	free(skipped.v);
	return rc;
}

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
		"                   [--name NAME] [--format auto|txt|md|vtt|srt|docx] [--encoding ENC]\n"
		"       qda import FILE.qdpx [--format text|csv|tsv|json|md]",
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
		"\n"
		"A REFI-QDA project (FILE.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder) is imported on its own:\n"
		"its text sources, codes, codings with their coders, cases, variables and notes come in, what\n"
		"is here already is matched (documents by text, codes by GUID then id, users by GUID then name),\n"
		"and a report says what came in and what was left out (--format text|csv|tsv|json|md). Positions\n"
		"are read in the unit the exporting tool uses (NVivo: UTF-16 units; ATLAS.ti: a CRLF as one;\n"
		"others: code points), checked against word boundaries; a selection no reading places is\n"
		"reported, never coded at a wrong place.\n"
		"\n"
		"All files are imported in one transaction: if one fails, none is imported.\n"
		"\n"
		"Examples:\n"
		"  qda import interviews/* --interviewer Camille\n"
		"  qda import P07.txt --attr role=patient --attr gender=female\n"
		"  qda import old/P01.txt --encoding cp1252 --name P01-v2\n"
		"  qda import study.qdpx --coder camille --format csv",
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
	for (i = 0; i < n; i++)
		if (is_qdpx(argv[i])) {
			if (n > 1)
				return usage_error(cli, "import a REFI-QDA project (%s) on its own, not with other files", argv[i]);
			if (case_name || name || encoding || attrs->n || interviewers->n)
				return usage_error(cli, "--case, --attr, --interviewer, --name and --encoding are for transcripts; "
				                        "a .qdpx project says its own cases and attributes");
			return import_qdpx(cli, argv[0]);
		}
	if (name && n > 1)
		return usage_error(cli, "--name names one document; import the files one by one to rename them");
	if (format && strcmp(format, "auto") && strcmp(format, "txt") && strcmp(format, "md") && strcmp(format, "vtt") &&
	    strcmp(format, "srt") && strcmp(format, "docx"))
		return usage_error(cli, "--format wants auto, txt, md, vtt, srt or docx, not '%s'", format);
	if (lang_arg && (lang = qda_lang_parse(lang_arg)) < 0)
		return usage_error(cli, "--lang wants fr or en, not '%s'", lang_arg);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	/* text entering the project is UTF-8 (core/import.c takes these as given) */
	size_t k;
	if (qda_text_check_input(cli->h, "--case", case_name) || qda_text_check_input(cli->h, "--name", name))
		return cli_fail(cli, QDA_EINPUT);
	for (k = 0; k < attrs->n; k++)
		if (qda_text_check_input(cli->h, "--attr", attrs->v[k]))
			return cli_fail(cli, QDA_EINPUT);
	for (k = 0; k < interviewers->n; k++)
		if (qda_text_check_input(cli->h, "--interviewer", interviewers->v[k]))
			return cli_fail(cli, QDA_EINPUT);
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
		if (n > 1)
			cli_progress(cli, "importing", (uint64_t)i, (uint64_t)n);
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
		if (rep.rare)
			fprintf(msgs, "  possibly not speakers (one turn each in %ld): %s; check with qda speakers %s\n", rep.turns,
			        rep.rare, rep.name);
		qda_import_report_free(&rep);
	}
	if (n > 1)
		cli_progress(cli, "importing", (uint64_t)n, (uint64_t)n);
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
