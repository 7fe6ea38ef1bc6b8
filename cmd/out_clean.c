/* out_clean.c — what qda writes can never attack its reader: control
 * characters (C0 but tab and newline, DEL, C1) never reach a terminal or a
 * text file, and one function escapes every value put in HTML, SVG or XML.
 * A control character is shown as U+FFFD (the replacement character, one
 * column wide), the same in every format that shows text. */
#include <string.h>

#include "cmd.h"

#define REPLACEMENT "\xEF\xBF\xBD"

size_t out_control_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
		return 1;
	if (c == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F)
		return 2;
	return 0;
}

void out_clean(FILE *fp, const char *s)
{
	while (s && *s) {
		size_t n = out_control_len(s), k = 0;
		if (n) {
			fputs(REPLACEMENT, fp);
			s += n;
			continue;
		}
		while (s[k] && !out_control_len(s + k))
			k++;
		fwrite(s, 1, k, fp);
		s += k;
	}
}

void out_markup_escape(FILE *fp, const char *s, int br)
{
	while (s && *s) {
		size_t n = out_control_len(s);
		if (n) {
			fputs(REPLACEMENT, fp);
			s += n;
			continue;
		}
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		case '\n': fputs(br ? "<br>" : " ", fp); break;
		default: fputc(*s, fp);
		}
		s++;
	}
}

void out_md_escape(FILE *fp, const char *s, int table)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '|': fputs(table ? "\\|" : "|", fp); break;
		case '\n': fputs(table ? "<br>" : "\n", fp); break;
		case '\r': if (!table) fputc(' ', fp); break;
		default: fputc(*s, fp);
		}
	}
}

void out_html_escape(FILE *fp, const char *s)
{
	out_markup_escape(fp, s, 1);
}

/* The stream filter: bytes pass to `to` with control characters replaced.
 * A sequence may arrive cut between two writes, so its first bytes wait in
 * pend. qda's own dimming of context lines in retrieve (SGR 2 and 0, which
 * can change nothing but the look of the text) is the one escape let
 * through. */
struct clean {
	FILE *to;
	char pend[8];
	size_t npend;
};

static const char *const kept[] = { "\033[2m", "\033[0m" };

static void shift(struct clean *c, size_t n)
{
	memmove(c->pend, c->pend + n, c->npend - n);
	c->npend -= n;
}

/* Write out what pend holds, but (unless final) a sequence that may still
 * be completed by the next bytes. */
static void drain(struct clean *c, int final)
{
	while (c->npend) {
		unsigned char b = (unsigned char)c->pend[0];
		if (b == 0x1b) {
			size_t k, wait = 0;
			for (k = 0; k < sizeof kept / sizeof kept[0]; k++) {
				size_t len = strlen(kept[k]);
				if (c->npend >= len && memcmp(c->pend, kept[k], len) == 0) {
					fputs(kept[k], c->to);
					shift(c, len);
					goto next;
				}
				if (c->npend < len && memcmp(c->pend, kept[k], c->npend) == 0)
					wait = 1;
			}
			if (wait && !final)
				return;
			fputs(REPLACEMENT, c->to);
			shift(c, 1);
		} else if (b == 0xC2) {
			if (c->npend < 2 && !final)
				return;
			if (c->npend >= 2 && (unsigned char)c->pend[1] >= 0x80 && (unsigned char)c->pend[1] <= 0x9F) {
				fputs(REPLACEMENT, c->to);
				shift(c, 2);
			} else {
				fputc(b, c->to);
				shift(c, 1);
			}
		} else {
			if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7f)
				fputs(REPLACEMENT, c->to);
			else
				fputc(b, c->to);
			shift(c, 1);
		}
	next:;
	}
}

static ssize_t clean_write(void *cookie, const char *buf, size_t n)
{
	struct clean *c = cookie;
	size_t i;
	for (i = 0; i < n;) {
		size_t k = i;
		/* a run of plain bytes goes out at once */
		while (!c->npend && k < n && (unsigned char)buf[k] >= 0x20 && (unsigned char)buf[k] != 0x7f &&
		       (unsigned char)buf[k] != 0xC2)
			k++;
		if (k > i) {
			fwrite(buf + i, 1, k - i, c->to);
			i = k;
			continue;
		}
		c->pend[c->npend++] = buf[i++];
		drain(c, 0);
	}
	/* straight on: nothing waits in this stream's buffer at exit */
	if (fflush(c->to) != 0 || ferror(c->to))
		return -1;
	return (ssize_t)n;
}

static int clean_close(void *cookie)
{
	struct clean *c = cookie;
	int rc;
	drain(c, 1);
	rc = fflush(c->to) != 0 || ferror(c->to) ? -1 : 0;
	free(c);
	return rc;
}

FILE *out_clean_stream(FILE *to)
{
	struct clean *c = xcalloc(1, sizeof *c);
	cookie_io_functions_t io = { NULL, clean_write, NULL, clean_close };
	FILE *fp;
	c->to = to;
	if (!(fp = fopencookie(c, "w", io)))
		die_nomem();
	return fp;
}
