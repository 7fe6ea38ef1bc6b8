/* test_import.c — unit tests of core/import*.c: speaker labels, turns found
 * in paragraphs, subtitles rebuilt as turns, and the stored positions in
 * code points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "import.h"

static char dir[128], project[256];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/qda-test-import-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(project, sizeof project, "%s/p.qda", dir);
	unlink(project);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static int label(const char *line, char *name, size_t n)
{
	const char *nm;
	size_t len, after;
	if (!imp_label(line, strlen(line), &nm, &len, &after))
		return -1;
	snprintf(name, n, "%.*s", (int)len, nm);
	return (int)after;
}

static void labels(void **state)
{
	char name[80];
	assert_int_equal(label("Camille: Bonjour", name, sizeof name), 9);
	assert_string_equal(name, "Camille");
	assert_int_equal(label("Dr Benoît Lefèvre : oui", name, sizeof name), 22); /* bytes */
	assert_string_equal(name, "Dr Benoît Lefèvre");
	assert_int_equal(label("Tom\xC2\xA0: hi", name, sizeof name), 7);
	assert_string_equal(name, "Tom");
	assert_int_equal(label("**Élodie:** Depuis", name, sizeof name), 13);
	assert_string_equal(name, "Élodie");
	assert_int_equal(label("**Élodie**: Depuis", name, sizeof name), 13);
	assert_string_equal(name, "Élodie");
	assert_int_equal(label("[Nadia] Bonjour", name, sizeof name), 8);
	assert_string_equal(name, "Nadia");
	assert_int_equal(label("S01: [00:00:05] Bonjour", name, sizeof name), 5);
	assert_string_equal(name, "S01");
	assert_int_equal(label("李明: 你好", name, sizeof name), 8); /* a script without case */
	assert_string_equal(name, "李明");
	/* Not labels: a timestamp in brackets, a time, a URL, a sentence, a
	 * lower-case start, more than five words, a name over 63 characters. */
	assert_int_equal(label("[00:01:02] Bonjour", name, sizeof name), -1);
	assert_int_equal(label("12:30 on commence", name, sizeof name), -1);
	assert_int_equal(label("http://example.org", name, sizeof name), -1);
	assert_int_equal(label("Bon, alors: voilà", name, sizeof name), -1);
	assert_int_equal(label("elle: oui", name, sizeof name), -1);
	assert_int_equal(label("Un Deux Trois Quatre Cinq Six: non", name, sizeof name), -1);
	assert_int_equal(label("Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x", name, sizeof name), -1);
	assert_int_equal(label("Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x", name, sizeof name), 65);
}

static void label_length_for_quotes(void **state)
{
	assert_int_equal(qda_label_length("Lucie: Oui.", "Lucie"), 7);
	assert_int_equal(qda_label_length("**Élodie:** Depuis", "Élodie"), 13);
	assert_int_equal(qda_label_length("[Nadia] Elle m'a aidée", "Nadia"), 8);
	assert_int_equal(qda_label_length("Lucie: Oui.", "Marc"), 0);     /* another's label */
	assert_int_equal(qda_label_length("Lucie:", "Lucie"), 0);         /* nothing after it */
	assert_int_equal(qda_label_length("vraiment le temps", "Lucie"), 0);
	assert_int_equal(qda_label_length("Lucie: Oui.", ""), 0);
}

static void turns_in_paragraphs(void **state)
{
	struct imp_doc d = {0};
	struct qda *h = NULL;
	const char *text = "Entretien\nDate : 1/2/2026\n\nCamille: Bonjour.\nLucie: Oui.\nElle m'a dit : non.\n\nCamille: Bien.\n";
	assert_int_equal(qda_init(project, &h), QDA_OK);
	d.text = strdup(text);
	d.len = strlen(text);
	assert_int_equal(imp_find_turns(h, &d), QDA_OK);
	assert_int_equal(d.n_turns, 3);
	assert_string_equal(d.turns[0].speaker, "Camille");
	assert_int_equal(d.turns[0].start, 27);
	assert_int_equal(d.turns[0].end, 44);
	assert_string_equal(d.turns[1].speaker, "Lucie");
	assert_int_equal(d.turns[1].start, 45);
	assert_int_equal(d.turns[1].end, 76); /* the next line is the turn's, not a turn */
	assert_string_equal(d.turns[2].speaker, "Camille");
	imp_doc_free(&d);
	qda_close(h);
}

static void cues_merge_and_keep_timings(void **state)
{
	struct imp_doc d = {0};
	struct qda *h = NULL;
	const char *vtt = "WEBVTT\n\nNOTE made by hand\n\n1\n00:00:01.000 --> 00:00:02.000\nAnne: Un.\n\n2\n"
	                  "00:00:02.500 --> 00:00:03.000\nAnne: Deux.\n\n3\n00:01:00.000 --> 00:01:02.250\n"
	                  "<v Bob>Trois</v>\n";
	assert_int_equal(qda_init(project, &h), QDA_OK);
	assert_int_equal(imp_read_cues(h, "x.vtt", vtt, strlen(vtt), 1, &d), QDA_OK);
	assert_string_equal(d.text, "Anne: Un. Deux.\nBob: Trois\n");
	assert_int_equal(d.n_turns, 2);
	assert_int_equal(d.turns[0].t0, 1000);
	assert_int_equal(d.turns[0].t1, 3000);
	assert_int_equal(d.turns[1].start, 16);
	assert_int_equal(d.turns[1].end, 26);
	assert_int_equal(d.turns[1].t0, 60000);
	assert_int_equal(d.turns[1].t1, 62250);
	imp_doc_free(&d);
	/* A broken timing line is located. */
	vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:0x.000\nAnne: Un.\n";
	assert_int_equal(imp_read_cues(h, "x.vtt", vtt, strlen(vtt), 1, &d), QDA_EINPUT);
	assert_string_equal(qda_errloc(h), "x.vtt:4");
	imp_doc_free(&d);
	qda_close(h);
}

static void stored_positions_are_code_points(void **state)
{
	struct qda *h = NULL;
	struct qda_import_report rep;
	char file[300];
	FILE *fp;
	sqlite3_stmt *st;
	snprintf(file, sizeof file, "%s/E.txt", dir);
	fp = fopen(file, "w");
	/* NFD é (e + U+0301) becomes one code point; an emoji is one. */
	fputs("\xEF\xBB\xBF" "Camille: e\xCC\x81t\xC3\xA9 \xF0\x9F\x98\x80 ?\r\n\r\nL\xC3\xA9o: oui.\r\n", fp);
	fclose(fp);
	assert_int_equal(qda_init(project, &h), QDA_OK);
	assert_int_equal(qda_import_file(h, file, NULL, &rep), QDA_OK);
	assert_int_equal(rep.result, QDA_IMPORTED);
	assert_int_equal(rep.turns, 2);
	assert_int_equal(rep.speakers, 2);
	assert_string_equal(rep.name, "E");
	assert_string_equal(rep.format, "txt");
	assert_null(rep.existing);
	qda_import_report_free(&rep);
	st = prep(h, "SELECT length, lines, text FROM document");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 28);
	assert_int_equal(sqlite3_column_int(st, 1), 3);
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "Camille: \xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80 ?\n\nL\xC3\xA9o: oui.\n");
	sqlite3_finalize(st);
	st = prep(h, "SELECT group_concat(start || '-' || end || ':' || line_first || '-' || line_last, ' ') FROM turn");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "0-16:1-1 18-27:3-3");
	sqlite3_finalize(st);
	st = prep(h, "SELECT group_concat(n || ':' || start || '-' || end || ':' || coalesce(turn_n, 0), ' ') FROM line");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "1:0-16:1 2:17-17:1 3:18-27:2");
	sqlite3_finalize(st);
	/* Importing it again is a skip, not a second document. */
	assert_int_equal(qda_import_file(h, file, NULL, &rep), QDA_OK);
	assert_int_equal(rep.result, QDA_SKIPPED_SAME);
	assert_string_equal(rep.existing, "E");
	qda_import_report_free(&rep);
	qda_close(h);
}

/* A document name of 300 two-byte letters is reported whole, never cut
 * inside a letter. */
static void long_name_reported_whole(void **state)
{
	struct qda *h = NULL;
	struct qda_import_report rep;
	struct qda_import_opts o = { 0 };
	char file[300], name[401];
	FILE *fp;
	size_t i;
	/* 200 characters, the most a document's name may have: 400 bytes */
	for (i = 0; i < 200; i++)
		memcpy(name + 2 * i, "\xC3\xA9", 2);
	name[400] = '\0';
	o.name = name;
	snprintf(file, sizeof file, "%s/L.txt", dir);
	fp = fopen(file, "w");
	fputs("Camille: bonjour\n", fp);
	fclose(fp);
	assert_int_equal(qda_init(project, &h), QDA_OK);
	assert_int_equal(qda_import_file(h, file, &o, &rep), QDA_OK);
	assert_string_equal(rep.name, name);
	qda_import_report_free(&rep);
	qda_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(labels),
		cmocka_unit_test(label_length_for_quotes),
		cmocka_unit_test_setup_teardown(turns_in_paragraphs, setup, teardown),
		cmocka_unit_test_setup_teardown(cues_merge_and_keep_timings, setup, teardown),
		cmocka_unit_test_setup_teardown(stored_positions_are_code_points, setup, teardown),
		cmocka_unit_test_setup_teardown(long_name_reported_whole, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
