/* text.c — UTF-8 checks, normalisation to the stored form (no BOM, LF, NFC),
 * folding for accent- and case-insensitive matching, display width. All of it
 * through utf8proc; positions elsewhere are code points, counted here. */
#include <errno.h>
#include <iconv.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

enum qda_status qda_text_check_utf8(const char *s, size_t len, size_t *bad_offset)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) {
			if (bad_offset)
				*bad_offset = i;
			return QDA_EINPUT;
		}
		i += (size_t)n;
	}
	return QDA_OK;
}

/* Whether NFC leaves a code point alone whatever surrounds it: no combining
 * class, no canonical decomposition that NFC keeps apart, never the second
 * of a composed pair. Conservative: Latin up to U+02FF, general punctuation
 * (not U+2000-2001, which NFC replaces), currency signs, variation
 * selectors and emoji. */
static int nfc_inert(int32_t cp)
{
	return cp < 0x300 || (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F300 && cp <= 0x1FAFF);
}

static int surely_nfc(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || !nfc_inert(cp))
			return 0;
		i += (size_t)n;
	}
	return 1;
}

/* NFC in bounded chunks, in time linear in the text. utf8proc_map orders
 * combining marks with a bubble sort, so a line of 80,000 alternating marks
 * took 30 s; here each chunk is decomposed code point by code point (as
 * utf8proc_map does), each run of non-starters is sorted stably by combining
 * class (merge sort: the canonical order, in n log n), and utf8proc composes
 * the result (its composition is one linear pass). A chunk ends before a code
 * point under U+0300 once NORM_CHUNK code points are read: such a code point
 * has combining class 0 and is never the second of a composed pair, so
 * nothing on either side of it changes the other. */
#define NORM_CHUNK 4096

struct nfc_buf {
	utf8proc_int32_t *cp, *tmp;
	size_t len, cap, tmp_cap;
};

static int nfc_grow(struct nfc_buf *nb, size_t need)
{
	utf8proc_int32_t *p;
	size_t cap = nb->cap ? nb->cap : 256;
	if (need <= nb->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (!(p = realloc(nb->cp, cap * sizeof *p)))
		return -1;
	nb->cp = p;
	nb->cap = cap;
	return 0;
}

static int ccc_of(utf8proc_int32_t c)
{
	return utf8proc_get_property(c)->combining_class;
}

/* Stable merge sort of r[0..n) by combining class, tmp as scratch. */
static void sort_marks(utf8proc_int32_t *r, utf8proc_int32_t *tmp, size_t n)
{
	size_t w, i;
	if (n < 2)
		return;
	if (n <= 16) { /* insertion sort: the usual case, a few marks */
		for (i = 1; i < n; i++) {
			utf8proc_int32_t c = r[i];
			int k = ccc_of(c);
			size_t j = i;
			while (j > 0 && ccc_of(r[j - 1]) > k) {
				r[j] = r[j - 1];
				j--;
			}
			r[j] = c;
		}
		return;
	}
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			size_t mid = i + w < n ? i + w : n, end = i + 2 * w < n ? i + 2 * w : n, a = i, b = mid, o = i;
			while (a < mid && b < end)
				tmp[o++] = ccc_of(r[b]) < ccc_of(r[a]) ? r[b++] : r[a++];
			while (a < mid)
				tmp[o++] = r[a++];
			while (b < end)
				tmp[o++] = r[b++];
		}
		memcpy(r, tmp, n * sizeof *r);
	}
}

/* s[0..len) (valid or not) as NFC, appended to out. */
static enum qda_status nfc_chunk(struct nfc_buf *nb, const char *s, size_t len, struct buf *out)
{
	utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	size_t i = 0, run;
	utf8proc_ssize_t n;
	int bound = 0;

	nb->len = 0;
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0)
			return QDA_EINPUT;
		i += (size_t)k;
		for (;;) {
			n = utf8proc_decompose_char(c, nb->cp + nb->len, (utf8proc_ssize_t)(nb->cap - nb->len), opt,
			                            &bound);
			if (n < 0)
				return QDA_EINPUT;
			if ((size_t)n <= nb->cap - nb->len)
				break;
			if (nfc_grow(nb, nb->len + (size_t)n))
				return QDA_ENOMEM;
		}
		nb->len += (size_t)n;
	}
	/* canonical order: each run of non-starters sorted by combining class */
	for (i = 0; i < nb->len; i += run ? run : 1) {
		for (run = 0; i + run < nb->len && ccc_of(nb->cp[i + run]); run++)
			;
		if (run > 1) {
			if (run > nb->tmp_cap) {
				utf8proc_int32_t *t = realloc(nb->tmp, run * sizeof *t);
				if (!t)
					return QDA_ENOMEM;
				nb->tmp = t;
				nb->tmp_cap = run;
			}
			sort_marks(nb->cp + i, nb->tmp, run);
		}
	}
	if (nb->len == 0)
		return QDA_OK;
	n = utf8proc_reencode(nb->cp, (utf8proc_ssize_t)nb->len, opt);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? QDA_ENOMEM : QDA_EINPUT;
	return buf_add(out, nb->cp, (size_t)n) ? QDA_ENOMEM : QDA_OK;
}

enum qda_status qda_text_normalize(const char *s, size_t len, char **out, size_t *outlen)
{
	struct buf b = {0}, o = {0};
	struct nfc_buf nb = {0};
	size_t i = 0;
	enum qda_status rc = QDA_ENOMEM;

	*out = NULL;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (buf_add(&b, NULL, 0))
		return QDA_ENOMEM;
	while (i < len) {
		const char *cr = memchr(s + i, '\r', len - i);
		size_t upto = cr ? (size_t)(cr - s) : len;
		if (buf_add(&b, s + i, upto - i))
			goto out;
		if (!cr)
			break;
		if (buf_addc(&b, '\n'))
			goto out;
		i = upto + 1;
		if (i < len && s[i] == '\n')
			i++;
	}
	/* Fast path: text made only of characters NFC never changes is already NFC. */
	if (surely_nfc(b.s, b.len)) {
		*outlen = b.len;
		*out = buf_take(&b);
		return *out ? QDA_OK : QDA_ENOMEM;
	}
	if (buf_add(&o, NULL, 0) || nfc_grow(&nb, NORM_CHUNK * 2))
		goto out;
	for (i = 0; i < b.len;) {
		size_t start = i, cps = 0;
		/* NORM_CHUNK code points, then on to the next code point under U+0300 */
		while (i < b.len) {
			unsigned char c = (unsigned char)b.s[i];
			if (cps >= NORM_CHUNK && (c < 0x80 || (c >= 0xC2 && c <= 0xCB))) /* U+0000-02FF */
				break;
			i++;
			while (i < b.len && ((unsigned char)b.s[i] & 0xC0) == 0x80)
				i++;
			cps++;
		}
		if ((rc = nfc_chunk(&nb, b.s + start, i - start, &o)) != QDA_OK)
			goto out;
	}
	rc = QDA_OK;
	*outlen = o.len;
	if (!(*out = buf_take(&o)))
		rc = QDA_ENOMEM;
out:
	free(nb.cp);
	free(nb.tmp);
	buf_free(&b);
	buf_free(&o);
	return rc;
}

char *qda_text_fold(const char *s, size_t len)
{
	utf8proc_uint8_t *r = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &r,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
	                                      UTF8PROC_STRIPMARK);
	if (n < 0)
		return NULL;
	return (char *)r;
}

int32_t qda_text_plain(int32_t c)
{
	switch (c) {
	case 0x2019: case 0x2018: case 0x201B: case 0x02BC: case 0x2032:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB: case 0x2039: case 0x203A:
	case 0x2033:
		return '"';
	}
	if (c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029)
		return ' ';
	if (c > 0x7F && utf8proc_category(c) == UTF8PROC_CATEGORY_ZS)
		return ' ';
	return c;
}

static size_t next_cp(const char *s, size_t n, int32_t *c)
{
	utf8proc_ssize_t k;
	if ((unsigned char)*s < 0x80) {
		*c = (unsigned char)*s;
		return 1;
	}
	k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, c);
	if (k <= 0) {
		*c = 0xFFFD;
		return 1;
	}
	return (size_t)k;
}

char *qda_text_match_form(const char *s, size_t n, int trim, size_t *outlen, size_t *from, size_t *to)
{
	char *o = malloc(n + 1);
	size_t i = 0, j = 0;
	int after_open = 0; /* the last character kept was « or ‹ */

	if (!o)
		return NULL;
	while (i < n) {
		int32_t c, p;
		size_t k = next_cp(s + i, n - i, &c);
		p = qda_text_plain(c);
		if (p == ' ') {
			size_t run = i;
			int32_t next = 0;
			while (i < n) {
				k = next_cp(s + i, n - i, &c);
				if (qda_text_plain(c) != ' ')
					break;
				i += k;
			}
			if (i < n)
				next_cp(s + i, n - i, &next);
			/* French typography sets « like this », English "like this" */
			if (after_open || next == 0x00BB || next == 0x203A || (trim && (j == 0 || i >= n)))
				continue;
			if (from)
				from[j] = run;
			if (to)
				to[j] = i;
			o[j++] = ' ';
			continue;
		}
		after_open = c == 0x00AB || c == 0x2039;
		if (p != c) {
			if (from)
				from[j] = i;
			if (to)
				to[j] = i + k;
			o[j++] = (char)p;
		} else {
			size_t m;
			for (m = 0; m < k; m++) {
				if (from)
					from[j + m] = i;
				if (to)
					to[j + m] = i + k;
			}
			memcpy(o + j, s + i, k);
			j += k;
		}
		i += k;
	}
	o[j] = '\0';
	*outlen = j;
	return o;
}

size_t qda_text_width(const char *s)
{
	size_t w = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			p++;
			w++;
			continue;
		}
		w += (size_t)utf8proc_charwidth(cp);
		p += n;
	}
	return w;
}

size_t qda_text_cplen(const char *s, size_t len)
{
	size_t n = 0, i;
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

size_t qda_text_cp_to_byte(const char *s, size_t len, size_t cp)
{
	size_t i, n = 0;
	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (n == cp)
				return i;
			n++;
		}
	}
	return len;
}

enum qda_status qda_text_convert(const char *s, size_t len, const char *encoding, char **out,
                                 size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", encoding);
	struct buf b = {0};
	char *in = (char *)s;
	size_t inleft = len;

	*out = NULL;
	if (cd == (iconv_t)-1)
		return QDA_EINVAL;
	while (inleft > 0) {
		char chunk[4096], *o = chunk;
		size_t oleft = sizeof chunk;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		if (buf_add(&b, chunk, sizeof chunk - oleft)) {
			iconv_close(cd);
			buf_free(&b);
			return QDA_ENOMEM;
		}
		if (r == (size_t)-1 && errno != E2BIG) {
			iconv_close(cd);
			buf_free(&b);
			return QDA_EINPUT;
		}
	}
	iconv_close(cd);
	*outlen = b.len;
	*out = buf_take(&b);
	return QDA_OK;
}

void qda_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	static const char digits[] = "0123456789abcdef";
	int i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof d, d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}
