/* saturation.c — qda saturation: the new codes each document brings, in the
 * order the documents were collected or coded, and Guest, Namey & Chen's
 * (2020) base / run / threshold verdict; a table, or the curve in SVG. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "svg.h"

static const struct col cols[] = {
	{ "position", COL_INT }, { "document", COL_STR }, { "case", COL_STR }, { "key", COL_STR },
	{ "new_codes", COL_INT }, { "new", COL_STR }, { "cumulative", COL_INT }, { "run_new", COL_INT },
	{ "run_pct", COL_NUM }, { "saturation", COL_STR },
};

/* A percentage for a sentence: "5%", "8.3%" (one decimal, none when whole). */
static void pct_text(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%.1f", v);
	if (!strcmp(buf + strlen(buf) - 2, ".0"))
		buf[strlen(buf) - 2] = '\0';
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	strcat(buf, "%");
}

char *saturation_sentence(const struct qda_saturation *s, const struct qda_saturation_opts *o)
{
	const char *what = o->level == QDA_LEVEL_SUBTHEME ? "sub-theme" : "code";
	const char *whats = o->level == QDA_LEVEL_SUBTHEME ? "sub-themes" : "codes";
	char p[32], t[32];
	pct_text(t, sizeof t, o->threshold);
	switch (s->verdict) {
	case QDA_SAT_REACHED: {
		const struct qda_saturation_row *r = &s->rows[s->at - 1];
		pct_text(p, sizeof p, s->pct);
		return xasprintf("saturation reached at document %ld (after the base of %ld and a run of %ld, %s new "
		                 "information): the run of documents %ld-%ld brought %ld new %s against %ld in the base, "
		                 "at or under the threshold of %s; in Guest, Namey & Chen's notation %ld+%ld",
		                 s->at, o->base, o->run, p, s->at - o->run + 1, s->at, r->run_new,
		                 noun(r->run_new, what, whats), s->base_codes, t, s->at - o->run, o->run);
	}
	case QDA_SAT_NOT_REACHED: {
		const struct qda_saturation_row *r = &s->rows[s->n - 1];
		pct_text(p, sizeof p, r->run_pct);
		return xasprintf("saturation not reached: no run of %ld document%s after the base of %ld brought %s new "
		                 "information or less; the last run, documents %ld-%ld, brought %ld new %s against %ld "
		                 "in the base (%s)",
		                 o->run, o->run == 1 ? "" : "s", o->base, t, (long)s->n - o->run + 1, (long)s->n,
		                 r->run_new, noun(r->run_new, what, whats), s->base_codes, p);
	}
	case QDA_SAT_TOO_FEW:
		return xasprintf("saturation not assessed: %ld %s coded, fewer than the base of %ld and a run of %ld (%ld)",
		                 (long)s->n, noun((long)s->n, "document", "documents"), o->base, o->run, o->base + o->run);
	default:
		return xasprintf("saturation not assessed: the base of %ld %s holds no %s, so new information has no "
		                 "denominator",
		                 o->base, noun(o->base, "document", "documents"), what);
	}
}

static void write_svg(FILE *fp, const struct qda_saturation *s, const struct qda_saturation_opts *o,
                      const char *verdict)
{
	const char **labels = xcalloc(s->n + 1, sizeof *labels);
	double *bars = xcalloc(s->n + 1, sizeof *bars), *line = xcalloc(s->n + 1, sizeof *line);
	size_t i;
	for (i = 0; i < s->n; i++) {
		labels[i] = s->rows[i].doc;
		bars[i] = (double)s->rows[i].new_codes;
		line[i] = (double)s->rows[i].cumulative;
	}
	svg_curve(fp, o->level == QDA_LEVEL_SUBTHEME ? "Sub-theme saturation" : "Code saturation", s->n, labels, bars,
	          line, s->verdict == QDA_SAT_REACHED ? (long)s->at - 1 : -1, o->base, verdict);
	free(labels);
	free(bars);
	free(line);
}

static void write_rows(struct out *o, const struct qda_saturation *s)
{
	size_t i;
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < s->n; i++) {
		const struct qda_saturation_row *r = &s->rows[i];
		char pos[24], nc[24], cum[24], rn[24], pct[32];
		const char *v[10];
		snprintf(pos, sizeof pos, "%ld", r->position);
		snprintf(nc, sizeof nc, "%ld", r->new_codes);
		snprintf(cum, sizeof cum, "%ld", r->cumulative);
		snprintf(rn, sizeof rn, "%ld", r->run_new);
		v[0] = pos;
		v[1] = r->doc;
		v[2] = r->case_name;
		v[3] = r->key;
		v[4] = nc;
		v[5] = r->new_ids;
		v[6] = cum;
		v[7] = r->run_new < 0 ? NULL : rn;
		v[8] = cell_num(o, pct, r->run_pct, 1);
		v[9] = s->verdict == QDA_SAT_REACHED && r->position == s->at ? "reached" : NULL;
		out_row(o, v);
	}
	out_end(o);
}

static int parse_threshold(struct cli *cli, const char *arg, double *v)
{
	char *end;
	*v = strtod(arg, &end);
	if (end != arg && *end == '%')
		end++;
	if (end == arg || *end || !(*v >= 0 && *v <= 100))
		return usage_error(cli, "--threshold is a percentage from 0 to 100 (e.g. 5 or 2.5%%), not '%s'", arg);
	return 0;
}

int cmd_saturation(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda saturation [--order import|date|ATTR] [--level code|subtheme] [--base N] [--run N]\n"
		"                      [--threshold PCT] [--coder NAME] [--no-auto] [--review STATE]\n"
		"                      [--where KEY=V[,V]]... [--include-interviewer]",
		"Code saturation (Guest, Namey & Chen 2020, PLOS ONE 15(5): e0232076): the new codes each\n"
		"document brings, in the order the documents were collected or coded, and whether a run of\n"
		"documents after a base brought little enough new information.",
		"The documents are those with at least one coding counted under the filters (the rules of\n"
		"qda freq: codings lying wholly in interviewer turns left out unless --include-interviewer,\n"
		"removed codings and retired codes never); a document not yet coded is left out, and the\n"
		"footer says how many. Their order (--order): import, the order they were imported (document\n"
		"id); date, the time of each document's first counted coding; or a case attribute (e.g. an\n"
		"interview date, written 2024-03-05 so that text order is time order): its values sorted as\n"
		"numbers when every value is one, else as text, documents whose case lacks it last (with a\n"
		"warning); ties by document name. An attribute named import or date is --order attr:NAME.\n"
		"\n"
		"A document's new codes are the codes (--level subtheme: sub-themes; a coding counts for the\n"
		"nearest code or sub-theme at or above its node, and for none when coded above the level) of\n"
		"which it holds the first counted coding in that order; cumulative counts the distinct codes\n"
		"so far. With base size b (--base, default 4), run length r (--run, default 2) and threshold\n"
		"t (--threshold, default 5%): the base is the first b documents and B the number of distinct\n"
		"codes in them. For each position N from b + r on, run_new is the number of codes first\n"
		"brought by documents N-r+1 to N (new against every document before them, base included),\n"
		"and run_pct = 100 x run_new / B. Saturation is reached at the first N where run_pct <= t,\n"
		"said 'saturation reached at document N (after the base of b and a run of r, x% new\n"
		"information)' (Guest et al. write it (N-r)+r). No such N: not reached. Fewer than b + r\n"
		"documents: not assessed (no run after the base). B = 0 (the base holds no code): not\n"
		"assessed, run_pct empty (the ratio has no denominator). run_new and run_pct are empty\n"
		"before position b + r.\n"
		"\n"
		"Columns: position, document, case, key (the ordering value: the document id, the first\n"
		"coding's time, or the attribute's value), new_codes, new (the new code ids in codebook\n"
		"order, '; '-joined), cumulative, run_new, run_pct, saturation ('reached' on row N, empty\n"
		"elsewhere). Text and md add the verdict as a sentence after the table; csv, tsv and json\n"
		"are the rows alone (json a plain array): the verdict is the row marked reached, or none.\n"
		"svg draws the new codes as bars and the cumulative count as a line, the base shaded and\n"
		"the saturation point marked.",
	};
	const char *order = "import", *level = "code", *threshold = "5";
	long base = 4, run = 2;
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_STRING("order", 0, &order, "ORDER", "import (default), date (of the first coding), or a case attribute"),
		OPT_STRING("level", 'l', &level, "LEVEL", "code (default) or subtheme"),
		OPT_INT("base", 0, &base, "N", "base size: the first N documents (default 4)"),
		OPT_INT("run", 0, &run, "N", "run length: documents per run (default 2)"),
		OPT_STRING("threshold", 0, &threshold, "PCT", "new-information threshold, percent of the base's codes (default 5)"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_saturation_opts so = { 0 };
	struct qda_saturation *s = NULL;
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	if (n > 0 || (rc = filter_args_get(cli, &fa, &so.filter))) {
		filter_args_free(&fa);
		return n > 0 ? usage_error(cli, "unexpected argument '%s'", argv[0]) : rc;
	}
	rc = 0;
	if (!strcmp(level, "code"))
		so.level = QDA_LEVEL_CODE;
	else if (!strcmp(level, "subtheme"))
		so.level = QDA_LEVEL_SUBTHEME;
	else
		rc = usage_error(cli, "--level is code or subtheme, not '%s'", level);
	if (!rc && (base < 1 || run < 1))
		rc = usage_error(cli, "--%s is a number of documents, at least 1, not %ld", base < 1 ? "base" : "run",
		                 base < 1 ? base : run);
	if (!rc)
		rc = parse_threshold(cli, threshold, &so.threshold);
	if (!rc && !strcmp(order, "import"))
		so.order = QDA_SAT_IMPORT;
	else if (!rc && !strcmp(order, "date"))
		so.order = QDA_SAT_DATE;
	else if (!rc && (!*order || !strcmp(order, "attr:")))
		rc = usage_error(cli, "--order is import, date or a case attribute, not '%s'", order);
	else if (!rc) {
		so.order = QDA_SAT_ATTR;
		so.attr = strncmp(order, "attr:", 5) ? order : order + 5;
	}
	so.base = base;
	so.run = run;
	if (rc || (rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, OUT_LISTING | (1u << OUT_SVG), &rc))) {
		filter_args_free(&fa);
		return rc;
	}
	st = qda_saturation(cli->h, &so, &s);
	if (st == QDA_OK) {
		char *verdict = saturation_sentence(s, &so);
		if (s->no_key)
			cli_warnf(cli, "%ld %s no '%s' attribute: placed last, by name; give %s one with 'qda case set CASE %s=VALUE'",
			          s->no_key, s->no_key == 1 ? "document's case has" : "documents' cases have", so.attr,
			          s->no_key == 1 ? "it" : "them", so.attr);
		if (o->fmt == OUT_SVG) {
			write_svg(o->fp, s, &so, verdict);
		} else {
			if (o->fmt == OUT_TEXT) {
				/* on a terminal, the list of new codes is what gives way */
				o->max_width = o->fp == stdout ? (size_t)cli_term_width() : 0;
				o->shrink = 1u << 5;
			}
			write_rows(o, s);
			if (o->fmt == OUT_TEXT || o->fmt == OUT_MD) {
				verdict[0] = 'S';
				fprintf(o->fp, "\n%s.\n", verdict);
				if (s->left_out)
					fprintf(o->fp, "%s%ld %s no coding counted %s left out.\n", o->fmt == OUT_MD ? "\n" : "",
					        s->left_out, noun(s->left_out, "document with", "documents with"),
					        s->left_out == 1 ? "is" : "are");
			}
		}
		free(verdict);
	}
	qda_saturation_free(s);
	filter_args_free(&fa);
	rc = out_close(cli, o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
