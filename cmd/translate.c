/* translate.c — qda translate CODING --lang L [TEXT...]: a coded quote in
 * the paper's language, by its translator (the coder); and how retrieve,
 * exemplar and report show the translations (--lang, --originals). Parses
 * and prints only; the translations are core/translate.c. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int cmd_translate(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda translate CODING --lang L [TEXT...]",
		"Translate a coding's quote into language L (en, fr, pt-br) for the paper, signed with the\n"
		"translator (--coder NAME or $QDA_CODER).",
		"One translation per coding and language: translating again replaces it (logged; qda undo\n"
		"brings the earlier one back). Without TEXT the translation is written in $VISUAL or\n"
		"$EDITOR, the original shown as '#' lines; TEXT - reads standard input. The coding's text\n"
		"stays the original: qda retrieve, qda exemplar list and qda report take --lang L to quote\n"
		"the translation, marked as one, and --originals to give the original in a note.\n\n"
		"Example:\n"
		"  qda translate 68 --lang en \"she takes the time to listen to those people\"",
	};
	const char *lang = NULL;
	const struct opt opts[] = {
		OPT_STRING("lang", 'l', &lang, "L", "the language of the translation (required)"),
		OPT_END(),
	};
	char *text = NULL, *end, *summary;
	enum qda_status st;
	long long id;
	size_t len;
	int rc, replaced = 0, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n < 1)
		return usage_error(cli, "which coding? (qda codings lists them)");
	id = strtoll(argv[0], &end, 10);
	if (*end || id <= 0)
		return usage_error(cli, "a coding is named by its number (see qda codings), not '%s'", argv[0]);
	if (!lang)
		return usage_error(cli, "say the language of the translation with --lang L (en, fr...)");
	if (!cli_coder(cli))
		return usage_error(cli, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	{
		char *header = xasprintf("# The translation into %s of coding %lld, above; lines starting with '#'\n"
		                         "# are left out. An empty translation writes nothing.\n", lang, id);
		text = cli_text_args(cli, n - 1, argv + 1, header);
		free(header);
		if (!text)
			return 1;
	}
	len = strlen(text);
	while (len > 0 && strchr(" \t\r\n", text[len - 1]))
		text[--len] = '\0';
	if ((st = qda_begin(cli->h, cli->cmdline)) == QDA_OK) {
		if ((st = qda_translate_set(cli->h, id, lang, text, &replaced)) == QDA_OK) {
			summary = xasprintf("coding %lld translated into %s by %s%s", id, lang, cli_coder(cli),
			                    replaced ? " (replacing the earlier translation)" : "");
			if ((st = qda_commit(cli->h, summary)) == QDA_OK)
				printf("%s\n", summary);
			free(summary);
		} else {
			qda_rollback(cli->h);
		}
	}
	free(text);
	return st == QDA_OK ? 0 : cli_fail(cli, st);
}

int translated_args(struct cli *cli, const char *lang, int originals)
{
	if (lang && !qda_translate_lang_ok(lang))
		return usage_error(cli, "--lang wants a language tag in lower case (en, fr, pt-br), not '%s'", lang);
	if (originals && !lang)
		return usage_error(cli, "--originals goes with --lang L: the originals of the quotes translated into L");
	return 0;
}

enum qda_status translated_get(struct qda *h, const char *lang, long long coding, struct translated *t)
{
	char *who = NULL;
	enum qda_status st;
	memset(t, 0, sizeof *t);
	if (!lang || !coding)
		return QDA_OK;
	st = qda_translation_get(h, coding, lang, &t->text, &who, &t->from);
	if (st == QDA_ENOTFOUND)
		return QDA_OK;
	if (st != QDA_OK)
		return st;
	t->mark = *t->from ? xasprintf("translated from %s by %s", t->from, who) : xasprintf("translated by %s", who);
	free(who);
	return QDA_OK;
}

void translated_free(struct translated *t)
{
	free(t->text);
	free(t->mark);
	free(t->from);
	memset(t, 0, sizeof *t);
}

void notes_ref(struct notes *n, FILE *fp, const char *text, const char *lang)
{
	long k;
	if (n->n == n->cap) {
		n->cap = n->cap ? 2 * n->cap : 8;
		n->text = xrealloc(n->text, n->cap * sizeof *n->text);
		n->lang = xrealloc(n->lang, n->cap * sizeof *n->lang);
	}
	n->text[n->n] = xstrdup(text);
	n->lang[n->n++] = xstrdup(lang ? lang : "");
	k = ++n->last;
	if (n->style == NOTES_MD)
		fprintf(fp, "[^%ld]", k);
	else if (n->style == NOTES_TEXT)
		fprintf(fp, " [%ld]", k);
	else
		fprintf(fp, "<sup><a href=\"#original-%ld\" id=\"quote-%ld\">%ld</a></sup>", k, k, k);
}

/* An original's lines after its number: the first as it is, the others
 * indented by four spaces (a Markdown footnote's continuation), blank
 * lines left blank. */
static void note_lines(FILE *fp, const char *text, int md)
{
	const char *p = text;
	for (;;) {
		size_t len = strcspn(p, "\n");
		char *line = xasprintf("%.*s", (int)len, p);
		if (p != text && len)
			fputs("    ", fp);
		if (md)
			out_md_escape(fp, line, 0);
		else
			fputs(line, fp);
		free(line);
		fputc('\n', fp);
		if (!p[len])
			break;
		p += len + 1;
	}
}

void notes_write(struct notes *n, FILE *fp)
{
	size_t i;
	long k = n->last - (long)n->n;
	if (!n->n)
		return;
	if (n->style == NOTES_HTML)
		fprintf(fp, "<ol class=\"originals\" start=\"%ld\">\n", k + 1);
	else if (n->style == NOTES_TEXT)
		fputs("Originals:\n", fp);
	for (i = 0; i < n->n; i++) {
		k++;
		if (n->style == NOTES_HTML) {
			fprintf(fp, "<li id=\"original-%ld\"", k);
			if (*n->lang[i]) {
				fputs(" lang=\"", fp);
				out_html_escape(fp, n->lang[i]);
				fputc('"', fp);
			}
			fputc('>', fp);
			out_html_escape(fp, n->text[i]);
			fprintf(fp, " <a href=\"#quote-%ld\">↩</a></li>\n", k);
		} else {
			fprintf(fp, n->style == NOTES_MD ? "[^%ld]: " : "[%ld] ", k);
			note_lines(fp, n->text[i], n->style == NOTES_MD);
		}
		free(n->text[i]);
		free(n->lang[i]);
	}
	if (n->style == NOTES_HTML)
		fputs("</ol>\n", fp);
	n->n = 0;
}

void notes_free(struct notes *n)
{
	size_t i;
	for (i = 0; i < n->n; i++) {
		free(n->text[i]);
		free(n->lang[i]);
	}
	free(n->text);
	free(n->lang);
	memset(n, 0, sizeof *n);
}
