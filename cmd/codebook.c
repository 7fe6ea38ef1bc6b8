/* codebook.c — qda codebook check|load|show|export|history|diff|orphans: the
 * codebook kept in YAML next to the transcripts, loaded into the project by
 * id, listed, exported and compared across its versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* The context of the callbacks: errors name the command, changes go to o. */

static void print_error(void *ctx, const char *loc, const char *msg)
{
	struct cli *cli = ((struct changes *)ctx)->cli;
	if (loc && *loc)
		fprintf(stderr, "qda %s: %s: error: %s\n", cli->cmdname, loc, msg);
	else
		fprintf(stderr, "qda %s: error: %s\n", cli->cmdname, msg);
}

static int cb_check(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codebook check FILE.yaml...",
		"Check codebook files without a project: every error at once, each as FILE:LINE:COLUMN\n"
		"(unknown keys with the nearest valid one, duplicate or bad ids, missing names, a bad\n"
		"status, invalid PCRE2 patterns, YAML syntax). Exit status 1 when anything is wrong.",
		"The format is in DESIGN.md section 5 and codebooks/braun-clarke-template.yaml.",
	};
	int n = opts_parse(cli, &u, NULL, argc, argv), i, rc = 0;

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n == 0)
		return usage_error(cli, "give a codebook file to check");
	for (i = 0; i < n; i++) {
		struct qda_codebook_stats s;
		struct changes ctx = { cli, NULL, 0 };
		long nerr = 0;
		enum qda_status st = qda_codebook_check(argv[i], print_error, &ctx, &s, &nerr);
		if (st == QDA_OK) {
			printf("%s: ok: %ld theme%s, %ld sub-theme%s, %ld code%s\n", argv[i], s.themes, s.themes == 1 ? "" : "s",
			       s.subthemes, s.subthemes == 1 ? "" : "s", s.codes, s.codes == 1 ? "" : "s");
		} else {
			if (st == QDA_EINPUT)
				fprintf(stderr, "qda %s: %s: %ld error%s\n", cli->cmdname, argv[i], nerr, nerr == 1 ? "" : "s");
			else if (st == QDA_ENOMEM)
				die_nomem();
			rc = 1;
		}
	}
	return rc;
}

static const struct col change_cols[] = { { "change", COL_STR }, { "id", COL_STR }, { "detail", COL_STR } };

int print_change(void *ctx, const struct qda_cb_change *c)
{
	struct changes *ch = ctx;
	const char *v[3] = { c->change, c->id, c->detail };
	if (ch->n++ == 0)
		out_begin(ch->o, change_cols, 3);
	out_row(ch->o, v);
	return 0;
}

static int cb_load(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codebook load FILE.yaml [--retire]",
		"Load the codebook into the project, or update it by id, in one transaction, and list\n"
		"what changed: added, renamed, moved, status, redefined, reordered, removed. A node that\n"
		"left the file but still has codings is refused unless --retire (it stays, hidden, with\n"
		"its codings); 'qda theme merge' moves codings to another node first. Loading the same\n"
		"codebook again changes nothing. Every load that changes something is kept as a version\n"
		"(qda codebook history).",
		NULL,
	};
	int retire = 0;
	const struct opt opts[] = {
		OPT_BOOL("retire", 0, &retire, "keep nodes that left the file, with their codings, as retired"),
		OPT_END(),
	};
	struct qda_codebook_load_result res;
	struct changes ch = { cli, NULL, 0 };
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give one codebook file");
	if ((rc = cli_open(cli, OPEN_NONE)) || !(ch.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		out_close(cli, ch.o, 1);
		return cli_fail(cli, st);
	}
	st = qda_codebook_load(cli->h, argv[0], retire, print_error, print_change, &ch, &res);
	if (st == QDA_OK && res.unchanged) {
		qda_rollback(cli->h);
		if (ch.o->fmt == OUT_TEXT)
			fprintf(ch.o->fp, "nothing changed: the codebook already matches %s (version %ld)\n", argv[0],
			        res.version);
		else
			out_begin(ch.o, change_cols, 3), out_end(ch.o);
		return out_close(cli, ch.o, 0);
	}
	if (st == QDA_OK) {
		char *summary = xasprintf("codebook version %ld from %s: %ld change%s", res.version, argv[0], res.changes,
		                          res.changes == 1 ? "" : "s");
		st = qda_commit(cli->h, summary);
		if (ch.n)
			out_end(ch.o);
		if (st == QDA_OK && ch.o->fmt == OUT_TEXT)
			fprintf(ch.o->fp, "%s\n", summary);
		free(summary);
	} else {
		qda_rollback(cli->h);
	}
	rc = out_close(cli, ch.o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}

struct show {
	struct out *o;
	int counts;
	long n;
};

static int show_row(void *ctx, const struct qda_cb_node *n)
{
	struct show *s = ctx;
	char *name, seg[24], docs[24];
	const char *v[6];
	name = xasprintf("%*s%s", s->o->fmt == OUT_TEXT ? 2 * (n->depth - 1) : 0, "", n->name);
	snprintf(seg, sizeof seg, "%ld", n->segments);
	snprintf(docs, sizeof docs, "%ld", n->documents);
	v[0] = name;
	v[1] = n->id;
	v[2] = n->kind;
	v[3] = n->status;
	v[4] = seg;
	v[5] = docs;
	out_row(s->o, v);
	free(name);
	s->n++;
	return 0;
}

static int cb_show(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codebook show [--counts [--coder NAME] [--no-auto] [--review STATE] [--where KEY=V[,V]]...\n"
		"                          [--include-interviewer]]",
		"The codebook tree: each theme, sub-theme and code with its id, kind and status; with\n"
		"--counts, the passages (segments) and documents coded with it, counted as qda freq counts\n"
		"them, with the same filters.",
		"A passage is a maximal run of coded text: overlapping and touching codings of a node are\n"
		"one, and a theme counts the union of its descendants' codings. Codings in interviewer\n"
		"turns are left out unless --include-interviewer.",
	};
	static const struct col cols[] = { { "node", COL_STR }, { "id", COL_STR },       { "kind", COL_STR },
		                           { "status", COL_STR }, { "segments", COL_INT }, { "documents", COL_INT } };
	struct show s = { 0 };
	struct filter_args fa = { 0 };
	struct qda_filter f;
	const struct opt opts[] = {
		OPT_BOOL("counts", 'c', &s.counts, "add the passages and documents coded per node"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0 || n > 0 || (rc = filter_args_get(cli, &fa, &f))) {
		filter_args_free(&fa);
		return n < 0 ? (n == -1 ? 0 : 2) : n > 0 ? usage_error(cli, "unexpected argument '%s'", argv[0]) : rc;
	}
	if ((rc = cli_open(cli, OPEN_NONE)) || !(s.o = out_open(cli, OUT_LISTING, &rc))) {
		filter_args_free(&fa);
		return rc;
	}
	out_begin(s.o, cols, s.counts ? 6 : 4);
	st = qda_codebook_walk(cli->h, s.counts ? &f : NULL, show_row, &s);
	filter_args_free(&fa);
	if (st != QDA_OK)
		out_fail(s.o);
	out_end(s.o);
	rc = out_close(cli, s.o, st != QDA_OK);
	if (st == QDA_OK && s.n == 0 && !cli->format)
		fprintf(stderr, "qda %s: the codebook is empty; load one with 'qda codebook load FILE.yaml'\n", cli->cmdname);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}

static char *join(const char *const *v, size_t n, const char *sep)
{
	size_t len = 1, i;
	char *s;
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + strlen(sep);
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, sep);
		strcat(s, v[i]);
	}
	return s;
}

struct table {
	struct out *o;
	int kind; /* 0 csv, 1 taguette, 2 md */
};

static int table_row(void *ctx, const struct qda_cb_node *n)
{
	struct table *t = ctx;
	if (t->kind == 0) {
		/* level as --level names it: theme, subtheme or code */
		const char *v[6] = { n->id, n->name, n->parent, n->kind, n->status, n->definition };
		out_row(t->o, v);
	} else if (t->kind == 1) {
		const char *v[2] = { n->name, n->definition };
		out_row(t->o, v);
	} else {
		char *inc = join(n->include, n->n_include, "; "), *exc = join(n->exclude, n->n_exclude, "; ");
		char *name = n->depth == 1 ? xasprintf("**%s**", n->name)
		                           : xasprintf("%s%s", n->depth == 2 ? "" : "— ", n->name);
		const char *v[6] = { name, n->kind, n->definition, inc, exc, n->n_examples ? n->examples[0] : "" };
		out_row(t->o, v);
		free(name);
		free(inc);
		free(exc);
	}
	return 0;
}

static int cb_export(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codebook export [--format yaml|md|csv|taguette|qdc] [-o FILE]",
		"Write the current codebook: yaml (the default) loads back to the same codebook; md is\n"
		"a codebook table for a paper's appendix (name, kind, definition, include, exclude,\n"
		"example); csv has the columns id,name,parent,level,status,definition (level: theme,\n"
		"subtheme or code); taguette is\n"
		"a CSV with Taguette's tag,description columns; qdc is a REFI-QDA codebook\n"
		"(Codebook.xsd) for ATLAS.ti, MAXQDA, NVivo and the other REFI-QDA programs.",
		NULL,
	};
	static const struct col csv_cols[] = { { "id", COL_STR },    { "name", COL_STR },   { "parent", COL_STR },
		                               { "level", COL_STR }, { "status", COL_STR }, { "definition", COL_STR } };
	static const struct col tag_cols[] = { { "tag", COL_STR }, { "description", COL_STR } };
	static const struct col md_cols[] = { { "Name", COL_STR },    { "Kind", COL_STR },    { "Definition", COL_STR },
		                              { "Include", COL_STR }, { "Exclude", COL_STR }, { "Example", COL_STR } };
	struct table t = { 0 };
	struct out *o;
	enum qda_status st = QDA_OK;
	int rc, taguette = 0, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (!cli->format)
		cli->format = "yaml";
	else if (strcmp(cli->format, "taguette") == 0) {
		cli->format = "csv";
		taguette = 1;
	}
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, (1u << OUT_YAML) | (1u << OUT_MD) | (1u << OUT_CSV) | (1u << OUT_QDC), &rc)))
		return rc;
	if (o->fmt == OUT_YAML || o->fmt == OUT_QDC) {
		char *text = NULL;
		size_t len = 0;
		st = o->fmt == OUT_YAML ? qda_codebook_export_yaml(cli->h, &text, &len)
		                        : qda_codebook_export_qdc(cli->h, &text, &len);
		if (st == QDA_OK)
			fwrite(text, 1, len, o->fp);
		free(text);
	} else if (o->fmt == OUT_CSV) {
		t.o = o;
		t.kind = taguette;
		out_begin(o, taguette ? tag_cols : csv_cols, taguette ? 2 : 6);
		st = qda_codebook_walk(cli->h, NULL, table_row, &t);
		if (st != QDA_OK)
			out_fail(o);
		out_end(o);
	} else {
		char *title = NULL, *desc = NULL;
		if ((st = qda_codebook_title(cli->h, &title, &desc)) == QDA_OK) {
			fprintf(o->fp, "# %s\n\n", *title ? title : "Codebook");
			if (*desc)
				fprintf(o->fp, "%s\n\n", desc);
			t.o = o;
			t.kind = 2;
			out_begin(o, md_cols, 6);
			st = qda_codebook_walk(cli->h, NULL, table_row, &t);
			if (st != QDA_OK)
				out_fail(o);
			out_end(o);
		}
		free(title);
		free(desc);
	}
	rc = out_close(cli, o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}

static int history_row(void *ctx, const struct qda_cb_version *v)
{
	struct out *o = ctx;
	char ver[24], n[24];
	const char *r[7] = { ver, v->created, v->coder, v->origin, n, v->summary, v->hash };
	snprintf(ver, sizeof ver, "%ld", v->version);
	snprintf(n, sizeof n, "%ld", v->changes);
	out_row(o, r);
	return 0;
}

static int cb_history(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codebook history",
		"The codebook's versions: each load that changed it and each theme reshape, with who,\n"
		"when, what was done, the changes, and the SHA-256 of the file loaded.",
		NULL,
	};
	static const struct col cols[] = { { "version", COL_INT }, { "created", COL_STR }, { "coder", COL_STR },
		                           { "origin", COL_STR },  { "changes", COL_INT }, { "summary", COL_STR },
		                           { "hash", COL_STR } };
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, 7);
	st = qda_codebook_history(cli->h, history_row, o);
	return out_finish(cli, o, st);
}

static int parse_version(struct cli *cli, const char *s, long *v)
{
	char *end;
	*v = strtol(s, &end, 10);
	if (end == s || *end || *v <= 0)
		return usage_error(cli, "a version is a number from 1 ('qda codebook history' lists them), not '%s'", s);
	return 0;
}

static int cb_diff_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codebook diff [V1 [V2]]",
		"What changed in the codebook between two versions: with none, the latest version\n"
		"against the one before; with V1, V1 against the latest; with both, V1 against V2.",
		NULL,
	};
	struct changes ch = { cli, NULL, 0 };
	long v1 = 0, v2 = 0;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 2)
		return usage_error(cli, "give at most two versions");
	if ((n >= 1 && (rc = parse_version(cli, argv[0], &v1))) || (n == 2 && (rc = parse_version(cli, argv[1], &v2))))
		return rc;
	if ((rc = cli_open(cli, OPEN_NONE)) || !(ch.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if (n == 1) {
		/* V1 against the latest: the latest is v2 = 0 */
	}
	st = qda_codebook_diff(cli->h, v1, v2, print_change, &ch);
	if (st == QDA_OK) {
		if (ch.n == 0) {
			out_begin(ch.o, change_cols, 3);
			if (ch.o->fmt == OUT_TEXT)
				fprintf(stderr, "qda %s: no change between the two versions\n", cli->cmdname);
		}
		out_end(ch.o);
	}
	rc = out_close(cli, ch.o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}

static int orphan_row(void *ctx, const struct qda_cb_node *n)
{
	struct out *o = ctx;
	const char *v[4] = { n->id, n->name, n->kind, n->parent };
	out_row(o, v);
	return 0;
}

static int cb_orphans(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codebook orphans",
		"Nodes of the codebook with no coding, on themselves or below them. (Codes used in\n"
		"codings but missing from the codebook cannot happen: every coding names a node.)",
		NULL,
	};
	static const struct col cols[] = { { "id", COL_STR }, { "name", COL_STR }, { "kind", COL_STR }, { "parent", COL_STR } };
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, 4);
	st = qda_codebook_orphans(cli->h, orphan_row, o);
	return out_finish(cli, o, st);
}

int cmd_codebook(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "check", cb_check, OPEN_NONE, "check codebook files (no project needed)" },
		{ "load", cb_load, OPEN_WRITE, "load or update the project's codebook from a YAML file" },
		{ "show", cb_show, OPEN_READ, "the codebook tree, with --counts the codings per node" },
		{ "export", cb_export, OPEN_READ, "write the codebook as yaml, md, csv, taguette or qdc" },
		{ "history", cb_history, OPEN_READ, "the codebook's versions" },
		{ "diff", cb_diff_cmd, OPEN_READ, "what changed between two versions" },
		{ "orphans", cb_orphans, OPEN_READ, "nodes with no coding" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd(cli, "codebook", verbs, argc, argv);
}
