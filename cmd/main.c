/* main.c — qda's entry point: global options, the command table, and the
 * helpers every command uses to open the project and report errors. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

const struct command commands[] = {
	{ "init", cmd_init, OPEN_NONE, "create a new project file" },
	{ "import", cmd_import, OPEN_WRITE, "import transcripts (.txt .md .vtt .srt .docx)" },
	{ "docs", cmd_docs, OPEN_READ, "list the documents" },
	{ "read", cmd_read, OPEN_NONE, "mark a document read (familiarisation); who has read what: --list" },
	{ "summary", cmd_summary, OPEN_NONE, "the framework matrix: summary set CASE THEME, summary grid" },
	{ "translate", cmd_translate, OPEN_NONE, "translate a coded quote for the paper: translate CODING --lang L" },
	{ "doc", cmd_doc, OPEN_WRITE, "housekeeping of a document: doc remove | doc rename" },
	{ "show", cmd_show, OPEN_READ, "read a document with line numbers and speakers" },
	{ "speakers", cmd_speakers, OPEN_READ, "list the speakers of a document and their roles" },
	{ "speaker", cmd_speaker, OPEN_WRITE, "change a speaker's role after import: speaker role" },
	{ "cases", cmd_cases, OPEN_READ, "list the cases (participants) and their attributes" },
	{ "case", cmd_case, OPEN_WRITE, "cases: case set | import | remove | rename" },
	{ "search", cmd_search, OPEN_READ, "full-text search, keyword in context" },
	{ "words", cmd_words, OPEN_NONE, "word frequencies, exact or by stem, without stop words" },
	{ "codebook", cmd_codebook, OPEN_WRITE, "the codebook: check | load | show | export | history | diff | orphans" },
	{ "theme", cmd_theme, OPEN_WRITE, "reshape the codebook: rename | define | status | move | merge | split" },
	{ "code", cmd_code, OPEN_WRITE, "code a span of a document (or --from FILE.csv)" },
	{ "uncode", cmd_uncode, OPEN_WRITE, "remove codings by id" },
	{ "codings", cmd_codings, OPEN_READ, "list codings" },
	{ "edit", cmd_edit, OPEN_WRITE, "code a document in $EDITOR with a codes margin" },
	{ "autocode", cmd_autocode, OPEN_WRITE, "automatic coding by keywords, patterns or speaker" },
	{ "retrieve", cmd_retrieve, OPEN_READ, "coded extracts of codes or themes" },
	{ "memo", cmd_memo, OPEN_WRITE, "memos and the reflexive journal: add | list | show" },
	{ "freq", cmd_freq, OPEN_READ, "theme frequency tables, by case attribute" },
	{ "matrix", cmd_matrix, OPEN_READ, "matrix coding: codes or themes by attribute, cases or codes" },
	{ "cooccur", cmd_cooccur, OPEN_READ, "code co-occurrence matrix or pairs" },
	{ "map", cmd_map, OPEN_READ, "the thematic map (Graphviz: dot or svg)" },
	{ "saturation", cmd_saturation, OPEN_READ, "code saturation: new codes per document, base, run and threshold" },
	{ "report", cmd_report, OPEN_READ, "the analysis report (Markdown or HTML)" },
	{ "exemplar", cmd_exemplar, OPEN_WRITE, "choose the quotes of the report: add | remove | list" },
	{ "review", cmd_review, OPEN_WRITE, "peer review of codings: interactive, export, import, status, apply" },
	{ "merge", cmd_merge, OPEN_WRITE, "bring a co-coder's project into this one" },
	{ "agree", cmd_agree, OPEN_READ, "inter-coder agreement: percent, Cohen's kappa, Krippendorff's alpha" },
	{ "export", cmd_export, OPEN_READ, "write the project as REFI-QDA (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder" },
	{ "status", cmd_status, OPEN_READ, "where the analysis stands in the six phases, and what is next" },
	{ "coders", cmd_coders, OPEN_READ, "who coded what: codings, reviews, memos, activity" },
	{ "coder", cmd_coder, OPEN_WRITE, "rename a coder, or merge two: coder rename" },
	{ "log", cmd_log, OPEN_READ, "the audit trail" },
	{ "undo", cmd_undo, OPEN_WRITE, "reverse your last change (--list: what undo would reverse)" },
	{ "dump", cmd_dump, OPEN_READ, "write the project as plain files for git (init --from reads them back)" },
	{ "pseudonymise", cmd_pseudonymise, OPEN_WRITE, "replace real names by pseudonyms, codings kept on the same words" },
	{ "check", cmd_check, OPEN_READ, "check the project file: SQLite's checks and qda's invariants" },
	{ "backup", cmd_backup, OPEN_READ, "copy the project, whole and consistent, to a file" },
	{ "serve", cmd_serve, OPEN_NONE, "the project in a browser: read, highlight and code, review (local, or a team's)" },
	{ "user", cmd_user, OPEN_WRITE, "accounts of a team's server: user add | list | password | remove" },
	{ "help", cmd_help, OPEN_NONE, "show help for qda or a command" },
	{ NULL, NULL, OPEN_NONE, NULL },
};

void die_nomem(void)
{
	fputs("qda: error: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_nomem();
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		die_nomem();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_nomem();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		die_nomem();
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die_nomem();
	return s;
}

int exit_code(enum qda_status st)
{
	switch (st) {
	case QDA_OK:
		return 0;
	case QDA_EINVAL:
		return 2;
	default:
		return 1;
	}
}

int cli_fail(struct cli *cli, enum qda_status st)
{
	const char *loc = cli->h ? qda_errloc(cli->h) : "";
	const char *msg = cli->h ? qda_errmsg(cli->h) : "out of memory";
	if (st == QDA_ENOMEM && (!msg || !*msg))
		msg = "out of memory";
	if (loc && *loc)
		diag(cli, loc, "error", msg);
	else
		diag(cli, NULL, "error", msg);
	return exit_code(st);
}

/* Every diagnostic goes out through here: the names and values it quotes
 * cannot send control characters to the terminal (out_clean). */
void diag(struct cli *cli, const char *loc, const char *kind, const char *msg)
{
	fprintf(stderr, "qda %s: ", cli->cmdname);
	if (loc && *loc) {
		out_clean(stderr, loc);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s: ", kind);
	out_clean(stderr, msg);
	fputc('\n', stderr);
}

void vdiag(struct cli *cli, const char *kind, const char *fmt, va_list ap)
{
	char *msg;
	if (vasprintf(&msg, fmt, ap) < 0)
		die_nomem();
	diag(cli, NULL, kind, msg);
	free(msg);
}

int cli_errorf(struct cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(cli, "error", fmt, ap);
	va_end(ap);
	return 1;
}

void cli_warnf(struct cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(cli, "warning", fmt, ap);
	va_end(ap);
}

const char *cli_coder(struct cli *cli)
{
	const char *c = cli->coder;
	if (!c || !*c)
		c = getenv("QDA_CODER");
	return c && *c ? c : NULL;
}

int cli_delimiter(struct cli *cli, const char *arg, char *delim)
{
	*delim = ',';
	if (!arg || !strcmp(arg, ",") || !strcmp(arg, "comma"))
		return 0;
	if (!strcmp(arg, ";") || !strcmp(arg, "semicolon")) {
		*delim = ';';
		return 0;
	}
	if (!strcmp(arg, "tab") || !strcmp(arg, "\t") || !strcmp(arg, "\\t")) {
		*delim = '\t';
		return 0;
	}
	return usage_error(cli, "--delimiter wants ',', ';' or tab, not '%s'", arg);
}

static void on_warn(void *ctx, const char *loc, const char *msg)
{
	struct cli *cli = ctx;
	diag(cli, loc, "warning", msg);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_term_width(void)
{
	struct winsize ws;
	if (!isatty(1) || ioctl(1, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
		return 0;
	return ws.ws_col;
}

void cli_progress(struct cli *cli, const char *what, uint64_t done, uint64_t total)
{
	static double start, last, delay = -1;
	static const char *started_what;
	double t, rate;
	if (!cli->progress_tty)
		return;
	t = now_seconds();
	if (!started_what || strcmp(started_what, what) || done == 0 || start == 0) {
		if (!started_what || strcmp(started_what, what) || start == 0) {
			start = t;
			last = 0;
		}
		started_what = what;
	}
	if (total && done >= total) {
		if (last)
			fputs("\r\033[K", stderr);
		start = last = 0;
		started_what = NULL;
		fflush(stderr);
		return;
	}
	/* only for work longer than about a second (QDA_PROGRESS_DELAY seconds,
	 * for the tests), redrawn ten times a second */
	if (delay < 0) {
		const char *e = getenv("QDA_PROGRESS_DELAY");
		delay = e && *e ? atof(e) : 1.0;
	}
	if (t - start < delay || (last && t - last < 0.1))
		return;
	last = t;
	rate = t - start > 0.05 ? done / (t - start) : 0;
	if (total && rate <= 0) {
		fprintf(stderr, "\r%s %llu/%llu (%.0f%%)\033[K", what, (unsigned long long)done, (unsigned long long)total,
		        100.0 * (double)done / (double)total);
	} else if (total) {
		double left = (double)(total - done) / rate;
		fprintf(stderr, "\r%s %llu/%llu (%.0f%%), %.0f/s, about %.0f s left\033[K", what, (unsigned long long)done,
		        (unsigned long long)total, 100.0 * (double)done / (double)total, rate, left + 0.5);
	} else {
		fprintf(stderr, "\r%s %llu, %.0f/s\033[K", what, (unsigned long long)done, rate);
	}
	fflush(stderr);
}

static void on_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
	cli_progress(ctx, what, done, total);
}

/* Walk up from the current directory to the nearest project.qda, as git
 * finds .git. */
static char *find_project(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct stat sb;

	if (!getcwd(dir, sizeof dir))
		return NULL;
	for (;;) {
		char *slash;
		snprintf(path, sizeof path, "%s/project.qda", strcmp(dir, "/") ? dir : "");
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			return xstrdup(path);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (strcmp(dir, "/") == 0)
				return NULL;
			strcpy(dir, "/");
			continue;
		}
		*slash = '\0';
	}
}

char *cli_project_path(struct cli *cli)
{
	const char *p = cli->project;
	if (!p || !*p)
		p = getenv("QDA_PROJECT");
	return p && *p ? xstrdup(p) : find_project();
}

int cli_open(struct cli *cli, enum open_mode mode)
{
	char *p;
	enum qda_status st;

	if (mode == OPEN_NONE)
		mode = cli->mode;
	if (mode == OPEN_NONE || cli->h)
		return 0;
	if (!(p = cli_project_path(cli))) {
		fprintf(stderr,
		        "qda %s: error: no project here: no project.qda in this directory or a parent; "
		        "create one with 'qda init', or name it with -p FILE or $QDA_PROJECT\n",
		        cli->cmdname);
		return 1;
	}
	st = qda_open(p, mode == OPEN_READ, &cli->h);
	free(p);
	if (st != QDA_OK) {
		int rc = cli_fail(cli, st);
		qda_close(cli->h);
		cli->h = NULL;
		return rc;
	}
	if ((st = qda_set_coder(cli->h, cli_coder(cli))) != QDA_OK) {
		int rc = cli_fail(cli, st);
		qda_close(cli->h);
		cli->h = NULL;
		return rc;
	}
	qda_set_warn(cli->h, on_warn, cli);
	qda_set_progress(cli->h, on_progress, cli);
	return 0;
}

int run_subcmd_hint(struct cli *cli, const char *group, const struct subcmd *t, int argc, char **argv,
                    const char *hint)
{
	const struct subcmd *s;
	static char name[64];
	char verbs[256] = "";

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		printf("usage: qda %s VERB [options]\n\nverbs:\n", group);
		for (s = t; s->name; s++)
			printf("  %-12s %s\n", s->name, s->summary);
		printf("\nRun 'qda %s VERB --help' for a verb's options.\n", group);
		if (hint)
			printf("See also: %s.\n", hint);
		return argc < 2 ? 2 : 0;
	}
	for (s = t; s->name; s++) {
		if (strcmp(s->name, argv[1]) == 0) {
			snprintf(name, sizeof name, "%s %s", group, s->name);
			cli->cmdname = name;
			cli->mode = s->mode;
			return s->fn(cli, argc - 1, argv + 1);
		}
		snprintf(verbs + strlen(verbs), sizeof verbs - strlen(verbs), "%s%s", s == t ? "" : ", ", s->name);
	}
	{
		/* the nearest verb, at most two edits away */
		const struct subcmd *best = NULL;
		size_t bd = 3;
		char near[96] = "";
		for (s = t; s->name; s++) {
			size_t d = qda_edit_distance(argv[1], s->name);
			if (d < bd) {
				bd = d;
				best = s;
			}
		}
		if (best)
			snprintf(near, sizeof near, "did you mean '%s'? The verbs are: ", best->name);
		if (hint)
			return usage_error(cli, "unknown verb '%s'; %s%s (%s)", argv[1], *near ? near : "the verbs are: ", verbs,
			                   hint);
		return usage_error(cli, "unknown verb '%s'; %s%s", argv[1], *near ? near : "the verbs are: ", verbs);
	}
}

int run_subcmd(struct cli *cli, const char *group, const struct subcmd *t, int argc, char **argv)
{
	return run_subcmd_hint(cli, group, t, argc, argv, NULL);
}

/* The unknown command with the commands nearest to it (at most two edits,
 * up to three, nearest first). */
static void unknown_command(const char *word)
{
	const struct command *c;
	const char *best[3] = { NULL, NULL, NULL };
	size_t d, n = 0, k;

	for (d = 1; d <= 2; d++)
		for (c = commands; c->name && n < 3; c++)
			if (qda_edit_distance(word, c->name) == d)
				best[n++] = c->name;
	fputs("qda: error: '", stderr);
	out_clean(stderr, word);
	if (!n) {
		fputs("' is not a qda command; 'qda help' lists them\n", stderr);
		return;
	}
	fputs("' is not a qda command; did you mean ", stderr);
	for (k = 0; k < n; k++)
		fprintf(stderr, "%s'%s'", k == 0 ? "" : k + 1 == n ? " or " : ", ", best[k]);
	fprintf(stderr, "? ('qda help' lists them)\n");
}

static void print_commands(void)
{
	const struct command *c;
	printf("usage: qda [-p FILE] [--coder NAME] [--force] [--raw] COMMAND [options] [args]\n\n"
	       "qda: thematic analysis of interview transcripts from the shell.\n\ncommands:\n");
	for (c = commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\nRun 'qda COMMAND --help' for a command's options; 'man qda' for the manual.\n");
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = { "qda help [COMMAND [VERB]]",
		                        "Show help for qda, for a command, or for a command's verb (qda help theme merge).",
		                        NULL };
	const struct command *c;
	char *hv[] = { NULL, "--help", NULL }, *vv[] = { NULL, NULL, "--help", NULL };
	int n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n == 0) {
		print_commands();
		return 0;
	}
	for (c = commands; c->name; c++) {
		if (strcmp(c->name, argv[0]) == 0 && c->fn != cmd_help) {
			cli->cmdname = c->name;
			if (n >= 2) {
				/* qda help theme merge: the verb's own help */
				vv[0] = argv[0];
				vv[1] = argv[1];
				return c->fn(cli, 3, vv);
			}
			hv[0] = argv[0];
			return c->fn(cli, 2, hv);
		}
	}
	return usage_error(cli, "no command '%s'; 'qda help' lists them", argv[0]);
}

static char *join_args(int argc, char **argv)
{
	size_t len = 4, i;
	char *s;
	for (i = 0; i < (size_t)argc; i++)
		len += strlen(argv[i]) + 3;
	s = xmalloc(len);
	strcpy(s, "qda");
	for (i = 1; i < (size_t)argc; i++) {
		strcat(s, " ");
		if (strpbrk(argv[i], " \t'\"")) {
			strcat(s, "'");
			strcat(s, argv[i]);
			strcat(s, "'");
		} else {
			strcat(s, argv[i]);
		}
	}
	return s;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct command *c;
	int i = 1, rc;

	cli.cmdname = "qda";
	/* A file size limit (ulimit -f) or a full disk is an error to report
	 * and roll back, not a signal that kills qda mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	cli.cmdline = join_args(argc, argv);
	cli.progress_tty = isatty(2);
	/* Global options before the command. */
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if ((strcmp(a, "-p") == 0 || strcmp(a, "--project") == 0 || strcmp(a, "--coder") == 0 ||
		     strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
			if (i + 1 >= argc) {
				fprintf(stderr, "qda: error: %s needs a value\n", a);
				free(cli.cmdline);
				return 2;
			}
			if (a[1] == 'p' || strcmp(a, "--project") == 0)
				cli.project = argv[i + 1];
			else if (strcmp(a, "--coder") == 0)
				cli.coder = argv[i + 1];
			else if (strcmp(a, "--format") == 0)
				cli.format = argv[i + 1];
			else
				cli.output = argv[i + 1];
			i += 2;
		} else if (strcmp(a, "--force") == 0) {
			cli.force = 1;
			i++;
		} else if (strcmp(a, "--raw") == 0) {
			cli.raw = 1;
			i++;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_commands();
			free(cli.cmdline);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("qda %s (schema %d)\n", QDA_VERSION, qda_schema_version());
			free(cli.cmdline);
			return 0;
		} else {
			fputs("qda: error: unknown option '", stderr);
			out_clean(stderr, a);
			fputs("'; try 'qda help'\n", stderr);
			free(cli.cmdline);
			return 2;
		}
	}
	if (i >= argc) {
		print_commands();
		free(cli.cmdline);
		return 2;
	}
	for (c = commands; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			break;
	if (!c->name) {
		unknown_command(argv[i]);
		free(cli.cmdline);
		return 2;
	}
	cli.cmdname = c->name;
	cli.mode = c->mode;
	rc = c->fn(&cli, argc - i, argv + i);
	if (cli.h)
		qda_close(cli.h);
	free(cli.cmdline);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "qda %s: error: could not write the output: %s\n", cli.cmdname, strerror(errno));
		return rc ? rc : 1;
	}
	return rc;
}
