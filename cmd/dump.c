/* dump.c — qda dump DIR: the project as plain files for git (core/dump.c
 * gives the rows; every file here is written whole, and the files of
 * objects gone since the last dump are removed). Refuses a directory that
 * holds other things than a dump. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

static const char readme[] =
	"This directory is a qda project written as plain files by 'qda dump', to keep in git.\n"
	"'qda init --from DIR NEW.qda' rebuilds the project; dumping that again gives these very files.\n"
	"Do not edit them: change the project with qda, then dump again (files of removed objects\n"
	"are deleted, so the directory is always the project).\n"
	"\n"
	"  .qda-dump              marks the directory as a dump: 'qda dump', then the schema version\n"
	"  documents/NAME.txt     each document's exact stored text (UTF-8, NFC, LF); a name that is\n"
	"                         no plain file name is written as GUID.txt; removed documents are\n"
	"                         kept in documents/removed/GUID.txt (codings and memos refer to them)\n"
	"  documents.csv          one row per document, its file in the column 'file'\n"
	"  speakers.csv           each document's speakers, is_interviewer 1 for an interviewer\n"
	"  turns.csv              speaker turns: [start, end) in code points, lines, cue times (ms)\n"
	"  codebook.yaml          the current codebook, as 'qda codebook export --format yaml' (to read)\n"
	"  nodes.csv              the codebook's nodes, every column (what init --from reads)\n"
	"  codebook-history.csv   every codebook version: its snapshot and changes (JSON)\n"
	"  codings.csv            every coding, removed ones too (removed_at, removed_by, removed_why)\n"
	"  reviews.csv memos.csv exemplars.csv cases.csv attributes.csv coders.csv meta.csv\n"
	"  reads.csv              who has read which document (qda read)\n"
	"  summaries.csv          the framework matrix's summaries per case and theme (qda summary)\n"
	"  translations.csv       translations of coded quotes (qda translate)\n"
	"  log.csv                the audit trail; undo.csv what 'qda undo' needs (changesets in hex)\n"
	"  sequence.csv           id counters ahead of a table's highest id (ids never reused)\n"
	"\n"
	"Each CSV holds one table: its header the table's columns, references as the row ids of the\n"
	"other files, rows sorted by GUID (else by id), so that a new object adds one line and a\n"
	"change changes its own line. Positions are Unicode code points from 0, spans [start, end).\n";

struct dump_ctx {
	struct cli *cli;
	const char *dir;
	struct outfile *f;
	struct out *o;
	struct col *cols;
	char **names;
	size_t ncols;
	char **written; /* files of this dump, relative to dir */
	size_t n_written, cap;
	long texts, texts_changed, tables, rows, removed;
	int rc;
};

static char *path_in(const char *dir, const char *file)
{
	return xasprintf("%s/%s", dir, file);
}

static void remember(struct dump_ctx *c, const char *file)
{
	if (c->n_written == c->cap)
		c->written = xrealloc(c->written, (c->cap = c->cap ? 2 * c->cap : 64) * sizeof *c->written);
	c->written[c->n_written++] = xstrdup(file);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* mkdir -p of the folders of file inside dir, mode 0700 (interview data). */
static int make_folders(struct dump_ctx *c, const char *file)
{
	char *p = path_in(c->dir, file), *s;
	for (s = p + strlen(c->dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			c->rc = cli_errorf(c->cli, "cannot create %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/* A whole file; left as it is when it already holds these bytes. */
static int write_file(struct dump_ctx *c, const char *file, const char *data, size_t len, int *changed)
{
	char *path = path_in(c->dir, file), *old = NULL;
	struct outfile *f;
	FILE *fp;
	size_t n = 0;
	int rc;

	remember(c, file);
	*changed = 1;
	if ((fp = fopen(path, "rb"))) {
		struct stat sb;
		if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len) {
			old = xmalloc(len + 1);
			n = fread(old, 1, len, fp);
			*changed = n != len || memcmp(old, data, len) != 0;
			free(old);
		}
		fclose(fp);
	}
	if (!*changed) {
		free(path);
		return 0;
	}
	if (make_folders(c, file) || !(f = outfile_open(c->cli, path, &rc))) {
		if (!c->rc)
			c->rc = rc;
		free(path);
		return -1;
	}
	fwrite(data, 1, len, outfile_fp(f));
	rc = outfile_commit(c->cli, f);
	free(path);
	if (rc)
		c->rc = rc;
	return rc;
}

static int on_table(void *ctx, const char *file, const char *const *cols, size_t n)
{
	struct dump_ctx *c = ctx;
	char *path = path_in(c->dir, file);
	size_t i;
	int rc;
	remember(c, file);
	c->f = outfile_open(c->cli, path, &rc);
	free(path);
	if (!c->f) {
		c->rc = rc;
		return -1;
	}
	c->o = out_new(OUT_CSV, outfile_fp(c->f));
	c->cols = xcalloc(n, sizeof *c->cols);
	c->names = xcalloc(n, sizeof *c->names);
	for (i = 0; i < n; i++) {
		c->names[i] = xstrdup(cols[i]);
		c->cols[i].name = c->names[i];
		c->cols[i].type = COL_STR;
	}
	c->ncols = n;
	out_begin(c->o, c->cols, n);
	c->tables++;
	return 0;
}

static int on_row(void *ctx, const char *const *vals)
{
	struct dump_ctx *c = ctx;
	out_row(c->o, vals);
	c->rows++;
	return 0;
}

static void table_close(struct dump_ctx *c, int failed)
{
	size_t i;
	if (c->o) {
		if (!failed)
			out_end(c->o);
		out_close(c->cli, c->o, 1); /* the stream is the outfile's */
	}
	if (c->f) {
		if (failed)
			outfile_discard(c->f);
		else if (outfile_commit(c->cli, c->f))
			c->rc = 1;
	}
	for (i = 0; i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	free(c->cols);
	c->names = NULL;
	c->cols = NULL;
	c->ncols = 0;
	c->o = NULL;
	c->f = NULL;
}

static int on_table_end(void *ctx)
{
	struct dump_ctx *c = ctx;
	table_close(c, 0);
	return c->rc ? -1 : 0;
}

static int on_text(void *ctx, const char *file, const char *text, size_t len)
{
	struct dump_ctx *c = ctx;
	int changed;
	if (write_file(c, file, text, len, &changed))
		return -1;
	c->texts++;
	c->texts_changed += changed;
	return 0;
}

/* Remove the files of a dump's layout that this dump did not write: a
 * document removed or renamed, a table gone. Other files stay. */
static void remove_stale(struct dump_ctx *c, const char *sub, const char *ext)
{
	char *folder = *sub ? path_in(c->dir, sub) : xstrdup(c->dir);
	DIR *d = opendir(folder);
	struct dirent *e;
	size_t el = strlen(ext);
	if (!d) {
		free(folder);
		return;
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *rel, *key = NULL;
		if (e->d_name[0] == '.' || n <= el || strcmp(e->d_name + n - el, ext) != 0)
			continue;
		rel = *sub ? xasprintf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
		key = rel;
		if (!bsearch(&key, c->written, c->n_written, sizeof *c->written, cmp_str)) {
			char *p = path_in(c->dir, rel);
			if (unlink(p) == 0)
				c->removed++;
			else
				c->rc = cli_errorf(c->cli, "cannot remove %s: %s", p, strerror(errno));
			free(p);
		}
		free(rel);
	}
	closedir(d);
	free(folder);
}

/* DIR may be new, empty or a former dump; anything else is refused. */
static int check_dir(struct cli *cli, const char *dir)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	int empty = 1;
	char *marker;
	if (stat(dir, &sb) != 0) {
		if (errno == ENOENT && mkdir(dir, 0700) == 0)
			return 0;
		return cli_errorf(cli, "cannot create %s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return cli_errorf(cli, "%s is not a directory; give a new directory or a former dump", dir);
	marker = path_in(dir, QDA_DUMP_MARKER);
	if (stat(marker, &sb) == 0) {
		free(marker);
		return 0;
	}
	free(marker);
	if (!(d = opendir(dir)))
		return cli_errorf(cli, "cannot read %s: %s", dir, strerror(errno));
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	if (!empty)
		return cli_errorf(cli, "%s is not empty and holds no earlier dump (no %s); give a new or empty "
		                  "directory, as a dump removes the files that are not the project's",
		                  dir, QDA_DUMP_MARKER);
	return 0;
}

int cmd_dump(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda dump DIR",
		"Write the project as plain files that diff well, to keep it in git: documents as text, the\n"
		"codebook as YAML, every table as CSV sorted by GUID. 'qda init --from DIR NEW.qda' rebuilds it.",
		"DIR is created (mode 0700) when it does not exist; it must be empty or a former dump, whose\n"
		"files are replaced and whose files of objects gone since are removed. Each file is written\n"
		"whole. DIR/README.txt describes the layout.",
	};
	static const struct qda_dump_sink sink = { on_table, on_row, on_table_end, on_text };
	struct dump_ctx c = { 0 };
	enum qda_status st;
	char *yaml = NULL, *marker;
	size_t len, i;
	int changed, n = opts_parse(cli, &u, NULL, argc, argv), rc;

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one directory" : "give the directory to dump into");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	c.cli = cli;
	c.dir = argv[0];
	if ((rc = check_dir(cli, c.dir)))
		return rc;
	/* the marker first: a dump cut short is still known as one */
	marker = xasprintf("qda dump\nschema %d\n", qda_schema_version());
	rc = write_file(&c, QDA_DUMP_MARKER, marker, strlen(marker), &changed) ||
	     write_file(&c, "README.txt", readme, sizeof readme - 1, &changed);
	free(marker);
	if (rc)
		goto out;
	st = qda_dump(cli->h, &sink, &c);
	if (st != QDA_OK) {
		table_close(&c, 1);
		if (!c.rc)
			c.rc = cli_fail(cli, st);
		goto out;
	}
	if ((st = qda_codebook_export_yaml(cli->h, &yaml, &len)) != QDA_OK) {
		c.rc = cli_fail(cli, st);
		goto out;
	}
	if (write_file(&c, "codebook.yaml", yaml, len, &changed))
		goto out;
	qsort(c.written, c.n_written, sizeof *c.written, cmp_str);
	remove_stale(&c, "", ".csv");
	remove_stale(&c, "documents", ".txt");
	remove_stale(&c, "documents/removed", ".txt");
	if (!c.rc)
		printf("Dumped %s into %s: %ld %s (%ld changed), %ld tables, %ld rows; %ld stale %s removed.\n",
		       qda_path(cli->h), c.dir, c.texts, noun(c.texts, "document", "documents"), c.texts_changed, c.tables,
		       c.rows, c.removed, noun(c.removed, "file", "files"));
out:
	free(yaml);
	for (i = 0; i < c.n_written; i++)
		free(c.written[i]);
	free(c.written);
	return c.rc;
}
