/* test_text.c — unit tests of core/text.c: UTF-8 checks, normalisation to
 * the stored form, folding, display width, code point offsets, SHA-256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <utf8proc.h>

#include "qda.h"

static void check_utf8_reports_byte_offset(void **state)
{
	size_t bad = 0;
	const char s[] = "caf\xC3\xA9 \xE9t\xE9";
	assert_int_equal(qda_text_check_utf8(s, strlen(s), &bad), QDA_EINPUT);
	assert_int_equal(bad, 6);
	assert_int_equal(qda_text_check_utf8("écoute", strlen("écoute"), &bad), QDA_OK);
}

static void normalize_strips_bom_crlf_and_composes(void **state)
{
	/* BOM, "e" + combining acute (NFD), CRLF and a lone CR. */
	const char s[] = "\xEF\xBB\xBF" "e\xCC\x81" "coute\r\nfin\rX";
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(qda_text_normalize(s, strlen(s), &out, &len), QDA_OK);
	assert_string_equal(out, "\xC3\xA9" "coute\nfin\nX");
	assert_int_equal(len, strlen("\xC3\xA9" "coute\nfin\nX"));
	free(out);
}

static void check_nfc(const char *in, const char *want)
{
	char *out;
	size_t len;
	assert_int_equal(qda_text_normalize(in, strlen(in), &out, &len), QDA_OK);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

/* The fast path (text NFC leaves alone) and what it must not skip. */
static void normalize_fast_path_and_its_limits(void **state)
{
	check_nfc("l\u2019\u00e9coute \u2014 \U0001F600 \u00ab oui \u00bb \u20ac", "l\u2019\u00e9coute \u2014 \U0001F600 \u00ab oui \u00bb \u20ac");
	check_nfc("e\u0301t\u00e9", "\u00e9t\u00e9");          /* a combining accent composes */
	check_nfc("\u2126 ohm", "\u03a9 ohm");                   /* a singleton is replaced */
	check_nfc("\u2000 quad", "\u2002 quad");                 /* so is U+2000 */
	check_nfc("\u1100\u1161", "\uac00");                     /* Hangul jamo compose */
}

/* s as utf8proc_map makes it NFC in one piece: the reference. */
static char *nfc_whole(const char *s, size_t len, size_t *n)
{
	utf8proc_uint8_t *r = NULL;
	utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &r,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	assert_true(k >= 0);
	*n = (size_t)k;
	return (char *)r;
}

static size_t put_cp(char *p, int32_t c)
{
	return (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)p);
}

/* Chunked NFC (qda_text_normalize) equals utf8proc's whole-text NFC on
 * random texts made of what reorders and composes: letters, Latin-1,
 * combining marks of several classes in runs long and short, Hangul jamo,
 * Greek with its accents, and chunk boundaries (ASCII) between them. */
static void normalize_chunked_equals_whole(void **state)
{
	static const int32_t pool[] = {
		'a', 'e', 'o', ' ', 'Z', 0xE9, 0xC5, 0x2C6,                 /* starters, boundaries */
		0x301, 0x316, 0x327, 0x328, 0x308, 0x31B, 0x345, 0x35C,     /* marks, classes 202-234 */
		0x1100, 0x1161, 0x11A8, 0xAC00,                             /* Hangul L, V, T, LV */
		0x3B1, 0x313, 0x342, 0x1F00,                                /* Greek */
		0x0B47, 0x0B3E, 0x0B57,                                     /* Oriya: a starter composes */
		0x2126, 0x212B, 0xF900, 0x1E0A, 0x323,                      /* singletons, dot below */
	};
	size_t npool = sizeof pool / sizeof pool[0], t;
	unsigned seed = 16;
	char *s = malloc(40000 * 4 + 1);
	assert_non_null(s);
	for (t = 0; t < 200; t++) {
		size_t len = 0, n = t < 20 ? 30000 : 1 + (size_t)(rand_r(&seed) % 300), k, wl, ol;
		char *want, *out = NULL;
		for (k = 0; k < n; k++) {
			int32_t c = pool[rand_r(&seed) % npool];
			if (t % 3 == 0 && rand_r(&seed) % 50 == 0) { /* a long run of marks */
				size_t r = rand_r(&seed) % 2000;
				while (r-- && k < n) {
					len += put_cp(s + len, rand_r(&seed) % 2 ? 0x301 : 0x316);
					k++;
				}
				continue;
			}
			len += put_cp(s + len, c);
		}
		want = nfc_whole(s, len, &wl);
		assert_int_equal(qda_text_normalize(s, len, &out, &ol), QDA_OK);
		assert_int_equal(ol, wl);
		assert_memory_equal(out, want, wl);
		free(out);
		free(want);
	}
	free(s);
}

/* 80,000 combining marks of two classes in one run: ordered as NFC orders
 * them (every U+0316, class 220, before every U+0301, class 230, after the
 * base letter, which composes with the first U+0301 only if no U+0316 lies
 * between: here one does). */
static void normalize_long_run_of_marks(void **state)
{
	size_t len = 0, k, ol;
	char *s = malloc(1 + 80000 * 2 + 1), *out = NULL;
	assert_non_null(s);
	s[len++] = 'a';
	for (k = 0; k < 80000; k++)
		len += put_cp(s + len, k % 2 ? 0x301 : 0x316);
	assert_int_equal(qda_text_normalize(s, len, &out, &ol), QDA_OK);
	/* a + U+0316 x 40,000 + U+0301 x 40,000 composes to U+00E1 only if the
	 * U+0301 is not blocked; the U+0316 (lower class) do not block it */
	assert_int_equal(ol, 2 + 40000 * 2 + 39999 * 2);
	assert_memory_equal(out, "\xC3\xA1", 2);
	for (k = 0; k < 40000; k++)
		assert_memory_equal(out + 2 + 2 * k, "\xCC\x96", 2);
	for (k = 0; k < 39999; k++)
		assert_memory_equal(out + 2 + 80000 + 2 * k, "\xCC\x81", 2);
	free(out);
	free(s);
}

static void normalize_empty_and_ascii(void **state)
{
	char *out = NULL;
	size_t len = 7;
	assert_int_equal(qda_text_normalize("", 0, &out, &len), QDA_OK);
	assert_string_equal(out, "");
	assert_int_equal(len, 0);
	free(out);
	assert_int_equal(qda_text_normalize("a\r\n", 3, &out, &len), QDA_OK);
	assert_string_equal(out, "a\n");
	free(out);
}

static void fold_strips_case_and_accents(void **state)
{
	char *f = qda_text_fold("Écoute ÇA", strlen("Écoute ÇA"));
	assert_string_equal(f, "ecoute ca");
	free(f);
	f = qda_text_fold("Maëlle", strlen("Maëlle"));
	assert_string_equal(f, "maelle");
	free(f);
}

static void width_counts_wide_characters_twice(void **state)
{
	assert_int_equal(qda_text_width("Émilie"), 6);
	assert_int_equal(qda_text_width("Ghislaine"), 9);
	assert_int_equal(qda_text_width("日本"), 4);
	assert_int_equal(qda_text_width(""), 0);
}

static void code_points_and_byte_offsets(void **state)
{
	const char *s = "é😀a"; /* 2 + 4 + 1 bytes, 3 code points */
	assert_int_equal(qda_text_cplen(s, strlen(s)), 3);
	assert_int_equal(qda_text_cp_to_byte(s, strlen(s), 0), 0);
	assert_int_equal(qda_text_cp_to_byte(s, strlen(s), 1), 2);
	assert_int_equal(qda_text_cp_to_byte(s, strlen(s), 2), 6);
	assert_int_equal(qda_text_cp_to_byte(s, strlen(s), 3), 7);
}

static void convert_cp1252(void **state)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(qda_text_convert("\xE9t\xE9 \x80", 5, "CP1252", &out, &len), QDA_OK);
	assert_string_equal(out, "été €");
	free(out);
}

static void sha256_of_abc(void **state)
{
	char hex[65];
	qda_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_utf8_reports_byte_offset),
		cmocka_unit_test(normalize_strips_bom_crlf_and_composes),
		cmocka_unit_test(normalize_empty_and_ascii),
		cmocka_unit_test(normalize_fast_path_and_its_limits),
		cmocka_unit_test(normalize_chunked_equals_whole),
		cmocka_unit_test(normalize_long_run_of_marks),
		cmocka_unit_test(fold_strips_case_and_accents),
		cmocka_unit_test(width_counts_wide_characters_twice),
		cmocka_unit_test(code_points_and_byte_offsets),
		cmocka_unit_test(convert_cp1252),
		cmocka_unit_test(sha256_of_abc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
