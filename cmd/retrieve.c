/* retrieve.c — qda retrieve: the coded extracts of codes or themes, with
 * document, case, speaker, lines, coder and case attributes: a readable block
 * per extract (text), quotes for a paper (md), or rows (csv, tsv, json).
 * Parses and prints only; the query is core/retrieve.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "coding_id", COL_INT }, { "document", COL_STR }, { "case", COL_STR },     { "speaker", COL_STR },
	{ "line_first", COL_INT }, { "line_last", COL_INT }, { "start", COL_INT },   { "end", COL_INT },
	{ "code", COL_STR },      { "coder", COL_STR },    { "attributes", COL_STR }, { "memo", COL_STR },
	{ "text", COL_STR },      { "context_before", COL_STR }, { "context_after", COL_STR },
};
#define NCOLS (sizeof cols / sizeof cols[0])

/* --passages: one row per passage */
static const struct col pcols[] = {
	{ "document", COL_STR },   { "case", COL_STR },   { "speaker", COL_STR },        { "line_first", COL_INT },
	{ "line_last", COL_INT },  { "start", COL_INT },  { "end", COL_INT },            { "codes", COL_STR },
	{ "coders", COL_STR },     { "codings", COL_INT }, { "attributes", COL_STR },    { "text", COL_STR },
	{ "context_before", COL_STR }, { "context_after", COL_STR },
};
#define NPCOLS (sizeof pcols / sizeof pcols[0])

struct session {
	struct out *o;
	int context;   /* context columns and lines wanted */
	int times;     /* --times: the cue time of each extract */
	struct col *tcols; /* the columns with time, translated and original last (--times, --lang, --originals) */
	/* --lang: the translation shown instead of the text, marked as one */
	const char *lang;
	int originals;     /* --originals: the original in a note (a column in csv, tsv, json) */
	struct qda *h;
	const struct translated *tr; /* this extract's translation, or NULL */
	const char *original;        /* then its original text */
	struct notes notes;
	enum qda_status st;          /* an error of core's while reading a translation */
	int passages;  /* a row per passage */
	int dim;       /* a terminal: context lines dimmed */
	long n;
};

static size_t ncols_of(const struct session *s)
{
	return (s->passages ? NPCOLS : NCOLS) - (s->context ? 0 : 2);
}

static void begin(struct session *s)
{
	size_t n = ncols_of(s);
	if (s->times || s->lang) {
		/* the same columns, then time, translated and original */
		s->tcols = xcalloc(n + 3, sizeof *s->tcols);
		memcpy(s->tcols, s->passages ? pcols : cols, n * sizeof *s->tcols);
		if (s->times)
			s->tcols[n++] = (struct col){ "time", COL_STR };
		if (s->lang)
			s->tcols[n++] = (struct col){ "translated", COL_STR };
		if (s->originals)
			s->tcols[n++] = (struct col){ "original", COL_STR };
		out_begin(s->o, s->tcols, n);
	} else {
		out_begin(s->o, s->passages ? pcols : cols, n);
	}
}

/* A cue time as H:MM:SS (buf of 32), or NULL when there is none. */
static const char *cue_time(char *buf, long long ms)
{
	if (ms < 0)
		return NULL;
	snprintf(buf, 32, "%lld:%02lld:%02lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60);
	return buf;
}

/* Each line of text with a prefix; an empty text prints nothing. */
static void prefixed(FILE *fp, const char *text, const char *mark, const char *on, const char *off)
{
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(fp, "%s%s%.*s%s\n", on, mark, (int)len, p, off);
		if (!nl)
			break;
		p = nl + 1;
		if (!*p)
			fprintf(fp, "%s%s%s\n", on, mark, off); /* a final empty line */
	}
}

static void text_block(struct session *s, const struct qda_extract *e)
{
	FILE *fp = s->o->fp;
	const char *on = s->dim ? "\033[2m" : "", *off = s->dim ? "\033[0m" : "";
	int same = strcmp(e->case_name, e->doc) == 0;
	size_t i;

	if (s->n)
		fputc('\n', fp);
	fputs(e->doc, fp);
	if (!same || e->n_attrs) {
		fprintf(fp, " (%s%s", same ? "" : e->case_name, !same && e->n_attrs ? "; " : "");
		for (i = 0; i < e->n_attrs; i++)
			fprintf(fp, "%s%s=%s", i ? ", " : "", e->keys[i], e->values[i]);
		fputc(')', fp);
	}
	fprintf(fp, " lines %ld-%ld", e->line_first, e->line_last);
	if (*e->speaker)
		fprintf(fp, " · %s", e->speaker);
	if (s->times && e->time_ms >= 0) {
		char t[32];
		fprintf(fp, " · at %s", cue_time(t, e->time_ms));
	}
	if (s->passages)
		fprintf(fp, " · %s · %ld coding%s by %s\n", e->codes, e->codings, e->codings == 1 ? "" : "s", e->coders);
	else
		fprintf(fp, " · coder %s · %s\n", e->coder, e->code);
	prefixed(fp, e->before, "  ┆ ", on, off);
	prefixed(fp, e->text, "    ", "", "");
	if (s->tr) {
		fprintf(fp, "    [%s]", s->tr->mark);
		if (s->originals)
			notes_ref(&s->notes, fp, s->original, s->tr->from);
		fputc('\n', fp);
	}
	prefixed(fp, e->after, "  ┆ ", on, off);
	prefixed(fp, e->memo, "  memo: ", "", "");
}

/* A value in Markdown: no raw HTML (out_md_escape) */
static void md(FILE *fp, const char *s)
{
	out_md_escape(fp, s, 0);
}

static void md_block(struct session *s, const struct qda_extract *e)
{
	FILE *fp = s->o->fp;
	/* the attribution names the speaker: their label does not open the quote,
	 * unless others speak in it too; then the labels stay and the case is named */
	int many = qda_text_many_speakers(s->tr ? s->original : e->text);
	const char *p = many ? e->text : e->text + qda_label_length(e->text, e->speaker);

	if (s->n)
		fputc('\n', fp);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xasprintf("%.*s", (int)len, p);
		fputs(len ? "> " : ">", fp);
		md(fp, line);
		fputc('\n', fp);
		free(line);
		if (!nl)
			break;
		p = nl + 1;
	}
	fputs(">\n> — ", fp);
	if (*e->speaker && !many) {
		md(fp, e->speaker);
		fputs(" (", fp);
		md(fp, e->case_name);
		fputs(*e->role ? ", " : "", fp);
		md(fp, e->role);
		fputc(')', fp);
	} else {
		md(fp, e->case_name);
		if (*e->role) {
			fputs(" (", fp);
			md(fp, e->role);
			fputc(')', fp);
		}
	}
	if (e->line_first == e->line_last)
		fprintf(fp, ", line %ld", e->line_first);
	else
		fprintf(fp, ", lines %ld-%ld", e->line_first, e->line_last);
	if (s->times && e->time_ms >= 0) {
		char t[32];
		fprintf(fp, ", at %s", cue_time(t, e->time_ms));
	}
	if (s->tr) {
		fputs(" (", fp);
		md(fp, s->tr->mark);
		fputc(')', fp);
		if (s->originals)
			notes_ref(&s->notes, fp,
			          many ? s->original : s->original + qda_label_length(s->original, e->speaker), s->tr->from);
	}
	fputc('\n', fp);
	if (s->passages) {
		fputs("\n*Codes:* ", fp);
		md(fp, e->codes);
		fprintf(fp, " (%ld coding%s by ", e->codings, e->codings == 1 ? "" : "s");
		md(fp, e->coders);
		fputs(")\n", fp);
	}
	/* the coder's memo, after the quote and outside it */
	if (*e->memo) {
		fputs("\n*Memo:* ", fp);
		for (p = e->memo; *p;) {
			size_t len = strcspn(p, "\n");
			char *line = xasprintf("%.*s", (int)len, p);
			fputs(p == e->memo ? "" : " / ", fp);
			md(fp, line);
			free(line);
			p += len + (p[len] == '\n');
		}
		fputc('\n', fp);
	}
}

/* "key=value; key=value" (malloc'd) */
static char *attributes(const struct qda_extract *e)
{
	char *attrs;
	size_t i, len = 1;

	for (i = 0; i < e->n_attrs; i++)
		len += strlen(e->keys[i]) + strlen(e->values[i]) + 3;
	attrs = xmalloc(len);
	attrs[0] = '\0';
	for (i = 0; i < e->n_attrs; i++) {
		if (i)
			strcat(attrs, "; ");
		strcat(attrs, e->keys[i]);
		strcat(attrs, "=");
		strcat(attrs, e->values[i]);
	}
	return attrs;
}

static void table_row(struct session *s, const struct qda_extract *e)
{
	char id[32], lf[32], ll[32], start[32], end[32], n[32], t[32];
	const char *v[NCOLS + 3];
	size_t k;
	char *attrs = attributes(e);

	snprintf(id, sizeof id, "%lld", e->coding_id);
	snprintf(lf, sizeof lf, "%ld", e->line_first);
	snprintf(ll, sizeof ll, "%ld", e->line_last);
	snprintf(start, sizeof start, "%ld", e->start);
	snprintf(end, sizeof end, "%ld", e->end);
	snprintf(n, sizeof n, "%ld", e->codings);
	if (!s->n)
		begin(s);
	if (s->passages) {
		const char *pv[NPCOLS + 3] = { e->doc, e->case_name, e->speaker, lf, ll, start, end, e->codes, e->coders, n,
		                               attrs, e->text, e->before, e->after };
		k = ncols_of(s);
		if (s->times)
			pv[k++] = cue_time(t, e->time_ms);
		if (s->lang)
			pv[k++] = s->tr ? "yes" : "no";
		if (s->originals)
			pv[k++] = s->tr ? s->original : NULL;
		out_row(s->o, pv);
	} else {
		v[0] = id;
		v[1] = e->doc;
		v[2] = e->case_name;
		v[3] = e->speaker;
		v[4] = lf;
		v[5] = ll;
		v[6] = start;
		v[7] = end;
		v[8] = e->code;
		v[9] = e->coder;
		v[10] = attrs;
		v[11] = *e->memo ? e->memo : NULL;
		v[12] = e->text;
		v[13] = e->before;
		v[14] = e->after;
		k = ncols_of(s);
		if (s->times)
			v[k++] = cue_time(t, e->time_ms);
		if (s->lang)
			v[k++] = s->tr ? "yes" : "no";
		if (s->originals)
			v[k++] = s->tr ? s->original : NULL;
		out_row(s->o, v);
	}
	free(attrs);
}

static void extract_shown(struct session *s, const struct qda_extract *e)
{
	if (s->o->fmt == OUT_TEXT)
		text_block(s, e);
	else if (s->o->fmt == OUT_MD)
		md_block(s, e);
	else
		table_row(s, e);
	s->n++;
}

/* With --lang, an extract with a translation is shown translated. */
static int extract(void *ctx, const struct qda_extract *e)
{
	struct session *s = ctx;
	struct translated tr;
	if ((s->st = translated_get(s->h, s->lang, e->coding_id, &tr)) != QDA_OK)
		return 1;
	if (tr.text) {
		struct qda_extract t = *e;
		t.text = tr.text;
		s->tr = &tr;
		s->original = e->text;
		extract_shown(s, &t);
	} else {
		extract_shown(s, e);
	}
	s->tr = NULL;
	s->original = NULL;
	translated_free(&tr);
	return 0;
}

int cmd_retrieve(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda retrieve CODE... [--or CODE]... [--and CODE]... [--not CODE]... [--passages] [--doc DOC]\n"
		"                     [--coder NAME] [--no-auto] [--review STATE] [--where KEY=V[,V]]...\n"
		"                     [--include-interviewer] [--context N] [--context-turns N] [--limit N] [--times]",
		"The coded extracts of one or more codes or themes: each with its document, case and\n"
		"attributes, the speaker of the turn where it starts, its lines, coder and code, and its text.",
		"The CODEs are OR'ed (--or CODE adds one more); a theme or sub-theme includes all its\n"
		"descendants. --and C keeps the extracts overlapping a coding of C (or of its descendants)\n"
		"in the same document; --not C drops them. Extracts come by document name, then position.\n"
		"\n"
		"What counts is what freq counts. Codings of every coder are pooled unless --coder NAME\n"
		"(which holds for the codings of --and and --not too). Codings lying wholly in interviewer\n"
		"material (the turns of speakers marked with import --interviewer, each with the blank lines\n"
		"after it up to the next turn) are left out unless --include-interviewer; a coding reaching\n"
		"into a participant's turn stays. --no-auto leaves out autocoded codings; --review accepted\n"
		"keeps those a reviewer accepted (or revised), not-disputed all but the disputed ones;\n"
		"--where KEY=V1,V2 keeps the cases whose KEY is one of the values (several --where all hold).\n"
		"\n"
		"--passages gives each coded passage once: a maximal run of text coded with any of the\n"
		"CODEs, overlapping and touching codings joined (a character between them, a line feed too,\n"
		"keeps them apart), with the codes and coders of the codings that make it, instead of one\n"
		"extract per coding. There --and C and --not C keep or drop whole passages sharing a\n"
		"character with a coding of C, and --limit counts passages. qda codings lists every coding.\n"
		"\n"
		"Formats: text (a block per extract; context lines marked with ┆), md (quotes ready for a\n"
		"paper: '> text', the speaker's label left out, and '> — Speaker (case, role), lines A-B'),\n"
		"csv, tsv and json with the columns coding_id, document, case, speaker, line_first,\n"
		"line_last, start, end, code, coder, attributes (\"key=value; key=value\"), memo, text, and\n"
		"with --context or --context-turns context_before and context_after (whole lines, LF-joined).\n"
		"With --passages: document, case, speaker, line_first, line_last, start, end, codes (\"a; b\"),\n"
		"coders (\"x; y\"), codings (how many), attributes, text (and the context columns).\n"
		"--times adds the cue time (H:MM:SS) of the turn where each extract starts, for documents\n"
		"imported from .vtt or .srt: ' · at 0:12:05' in text, ', at 0:12:05' in md, a time column\n"
		"last in csv, tsv and json (empty where there is no time), to find the moment in the recording.\n"
		"--lang L shows each coding's translation into L (qda translate) instead of its text, marked\n"
		"'[translated from fr by X]' in text, '(translated from fr by X)' after the attribution in\n"
		"md (fr: the document's language), and a column translated (yes, no) in csv, tsv and json.\n"
		"--originals adds each translated extract's original as a note: numbered after the extracts\n"
		"in text, a footnote ([^1]) in md, a last column original in csv, tsv and json.",
	};
	struct strlist ors = { 0 }, ands = { 0 }, nots = { 0 };
	struct filter_args fa = { 0 };
	const char *doc = NULL;
	long context = 0, context_turns = 0, limit = 0;
	int passages = 0, times = 0, originals = 0;
	const char *lang = NULL;
	const struct opt opts[] = {
		OPT_TRANSLATED(&lang, &originals),
		OPT_BOOL("times", 0, &times, "the cue time of each extract (.vtt and .srt documents)"),
		OPT_LIST("or", 0, &ors, "CODE", "also the extracts of this code (as a CODE argument)"),
		OPT_LIST("and", 0, &ands, "CODE", "keep extracts overlapping a coding of CODE"),
		OPT_LIST("not", 0, &nots, "CODE", "drop extracts overlapping a coding of CODE"),
		OPT_BOOL("passages", 0, &passages, "each coded passage once, with its codes and coders"),
		OPT_STRING("doc", 'd', &doc, "DOC", "only this document"),
		OPT_INT("context", 'C', &context, "N", "N lines of context before and after (blank lines not counted)"),
		OPT_INT("context-turns", 0, &context_turns, "N", "N speaker turns of context before and after"),
		OPT_INT("limit", 'n', &limit, "N", "at most N extracts (passages)"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_retrieve_opts ro = { 0 };
	struct session s = { 0 };
	const char **codes = NULL;
	enum qda_status st;
	int rc, i, human, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		rc = n == -1 ? 0 : 2;
		goto done;
	}
	if (n == 0 && ors.n == 0) {
		rc = usage_error(cli, "which codes? give one or more code or theme ids ('qda codebook show' lists them)");
		goto done;
	}
	if (context < 0 || context_turns < 0 || limit < 0) {
		rc = usage_error(cli, "--context, --context-turns and --limit want 0 or more");
		goto done;
	}
	if ((rc = translated_args(cli, lang, originals)))
		goto done;
	/* --coder is the global option: qda --coder NAME retrieve, or after */
	if ((rc = filter_args_get(cli, &fa, &ro.filter)))
		goto done;
	codes = xcalloc((size_t)n + ors.n + 1, sizeof *codes);
	for (i = 0; i < n; i++)
		codes[i] = argv[i];
	for (i = 0; i < (int)ors.n; i++)
		codes[n + i] = ors.v[i];
	ro.codes = codes;
	ro.n_codes = (size_t)n + ors.n;
	ro.and_codes = ands.v;
	ro.n_and = ands.n;
	ro.not_codes = nots.v;
	ro.n_not = nots.n;
	ro.doc = doc;
	ro.context = context;
	ro.context_turns = context_turns;
	ro.limit = limit;
	ro.passages = passages;
	if ((rc = cli_open(cli, OPEN_NONE)))
		goto done;
	if (!(s.o = out_open(cli, OUT_LISTING, &rc)))
		goto done;
	s.context = context > 0 || context_turns > 0;
	s.passages = passages;
	s.times = times;
	s.lang = lang;
	s.originals = originals;
	s.notes.style = s.o->fmt == OUT_MD ? NOTES_MD : NOTES_TEXT;
	s.h = cli->h;
	s.dim = s.o->fmt == OUT_TEXT && s.o->fp == stdout && isatty(1) && !getenv("NO_COLOR");
	st = qda_retrieve(cli->h, &ro, extract, &s);
	if (s.st != QDA_OK)
		st = s.st;
	if (st == QDA_OK && s.notes.n) {
		/* the originals after the extracts, a blank line between */
		fputc('\n', s.o->fp);
		notes_write(&s.notes, s.o->fp);
	}
	if (s.o->fmt != OUT_TEXT && s.o->fmt != OUT_MD) {
		if (st == QDA_OK && !s.n)
			begin(&s);
		if (st == QDA_OK || s.n)
			out_end(s.o);
	}
	human = s.o->fmt == OUT_TEXT || s.o->fmt == OUT_MD;
	rc = out_close(cli, s.o, st != QDA_OK);
	if (st != QDA_OK)
		rc = cli_fail(cli, st);
	else if (!s.n && human)
		fprintf(stderr, "qda %s: no coded %s match\n", cli->cmdname, passages ? "passages" : "extracts");
done:
	notes_free(&s.notes);
	free(s.tcols);
	free(codes);
	strlist_free(&ors);
	strlist_free(&ands);
	strlist_free(&nots);
	filter_args_free(&fa);
	return rc;
}
