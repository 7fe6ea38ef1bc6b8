/* autocode.c — qda autocode: automatic coding by the codebook's keywords and
 * patterns, an ad hoc pattern, or a speaker's turns; --dry-run shows the hits
 * in context. Parses and prints only; the matching is core/autocode.c. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct col list_cols[] = {
	{ "document", COL_STR }, { "line_first", COL_INT }, { "line_last", COL_INT }, { "speaker", COL_STR },
	{ "code", COL_STR },     { "rule", COL_STR },       { "start", COL_INT },     { "end", COL_INT },
	{ "hits", COL_INT },     { "hit_start", COL_INT },  { "hit_end", COL_INT },   { "before", COL_STR },
	{ "match", COL_STR },    { "after", COL_STR },      { "status", COL_STR },    { "coding", COL_INT },
};

static const struct col sum_cols[] = {
	{ "code", COL_STR }, { "rules", COL_INT }, { "hits", COL_INT },
	{ "codings", COL_INT }, { "added", COL_INT }, { "present", COL_INT },
};

struct total {
	char *code;
	long rules, hits, codings, added, present;
};

struct ctx {
	struct out *o;
	int dry_run;
	int width;
	struct total *t;
	size_t n;
	long codings, added, present;
};

static int row(void *data, const struct qda_autocode_row *r)
{
	struct ctx *c = data;
	c->codings++;
	if (r->created)
		c->added++;
	else
		c->present++;
	if (c->o->fmt == OUT_TEXT) {
		FILE *fp = c->o->fp;
		if (!c->dry_run)
			return 0;
		if (r->line_first == r->line_last)
			fprintf(fp, "%s:%ld", r->doc, r->line_first);
		else
			fprintf(fp, "%s:%ld-%ld", r->doc, r->line_first, r->line_last);
		if (*r->speaker)
			fprintf(fp, " (%s)", r->speaker);
		fprintf(fp, " %s%s  ", r->code, r->created ? "" : " (present)");
		out_kwic(fp, r->before, r->match, r->after, c->width, 2 * c->width);
		fprintf(fp, "  {%s}\n", r->rule);
	} else {
		char n[8][24];
		const char *v[16];
		snprintf(n[0], sizeof n[0], "%ld", r->line_first);
		snprintf(n[1], sizeof n[1], "%ld", r->line_last);
		snprintf(n[2], sizeof n[2], "%ld", r->start);
		snprintf(n[3], sizeof n[3], "%ld", r->end);
		snprintf(n[4], sizeof n[4], "%ld", r->hits);
		snprintf(n[5], sizeof n[5], "%ld", r->hit_start);
		snprintf(n[6], sizeof n[6], "%ld", r->hit_end);
		snprintf(n[7], sizeof n[7], "%lld", r->coding_id);
		v[0] = r->doc;
		v[1] = n[0];
		v[2] = n[1];
		v[3] = *r->speaker ? r->speaker : NULL;
		v[4] = r->code;
		v[5] = r->rule;
		v[6] = n[2];
		v[7] = n[3];
		v[8] = n[4];
		v[9] = n[5];
		v[10] = n[6];
		v[11] = r->before;
		v[12] = r->match;
		v[13] = r->after;
		v[14] = c->dry_run ? (r->created ? "new" : "present") : (r->created ? "added" : "present");
		v[15] = r->coding_id ? n[7] : NULL;
		out_row(c->o, v);
	}
	return 0;
}

static void total(void *data, const struct qda_autocode_total *t)
{
	struct ctx *c = data;
	struct total *x;
	c->t = xrealloc(c->t, (c->n + 1) * sizeof *c->t);
	x = &c->t[c->n++];
	x->code = xstrdup(t->code);
	x->rules = t->rules;
	x->hits = t->hits;
	x->codings = t->codings;
	x->added = t->added;
	x->present = t->present;
}

static void print_totals(struct ctx *c)
{
	size_t i;
	if (c->dry_run && c->codings)
		fputc('\n', c->o->fp);
	out_begin(c->o, sum_cols, sizeof sum_cols / sizeof sum_cols[0]);
	for (i = 0; i < c->n; i++) {
		char n[5][24];
		const char *v[6];
		snprintf(n[0], sizeof n[0], "%ld", c->t[i].rules);
		snprintf(n[1], sizeof n[1], "%ld", c->t[i].hits);
		snprintf(n[2], sizeof n[2], "%ld", c->t[i].codings);
		snprintf(n[3], sizeof n[3], "%ld", c->t[i].added);
		snprintf(n[4], sizeof n[4], "%ld", c->t[i].present);
		v[0] = c->t[i].code;
		v[1] = n[0];
		v[2] = n[1];
		v[3] = n[2];
		v[4] = n[3];
		v[5] = n[4];
		out_row(c->o, v);
	}
	out_end(c->o);
}

int cmd_autocode(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda autocode (--keywords | --pattern REGEX | --speaker NAME) [--code CODE]\n"
		"             [--unit match|sentence|turn] [--doc DOC] [--include-interviewer] [--dry-run]",
		"Code automatically, as the coder (--coder NAME or $QDA_CODER), marking each coding 'auto'\n"
		"with the rule that made it, so a reviewer can accept or reject it (qda review --auto).",
		"--keywords uses the keywords and patterns of the codebook's nodes (of --code CODE only when\n"
		"given). Keywords ignore case and accents (\"écout*\" finds Écoute and ECOUTÉ), match whole\n"
		"words, and a * ending a word matches any ending (listen* finds listening); the words of a\n"
		"keyword match across any spaces or line breaks. Patterns are PCRE2 regular expressions in\n"
		"UTF and Unicode-property mode (\\w, \\b and [[:alpha:]] know accented letters), applied as\n"
		"written to the stored text: case-sensitive unless they begin with (?i).\n"
		"--pattern REGEX --code CODE codes the matches of one pattern; --speaker NAME --code CODE\n"
		"codes every turn of that speaker (the whole turn, label included).\n"
		"\n"
		"--unit extends each hit: match (the matched text, the default), sentence (to the sentence\n"
		"around it, ending at . ! ? or …, a line break or the turn's edge) or turn (the whole turn).\n"
		"A hit never crosses a turn. Hits of one code whose spans overlap make one coding. Hits in\n"
		"interviewer turns and in speaker labels are left out unless --include-interviewer.\n"
		"Running it again adds nothing twice: the same coder, code and span is one coding.\n"
		"\n"
		"Output: a table per code (rules, hits, codings, added, present); --dry-run first lists each\n"
		"coding as document:lines (speaker) code  ...[hit]...  {rule} and writes nothing. With\n"
		"--format csv, tsv or json: one row per coding (status added, present, or new in a dry run).",
	};
	int keywords = 0, include_interviewer = 0, dry_run = 0;
	const char *pattern = NULL, *speaker = NULL, *code = NULL, *unit = NULL, *doc = NULL;
	long width = 30;
	const struct opt opts[] = {
		OPT_BOOL("keywords", 'k', &keywords, "the codebook's keywords and patterns"),
		OPT_STRING("pattern", 'e', &pattern, "REGEX", "an ad hoc PCRE2 pattern (with --code)"),
		OPT_STRING("speaker", 's', &speaker, "NAME", "every turn of this speaker (with --code)"),
		OPT_STRING("code", 'c', &code, "CODE", "the code to apply; with --keywords, only its keywords"),
		OPT_STRING("unit", 'u', &unit, "UNIT", "match (default), sentence or turn"),
		OPT_STRING("doc", 'd', &doc, "DOC", "one document only"),
		OPT_BOOL("include-interviewer", 0, &include_interviewer, "also code the interviewer's turns"),
		OPT_BOOL("dry-run", 'n', &dry_run, "show the hits in context; write nothing"),
		OPT_INT("width", 'w', &width, "N", "display columns of context on each side (dry run; default 30)"),
		OPT_END(),
	};
	struct qda_autocode_opts ao = { 0 };
	struct ctx c = { 0 };
	enum qda_status st;
	size_t i;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);
	char summary[512];

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (keywords + !!pattern + !!speaker == 0)
		return usage_error(cli, "say how to code: --keywords, --pattern REGEX or --speaker NAME");
	if (keywords + !!pattern + !!speaker > 1)
		return usage_error(cli, "give one of --keywords, --pattern or --speaker");
	if ((pattern || speaker) && !code)
		return usage_error(cli, "which code? --%s takes --code CODE", pattern ? "pattern" : "speaker");
	if (speaker && unit)
		return usage_error(cli, "--speaker codes whole turns; --unit goes with --keywords and --pattern");
	if (width < 1)
		return usage_error(cli, "--width takes a positive number");
	if (!unit || strcmp(unit, "match") == 0)
		ao.unit = QDA_AUTO_MATCH;
	else if (strcmp(unit, "sentence") == 0)
		ao.unit = QDA_AUTO_SENTENCE;
	else if (strcmp(unit, "turn") == 0)
		ao.unit = QDA_AUTO_TURN;
	else
		return usage_error(cli, "--unit is match, sentence or turn, not '%s'", unit);
	if (!dry_run && !cli_coder(cli))
		return usage_error(cli, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	ao.keywords = keywords;
	ao.pattern = pattern;
	ao.speaker = speaker;
	ao.code = code;
	ao.doc = doc;
	ao.include_interviewer = include_interviewer;
	ao.dry_run = dry_run;

	if ((rc = cli_open(cli, dry_run ? OPEN_READ : OPEN_WRITE)))
		return rc;
	if (!(c.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	c.dry_run = dry_run;
	c.width = (int)width;
	if (c.o->fmt != OUT_TEXT)
		out_begin(c.o, list_cols, sizeof list_cols / sizeof list_cols[0]);
	if (dry_run) {
		st = qda_autocode(cli->h, &ao, row, total, &c);
	} else if ((st = qda_begin(cli->h, cli->cmdline)) == QDA_OK) {
		st = qda_autocode(cli->h, &ao, row, total, &c);
		if (st == QDA_OK) {
			snprintf(summary, sizeof summary, "autocode %s: %ld coding%s added, %ld already present",
			         keywords ? "keywords" : pattern ? "pattern" : "speaker", c.added, c.added == 1 ? "" : "s",
			         c.present);
			st = qda_commit(cli->h, summary);
		} else {
			qda_rollback(cli->h);
		}
	}
	if (st == QDA_OK) {
		if (c.o->fmt != OUT_TEXT) {
			out_end(c.o);
		} else {
			print_totals(&c);
			if (dry_run)
				fprintf(c.o->fp, "dry run: %ld coding%s would be added, %ld already present; nothing written\n",
				        c.added, c.added == 1 ? "" : "s", c.present);
			else
				fprintf(c.o->fp, "%ld coding%s added, %ld already present (coder %s)\n", c.added,
				        c.added == 1 ? "" : "s", c.present, cli_coder(cli));
		}
	}
	rc = out_close(cli, c.o, st != QDA_OK);
	for (i = 0; i < c.n; i++)
		free(c.t[i].code);
	free(c.t);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	return rc;
}
