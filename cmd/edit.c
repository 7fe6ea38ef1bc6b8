/* edit.c — qda edit DOC [--resume]: code a document in $VISUAL or $EDITOR.
 * Writes the editing file (core/edit.c renders it) to $TMPDIR, mode 0600,
 * runs the editor through sh -c, then hands the saved file to core/edit.c,
 * which checks every line and turns the margins into codings. A file that
 * cannot be applied is kept for --resume. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

#define PREFIX "qda-edit-"

static const char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/* The document's name as a safe piece of a file name. */
static void safe_name(const char *s, char *out, size_t n)
{
	size_t j = 0;
	for (; *s && j + 1 < n && j < 40; s++) {
		char c = *s;
		out[j++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		            c == '-' || c == '_')
		                   ? c
		                   : '_';
	}
	out[j] = '\0';
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *s = NULL;
	size_t len = 0, cap = 0, k;
	if (!fp)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			s = xrealloc(s, cap);
		}
		k = fread(s + len, 1, cap - len - 1, fp);
		len += k;
	} while (k > 0);
	if (ferror(fp)) {
		fclose(fp);
		free(s);
		return NULL;
	}
	fclose(fp);
	s[len] = '\0';
	return s;
}

/* Whether two paths name the same file. */
static int same_file(const char *a, const char *b)
{
	struct stat x, y;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Whether an editing file has the header field; *out malloc'd when it has. */
static int header(const char *text, const char *field, char **out)
{
	int r = qda_edit_header(text, field, out);
	if (r < 0)
		die_nomem();
	return r == 0;
}

/* The newest kept file of this document, coder and project; NULL if none. */
static char *find_kept(struct qda *h, const char *doc, const char *coder)
{
	const char *dir = tmp_dir();
	DIR *d = opendir(dir);
	struct dirent *e;
	char *best = NULL;
	time_t best_t = 0;

	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		char path[PATH_MAX], *text, *f_doc = NULL, *f_coder = NULL, *f_project = NULL;
		size_t len = strlen(e->d_name);
		int found;
		struct stat st;
		if (strncmp(e->d_name, PREFIX, strlen(PREFIX)) != 0 || len < 4 || strcmp(e->d_name + len - 4, ".txt"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		/* ours only: a regular file of this user, not a link planted in /tmp */
		if (lstat(path, &st) || !S_ISREG(st.st_mode) || st.st_uid != getuid())
			continue;
		if (!(text = slurp(path)))
			continue;
		found = header(text, "document", &f_doc) && header(text, "coder", &f_coder) &&
		        header(text, "project", &f_project);
		if (found && strcmp(f_doc, doc) == 0 && strcmp(f_coder, coder) == 0 && same_file(f_project, qda_path(h)) &&
		    (!best || st.st_mtime >= best_t)) {
			free(best);
			best = xstrdup(path);
			best_t = st.st_mtime;
		}
		free(f_doc);
		free(f_coder);
		free(f_project);
		free(text);
	}
	closedir(d);
	return best;
}

/* Run the editor on path through sh -c (so "sed -i ..." works); its exit
 * status, or -1 when it could not be run. */
static int run_editor(const char *editor, const char *path)
{
	char *script = xmalloc(strlen(editor) + 16);
	pid_t pid;
	int status;

	sprintf(script, "%s \"$1\"", editor);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(script);
		return -1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
		_exit(127);
	}
	free(script);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static void row_error(void *ctx, const char *loc, const char *msg)
{
	struct cli *cli = ctx;
	fprintf(stderr, "qda %s: %s: error: %s\n", cli->cmdname, loc, msg);
}

static void change(void *ctx, const struct qda_edit_change *c)
{
	struct strlist *msgs = ctx;
	char *line;
	if (c->line_first == c->line_last)
		line = xasprintf("%s coding %lld: %s line %ld", c->added ? "added" : "removed", c->coding_id, c->code,
		                 c->line_first);
	else
		line = xasprintf("%s coding %lld: %s lines %ld-%ld", c->added ? "added" : "removed", c->coding_id,
		                 c->code, c->line_first, c->line_last);
	msgs->v = xrealloc(msgs->v, (msgs->n + 1) * sizeof *msgs->v);
	msgs->v[msgs->n++] = line;
}

/* Write the editing file; its path malloc'd, or NULL after the error. */
static char *write_file(struct cli *cli, const char *doc, int *rc)
{
	char *text = NULL, *path, name[64];
	size_t len = 0, off = 0;
	enum qda_status st;
	int fd;

	if ((st = qda_edit_render(cli->h, doc, &text, &len)) != QDA_OK) {
		*rc = cli_fail(cli, st);
		return NULL;
	}
	safe_name(doc, name, sizeof name);
	path = xmalloc(strlen(tmp_dir()) + strlen(name) + 32);
	sprintf(path, "%s/" PREFIX "%s-XXXXXX.txt", tmp_dir(), name);
	if ((fd = mkstemps(path, 4)) < 0 || fchmod(fd, 0600) < 0) {
		*rc = cli_errorf(cli, "cannot create the editing file in %s: %s (set TMPDIR to a writable folder)",
		                 tmp_dir(), strerror(errno));
		if (fd >= 0)
			close(fd);
		free(text);
		free(path);
		return NULL;
	}
	while (off < len) {
		ssize_t k = write(fd, text + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			*rc = cli_errorf(cli, "%s: cannot write: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			free(text);
			free(path);
			return NULL;
		}
		off += (size_t)k;
	}
	free(text);
	if (close(fd) < 0) {
		*rc = cli_errorf(cli, "%s: cannot write: %s", path, strerror(errno));
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

int cmd_edit(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda edit DOC [--resume]",
		"Code a document in your editor ($VISUAL, else $EDITOR, else vi) as the coder (--coder\n"
		"NAME or $QDA_CODER): fill the codes margin of each line, save and quit.",
		"The document is written to a file in $TMPDIR (mode 0600), one line per line of text:\n"
		"'0012 | text | listening, trust'. Only the margin after the last '|' is yours to change:\n"
		"a code on consecutive lines becomes one coding of those lines; a code taken off every\n"
		"line of one of your codings removes it; the codings added and removed are listed.\n"
		"Every line is checked first: a mangled, moved, repeated or missing line number, a changed\n"
		"text or an unknown code is reported with its line in the file, nothing is changed, and\n"
		"the file is kept: 'qda edit DOC --resume' opens it again to correct it.",
	};
	int resume = 0;
	const struct opt opts[] = {
		OPT_BOOL("resume", 0, &resume, "reopen the file a failed edit of DOC kept"),
		OPT_END(),
	};
	struct qda_edit_report rep;
	struct strlist msgs = { 0 };
	const char *editor, *coder;
	char *path = NULL, *text = NULL, *summary = NULL;
	enum qda_status st;
	int rc = 0, ed, i, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one document" : "which document? 'qda docs' lists them");
	if (!(coder = cli_coder(cli))) {
		fprintf(stderr, "qda %s: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME\n",
		        cli->cmdname);
		return 2;
	}
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (resume) {
		if (!(path = find_kept(cli->h, argv[0], coder)))
			return cli_errorf(cli, "no kept editing file of %s by %s in %s to resume; start with 'qda edit %s'",
			                  argv[0], coder, tmp_dir(), argv[0]);
	} else if (!(path = write_file(cli, argv[0], &rc))) {
		return rc;
	}
	fprintf(stderr, "qda %s: editing %s in %s\n", cli->cmdname, argv[0], path);
	editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	if ((ed = run_editor(editor, path)) != 0) {
		if (ed < 0)
			rc = cli_errorf(cli, "cannot run the editor '%s': %s; nothing was changed", editor, strerror(errno));
		else
			rc = cli_errorf(cli, "the editor '%s' exited with status %d; nothing was changed", editor, ed);
		fprintf(stderr, "qda %s: the file is kept: %s ('qda edit %s --resume' reopens it)\n", cli->cmdname, path,
		        argv[0]);
		free(path);
		return rc;
	}
	if (!(text = slurp(path))) {
		rc = cli_errorf(cli, "%s: cannot read the edited file: %s; nothing was changed", path, strerror(errno));
		free(path);
		return rc;
	}
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK) {
		rc = cli_fail(cli, st);
		goto out;
	}
	st = qda_edit_apply(cli->h, argv[0], path, text, row_error, cli, change, &msgs, &rep);
	if (st == QDA_OK) {
		if (rep.added || rep.removed)
			summary = xasprintf("%s: %ld coding%s added, %ld removed", argv[0], rep.added,
			                    rep.added == 1 ? "" : "s", rep.removed);
		else
			summary = xasprintf("%s: no change", argv[0]);
		st = qda_commit(cli->h, summary);
	} else {
		qda_rollback(cli->h);
	}
	if (st != QDA_OK) {
		rc = cli_fail(cli, st);
		fprintf(stderr, "qda %s: the file is kept: %s; correct it with 'qda edit %s --resume'\n", cli->cmdname,
		        path, argv[0]);
		goto out;
	}
	for (i = 0; i < (int)msgs.n; i++)
		printf("%s\n", msgs.v[i]);
	printf("%s\n", summary);
	unlink(path);
out:
	for (i = 0; i < (int)msgs.n; i++)
		free((char *)msgs.v[i]);
	strlist_free(&msgs);
	free(summary);
	free(text);
	free(path);
	return rc;
}
