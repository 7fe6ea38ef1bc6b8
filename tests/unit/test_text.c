/* test_text.c — unit tests of core/text.c: UTF-8 checks, normalisation to
 * the stored form, folding, display width, code point offsets, SHA-256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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
		cmocka_unit_test(fold_strips_case_and_accents),
		cmocka_unit_test(width_counts_wide_characters_twice),
		cmocka_unit_test(code_points_and_byte_offsets),
		cmocka_unit_test(convert_cp1252),
		cmocka_unit_test(sha256_of_abc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
