/* test_csv.c — unit tests of core/csv.c, the one strict CSV reader: values
 * and where they start, quotes, line ends, BOM, the header's width, the
 * delimiter check, and every error located at the place to correct. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "internal.h"

static char file[256];
static struct qda h;

static void write_csv(const char *data, size_t len)
{
	FILE *fp;
	snprintf(file, sizeof file, "/tmp/qda-test-csv-%d.csv", (int)getpid());
	fp = fopen(file, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static struct csv_reader *open_csv(const char *data, char delim)
{
	struct csv_reader *r = NULL;
	write_csv(data, strlen(data));
	memset(&h, 0, sizeof h);
	assert_int_equal(csv_open(&h, file, delim, &r), QDA_OK);
	return r;
}

/* The error of opening data (or reading it to the end): "LOC: MSG". */
static const char *error_of(const char *data, size_t len, char delim)
{
	static char out[4096];
	struct csv_reader *r = NULL;
	struct csv_record rec;
	enum qda_status st;
	write_csv(data, len);
	memset(&h, 0, sizeof h);
	st = csv_open(&h, file, delim, &r);
	while (st == QDA_OK && (st = csv_next(r, &rec)) == QDA_OK && rec.n)
		;
	csv_close(r);
	assert_int_not_equal(st, QDA_OK);
	snprintf(out, sizeof out, "%s: %s", h.errloc, h.errmsg);
	return out;
}

static void assert_field(const struct csv_record *rec, size_t i, const char *s, long line, long col)
{
	assert_true(i < rec->n);
	assert_string_equal(rec->f[i].s, s);
	assert_int_equal(rec->f[i].len, strlen(s));
	assert_int_equal(rec->f[i].line, line);
	assert_int_equal(rec->f[i].col, col);
}

static void values_positions_quotes_and_line_ends(void **state)
{
	struct csv_reader *r = open_csv("\xEF\xBB\xBF" "a, b ,\"c,d\"\r\n"
	                                "\"x\"\"y\", \"l1\r\nl2\" ,\xC3\xA9t\xC3\xA9\n"
	                                "\n   \r\n"
	                                "\xC3\xA9,,last", 0);
	struct csv_record rec;

	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.line, 1);
	assert_field(&rec, 0, "a", 1, 1);
	assert_field(&rec, 1, "b", 1, 3);
	assert_field(&rec, 2, "c,d", 1, 7);

	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.wide, 0);
	assert_field(&rec, 0, "x\"y", 2, 1);
	assert_field(&rec, 1, "l1\nl2", 2, 8); /* CRLF inside quotes is LF */
	assert_field(&rec, 2, "\xC3\xA9t\xC3\xA9", 3, 6);
	assert_int_equal(rec.end_line, 3);
	assert_int_equal(rec.end_col, 9);

	/* blank lines (and one of spaces) are skipped; columns count code points */
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.line, 6);
	assert_field(&rec, 0, "\xC3\xA9", 6, 1);
	assert_field(&rec, 1, "", 6, 3);
	assert_field(&rec, 2, "last", 6, 4);

	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 0);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 0);
	csv_close(r);
	unlink(file);
}

static void a_lone_cr_ends_a_line(void **state)
{
	struct csv_reader *r = open_csv("a,b\rc,d\r", 0);
	struct csv_record rec;
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_field(&rec, 1, "d", 2, 3);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 0);
	csv_close(r);
	unlink(file);
}

static void a_wide_row_is_an_error_reading_goes_on(void **state)
{
	struct csv_reader *r = open_csv("a,b\n1,2,3\n4,5\n", 0);
	struct csv_record rec;
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_EINPUT);
	assert_int_equal(rec.wide, 1);
	assert_int_equal(rec.n, 3);
	assert_string_equal(h.errmsg, "row has 3 fields but the header has 2; quote a field that contains a comma");
	assert_non_null(strstr(h.errloc, ".csv:2:5"));
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.wide, 0);
	assert_field(&rec, 1, "5", 3, 3);
	csv_close(r);
	unlink(file);
}

static void tab_and_semicolon_delimiters(void **state)
{
	struct csv_reader *r = open_csv("a\tb\n x \t\"y\tz\"\n", '\t');
	struct csv_record rec;
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 2);
	assert_field(&rec, 0, "x", 2, 1);
	assert_field(&rec, 1, "y\tz", 2, 5);
	csv_close(r);
	r = open_csv("a;b\n1,5;2\n", ';');
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_field(&rec, 0, "1,5", 2, 1);
	csv_close(r);
	/* a ';' inside a quoted column name does not make the file ';'-separated */
	r = open_csv("\"a;b\",c\n", 0);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_field(&rec, 0, "a;b", 1, 1);
	csv_close(r);
	unlink(file);
}

#define ERR(s) error_of(s, sizeof(s) - 1, 0)

static void assert_error(const char *got, const char *loc, const char *msg)
{
	char want[4096];
	snprintf(want, sizeof want, "%s%s: %s", file, loc, msg);
	assert_string_equal(got, want);
}

static void errors_are_located_where_to_correct(void **state)
{
	assert_error(ERR("a,b\n1,\"open\n2,3\n"), ":2:3",
	             "this quoted field is never closed; add the closing \" (a \" inside a quoted field is written \"\")");
	assert_error(ERR("a,b\n1,\"open\n2,\"x\"\n"), ":2:3",
	             "this quoted field runs on to line 3, where a quote ends it before other text; add the closing \" "
	             "where the field ends (a \" inside a quoted field is written \"\")");
	assert_error(ERR("a,b\n1,\"x\"y\n"), ":2:6",
	             "malformed CSV: text after the closing quote of a field; a \" inside a quoted field is written \"\"");
	assert_error(ERR("a,b\n1,pat\"ient\n"), ":2:6",
	             "malformed CSV: a quote inside a field that does not start with one; put the whole field in quotes "
	             "and write each \" in it as \"\"");
	assert_error(ERR("a;b;c\n"), ":1:1",
	             "this file is separated by ';' (as French Excel writes CSV); pass --delimiter ';' or export with "
	             "commas");
	assert_error(ERR("\n\na\tb\n"), ":3:1", "this file is separated by tabs; pass --delimiter tab or export with commas");
	assert_error(error_of("a,b\n", 4, ';'), ":1:1",
	             "this file is separated by ','; leave out --delimiter ';' (a comma is the default)");
	assert_error(ERR("\xFF\xFE" "a\0,\0"), ":1:1",
	             "this file is UTF-16 (as Excel's \"Unicode Text\" writes it); save it as \"CSV UTF-8\"");
	assert_error(ERR("a,b\n1,x\0y\n"), ":2:4",
	             "a NUL byte (byte 7); this is not a text file: save it as \"CSV UTF-8\" from the spreadsheet");
}

static void invalid_utf8_is_located_at_its_character(void **state)
{
	const char *hint = "the file is in another encoding: save it as \"CSV UTF-8\" from the spreadsheet";
	char msg[300];
	snprintf(msg, sizeof msg, "invalid UTF-8 at byte 7 (byte 0xE9); %s", hint);
	assert_error(ERR("a,b\n\xC3\xA9,\xE9t\xE9\n"), ":2:3", msg);       /* latin1 */
	snprintf(msg, sizeof msg, "invalid UTF-8 at byte 6 (byte 0xC0); %s", hint);
	assert_error(ERR("a,b\n1,\xC0\x80\n"), ":2:3", msg);               /* overlong NUL */
	snprintf(msg, sizeof msg, "invalid UTF-8 at byte 6 (byte 0xED); %s", hint);
	assert_error(ERR("a,b\n1,\xED\xA0\x80\n"), ":2:3", msg);           /* a surrogate */
	snprintf(msg, sizeof msg, "invalid UTF-8 at byte 6 (byte 0xF0); %s", hint);
	assert_error(ERR("a,b\n1,\xF0\x9F\x98"), ":2:3", msg);             /* cut at the end */
}

/* Line ends, doubled quotes and characters split across the 64 KiB reads. */
static void records_across_read_boundaries(void **state)
{
	size_t n = 200000, len = 0, i;
	char *data = malloc(n);
	long rows = 0, line = 2;
	struct csv_reader *r = NULL;
	struct csv_record rec;

	assert_non_null(data);
	len += (size_t)sprintf(data + len, "k,v\r\n");
	for (i = 0; len < n - 100; i++)
		len += (size_t)sprintf(data + len, "%zu,\"\xC3\xA9\"\"\r\n%zu\"\r\n", i, i);
	write_csv(data, len);
	memset(&h, 0, sizeof h);
	assert_int_equal(csv_open(&h, file, 0, &r), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	while (csv_next(r, &rec) == QDA_OK && rec.n) {
		char want[64];
		snprintf(want, sizeof want, "\xC3\xA9\"\n%ld", rows);
		assert_int_equal(rec.n, 2);
		assert_int_equal(strtol(rec.f[0].s, NULL, 10), rows);
		assert_string_equal(rec.f[1].s, want);
		assert_int_equal(rec.line, line);
		assert_int_equal(rec.f[1].col, (long)strlen(rec.f[0].s) + 2);
		line += 2;
		rows++;
	}
	assert_int_equal(rows, (long)i);
	assert_int_equal(h.errmsg[0], '\0');
	csv_close(r);
	free(data);
	unlink(file);
}

/* Edges where libcsv, which parses, could differ from RFC 4180 as qda reads
 * it: blanks, line ends inside and outside quotes, the last line. */
static void blank_fields_and_the_last_line(void **state)
{
	struct csv_reader *r = open_csv("a,b,c\n  ,\t,\" \"\n\"x\"  ,\t\"y\" ,1,", 0);
	struct csv_record rec;

	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 3);
	assert_field(&rec, 0, "", 2, 1);      /* only blanks: empty */
	assert_field(&rec, 1, "", 2, 4);
	assert_field(&rec, 2, " ", 2, 6);     /* blanks in quotes are kept */
	assert_int_equal(rec.end_line, 2);
	assert_int_equal(rec.end_col, 9);
	/* blanks around quotes dropped; the last line has no line end and ends
	 * with an empty field: a wide row, read to the end of the file */
	assert_int_equal(csv_next(r, &rec), QDA_EINPUT);
	assert_int_equal(rec.wide, 1);
	assert_int_equal(rec.n, 4);
	assert_field(&rec, 0, "x", 3, 1);
	assert_field(&rec, 1, "y", 3, 7);
	assert_field(&rec, 2, "1", 3, 13);
	assert_field(&rec, 3, "", 3, 15);
	assert_int_equal(rec.end_line, 3);
	assert_int_equal(rec.end_col, 15);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 0);
	csv_close(r);

	/* the last line without a line end, ending in a quoted value */
	r = open_csv("a,b\n1,\"v\"", 0);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_field(&rec, 1, "v", 2, 3);
	assert_int_equal(rec.end_line, 2);
	assert_int_equal(rec.end_col, 6);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 0);
	csv_close(r);

	/* with a tab delimiter, a tab is no blank: a leading one ends a field */
	r = open_csv("a\tb\n\tx \n", '\t');
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 2);
	assert_field(&rec, 0, "", 2, 1);
	assert_field(&rec, 1, "x", 2, 2);
	csv_close(r);
	unlink(file);
}

static void line_breaks_in_quotes_are_lf(void **state)
{
	struct csv_reader *r = open_csv("a,b\r1,\"x\ry\r\r\nz\n\"\r2,w", 0);
	struct csv_record rec;

	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.end_line, 1);
	assert_int_equal(rec.end_col, 4);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.line, 2);
	assert_field(&rec, 1, "x\ny\n\nz\n", 2, 3); /* CR, CR, CRLF, LF: four lines */
	assert_int_equal(rec.end_line, 6);
	assert_int_equal(rec.end_col, 2);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_field(&rec, 0, "2", 7, 1);
	assert_field(&rec, 1, "w", 7, 3);
	csv_close(r);
	unlink(file);
}

static void errors_at_the_end_of_the_file(void **state)
{
	assert_error(ERR("a,b\n1,\"x\"y"), ":2:6",
	             "malformed CSV: text after the closing quote of a field; a \" inside a quoted field is written \"\"");
	assert_error(ERR("a,b\n1,\"x\" \"y\"\n"), ":2:7",
	             "malformed CSV: text after the closing quote of a field; a \" inside a quoted field is written \"\"");
	assert_error(ERR("a,b\n1,  \"x"), ":2:5",
	             "this quoted field is never closed; add the closing \" (a \" inside a quoted field is written \"\")");
	/* a character cut by the end of the file comes before the open quote */
	assert_error(ERR("a,b\n1,\"x\xC3"), ":2:5",
	             "invalid UTF-8 at byte 8 (byte 0xC3); the file is in another encoding: save it as \"CSV UTF-8\" from "
	             "the spreadsheet");
	/* the first error in the file is the one reported */
	assert_error(ERR("a,b\n1,x\"\xFF\n"), ":2:4",
	             "malformed CSV: a quote inside a field that does not start with one; put the whole field in quotes "
	             "and write each \" in it as \"\"");
	assert_error(ERR("a,b\n1,x\xFF\"\n"), ":2:4",
	             "invalid UTF-8 at byte 7 (byte 0xFF); the file is in another encoding: save it as \"CSV UTF-8\" from "
	             "the spreadsheet");
}

/* A value longer than the 64 KiB reads and libcsv's first buffer. */
static void a_long_value_across_reads(void **state)
{
	size_t n = 300000, len = 0, wlen = 0, i;
	char *data = malloc(n + 100), *want = malloc(n);
	struct csv_reader *r = NULL;
	struct csv_record rec;
	long lines = 0;

	assert_non_null(data);
	assert_non_null(want);
	len += (size_t)sprintf(data, "k,v,w\n1,\"");
	for (i = 0; i < n / 10; i++) {
		/* a doubled quote, a delimiter and a CRLF in quotes, or a tab and a CR */
		memcpy(data + len, i % 7 ? "ab \"\"\xC3\xA9,\r\n" : "ab \"\"\xC3\xA9;\t\r", 10);
		memcpy(want + wlen, i % 7 ? "ab \"\xC3\xA9,\n" : "ab \"\xC3\xA9;\t\n", i % 7 ? 8 : 9);
		len += 10;
		wlen += i % 7 ? 8 : 9;
		lines++;
	}
	want[wlen] = '\0';
	len += (size_t)sprintf(data + len, "\",z\n");
	write_csv(data, len);
	memset(&h, 0, sizeof h);
	assert_int_equal(csv_open(&h, file, 0, &r), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.f[1].len, wlen);
	assert_string_equal(rec.f[1].s, want);
	assert_field(&rec, 2, "z", 2 + lines, 3);
	assert_int_equal(csv_next(r, &rec), QDA_OK);
	assert_int_equal(rec.n, 0);
	csv_close(r);
	free(want);
	free(data);
	unlink(file);
}

/* A record's values may add up to 64 MiB (67108864 bytes), not one byte
 * more: at the limit it is read whole, one past it is refused at the row. */
static void a_record_at_the_limit_and_one_past(void **state)
{
	const size_t max = (size_t)64 << 20;
	size_t pass;
	(void)state;
	for (pass = 0; pass < 2; pass++) {
		size_t len = 0, n = max - 2 + pass; /* "x..x" quoted, then "yz" */
		char *data = malloc(n + 64);
		struct csv_reader *r = NULL;
		struct csv_record rec;
		enum qda_status st;
		assert_non_null(data);
		len += (size_t)sprintf(data, "k,v\n\"");
		memset(data + len, 'x', n);
		len += n;
		len += (size_t)sprintf(data + len, "\",yz\n");
		write_csv(data, len);
		free(data);
		memset(&h, 0, sizeof h);
		assert_int_equal(csv_open(&h, file, 0, &r), QDA_OK);
		assert_int_equal(csv_next(r, &rec), QDA_OK);
		st = csv_next(r, &rec);
		if (pass == 0) {
			assert_int_equal(st, QDA_OK);
			assert_int_equal(rec.n, 2);
			assert_int_equal(rec.f[0].len + rec.f[1].len, max);
			assert_field(&rec, 1, "yz", 2, (long)n + 4);
		} else {
			char want[512];
			assert_int_equal(st, QDA_EINPUT);
			snprintf(want, sizeof want, "%s:2:1", file);
			assert_string_equal(h.errloc, want);
			assert_string_equal(h.errmsg, "a row whose values add up to more than 64 MiB (67108864 bytes); is "
			                              "this a CSV file?");
		}
		csv_close(r);
		unlink(file);
	}
}

static void a_missing_file_or_a_directory(void **state)
{
	struct csv_reader *r = (struct csv_reader *)&h;
	memset(&h, 0, sizeof h);
	assert_int_equal(csv_open(&h, "/nonexistent/x.csv", 0, &r), QDA_EINPUT);
	assert_null(r);
	assert_string_equal(h.errmsg, "cannot read the file: No such file or directory; check the path");
	assert_int_equal(csv_open(&h, "/tmp", 0, &r), QDA_EINPUT);
	assert_string_equal(h.errmsg, "is a directory, not a CSV file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_positions_quotes_and_line_ends),
		cmocka_unit_test(a_lone_cr_ends_a_line),
		cmocka_unit_test(a_wide_row_is_an_error_reading_goes_on),
		cmocka_unit_test(tab_and_semicolon_delimiters),
		cmocka_unit_test(errors_are_located_where_to_correct),
		cmocka_unit_test(invalid_utf8_is_located_at_its_character),
		cmocka_unit_test(records_across_read_boundaries),
		cmocka_unit_test(blank_fields_and_the_last_line),
		cmocka_unit_test(line_breaks_in_quotes_are_lf),
		cmocka_unit_test(errors_at_the_end_of_the_file),
		cmocka_unit_test(a_long_value_across_reads),
		cmocka_unit_test(a_record_at_the_limit_and_one_past),
		cmocka_unit_test(a_missing_file_or_a_directory),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(file);
	return rc;
}
