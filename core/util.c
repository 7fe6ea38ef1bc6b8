/* util.c — small helpers every core module uses: a growable buffer and
 * reading a whole file with a bound. No terminal output, no exit(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->failed)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *s;
		while (cap < b->len + n + 1)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s) {
			b->failed = 1;
			return -1;
		}
		b->s = s;
		b->cap = cap;
	}
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[256], *tmp;

	if (b->failed)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return -1;
	}
	if ((size_t)n < sizeof small)
		return buf_add(b, small, (size_t)n);
	if (!(tmp = malloc((size_t)n + 1))) {
		b->failed = 1;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(tmp, (size_t)n + 1, fmt, ap);
	va_end(ap);
	n = buf_add(b, tmp, (size_t)n);
	free(tmp);
	return n;
}

int buf_add_word(struct buf *b, const char *s)
{
	const char *p;
	int plain = *s != '\0';
	for (p = s; *p && plain; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      (unsigned char)*p >= 0x80 || strchr("._-+/@:=", *p)))
			plain = 0;
	if (plain)
		return buf_adds(b, s);
	if (buf_addc(b, '\''))
		return -1;
	for (p = s; *p; p++)
		if (*p == '\'' ? buf_adds(b, "'\\''") : buf_addc(b, *p))
			return -1;
	return buf_addc(b, '\'');
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

char *buf_take(struct buf *b)
{
	char *s = b->s;
	if (b->failed) {
		free(s);
		s = NULL;
	} else if (!s) {
		s = calloc(1, 1);
	}
	b->s = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
	return s;
}

char *loc_at(const char *path, size_t line, size_t col)
{
	struct buf b = { 0 };
	if (col)
		buf_addf(&b, "%s:%zu:%zu", path, line, col);
	else
		buf_addf(&b, "%s:%zu", path, line);
	return buf_take(&b);
}

size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* back off over continuation bytes to the start of the character cut */
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

enum qda_status read_file(struct qda *h, const char *path, size_t max, char **out, size_t *len)
{
	FILE *fp;
	struct stat sb;
	char *data = NULL;
	size_t n = 0, cap;

	*out = NULL;
	*len = 0;
	if (stat(path, &sb) != 0)
		return seterr_at(h, QDA_EINPUT, path, "cannot read the file: %s; check the path", strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return seterr_at(h, QDA_EINPUT, path, "is a directory; give the files inside it (e.g. %s/*)", path);
	if (max && (size_t)sb.st_size > max)
		return seterr_at(h, QDA_EINPUT, path, "the file is %lld bytes; qda reads files of this kind up to %zu MiB "
		                 "(%zu bytes)", (long long)sb.st_size, max >> 20, max);
	fp = fopen(path, "rb");
	if (!fp)
		return seterr_at(h, QDA_EINPUT, path, "cannot open the file: %s", strerror(errno));
	/* room for the NUL and one byte more, so the read that finds the end
	 * of a file of the size stat gave does not first double the buffer */
	cap = sb.st_size > 0 ? (size_t)sb.st_size + 2 : 4096;
	data = malloc(cap);
	if (!data) {
		fclose(fp);
		return seterr(h, QDA_ENOMEM, "out of memory reading %s", path);
	}
	for (;;) {
		size_t got;
		if (n + 1 >= cap) {
			char *d = realloc(data, cap * 2);
			if (!d) {
				free(data);
				fclose(fp);
				return seterr(h, QDA_ENOMEM, "out of memory reading %s", path);
			}
			data = d;
			cap *= 2;
		}
		got = fread(data + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		free(data);
		fclose(fp);
		return seterr_at(h, QDA_EIO, path, "read error: %s", strerror(errno));
	}
	fclose(fp);
	data[n] = '\0';
	*out = data;
	*len = n;
	return QDA_OK;
}

enum qda_status qda_text_check_input(struct qda *h, const char *what, const char *s)
{
	size_t bad;
	if (s && qda_text_check_utf8(s, strlen(s), &bad) != QDA_OK)
		return seterr(h, QDA_EINPUT, "%s is not valid UTF-8 (byte %zu); give it in UTF-8 (iconv converts text)",
		              what, bad + 1);
	return QDA_OK;
}
