/* refi_text.c — a REFI-QDA source's positions read as the tool that wrote
 * them counted (code points or UTF-16 units, a CRLF as one or two) and
 * brought to qda's code points on the stored text (LF, NFC). Never writes
 * to the project. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "refi.h"

const char *refi_reading_name(enum refi_reading r)
{
	static const char *const names[RD_N] = {
		"code points, CRLF as two", "code points, CRLF as one",
		"UTF-16 code units, CRLF as two", "UTF-16 code units, CRLF as one",
	};
	return names[r];
}

const char *refi_reading_key(enum refi_reading r)
{
	static const char *const keys[RD_N] = { "cp", "cp-crlf1", "utf16", "utf16-crlf1" };
	return keys[r];
}

void refi_text_free(struct refi_text *t)
{
	int r;
	if (!t)
		return;
	free(t->text);
	free(t->cp);
	for (r = 0; r < RD_N; r++)
		free(t->units[r]);
	free(t->mid);
	free(t->cl_start);
	free(t->cl_end);
	free(t->at_start);
	memset(t, 0, sizeof *t);
}

static int push_cp(uint32_t **v, size_t *n, size_t *cap, uint32_t c)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		uint32_t *p = realloc(*v, nc * sizeof *p);
		if (!p)
			return -1;
		*v = p;
		*cap = nc;
	}
	(*v)[(*n)++] = c;
	return 0;
}

/* One grapheme cluster mid[a..b) in NFC, appended to out. */
static int nfc_cluster(const uint32_t *mid, size_t a, size_t b, uint32_t **out, size_t *n, size_t *cap)
{
	utf8proc_uint8_t small[64], *buf = small, *res = NULL;
	utf8proc_ssize_t k, len = 0, rl;
	size_t i;
	if (b - a == 1 && mid[a] < 0x300)
		return push_cp(out, n, cap, mid[a]);
	if ((b - a) * 4 > sizeof small && !(buf = malloc((b - a) * 4)))
		return -1;
	for (i = a; i < b; i++)
		len += utf8proc_encode_char((utf8proc_int32_t)mid[i], buf + len);
	rl = utf8proc_map(buf, len, &res, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (buf != small)
		free(buf);
	if (rl < 0)
		return -1;
	for (k = 0; k < rl;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t s = utf8proc_iterate(res + k, rl - k, &c);
		if (s <= 0 || push_cp(out, n, cap, (uint32_t)c)) {
			free(res);
			return -1;
		}
		k += s;
	}
	free(res);
	return 0;
}

enum qda_status refi_text_new(struct qda *h, const char *loc, const char *bytes, size_t len, struct refi_text *t)
{
	uint32_t *raw = NULL, *mid = NULL;
	size_t n_raw = 0, cap_raw = 0, i, cap = 0, m, bad;
	struct buf b = { 0 };
	int r;

	memset(t, 0, sizeof *t);
	if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3)) {
		bytes += 3;
		len -= 3;
	}
	if (qda_text_check_utf8(bytes, len, &bad) != QDA_OK)
		return seterr_at(h, QDA_EINPUT, loc, "not UTF-8 at byte %zu; REFI-QDA text sources are UTF-8", bad);
	for (i = 0; i < len;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t s = utf8proc_iterate((const utf8proc_uint8_t *)bytes + i, (utf8proc_ssize_t)(len - i), &c);
		if (s <= 0)
			return seterr_at(h, QDA_EINPUT, loc, "not UTF-8 at byte %zu", i);
		/* control characters are no text: a space each (a form feed a line
		 * break), as qda import does, so positions stay */
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			c = c == '\f' ? '\n' : ' ';
		if (push_cp(&raw, &n_raw, &cap_raw, (uint32_t)c))
			goto nomem;
		i += (size_t)s;
	}
	/* a BOM the tool kept inside (a UTF-16 file converted) is not counted either */
	if (n_raw && raw[0] == 0xFEFF) {
		memmove(raw, raw + 1, (n_raw - 1) * sizeof *raw);
		n_raw--;
	}
	t->n_raw = n_raw;
	for (r = 0; r < RD_N; r++)
		if (!(t->units[r] = malloc((n_raw + 1) * sizeof(long))))
			goto nomem;
	if (!(t->mid = malloc((n_raw + 1) * sizeof(long))) || !(mid = malloc((n_raw + 1) * sizeof *mid)))
		goto nomem;
	{
		long u[RD_N] = { 0 };
		for (i = 0, m = 0; i < n_raw; i++) {
			int crlf_cr = raw[i] == '\r' && i + 1 < n_raw && raw[i + 1] == '\n';
			int crlf_lf = raw[i] == '\n' && i > 0 && raw[i - 1] == '\r';
			for (r = 0; r < RD_N; r++) {
				t->units[r][i] = u[r];
				if (crlf_lf && (r == RD_CP_CRLF1 || r == RD_U16_CRLF1))
					continue;
				u[r] += (r == RD_U16 || r == RD_U16_CRLF1) && raw[i] > 0xFFFF ? 2 : 1;
			}
			if (raw[i] > 0xFFFF)
				t->astral = 1;
			t->mid[i] = (long)m;
			if (crlf_cr) {
				t->crlf = 1;
				continue; /* the LF that follows stands for both */
			}
			mid[m++] = raw[i] == '\r' ? '\n' : raw[i];
		}
		for (r = 0; r < RD_N; r++)
			t->units[r][n_raw] = u[r];
		t->mid[n_raw] = (long)m;
		t->n_mid = m;
	}
	if (!(t->cl_start = malloc((m + 1) * sizeof(long))) || !(t->cl_end = malloc((m + 1) * sizeof(long))) ||
	    !(t->at_start = calloc(m + 1, 1)))
		goto nomem;
	{
		size_t a = 0, j;
		utf8proc_int32_t state = 0;
		while (a < m) {
			size_t e = a + 1, before = t->n_cp;
			while (e < m && !utf8proc_grapheme_break_stateful((utf8proc_int32_t)mid[e - 1],
			                                                   (utf8proc_int32_t)mid[e], &state))
				e++;
			state = 0;
			if (nfc_cluster(mid, a, e, &t->cp, &t->n_cp, &cap))
				goto nomem;
			t->at_start[a] = 1;
			for (j = a; j < e; j++) {
				t->cl_start[j] = (long)before;
				t->cl_end[j] = (long)t->n_cp;
			}
			a = e;
		}
		t->cl_start[m] = t->cl_end[m] = (long)t->n_cp;
		t->at_start[m] = 1;
	}
	for (i = 0; i < t->n_cp; i++) {
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)t->cp[i], enc);
		buf_add(&b, enc, (size_t)k);
	}
	buf_addc(&b, '\0');
	if (b.failed)
		goto nomem;
	t->len = b.len - 1;
	t->text = buf_take(&b);
	free(raw);
	free(mid);
	return QDA_OK;
nomem:
	free(raw);
	free(mid);
	buf_free(&b);
	refi_text_free(t);
	return seterr(h, QDA_ENOMEM, "out of memory");
}

long refi_text_units(const struct refi_text *t, enum refi_reading r)
{
	return t->units[r][t->n_raw];
}

long refi_text_pos(const struct refi_text *t, enum refi_reading r, long u, int end)
{
	const long *v = t->units[r];
	size_t lo = 0, hi = t->n_raw + 1, i;
	long m;
	if (u < 0 || u > v[t->n_raw])
		return -1;
	/* the last raw index at unit u: a CRLF counted as one ends after its LF */
	while (lo < hi) {
		size_t mi = lo + (hi - lo) / 2;
		if (v[mi] <= u)
			lo = mi + 1;
		else
			hi = mi;
	}
	i = lo - 1;
	if (v[i] != u)
		return -2;
	m = t->mid[i];
	if (t->at_start[m])
		return t->cl_start[m];
	return end ? t->cl_end[m] : t->cl_start[m];
}

static int word_char(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO) || c == '\'' || c == 0x2019;
}

int refi_text_fits(const struct refi_text *t, long s, long e)
{
	if (s < 0 || e <= s || (size_t)e > t->n_cp)
		return 0;
	if (s > 0 && word_char(t->cp[s - 1]) && word_char(t->cp[s]))
		return 0;
	if ((size_t)e < t->n_cp && word_char(t->cp[e - 1]) && word_char(t->cp[e]))
		return 0;
	return 1;
}
