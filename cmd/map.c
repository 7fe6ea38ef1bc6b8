/* map.c — qda map: the thematic map as Braun & Clarke draw it — themes,
 * sub-themes and codes as a tree, with dashed edges where two of them often
 * apply to the same passages. Laid out by Graphviz (libgvc) in a child
 * process, so that no crash inside Graphviz takes qda or its output down. */
#include <errno.h>
#include <gvc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "map.h"

struct build {
	Agraph_t *g;
	Agnode_t **nodes; /* in tree order */
	char **ids;
	size_t n, cap;
	Agnode_t *stack[64];
	int include_codes;
};

static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* A name as Graphviz text. A label's backslash is doubled: Graphviz reads
 * \N, \l and \" in a label as escapes, and a name ending in a backslash
 * would swallow the closing quote of --format dot (agwrite quotes the
 * rest). A tooltip is substituted twice over by Graphviz (\\N still names
 * the node), so there a backslash is shown as the full-width one (U+FF3C). */
static void set_text(void *obj, const char *name, const char *value, int tooltip)
{
	char *t = xmalloc(3 * strlen(value) + 1), *o = t;
	for (; *value; value++) {
		if (*value == '\\' && tooltip) {
			memcpy(o, "\xEF\xBC\xBC", 3);
			o += 3;
			continue;
		}
		if (*value == '\\')
			*o++ = '\\';
		*o++ = *value;
	}
	*o = '\0';
	set(obj, name, t);
	free(t);
}

static int add_node(void *ctx, const struct qda_node_row *r)
{
	struct build *b = ctx;
	Agnode_t *n;
	int is_code = strcmp(r->kind, "code") == 0;
	if (r->depth > 63 || (is_code && !b->include_codes))
		return 0;
	n = agnode(b->g, (char *)r->id, 1);
	set_text(n, "label", r->name, 0); /* agsafeset keeps its own copy */
	set_text(n, "tooltip", *r->definition ? r->definition : r->name, 1);
	if (r->depth == 1) {
		set(n, "shape", "box");
		set(n, "style", "rounded,filled,bold");
		set(n, "fontsize", "16");
		set(n, "fillcolor", *r->color ? r->color : "#4e79a7");
		set(n, "fontcolor", "white");
	} else if (!is_code) {
		set(n, "shape", "ellipse");
		set(n, "style", "filled");
		set(n, "fillcolor", "#eef2f7");
		set(n, "color", *r->color ? r->color : "#4e79a7");
	} else {
		set(n, "shape", "plaintext");
		set(n, "fontsize", "10");
	}
	b->stack[r->depth] = n;
	if (r->depth > 1 && b->stack[r->depth - 1]) {
		Agedge_t *e = agedge(b->g, b->stack[r->depth - 1], n, NULL, 1);
		set(e, "color", "#888888");
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->nodes = xrealloc(b->nodes, b->cap * sizeof *b->nodes);
	}
	b->nodes[b->n++] = n;
	return 0;
}

/* How the layout child ends (exit statuses apart from the sanitizers' 1). */
enum { CHILD_OK = 0, CHILD_NO_LAYOUT = 10, CHILD_NO_RENDER = 11 };

/* The child: lay g out and render it to fd. Never returns; the layout is
 * not freed, the process ends with it (and so does any fault in freeing it). */
static void __attribute__((noreturn)) child(GVC_t *gvc, Agraph_t *g, const char *format, int fd)
{
	FILE *fp = fdopen(fd, "w");
	if (!fp || gvLayout(gvc, g, "dot") != 0)
		_exit(CHILD_NO_LAYOUT);
	if (gvRender(gvc, g, format, fp) != 0 || fflush(fp) != 0)
		_exit(CHILD_NO_RENDER);
	/* for the tests: a crash once the map is drawn must still lose it all */
	if (getenv("QDA_TEST_MAP_CRASH"))
		abort();
	_exit(CHILD_OK);
}

/* Read fd to its end into *buf (*len bytes). 0, or -1 with errno set. */
static int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0;
	ssize_t n;
	*buf = NULL;
	*len = 0;
	for (;;) {
		if (cap - *len < 16384) {
			cap = cap ? cap * 2 : 65536;
			*buf = xrealloc(*buf, cap);
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n > 0)
			*len += (size_t)n;
		else if (n == 0)
			return 0;
		else if (errno != EINTR)
			return -1;
	}
}

/* What the child's end means: 0, or the exit status after printing it. */
static int child_ended(struct cli *cli, int status, const char *format)
{
	if (WIFSIGNALED(status))
		return cli_errorf(cli, "Graphviz crashed while drawing the map (%s); nothing was written",
		                  strsignal(WTERMSIG(status)));
	if (!WIFEXITED(status))
		return cli_errorf(cli, "Graphviz stopped while drawing the map; nothing was written");
	switch (WEXITSTATUS(status)) {
	case CHILD_OK:
		return 0;
	case CHILD_NO_LAYOUT:
		return cli_errorf(cli, "Graphviz could not lay out the map");
	case CHILD_NO_RENDER:
		return cli_errorf(cli, "Graphviz could not render the map as %s", format);
	default:
		return cli_errorf(cli, "Graphviz failed while drawing the map (exit status %d); nothing was written",
		                  WEXITSTATUS(status));
	}
}

/* Lay g out and render it as format in a child process, read it whole
 * through a pipe, and only when the child has ended well write it to fp:
 * a crash inside Graphviz is an error here, never a map cut short. */
static int layout_in_child(struct cli *cli, GVC_t *gvc, Agraph_t *g, const char *format, FILE *fp)
{
	char *buf = NULL;
	size_t len = 0;
	int p[2], status, rc = 0, err;
	pid_t pid;

	if (pipe(p) != 0)
		return cli_errorf(cli, "cannot draw the map: %s", strerror(errno));
	/* nothing buffered here may come out a second time from the child */
	fflush(NULL);
	if ((pid = fork()) < 0) {
		rc = cli_errorf(cli, "cannot draw the map: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return rc;
	}
	if (pid == 0) {
		close(p[0]);
		child(gvc, g, format, p[1]);
	}
	close(p[1]);
	err = read_all(p[0], &buf, &len) ? errno : 0;
	close(p[0]);
	if (err)
		kill(pid, SIGKILL); /* it may be blocked on the pipe */
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			err = errno;
			break;
		}
	}
	if (err)
		rc = cli_errorf(cli, "cannot draw the map: %s", strerror(err));
	else if (!(rc = child_ended(cli, status, format)) && fwrite(buf, 1, len, fp) != len)
		rc = cli_errorf(cli, "could not write the map: %s", strerror(errno));
	free(buf);
	return rc;
}

int map_render(struct cli *cli, FILE *fp, const char *format, enum qda_level level, double min_c, int codes,
               const struct qda_filter *f)
{
	GVC_t *gvc = gvContext();
	struct build b = { 0 };
	struct qda_cooccur_opts co = { 0 };
	struct qda_cooccur *c = NULL;
	enum qda_status st;
	size_t i, j;
	int rc = 0;

	b.g = agopen("thematic_map", Agundirected, NULL);
	b.include_codes = codes || level == QDA_LEVEL_CODE;
	set(b.g, "rankdir", "LR");
	set(b.g, "fontname", "Helvetica");
	set(b.g, "overlap", "false");
	agattr(b.g, AGNODE, "fontname", "Helvetica");
	agattr(b.g, AGEDGE, "fontname", "Helvetica");
	st = qda_nodes(cli->h, add_node, &b);
	if (st == QDA_OK) {
		co.level = level;
		co.scope = QDA_SCOPE_OVERLAP;
		co.filter = *f;
		st = qda_cooccur(cli->h, &co, &c);
	}
	if (st != QDA_OK) {
		rc = cli_fail(cli, st);
		goto out;
	}
	for (i = 0; i < c->n; i++) {
		for (j = i + 1; j < c->n; j++) {
			double cc = qda_cooccur_c(c, i, j);
			Agnode_t *a, *z;
			Agedge_t *e;
			char label[32], width[16];
			if (!(cc >= min_c) || c->n12[i * c->n + j] == 0)
				continue;
			a = agnode(b.g, c->ids[i], 0);
			z = agnode(b.g, c->ids[j], 0);
			if (!a || !z)
				continue;
			e = agedge(b.g, a, z, "cooccur", 1);
			snprintf(label, sizeof label, "%ld", c->n12[i * c->n + j]);
			snprintf(width, sizeof width, "%.1f", 1 + 4 * cc);
			set(e, "style", "dashed");
			set(e, "color", "#e15759");
			/* xlabel, not label: these edges join nodes of one rank, and a
			 * labelled edge between two nodes of one rank that are not side by
			 * side makes Graphviz 2.42's dot grow that rank's node array
			 * without its second pointer to it (make_vn_slot), which
			 * gvFreeLayout then frees a second time. An xlabel is placed after
			 * the layout and takes no part in it. */
			set(e, "xlabel", label);
			set(e, "penwidth", width);
			set(e, "constraint", "false");
			set(e, "fontcolor", "#e15759");
			set(e, "tooltip", "co-occurrence (c-coefficient above the threshold)");
		}
	}
	rc = layout_in_child(cli, gvc, b.g, strcmp(format, "dot") == 0 ? "dot" : "svg", fp);
out:
	qda_cooccur_free(c);
	free(b.nodes);
	agclose(b.g);
	gvFreeContext(gvc);
	return rc;
}

int cmd_map(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda map [--format dot|svg] [--level subtheme|code|theme] [--min-c X] [--codes] [-o FILE]\n"
		"               [--coder NAME] [--no-auto] [--review STATE] [--where KEY=V[,V]]...\n"
		"               [--include-interviewer]",
		"The thematic map: themes, their sub-themes (and codes with --codes) as a tree, and dashed\n"
		"red edges between nodes of --level (default subtheme) whose c-coefficient of co-occurrence\n"
		"is at least --min-c (default 0.2), labelled with the number of co-occurrences.",
		"Co-occurrence is counted as qda cooccur --scope overlap --measure c counts it: n12 pairs of\n"
		"passages (maximal runs of coded text), one of each node, that share a character, and\n"
		"c = n12 / (n1 + n2 - n12); a pair with no defined c (nothing coded) draws no edge. The\n"
		"filters (--coder, --no-auto, --review, --where, --include-interviewer) choose the codings\n"
		"counted, as in qda freq; the tree is the whole codebook whatever they keep.\n"
		"Laid out by Graphviz. --format dot writes the graph for further editing; svg (default) the\n"
		"picture, which opens in a browser.",
	};
	const char *level = "subtheme", *minc = "0.2";
	struct filter_args fa = { 0 };
	struct qda_filter filter;
	int codes = 0;
	const struct opt opts[] = {
		OPT_STRING("level", 'l', &level, "LEVEL", "the level of the co-occurrence edges (default subtheme)"),
		OPT_STRING("min-c", 0, &minc, "X", "smallest c-coefficient drawn (0 to 1, default 0.2)"),
		OPT_BOOL("codes", 0, &codes, "draw the codes too"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	enum qda_level lv = QDA_LEVEL_SUBTHEME;
	struct out *o;
	double min_c = 0;
	char *end;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	rc = filter_args_get(cli, &fa, &filter);
	if (rc)
		;
	else if (n > 0)
		rc = usage_error(cli, "unexpected argument '%s'", argv[0]);
	else if (parse_level(level, &lv) || lv == QDA_LEVEL_ALL)
		rc = usage_error(cli, "--level is theme, subtheme or code, not '%s'", level);
	else {
		min_c = strtod(minc, &end);
		if (end == minc || *end || !(min_c >= 0 && min_c <= 1))
			rc = usage_error(cli, "--min-c wants a number from 0 to 1, not '%s'", minc);
	}
	if (!rc && !cli->format)
		cli->format = "svg";
	if (rc || (rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, (1u << OUT_DOT) | (1u << OUT_SVG), &rc))) {
		filter_args_free(&fa);
		return rc;
	}
	rc = map_render(cli, o->fp, o->fmt == OUT_DOT ? "dot" : "svg", lv, min_c, codes, &filter);
	n = out_close(cli, o, rc != 0);
	filter_args_free(&fa);
	return rc ? rc : n;
}
