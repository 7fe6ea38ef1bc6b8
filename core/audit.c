/* audit.c — the audit trail read as a method: which of Braun & Clarke's six
 * phases a logged command belongs to, from one table. Pure string work on
 * the log's command lines; the log itself is store.c's. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const phase_names[QDA_PHASE_N] = {
	"Setting up the project",
	"1. Familiarising with the data",
	"2. Generating initial codes",
	"3-4. Searching for and reviewing themes",
	"4. Reviewing themes: peer review",
	"5. Defining and naming themes",
	"6. Producing the report",
	"Throughout: memos, coders, undo",
};

/* The one table: command, verb (NULL: any), phase. The first match wins. */
static const struct {
	const char *command, *verb;
	enum qda_phase phase;
} table[] = {
	{ "init", NULL, QDA_PHASE_SETUP },
	{ "import", NULL, QDA_PHASE_FAMILIARISE },
	{ "case", NULL, QDA_PHASE_FAMILIARISE },
	{ "speaker", NULL, QDA_PHASE_FAMILIARISE },
	{ "doc", NULL, QDA_PHASE_FAMILIARISE },
	{ "read", NULL, QDA_PHASE_FAMILIARISE },
	{ "codebook", "load", QDA_PHASE_CODES }, /* the first load; later ones reshape: 3-4 */
	{ "codebook", NULL, QDA_PHASE_THEMES },
	{ "code", NULL, QDA_PHASE_CODES },
	{ "uncode", NULL, QDA_PHASE_CODES },
	{ "edit", NULL, QDA_PHASE_CODES },
	{ "autocode", NULL, QDA_PHASE_CODES },
	{ "merge", NULL, QDA_PHASE_CODES },
	{ "theme", "define", QDA_PHASE_DEFINE },
	{ "theme", "rename", QDA_PHASE_DEFINE },
	{ "theme", "status", QDA_PHASE_DEFINE },
	{ "theme", NULL, QDA_PHASE_THEMES }, /* move, merge, split */
	{ "summary", NULL, QDA_PHASE_THEMES },
	{ "review", NULL, QDA_PHASE_REVIEW },
	{ "agree", NULL, QDA_PHASE_REVIEW },
	{ "exemplar", NULL, QDA_PHASE_REPORT },
	{ "report", NULL, QDA_PHASE_REPORT },
	{ "memo", NULL, QDA_PHASE_THROUGHOUT },
	{ "coder", NULL, QDA_PHASE_THROUGHOUT },
	{ "undo", NULL, QDA_PHASE_THROUGHOUT },
};

/* Commands whose next word is a verb. */
static const char *const groups[] = { "codebook", "theme", "case", "doc", "speaker", "memo", "review", "exemplar",
	                              "coder", "summary" };

const char *qda_phase_name(enum qda_phase p)
{
	return p < QDA_PHASE_N ? phase_names[p] : "";
}

/* The next word of a command line as join_args wrote it (a word with a
 * space in single quotes) into w (size n); returns the rest, NULL at the end. */
static const char *word(const char *s, char *w, size_t n)
{
	size_t k = 0;
	int quoted = 0;
	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	for (; *s && (quoted || *s != ' '); s++) {
		if (*s == '\'') {
			quoted = !quoted;
			continue;
		}
		if (k + 1 < n)
			w[k++] = *s;
	}
	w[k] = '\0';
	return s;
}

enum qda_phase qda_log_phase(const char *command, int first_codebook, char *what, size_t n)
{
	char cmd[64] = "", verb[64] = "", w[64];
	const char *p = command ? command : "";
	size_t i;

	/* "qda", then the global options and their values, then the command */
	p = word(p, w, sizeof w);
	while (p && (p = word(p, cmd, sizeof cmd)) && cmd[0] == '-') {
		if (!strcmp(cmd, "-p") || !strcmp(cmd, "--project") || !strcmp(cmd, "--coder") ||
		    !strcmp(cmd, "--format") || !strcmp(cmd, "-o") || !strcmp(cmd, "--output"))
			p = word(p, w, sizeof w);
		cmd[0] = '\0';
	}
	if (!p)
		cmd[0] = '\0';
	for (i = 0; p && i < sizeof groups / sizeof groups[0]; i++)
		if (!strcmp(cmd, groups[i]) && word(p, verb, sizeof verb) && verb[0] == '-')
			verb[0] = '\0';
	if (what && n)
		snprintf(what, n, "%s%s%s", cmd, *verb ? " " : "", verb);
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (strcmp(cmd, table[i].command) || (table[i].verb && strcmp(verb, table[i].verb)))
			continue;
		if (table[i].phase == QDA_PHASE_CODES && !strcmp(cmd, "codebook") && !first_codebook)
			return QDA_PHASE_THEMES;
		return table[i].phase;
	}
	return QDA_PHASE_THROUGHOUT;
}
