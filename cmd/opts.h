/* opts.h — one table-driven option parser for every command; --help is
 * generated from the same table, so the two cannot disagree. */
#ifndef QDA_OPTS_H
#define QDA_OPTS_H

#include <stddef.h>

struct cli;

enum opt_type { OPT_END, OPT_BOOL, OPT_STRING, OPT_INT, OPT_LIST };

struct strlist {
	const char **v;
	size_t n;
};

struct opt {
	enum opt_type type;
	const char *name; /* long name without "--" */
	char sname;       /* short letter or 0 */
	void *value;      /* int *, const char **, long *, struct strlist * */
	const char *argname;
	const char *help;
};

#define OPT_BOOL(n, s, v, h) { OPT_BOOL, n, s, v, NULL, h }
#define OPT_STRING(n, s, v, a, h) { OPT_STRING, n, s, v, a, h }
#define OPT_INT(n, s, v, a, h) { OPT_INT, n, s, v, a, h }
#define OPT_LIST(n, s, v, a, h) { OPT_LIST, n, s, v, a, h }
#define OPT_END() { OPT_END, NULL, 0, NULL, NULL, NULL }

struct usage {
	const char *usage;   /* "qda import FILE... [options]" (one or more lines) */
	const char *summary; /* one sentence */
	const char *details; /* paragraphs after the options, or NULL */
};

/* Parse argv[1..argc) against opts plus the global options (-p, --coder,
 * --format, -o, --help). Positional arguments are moved to argv[0..n) and n
 * is returned. On a usage error prints it and returns -2; on --help prints
 * the help and returns -1. A lone "--" ends option parsing. */
int opts_parse(struct cli *cli, const struct usage *u, const struct opt *opts, int argc, char **argv);
/* Print the help of a command to stdout. */
void opts_help(const struct usage *u, const struct opt *opts);
/* Print "qda CMD: error: MSG" and a hint to --help on stderr; returns 2. */
int usage_error(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strlist_free(struct strlist *l);

#endif
