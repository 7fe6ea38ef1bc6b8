/* out.c — picks the writer for --format and -o, and keeps the table state
 * (columns, row count) that the writers share. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

static const char *const names[] = { "text", "csv", "tsv", "json", "md", "latex", "html", "svg", "yaml", "dot", "qdc" };

int out_parse_format(const char *s, unsigned allowed, enum out_format *f)
{
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0 && (allowed & (1u << i))) {
			*f = (enum out_format)i;
			return 0;
		}
	}
	return -1;
}

static void list_formats(unsigned allowed, char *buf, size_t n)
{
	size_t i;
	buf[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (allowed & (1u << i)) {
			if (buf[0])
				strncat(buf, ", ", n - strlen(buf) - 1);
			strncat(buf, names[i], n - strlen(buf) - 1);
		}
	}
}

/* path with its folder resolved, the file itself need not exist; NULL when
 * the folder does not. */
static char *canonical(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *c;
	if ((real = realpath(path, NULL)))
		return real;
	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else {
		dir = xstrdup(path);
		dir[slash - path] = '\0';
	}
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return NULL;
	c = xmalloc(strlen(real) + strlen(path) + 2);
	sprintf(c, "%s/%s", real, slash ? slash + 1 : path);
	free(real);
	return c;
}

/* a and b name one file: the same resolved name, or the same inode */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char *ca, *cb;
	int same;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino)
		return 1;
	ca = canonical(a);
	cb = canonical(b);
	same = ca && cb && strcmp(ca, cb) == 0;
	free(ca);
	free(cb);
	return same;
}

static int is_sqlite(const char *path)
{
	char head[16];
	struct stat st;
	int fd, yes = 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (fd = open(path, O_RDONLY)) < 0)
		return 0;
	yes = read(fd, head, sizeof head) == (ssize_t)sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
	close(fd);
	return yes;
}

int out_refuse_project(struct cli *cli, const char *out, const char *opt)
{
	static const char *const parts[] = { "-wal", "-shm", "-journal" };
	char *project = cli_project_path(cli);
	int rc = 0;
	size_t i;
	if (project && same_file(out, project))
		rc = cli_errorf(cli, "%s%s is the project file; choose another output file", opt, out);
	for (i = 0; project && !rc && i < sizeof parts / sizeof parts[0]; i++) {
		char *part = xmalloc(strlen(project) + strlen(parts[i]) + 1);
		sprintf(part, "%s%s", project, parts[i]);
		if (same_file(out, part))
			rc = cli_errorf(cli, "%s%s is part of the project file; choose another output file", opt, out);
		free(part);
	}
	if (!rc && is_sqlite(out))
		rc = cli_errorf(cli, "%s%s is an SQLite database, perhaps another project; choose another output file",
		                opt, out);
	free(project);
	return rc ? 2 : 0;
}

struct out *out_open(struct cli *cli, unsigned allowed, int *rc)
{
	enum out_format f = OUT_TEXT;
	struct out *o;

	if (cli->format && out_parse_format(cli->format, allowed, &f)) {
		char list[128];
		list_formats(allowed, list, sizeof list);
		*rc = usage_error(cli, "unknown format '%s'; use one of: %s", cli->format, list);
		return NULL;
	}
	o = out_new(f, stdout);
	o->neutralise = !cli->raw;
	if (cli->output && strcmp(cli->output, "-") != 0) {
		if ((*rc = out_refuse_project(cli, cli->output, "-o ")) || !(o->file = outfile_open(cli, cli->output, rc))) {
			free(o);
			return NULL;
		}
		o->fp = outfile_fp(o->file);
	}
	if (f == OUT_TEXT || f == OUT_MD || f == OUT_LATEX) {
		o->clean_to = o->fp;
		o->fp = out_clean_stream(o->fp);
		/* printf and `fp == stdout` tests in the commands see the filter too
		 * (glibc's stdout is a variable); put back by out_close */
		if (o->clean_to == stdout)
			stdout = o->fp;
	}
	return o;
}

struct out *out_new(enum out_format f, FILE *fp)
{
	struct out *o = xcalloc(1, sizeof *o);
	o->fmt = f;
	o->fp = fp;
	switch (f) {
	case OUT_CSV: o->w = &out_csv_writer; break;
	case OUT_TSV: o->w = &out_tsv_writer; break;
	case OUT_JSON: o->w = &out_json_writer; break;
	case OUT_MD: o->w = &out_md_writer; break;
	case OUT_LATEX: o->w = &out_latex_writer; break;
	case OUT_HTML: o->w = &out_html_writer; break;
	default: o->w = &out_text_writer; break;
	}
	return o;
}

void out_begin(struct out *o, const struct col *cols, size_t ncols)
{
	o->cols = cols;
	o->ncols = ncols;
	o->nrows = 0;
	o->begun = 0;
}

void out_fail(struct out *o)
{
	o->failed = 1;
}

void out_row(struct out *o, const char *const *vals)
{
	if (!o->begun) {
		o->w->begin(o);
		o->begun = 1;
	}
	o->w->row(o, vals);
	o->nrows++;
}

void out_end(struct out *o)
{
	if (!o->begun) {
		if (o->failed)
			return;
		o->w->begin(o);
		o->begun = 1;
	}
	o->w->end(o);
}

int out_finish(struct cli *cli, struct out *o, enum qda_status st)
{
	int rc;
	if (st != QDA_OK)
		out_fail(o);
	out_end(o);
	rc = out_close(cli, o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}

int out_close(struct cli *cli, struct out *o, int failed)
{
	int rc = 0;
	if (!o)
		return 0;
	if (o->clean_to) {
		if (stdout == o->fp)
			stdout = o->clean_to;
		if (fclose(o->fp) != 0 && !failed && !o->file)
			rc = cli_errorf(cli, "could not write the output: %s", strerror(errno));
		o->fp = o->clean_to;
		o->clean_to = NULL;
		if (rc)
			failed = 1;
	}
	if (o->file && failed)
		outfile_discard(o->file);
	else if (o->file)
		rc = outfile_commit(cli, o->file);
	else if (!rc && (fflush(o->fp) != 0 || ferror(o->fp)))
		rc = cli_errorf(cli, "could not write the output: %s", strerror(errno));
	free(o->cells);
	free(o);
	return rc;
}

/* Display columns of one character: its lead byte and the n - 1
 * continuation bytes after it. Past the four bytes UTF-8 allows, each
 * stray continuation byte counts one column, as in qda_text_width. */
static size_t char_cols(const char *s, size_t n)
{
	char c[5] = { 0 };
	memcpy(c, s, n < 4 ? n : 4);
	return qda_text_width(c) + (n > 4 ? n - 4 : 0);
}

/* The last `width` display columns of s, an ellipsis before when cut. */
static void tail_cols(FILE *fp, const char *s, int width)
{
	size_t i = strlen(s);
	while (i > 0) {
		size_t j = i - 1;
		while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
			j--;
		if ((int)qda_text_width(s + j) > width)
			break;
		i = j;
	}
	if (i > 0)
		fputs("…", fp);
	fputs(s + i, fp);
}

/* The first `width` display columns of s, an ellipsis after when cut. */
static void head_cols(FILE *fp, const char *s, int width)
{
	size_t i = 0, cols = 0;
	while (s[i]) {
		size_t j = i + 1;
		while (s[j] && ((unsigned char)s[j] & 0xC0) == 0x80)
			j++;
		cols += char_cols(s + i, j - i);
		if (cols > (size_t)width) {
			fprintf(fp, "%.*s…", (int)i, s);
			return;
		}
		i = j;
	}
	fputs(s, fp);
}

void out_kwic(FILE *fp, const char *before, const char *match, const char *after, int width, int match_width)
{
	tail_cols(fp, before, width);
	fputc('[', fp);
	if (match_width > 0)
		head_cols(fp, match, match_width);
	else
		fputs(match, fp);
	fputc(']', fp);
	head_cols(fp, after, width);
}
