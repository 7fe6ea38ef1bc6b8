/* opts.c — the option parser and generated --help (see opts.h). Long options
 * take "--name VALUE" or "--name=VALUE"; short ones "-x VALUE". */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct opt global_opts[] = {
	{ OPT_STRING, "project", 'p', NULL, "FILE", "the project file (else $QDA_PROJECT, else ./project.qda or a parent's)" },
	{ OPT_STRING, "coder", 0, NULL, "NAME", "who is working (else $QDA_CODER)" },
	{ OPT_STRING, "format", 0, NULL, "FMT", "output format: text, csv, tsv, json, md" },
	{ OPT_STRING, "output", 'o', NULL, "FILE", "write the output to FILE instead of stdout" },
	{ OPT_BOOL, "force", 0, NULL, NULL, "write -o FILE even through a symbolic link (to the file it points to)" },
	{ OPT_BOOL, "raw", 0, NULL, NULL, "CSV/TSV cells as stored: no ' before =, +, -, @ (for scripts)" },
	{ OPT_BOOL, "help", 'h', NULL, NULL, "show this help" },
	OPT_END(),
};

int usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(cli, "error", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'qda %s --help'.\n", cli->cmdname);
	return 2;
}

void strlist_free(struct strlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void print_opt(const struct opt *o)
{
	char left[96];
	int n = 0;
	if (o->sname)
		n = snprintf(left, sizeof left, "  -%c, --%s", o->sname, o->name);
	else
		n = snprintf(left, sizeof left, "      --%s", o->name);
	if (o->argname && n < (int)sizeof left)
		snprintf(left + n, sizeof left - n, " %s", o->argname);
	if (strlen(left) > 28)
		printf("%s\n%30s%s\n", left, "", o->help);
	else
		printf("%-30s%s\n", left, o->help);
}

void opts_help(const struct usage *u, const struct opt *opts)
{
	const struct opt *o;
	printf("usage: %s\n\n%s\n", u->usage, u->summary);
	if (opts && opts->type != OPT_END) {
		printf("\noptions:\n");
		for (o = opts; o->type != OPT_END; o++)
			print_opt(o);
	}
	printf("\nglobal options:\n");
	for (o = global_opts; o->type != OPT_END; o++)
		print_opt(o);
	if (u->details)
		printf("\n%s\n", u->details);
}

static int set_value(struct cli *cli, const struct opt *o, const char *arg)
{
	switch (o->type) {
	case OPT_BOOL:
		*(int *)o->value = 1;
		return 0;
	case OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_INT: {
		char *end;
		long v;
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end)
			return usage_error(cli, "--%s wants a whole number, not '%s'", o->name, arg);
		*(long *)o->value = v;
		return 0;
	}
	case OPT_LIST: {
		struct strlist *l = o->value;
		const char **v = realloc(l->v, (l->n + 1) * sizeof *v);
		if (!v)
			die_nomem();
		v[l->n++] = arg;
		l->v = v;
		return 0;
	}
	case OPT_END:
		break;
	}
	return 0;
}

static int set_global(struct cli *cli, const struct opt *g, const char *arg)
{
	if (strcmp(g->name, "project") == 0)
		cli->project = arg;
	else if (strcmp(g->name, "coder") == 0)
		cli->coder = arg;
	else if (strcmp(g->name, "format") == 0)
		cli->format = arg;
	else if (strcmp(g->name, "output") == 0)
		cli->output = arg;
	else if (strcmp(g->name, "force") == 0)
		cli->force = 1;
	else if (strcmp(g->name, "raw") == 0)
		cli->raw = 1;
	return 0;
}

static const struct opt *find_long(const struct opt *opts, const char *name, size_t len)
{
	for (; opts && opts->type != OPT_END; opts++)
		if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, char c)
{
	for (; opts && opts->type != OPT_END; opts++)
		if (opts->sname == c)
			return opts;
	return NULL;
}

/* " did you mean '--level'?" for the options nearest an unknown one (at
 * most two edits, or one it begins), "" when none is near. */
static void nearest_option(const struct opt *opts, const char *name, size_t len, char *out, size_t n)
{
	const struct opt *lists[2] = { opts, global_opts }, *o;
	char *word = strndup(name, len);
	size_t best = 3, k;
	const char *pick = NULL;
	out[0] = '\0';
	if (!word)
		return;
	for (k = 0; k < 2; k++)
		for (o = lists[k]; o && o->type != OPT_END; o++) {
			size_t d = qda_edit_distance(word, o->name);
			if (len >= 3 && strncmp(o->name, word, len) == 0 && d > 1)
				d = 2;
			if (d < best) {
				best = d;
				pick = o->name;
			}
		}
	free(word);
	if (pick)
		snprintf(out, n, "; did you mean '--%s'?", pick);
}

int opts_parse(struct cli *cli, const struct usage *u, const struct opt *opts, int argc, char **argv)
{
	int i, npos = 0, only_pos = 0;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct opt *o = NULL;
		int global = 0;
		const char *arg = NULL;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			argv[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			if (!(o = find_long(opts, name, len))) {
				o = find_long(global_opts, name, len);
				global = o != NULL;
			}
			if (!o) {
				char near[96];
				nearest_option(opts, name, len, near, sizeof near);
				return usage_error(cli, "unknown option '--%.*s'%s", (int)len, name, near), -2;
			}
			if (eq) {
				if (o->type == OPT_BOOL)
					return usage_error(cli, "--%s takes no value", o->name), -2;
				arg = eq + 1;
			}
		} else {
			if (a[2] != '\0' && !(find_short(opts, a[1]) || find_short(global_opts, a[1])))
				return usage_error(cli, "unknown option '%s'", a), -2;
			if (!(o = find_short(opts, a[1]))) {
				o = find_short(global_opts, a[1]);
				global = o != NULL;
			}
			if (!o)
				return usage_error(cli, "unknown option '%s'", a), -2;
			if (a[2] != '\0') {
				if (o->type == OPT_BOOL)
					return usage_error(cli, "unknown option '%s'", a), -2;
				arg = a + 2;
			}
		}
		if (global && strcmp(o->name, "help") == 0) {
			opts_help(u, opts);
			return -1;
		}
		if (o->type != OPT_BOOL && !arg) {
			if (i + 1 >= argc)
				return usage_error(cli, "--%s needs a value (%s)", o->name, o->argname), -2;
			arg = argv[++i];
		}
		if (global)
			set_global(cli, o, arg);
		else if (set_value(cli, o, arg))
			return -2;
		/* a command's own --force (doc remove, uncode) says "yes, I mean it"
		 * to its -o too: one word, not two */
		if (!global && strcmp(o->name, "force") == 0)
			cli->force = 1;
	}
	argv[npos] = NULL;
	return npos;
}

int filter_args_get(struct cli *cli, struct filter_args *a, struct qda_filter *f)
{
	size_t i;
	memset(f, 0, sizeof *f);
	f->coder = cli->coder;
	f->no_auto = a->no_auto;
	f->include_interviewer = a->include_interviewer;
	f->where = a->where.v;
	f->n_where = a->where.n;
	if (a->review && qda_review_filter_parse(a->review, &f->review))
		return usage_error(cli, "--review is accepted, not-disputed or any, not '%s'", a->review);
	for (i = 0; i < a->where.n; i++) {
		const char *eq = strchr(a->where.v[i], '=');
		if (!eq || eq == a->where.v[i])
			return usage_error(cli, "--where wants KEY=VALUE[,VALUE...], not '%s'", a->where.v[i]);
	}
	return 0;
}

void filter_args_free(struct filter_args *a)
{
	strlist_free(&a->where);
}

const char *cell_num(const struct out *o, char *buf, double v, int decimals)
{
	if (isnan(v))
		return NULL;
	if (o->fmt != OUT_CSV && o->fmt != OUT_TSV && o->fmt != OUT_JSON) {
		snprintf(buf, 32, "%.*f", decimals, v);
		/* no "-0.000" */
		if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
			memmove(buf, buf + 1, strlen(buf));
		return buf;
	}
	/* whole numbers as they are (50, not 5e+01) */
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, 32, "%.0f", v);
		return buf;
	}
	return qda_num_shortest(buf, v);
}
