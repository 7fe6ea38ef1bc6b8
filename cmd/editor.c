/* editor.c — text written in $VISUAL or $EDITOR for the commands that take
 * a text (memo add, summary set, translate): a temporary file, its '#'
 * lines left out. */
#include <errno.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

/* Text read as bytes holds no NUL: a C string would end there and the rest
 * be lost without a word. NULL after printing where it is. */
static char *no_nul(struct cli *cli, char *s, size_t len, const char *from)
{
	const char *z = memchr(s, '\0', len);
	if (!z)
		return s;
	cli_errorf(cli, "the memo from %s holds a NUL byte (byte %zu); write it as text (UTF-8), nothing was written",
	           from, (size_t)(z - s) + 1);
	free(s);
	return NULL;
}

char *cli_edit_text(struct cli *cli, const char *text0, const char *header)
{
	const char *ed = getenv("VISUAL");
	char path[] = "/tmp/qda-edit-XXXXXX";
	char *cmd, *text, *out, *p;
	FILE *fp;
	int fd, st;
	long n;
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	if ((fd = mkstemp(path)) < 0 || !(fp = fdopen(fd, "w"))) {
		cli_errorf(cli, "cannot make a file for the editor: %s", strerror(errno));
		return NULL;
	}
	fprintf(fp, "%s\n%s", text0 ? text0 : "", header);
	fclose(fp);
	cmd = xasprintf("%s '%s'", ed, path);
	st = system(cmd);
	free(cmd);
	if (st != 0) {
		unlink(path);
		cli_errorf(cli, "the editor '%s' failed (exit status %d); nothing was written", ed,
		           WIFEXITED(st) ? WEXITSTATUS(st) : st);
		return NULL;
	}
	if (!(fp = fopen(path, "rb"))) {
		cli_errorf(cli, "%s: %s", path, strerror(errno));
		unlink(path);
		return NULL;
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	text = xcalloc(1, (size_t)(n > 0 ? n : 0) + 1);
	if (n > 0 && fread(text, 1, (size_t)n, fp) != (size_t)n)
		text[0] = '\0';
	fclose(fp);
	unlink(path);
	if (!(text = no_nul(cli, text, n > 0 ? (size_t)n : 0, "the editor")))
		return NULL;
	/* the lines that are not comments */
	out = xcalloc(1, strlen(text) + 1);
	for (p = text, n = 0; *p;) {
		size_t len = strcspn(p, "\n");
		if (*p != '#') {
			memcpy(out + n, p, len);
			n += (long)len;
			if (p[len])
				out[n++] = '\n';
		}
		p += len + (p[len] == '\n');
	}
	out[n] = '\0';
	free(text);
	return out;
}


char *cli_text_args(struct cli *cli, int n, char **words, const char *header)
{
	char *text;
	size_t len = 1;
	int i;
	if (n == 0)
		return cli_edit_text(cli, NULL, header);
	if (n == 1 && strcmp(words[0], "-") == 0)
		return cli_read_stdin(cli);
	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	text = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, words[i]);
	}
	return text;
}

char *cli_read_stdin(struct cli *cli)
{
	size_t len = 0, cap = 4096, n;
	char *s = xmalloc(cap);
	while ((n = fread(s + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			s = xrealloc(s, cap);
		}
	}
	s[len] = '\0';
	return no_nul(cli, s, len, "stdin");
}
