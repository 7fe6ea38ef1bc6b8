/* translate.c — qda translate CODING --lang L [TEXT...]: a coded quote in
 * the paper's language, by its translator (the coder). Parses and prints
 * only; the translations are core/translate.c. */
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
		"stays the original: qda retrieve --lang L shows the translation marked as one.\n\n"
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
