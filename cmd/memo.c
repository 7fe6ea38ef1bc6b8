/* memo.c — qda memo add|list|show: memos on the project, a document, a code,
 * a coding or a case, and the reflexive journal. Parses and prints only;
 * the memos are core/memo.c. */
#include <errno.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "id", COL_INT },      { "kind", COL_STR },    { "target", COL_STR },
	{ "coder", COL_STR },   { "created", COL_STR }, { "text", COL_STR },
};

struct target {
	const char *doc, *code, *coding, *case_name;
	int journal, project;
};

#define TARGET_OPTS(t)                                                                     \
	OPT_STRING("doc", 'd', &(t).doc, "DOC", "a memo on a document"),                   \
	OPT_STRING("code", 'c', &(t).code, "CODE", "a memo on a code (any codebook node)"), \
	OPT_STRING("coding", 0, &(t).coding, "ID", "a memo on a coding (see qda codings)"), \
	OPT_STRING("case", 0, &(t).case_name, "CASE", "a memo on a case (a participant)"),  \
	OPT_BOOL("journal", 'j', &(t).journal, "the reflexive journal, dated and signed")

/* The kind and target named by the options; -1 when more than one is given. */
static int target_of(const struct target *t, const char **kind, const char **target)
{
	int n = !!t->doc + !!t->code + !!t->coding + !!t->case_name + t->journal + t->project;
	*kind = NULL;
	*target = NULL;
	if (n > 1)
		return -1;
	if (t->doc)
		*kind = "document", *target = t->doc;
	else if (t->code)
		*kind = "code", *target = t->code;
	else if (t->coding)
		*kind = "coding", *target = t->coding;
	else if (t->case_name)
		*kind = "case", *target = t->case_name;
	else if (t->journal)
		*kind = "journal";
	else if (t->project)
		*kind = "project";
	return 0;
}

/* The memo written in $VISUAL or $EDITOR (cli_edit_text). */
static char *from_editor(struct cli *cli, const char *kind, const char *target)
{
	char *header, *text;
	if (target)
		header = xasprintf("# Write the memo on the %s above; lines starting with '#' are left out.\n"
		                   "# An empty memo writes nothing.\n# Target: %s %s\n", kind, kind, target);
	else
		header = xasprintf("# Write the memo %s above; lines starting with '#' are left out.\n"
		                   "# An empty memo writes nothing.\n",
		                   strcmp(kind, "journal") ? "on the project" : "in the journal");
	text = cli_edit_text(cli, NULL, header);
	free(header);
	return text;
}

static int memo_add(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda memo add [--doc DOC | --code CODE | --coding ID | --case CASE | --journal] TEXT...",
		"Write a memo, signed with the coder (--coder NAME or $QDA_CODER) and dated.",
		"Without a target the memo is on the project. --journal writes to the reflexive journal.\n"
		"TEXT - reads the memo from standard input (a heredoc, a file, an editor's output);\n"
		"several TEXT arguments are joined with spaces. Without TEXT, the memo is written in\n"
		"$VISUAL or $EDITOR (vi when neither is set); an empty memo writes nothing.",
	};
	struct target t = { 0 };
	const struct opt opts[] = { TARGET_OPTS(t), OPT_END() };
	const char *kind, *target;
	char *text = NULL, *summary = NULL;
	enum qda_status st;
	long long id;
	size_t len;
	int i, rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (target_of(&t, &kind, &target))
		return usage_error(cli, "give one of --doc, --code, --coding, --case or --journal");
	if (!kind)
		kind = "project";
	if (!cli_coder(cli))
		return usage_error(cli, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	if (n == 0) {
		if (!(text = from_editor(cli, kind, target)))
			return 1;
	} else if (n == 1 && strcmp(argv[0], "-") == 0) {
		if (!(text = cli_read_stdin(cli)))
			return 1;
	} else {
		for (i = 0, len = 1; i < n; i++)
			len += strlen(argv[i]) + 1;
		text = xcalloc(1, len);
		for (i = 0; i < n; i++) {
			if (i)
				strcat(text, " ");
			strcat(text, argv[i]);
		}
	}
	len = strlen(text);
	while (len > 0 && strchr(" \t\r\n", text[len - 1]))
		text[--len] = '\0';
	if (n == 0 && len == 0) {
		free(text);
		fprintf(stderr, "qda %s: the memo is empty; nothing was written\n", cli->cmdname);
		return 1;
	}
	if ((rc = cli_open(cli, OPEN_WRITE))) {
		free(text);
		return rc;
	}
	if ((st = qda_begin(cli->h, cli->cmdline)) == QDA_OK) {
		st = qda_memo_add(cli->h, kind, target, text, &id);
		if (st == QDA_OK) {
			if (target)
				summary = xasprintf("memo %lld on %s %s", id, kind, target);
			else if (strcmp(kind, "journal") == 0)
				summary = xasprintf("journal entry %lld by %s", id, cli_coder(cli));
			else
				summary = xasprintf("memo %lld on the project", id);
			st = qda_commit(cli->h, summary);
		} else {
			qda_rollback(cli->h);
		}
	}
	free(text);
	if (st == QDA_OK)
		printf("%s\n", summary);
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

struct list_ctx {
	struct out *o;
	long n;
};

/* The first line of s, at most width display columns, "…" when cut. */
static void first_line(char *dst, size_t n, const char *s, int width)
{
	const char *nl = strchr(s, '\n');
	size_t len = nl ? (size_t)(nl - s) : strlen(s);
	int cut = nl != NULL;
	if (len > n - 4) {
		len = n - 4;
		cut = 1;
	}
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--; /* never cut inside a character */
	memcpy(dst, s, len);
	dst[len] = '\0';
	while (len > 0 && qda_text_width(dst) > (size_t)width) {
		do
			len--;
		while (len > 0 && ((unsigned char)dst[len] & 0xC0) == 0x80);
		dst[len] = '\0';
		cut = 1;
	}
	if (cut)
		strcat(dst, "…");
}

static int list_row(void *data, const struct qda_memo_row *r)
{
	struct list_ctx *c = data;
	char id[24], text[1024];
	const char *v[6];
	snprintf(id, sizeof id, "%lld", r->id);
	v[0] = id;
	v[1] = r->kind;
	v[2] = *r->target ? r->target : NULL;
	v[3] = *r->coder ? r->coder : NULL;
	v[4] = r->created;
	if (c->o->fmt == OUT_TEXT) {
		first_line(text, sizeof text, r->text, 60);
		v[5] = text;
	} else {
		v[5] = r->text;
	}
	out_row(c->o, v);
	c->n++;
	return 0;
}

static int memo_list(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda memo list [--project | --doc DOC | --code CODE | --coding ID | --case CASE | --journal]",
		"List memos, oldest first: all of them, or those on one target.",
		"The text format shows each memo's first line; csv, tsv and json give the whole text.",
	};
	struct target t = { 0 };
	const struct opt opts[] = {
		OPT_BOOL("project", 0, &t.project, "memos on the project itself"),
		TARGET_OPTS(t),
		OPT_END(),
	};
	struct list_ctx c = { 0 };
	const char *kind, *target;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (target_of(&t, &kind, &target))
		return usage_error(cli, "give at most one of --project, --doc, --code, --coding, --case or --journal");
	if ((rc = cli_open(cli, OPEN_READ)))
		return rc;
	if (!(c.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(c.o, cols, sizeof cols / sizeof cols[0]);
	st = qda_memo_list(cli->h, kind, target, list_row, &c);
	if (st == QDA_OK)
		out_end(c.o);
	rc = out_close(cli, c.o, st != QDA_OK);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	return rc;
}

static int show_row(void *data, const struct qda_memo_row *r)
{
	struct list_ctx *c = data;
	if (c->o->fmt != OUT_TEXT)
		return list_row(data, r);
	if (strcmp(r->kind, "journal") == 0)
		fprintf(c->o->fp, "journal entry %lld · %s · signed %s\n\n%s\n", r->id, r->created,
		        *r->coder ? r->coder : "(nobody)", r->text);
	else
		fprintf(c->o->fp, "memo %lld on %s%s%s · %s · %s\n\n%s\n", r->id, strcmp(r->kind, "project") ? r->kind : "the project",
		        *r->target ? " " : "", r->target, *r->coder ? r->coder : "(nobody)", r->created, r->text);
	return 0;
}

static int memo_show(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda memo show ID",
		"Show one memo in full: its target, coder, date and text.",
		NULL,
	};
	const struct opt opts[] = { OPT_END() };
	struct list_ctx c = { 0 };
	enum qda_status st;
	char *end;
	long long id;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "which memo? give its number (see qda memo list)");
	id = strtoll(argv[0], &end, 10);
	if (*end || id <= 0)
		return usage_error(cli, "a memo is named by its number (see qda memo list), not '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_READ)))
		return rc;
	if (!(c.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if (c.o->fmt != OUT_TEXT)
		out_begin(c.o, cols, sizeof cols / sizeof cols[0]);
	st = qda_memo_show(cli->h, id, show_row, &c);
	if (st == QDA_OK && c.o->fmt != OUT_TEXT)
		out_end(c.o);
	rc = out_close(cli, c.o, st != QDA_OK);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	return rc;
}

int cmd_memo(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "add", memo_add, OPEN_WRITE, "write a memo (project, document, code, coding, case) or a journal entry" },
		{ "list", memo_list, OPEN_READ, "list memos, all or those on one target" },
		{ "show", memo_show, OPEN_READ, "show one memo in full" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd(cli, "memo", verbs, argc, argv);
}
