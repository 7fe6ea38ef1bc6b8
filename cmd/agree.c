/* agree.c — qda agree: inter-coder agreement between named coders: percent
 * agreement and Cohen's kappa (NVivo's coding comparison), Krippendorff's
 * alpha, and the list of disagreements for the review discussion. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct ctx {
	struct out *o;
	int text;               /* text or md: rounded figures for people */
	int began;
	const struct qda_agree_opts *ao;
};

/* A figure through cell_num: NaN is an empty cell (JSON null) in the
 * machine formats, "n/a" for people. */
static const char *num(const struct ctx *c, char *buf, double v, int decimals)
{
	const char *s;
	/* cell_num's shortest form of a whole number may be "5e+01": print
	 * whole numbers as integers in the machine formats */
	if (!c->text && !isnan(v) && fabs(v) < 1e15 && v == floor(v)) {
		snprintf(buf, 32, "%.0f", v);
		return buf;
	}
	s = cell_num(c->o, buf, v, decimals);
	return s ? s : c->text ? "n/a" : NULL;
}

/* The key indented by depth in text (malloc'd). */
static char *indent(const char *key, int depth, int text)
{
	int d = text && depth > 1 ? 2 * (depth - 1) : 0;
	return xasprintf("%*s%s", d, "", key);
}

#define SMALL_N 10

/* The warning of a figure resting on fewer than SMALL_N units. */
static const char *small(double n_units)
{
	return n_units < SMALL_N ? "fewer than 10 units" : "";
}

static int kappa_row(void *p, const struct qda_agree_row *r)
{
	static const struct col cols[] = {
		{ "code", COL_STR }, { "document", COL_STR }, { "units", COL_INT }, { "a", COL_INT }, { "b", COL_INT },
		{ "both", COL_INT }, { "neither", COL_INT }, { "agreement", COL_NUM }, { "kappa", COL_NUM },
		{ "kappa_weighted", COL_NUM }, { "coded_agreement", COL_NUM }, { "n_units", COL_INT },
		{ "warning", COL_STR },
	};
	struct ctx *c = p;
	char *code, units[24], a[24], b[24], both[24], neither[24], pct[32], kappa[32], kw[32], coded[32];
	const char *v[13];
	if (!c->began) {
		out_begin(c->o, cols, 13);
		c->began = 1;
	}
	snprintf(units, sizeof units, "%lld", r->c.n);
	snprintf(a, sizeof a, "%lld", r->c.a);
	snprintf(b, sizeof b, "%lld", r->c.b);
	snprintf(both, sizeof both, "%lld", r->c.both);
	snprintf(neither, sizeof neither, "%lld", r->c.n - r->c.a - r->c.b + r->c.both);
	v[0] = code = indent(r->code, r->depth, c->o->fmt == OUT_TEXT);
	v[1] = r->doc ? r->doc : c->text ? "(all)" : NULL;
	v[2] = units;
	v[3] = a;
	v[4] = b;
	v[5] = both;
	v[6] = neither;
	v[7] = num(c, pct, qda_agree_percent(&r->c), 2);
	v[8] = num(c, kappa, qda_agree_kappa(&r->c), 3);
	/* document rows have no weighted mean: blank, not n/a */
	v[9] = r->doc ? (c->text ? "" : NULL) : num(c, kw, r->kappa_weighted, 3);
	v[10] = num(c, coded, qda_agree_coded(&r->c), 2);
	/* n_units: the units compared for this row */
	v[11] = units;
	v[12] = small((double)r->c.n);
	if (!c->text && !*v[12])
		v[12] = NULL;
	out_row(c->o, v);
	free(code);
	return 0;
}

static int alpha_row(void *p, const struct qda_alpha_row *r)
{
	static const struct col cols[] = {
		{ "code", COL_STR }, { "stat", COL_STR }, { "values", COL_INT }, { "units", COL_NUM },
		{ "pairable", COL_NUM }, { "observed", COL_NUM }, { "expected", COL_NUM }, { "alpha", COL_NUM },
		{ "multiple", COL_NUM }, { "n_units", COL_NUM }, { "warning", COL_STR },
	};
	struct ctx *c = p;
	char *code, values[24], units[32], pairable[32], d_o[32], d_e[32], alpha[32], multiple[32], n_units[32];
	const char *v[11];
	if (!c->began) {
		out_begin(c->o, cols, 11);
		c->began = 1;
	}
	snprintf(values, sizeof values, "%zu", r->n_values);
	v[0] = code = indent(r->code, r->depth, c->o->fmt == OUT_TEXT);
	v[1] = r->stat;
	v[2] = values;
	/* figures a reading has not (alpha-u's pairable, the mean's counts) are blank, not n/a */
	v[3] = isnan(r->units) && c->text ? "" : num(c, units, r->units, 0);
	v[4] = isnan(r->pairable) && c->text ? "" : num(c, pairable, r->pairable, 0);
	v[5] = isnan(r->observed) && !strcmp(r->stat, "mean") ? (c->text ? "" : NULL) : num(c, d_o, r->observed, 4);
	v[6] = isnan(r->expected) && !strcmp(r->stat, "mean") ? (c->text ? "" : NULL) : num(c, d_e, r->expected, 4);
	v[7] = num(c, alpha, r->alpha, 3);
	v[8] = isnan(r->multiple) && c->text ? "" : num(c, multiple, r->multiple, 0);
	v[9] = num(c, n_units, r->n_units, 0);
	v[10] = small(r->n_units);
	if (!c->text && !*v[10])
		v[10] = NULL;
	out_row(c->o, v);
	free(code);
	return 0;
}

static int disagreement_row(void *p, const struct qda_disagreement *d)
{
	static const struct col cols[] = {
		{ "document", COL_STR }, { "line_first", COL_INT }, { "line_last", COL_INT }, { "turn", COL_INT },
		{ "start", COL_INT }, { "end", COL_INT }, { "code", COL_STR }, { "coded_by", COL_STR },
		{ "not_coded_by", COL_STR }, { "text", COL_STR },
	};
	static const struct col text_cols[] = {
		{ "document", COL_STR }, { "lines", COL_STR }, { "turn", COL_STR }, { "code", COL_STR },
		{ "coded_by", COL_STR }, { "not_coded_by", COL_STR }, { "text", COL_STR },
	};
	struct ctx *c = p;
	char lf[24], ll[24], lines[48], turn[24], start[24], end[24];
	const char *v[10];
	char *text = NULL;
	if (!c->began) {
		if (c->text)
			out_begin(c->o, text_cols, 7);
		else
			out_begin(c->o, cols, 10);
		c->began = 1;
	}
	snprintf(lf, sizeof lf, "%ld", d->line_first);
	snprintf(ll, sizeof ll, "%ld", d->line_last);
	if (d->line_first == d->line_last)
		snprintf(lines, sizeof lines, "%ld", d->line_first);
	else
		snprintf(lines, sizeof lines, "%ld-%ld", d->line_first, d->line_last);
	snprintf(turn, sizeof turn, "%ld", d->turn);
	snprintf(start, sizeof start, "%ld", d->start);
	snprintf(end, sizeof end, "%ld", d->end);
	if (c->text) {
		/* one row per disagreement in a table: line breaks shown as " / " */
		size_t i, n = 0, len = strlen(d->text);
		text = xmalloc(3 * len + 1);
		for (i = 0; i < len; i++) {
			if (d->text[i] == '\n') {
				memcpy(text + n, " / ", 3);
				n += 3;
			} else
				text[n++] = d->text[i];
		}
		text[n] = '\0';
		v[0] = d->doc;
		v[1] = lines;
		v[2] = d->turn ? turn : "";
		v[3] = d->code;
		v[4] = d->coded_by;
		v[5] = d->not_by;
		v[6] = text;
	} else {
		v[0] = d->doc;
		v[1] = lf;
		v[2] = ll;
		v[3] = d->turn ? turn : NULL;
		v[4] = start;
		v[5] = end;
		v[6] = d->code;
		v[7] = d->coded_by;
		v[8] = d->not_by;
		v[9] = d->text;
	}
	out_row(c->o, v);
	free(text);
	return 0;
}

struct args {
	const char *coders, *code, *doc, *unit, *stat, *domain;
	int disagreements, empty_as_agreement, nominal, binary;
};

/* The options checked, the coders split, the comparison run and printed. */
static int compare(struct cli *cli, struct qda_agree_opts *ao, const struct args *a)
{
	const char *coders_s = a->coders, *code = a->code, *domain = a->domain, *unit = a->unit, *stat = a->stat;
	int disagreements = a->disagreements;
	struct qda_agree_opts ao_ = *ao;

	struct qda_agree_summary sum = { 0 };
	struct strlist coders = { 0 };
	char *copy = NULL, *tok, *next, *names = NULL;
	struct ctx c = { 0 };
	struct out *o = NULL;
	enum qda_status st = QDA_OK;
	int rc = 0, alpha = 0;

	if (!coders_s)
		return usage_error(cli, "--coders A,B names the coders to compare");
	if (strcmp(stat, "alpha") == 0)
		alpha = 1;
	else if (strcmp(stat, "kappa") != 0)
		return usage_error(cli, "--stat is kappa or alpha, not '%s'", stat);
	if (!unit)
		ao_.unit = alpha ? QDA_AGREE_TURN : QDA_AGREE_CHAR;
	else if (strcmp(unit, "char") == 0)
		ao_.unit = QDA_AGREE_CHAR;
	else if (strcmp(unit, "turn") == 0)
		ao_.unit = QDA_AGREE_TURN;
	else if (strcmp(unit, "doc") == 0)
		ao_.unit = QDA_AGREE_DOC;
	else
		return usage_error(cli, "--unit is char, turn or doc, not '%s'", unit);
	if (domain && !alpha)
		return usage_error(cli, "--domain goes with --stat alpha");
	if (a->nominal && !domain)
		return usage_error(cli, "--nominal goes with --domain THEME");
	if (a->binary && (!alpha || ao_.unit != QDA_AGREE_CHAR))
		return usage_error(cli, "--binary goes with --stat alpha --unit char (the other units are binary already)");
	if (domain && code)
		return usage_error(cli, "--domain and --code do not go together");
	if (domain && disagreements)
		return usage_error(cli, "--domain and --disagreements do not go together");
	if (alpha && disagreements)
		return usage_error(cli, "--disagreements lists places, not a statistic: leave out --stat alpha");
	/* Names as --coder takes them (spaces inside, accents): split on commas
	 * only, the spaces around each name trimmed; an empty one is a typo. */
	copy = xstrdup(coders_s);
	for (tok = copy; tok; tok = next) {
		char *end;
		if ((next = strchr(tok, ',')))
			*next++ = '\0';
		while (isspace((unsigned char)*tok))
			tok++;
		end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (!*tok && (next || coders.n)) {
			rc = usage_error(cli, "--coders has an empty name between commas: '%s'", coders_s);
			break;
		}
		if (!*tok)
			continue;
		coders.v = xrealloc(coders.v, (coders.n + 1) * sizeof *coders.v);
		coders.v[coders.n++] = tok;
	}
	if (rc)
		;
	else if (coders.n < 2)
		rc = usage_error(cli, "--coders wants two coders or more, comma-separated, as in --coders alice,bob");
	else if (!alpha && !disagreements && coders.n != 2)
		rc = usage_error(cli, "kappa compares two coders, not %zu; --stat alpha takes two or more", coders.n);
	if (rc || (rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, OUT_LISTING, &rc))) {
		free(coders.v);
		free(copy);
		return rc;
	}
	ao_.coders = coders.v;
	ao_.n_coders = coders.n;
	ao_.code = code;
	ao_.doc = a->doc;
	ao_.domain = domain;
	ao_.empty_as_agreement = a->empty_as_agreement;
	ao_.nominal = a->nominal;
	ao_.binary = a->binary;
	c.o = o;
	c.text = o->fmt == OUT_TEXT || o->fmt == OUT_MD;
	c.ao = &ao_;
	if (disagreements)
		st = qda_agree_disagreements(cli->h, &ao_, disagreement_row, &c, &sum);
	else if (alpha)
		st = qda_agree_alpha(cli->h, &ao_, alpha_row, &c, &sum);
	else
		st = qda_agree(cli->h, &ao_, kappa_row, &c, &sum);
	if (c.began)
		out_end(o);
	/* nothing to compare is an error: no -o file for it */
	rc = out_close(cli, o, st != QDA_OK || sum.docs == 0);
	if (st != QDA_OK)
		rc = cli_fail(cli, st);
	else {
		if (sum.docs_left_out)
			cli_warnf(cli, "%ld document%s coded by only some of the coders %s left out (--doc D compares one anyway)",
			          sum.docs_left_out, sum.docs_left_out == 1 ? "" : "s", sum.docs_left_out == 1 ? "is" : "are");
		if (sum.docs == 0) {
			size_t i;
			for (i = 0; i < coders.n; i++) {
				char *more = xasprintf("%s%s%s", names ? names : "", i ? "," : "", coders.v[i]);
				free(names);
				names = more;
			}
			rc = cli_errorf(cli, "nothing to compare: no document was coded by %s%s", alpha ? "two of " : "", names);
		}
	}
	free(names);
	free(coders.v);
	free(copy);
	return rc;
}

int cmd_agree(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda agree --coders A,B [--code C] [--doc D] [--unit char|turn|doc] [--empty-as-agreement]\n"
		"          [--disagreements] [--no-auto] [--review STATE] [--where KEY=V[,V]]... [--include-interviewer]\n"
		"       qda agree --stat alpha --coders A,B[,C...] [--code C | --domain THEME [--nominal]]\n"
		"          [--unit turn|char|doc] [--binary] [filters]",
		"Inter-coder agreement between named coders: percent agreement and Cohen's kappa per code and\n"
		"document and per code overall, Krippendorff's alpha, or the places where the coders differ.",
		"Kappa (the default, two coders) follows NVivo's coding comparison. With the char unit, per\n"
		"code and document: N characters, a coded by A, b by B, both by the two (a theme stands for the\n"
		"union of its descendants' codings); agreement = (both + neither) / N; EF = a*b/N + (N-a)(N-b)/N;\n"
		"kappa = (both + neither - EF) / (N - EF), 1 when N = EF; coded_agreement = both / (a + b - both),\n"
		"agreement on the characters either coder coded. With --unit turn each turn is a unit, a code\n"
		"present for a coder when one of their codings of it overlaps the turn; with --unit doc each\n"
		"document is (overall rows only). Rows: per code in codebook order, its documents by name, then\n"
		"the overall row (document '(all)', empty in CSV). Overall rows carry two kappas: 'kappa' is\n"
		"pooled (computed on the counts summed over the documents compared) and 'kappa_weighted' the\n"
		"mean of the documents' kappas weighted by their units (NVivo's average), over the documents\n"
		"either coder used the code in; with --empty-as-agreement every document compared enters, those\n"
		"neither coder used the code in as kappa 1. kappa_weighted is blank on document rows and n/a\n"
		"for --unit doc. Documents compared: those both coders coded in (others are left out with a\n"
		"warning), or --doc.\n"
		"What counts: the coders' own codings (before review). Codings lying wholly in interviewer\n"
		"material (the turns of speakers marked with import --interviewer, with the blank lines after\n"
		"them) are left out, interviewer turns are no units (--unit turn) and their characters no units\n"
		"(--unit char: N is the document's characters outside interviewer material), unless\n"
		"--include-interviewer. --no-auto leaves out autocoded codings; --review accepted keeps those a\n"
		"reviewer accepted or revised, not-disputed all but the disputed; --where KEY=V[,V] compares the\n"
		"documents of matching cases only. Overlapping and touching codings of a coder and code are one\n"
		"passage.\n"
		"Alpha (--stat alpha, two coders or more) is Krippendorff's; the 'stat' column names the\n"
		"reading. binary (--unit turn, the default, and doc): per code, present or absent per unit, from\n"
		"the coincidence matrix; a coder who coded nothing in a document is missing there; units with\n"
		"fewer than two values are dropped. alpha-u (--unit char): Krippendorff's alpha for unitizing\n"
		"(cu-alpha), per code over each document's characters (outside interviewer material) as a\n"
		"continuum: each coder's passages of the code are units, the stretches between them gaps; D_o\n"
		"from the squared differences of the ends of overlapping units (a unit inside the other coder's\n"
		"gap: its squared length), D_e over every placement of the units in the gaps (Krippendorff 2004,\n"
		"12.4); documents all the coders coded in; units = characters, pairable blank. --binary gives the\n"
		"binary alpha of every character as a unit instead. --domain THEME: the same per child of the\n"
		"theme, then a 'mean' row (code: the theme) with the mean of the children's alphas (ATLAS.ti's\n"
		"reading of a non-exclusive codebook); with --nominal instead one 'nominal' row over the children\n"
		"as mutually exclusive values (a unit a coder gave no value is missing; several values count in\n"
		"'multiple' and are missing), with a warning when more than a tenth of the units are dropped.\n"
		"Small numbers: every row carries n_units, what its figure rests on (kappa: the units compared;\n"
		"binary and nominal alpha: the pairable units; alpha-u: the coders' passages; mean: the least of\n"
		"its children's), and warning 'fewer than 10 units' when n_units < 10.\n"
		"--disagreements lists the stretches of text (or turns, documents) some but not all the coders\n"
		"coded with a code (its own codings; with --code, the code and its descendants), with lines\n"
		"and text, for the review discussion.\n"
		"Precision: text and md show percentages with 2 decimals, kappa and alpha with 3; csv, tsv and\n"
		"json carry every figure at full precision (the shortest text that reads back to the same\n"
		"number); an undefined figure is n/a in text, empty in csv and tsv, null in json.",
	};
	struct args a = { 0 };
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_STRING("coders", 0, &a.coders, "A,B", "the coders to compare, comma-separated"),
		OPT_STRING("code", 'c', &a.code, "CODE", "only this code or theme (its descendants rolled up)"),
		OPT_STRING("doc", 'd', &a.doc, "DOC", "only this document"),
		OPT_STRING("unit", 'u', &a.unit, "UNIT", "char (default for kappa), turn (default for alpha) or doc"),
		OPT_STRING("stat", 0, &a.stat, "STAT", "kappa (default) or alpha"),
		OPT_STRING("domain", 0, &a.domain, "THEME", "alpha per child of the theme and their mean"),
		OPT_BOOL("disagreements", 0, &a.disagreements, "list where the coders differ, with the text"),
		OPT_BOOL("nominal", 0, &a.nominal, "with --domain: nominal alpha over the children as exclusive values"),
		OPT_BOOL("binary", 0, &a.binary, "alpha at --unit char: binary per character instead of alpha-u"),
		OPT_BOOL("empty-as-agreement", 0, &a.empty_as_agreement,
		         "kappa_weighted: a document neither coder used the code in counts as kappa 1"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_agree_opts ao = { 0 };
	int rc, n;

	a.stat = "kappa";
	n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	if (n > 0 || (rc = filter_args_get(cli, &fa, &ao.filter))) {
		filter_args_free(&fa);
		return n > 0 ? usage_error(cli, "unexpected argument '%s'", argv[0]) : rc;
	}
	rc = compare(cli, &ao, &a);
	filter_args_free(&fa);
	return rc;
}
