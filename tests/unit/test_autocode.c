/* test_autocode.c — automatic coding on the hand-made autocode project and on
 * documents made here: folded matching mapped back to code points (NFD text
 * stored as is, emoji, apostrophes), word boundaries and wildcards, units,
 * merging, interviewer turns and speaker labels, dry runs, errors. */
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

#define FIXTURE_NAME "autocode"
#include "project_fixture.h"

/* The autocode project, coding as alice. */
static struct qda *open_autocode(void)
{
	static const char *const more[] = { "tests/fixtures/coding/project.sql", "tests/fixtures/autocode/project.sql" };
	struct qda *h = fixture_project("tests/fixtures/coding/docs.sql");
	size_t i;
	for (i = 0; i < sizeof more / sizeof more[0]; i++) {
		char *sql = fixture_read(more[i]);
		assert_int_equal(exec(h, sql), QDA_OK);
		free(sql);
	}
	qda_set_coder(h, "alice");
	return h;
}

/* A document of one turn by `speaker` (interviewer or not) holding text,
 * with its lines, as document id 9 named "T". */
static void add_doc(struct qda *h, const char *text, const char *speaker, int interviewer)
{
	sqlite3_stmt *st;
	size_t len = strlen(text), cps = qda_text_cplen(text, len), i, start = 0;
	long n = 1;
	st = prep(h, "INSERT INTO document_all(id, name, format, source_hash, text_hash, text, length, lines, words)"
	             " VALUES (9, 'T', 'txt', 'x', 'y', ?, ?, 1, 1)");
	assert_non_null(st);
	bind_text(st, 1, text);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cps);
	assert_int_equal(step_done(h, st), QDA_OK);
	sqlite3_finalize(st);
	st = prep(h, "INSERT INTO speaker(id, doc_id, name, is_interviewer) VALUES (90, 9, ?, ?)");
	bind_text(st, 1, speaker);
	sqlite3_bind_int(st, 2, interviewer);
	assert_int_equal(step_done(h, st), QDA_OK);
	sqlite3_finalize(st);
	st = prep(h, "INSERT INTO turn(doc_id, n, speaker_id, start, end, line_first, line_last) VALUES (9, 1, 90, 0, ?, 1, 1)");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(text[len - 1] == '\n' ? cps - 1 : cps));
	assert_int_equal(step_done(h, st), QDA_OK);
	sqlite3_finalize(st);
	for (i = 0; i <= cps; i++) {
		size_t b = qda_text_cp_to_byte(text, len, i);
		if (i == cps || text[b] == '\n') {
			if (i == cps && start == cps)
				break;
			st = prep(h, "INSERT INTO line(doc_id, n, start, end, turn_n) VALUES (9, ?, ?, ?, 1)");
			sqlite3_bind_int64(st, 1, n++);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)start);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
			assert_int_equal(step_done(h, st), QDA_OK);
			sqlite3_finalize(st);
			start = i + 1;
		}
	}
}

static void set_keywords(struct qda *h, const char *key, const char *keywords, const char *patterns)
{
	sqlite3_stmt *st = prep(h, "UPDATE node SET keywords = ?, patterns = ? WHERE key = ?");
	bind_text(st, 1, keywords);
	bind_text(st, 2, patterns);
	bind_text(st, 3, key);
	assert_int_equal(step_done(h, st), QDA_OK);
	sqlite3_finalize(st);
}

static char got[4096];

/* Each row as "start-end/hits rule|", appended to got. */
static int collect(void *ctx, const struct qda_autocode_row *r)
{
	size_t n = strlen(got);
	snprintf(got + n, sizeof got - n, "%ld-%ld/%ld %s%s|", r->start, r->end, r->hits, r->rule,
	         r->created ? "" : " (present)");
	return 0;
}

static long totals[4];

static void total(void *ctx, const struct qda_autocode_total *t)
{
	totals[0] += t->hits;
	totals[1] += t->codings;
	totals[2] += t->added;
	totals[3] += t->present;
}

static enum qda_status run(struct qda *h, struct qda_autocode_opts *o)
{
	got[0] = '\0';
	memset(totals, 0, sizeof totals);
	return qda_autocode(h, o, collect, total, NULL);
}

static void nfd_text_maps_back_to_its_code_points(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	/* stored as NFD on purpose: each é is two code points */
	add_doc(h, "Ana: E\xcc\x81" "coute\xcc\x81 la\xcc\x80 ; s\xc3\xa9" "coute ecoute\xcc\x81\n", "Ana", 0);
	set_keywords(h, "listening", "[\"écouté\"]", NULL);
	o.keywords = 1;
	o.code = "listening";
	o.doc = "T";
	o.dry_run = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	/* "Écouté" spans 5..13 with both marks; "sécoute" is one word; the last
	 * match ends after its combining accent */
	assert_string_equal(got, "5-13/1 keyword:écouté|28-35/1 keyword:écouté|");
	close_fixture(h);
}

static void emoji_and_apostrophes(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	add_doc(h, "Ana: 👩🏽‍⚕️ m’a dit « prends ton temps » 🎉 d'accord\n", "Ana", 0);
	set_keywords(h, "time", "[\"m'a dit\", \"D’ACCORD\"]", NULL);
	o.keywords = 1;
	o.code = "time";
	o.doc = "T";
	o.dry_run = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "11-18/1 keyword:m'a dit|42-50/1 keyword:D’ACCORD|");
	close_fixture(h);
}

static void wildcards_match_word_prefixes_only(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	add_doc(h, "Ana: listen, listening, relisten, listen_ed, LISTENS.\n", "Ana", 0);
	set_keywords(h, "listening", "[\"listen*\"]", NULL);
	o.keywords = 1;
	o.code = "listening";
	o.doc = "T";
	o.dry_run = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "5-11/1 keyword:listen*|13-22/1 keyword:listen*|34-43/1 keyword:listen*|45-52/1 keyword:listen*|");
	set_keywords(h, "listening", "[\"listen\"]", NULL);
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "5-11/1 keyword:listen|");
	close_fixture(h);
}

static void sentences_end_at_terminators_and_line_breaks(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	add_doc(h, "Ana: Oui. Le temps… vraiment ?! Puis le temps\npasse. Fin\n", "Ana", 0);
	set_keywords(h, "time", "[\"temps\"]", NULL);
	o.keywords = 1;
	o.code = "time";
	o.doc = "T";
	o.unit = QDA_AUTO_SENTENCE;
	o.dry_run = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "10-19/1 keyword:temps|32-45/1 keyword:temps|");
	o.unit = QDA_AUTO_MATCH;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "13-18/1 keyword:temps|40-45/1 keyword:temps|");
	close_fixture(h);
}

static void overlapping_hits_merge_touching_ones_do_not(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	add_doc(h, "Ana: le temps, le temps\n", "Ana", 0);
	set_keywords(h, "time", "[\"temps\"]", "[\"le temps\", \"temps, le\"]");
	o.keywords = 1;
	o.code = "time";
	o.doc = "T";
	o.dry_run = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "5-23/5 pattern:le temps; keyword:temps; pattern:temps, le|");
	assert_int_equal(totals[0], 5);
	assert_int_equal(totals[1], 1);
	set_keywords(h, "time", NULL, "[\"tem\", \"ps\"]");
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "8-11/1 pattern:tem|11-13/1 pattern:ps|18-21/1 pattern:tem|21-23/1 pattern:ps|");
	close_fixture(h);
}

static void labels_and_interviewers_are_left_out(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	add_doc(h, "Temps: le temps\n", "Temps", 1);
	set_keywords(h, "time", "[\"temps\"]", NULL);
	o.keywords = 1;
	o.code = "time";
	o.doc = "T";
	o.dry_run = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "");
	o.include_interviewer = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_string_equal(got, "10-15/1 keyword:temps|");
	close_fixture(h);
}

static void writes_once_per_coder_code_and_span(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	o.keywords = 1;
	assert_int_equal(qda_begin(h, "test"), QDA_OK);
	assert_int_equal(run(h, &o), QDA_OK);
	assert_int_equal(totals[2], 12);
	assert_int_equal(run(h, &o), QDA_OK);
	assert_int_equal(totals[2], 0);
	assert_int_equal(totals[3], 12);
	assert_int_equal(qda_commit(h, "ok"), QDA_OK);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coding WHERE method = 'auto'"), 12);
	qda_set_coder(h, "bob");
	o.dry_run = 1;
	assert_int_equal(run(h, &o), QDA_OK);
	assert_int_equal(totals[2], 12);
	assert_int_equal(scalar(h, "SELECT count(*) FROM coder WHERE name = 'bob'"), 0);
	close_fixture(h);
}

static void errors(void **state)
{
	struct qda *h = open_autocode();
	struct qda_autocode_opts o = { 0 };
	o.pattern = "a(?<x";
	o.code = "trust";
	assert_int_equal(run(h, &o), QDA_EINPUT);
	assert_non_null(strstr(qda_errmsg(h), "invalid pattern 'a(?<x' at offset 5"));
	o.pattern = "x";
	o.code = NULL;
	assert_int_equal(run(h, &o), QDA_EINVAL);
	o.code = "trust";
	qda_set_coder(h, NULL);
	assert_int_equal(run(h, &o), QDA_EINVAL);
	assert_string_equal(qda_errmsg(h), "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	o.dry_run = 1;
	o.code = "old-code";
	assert_int_equal(run(h, &o), QDA_EINPUT);
	o.pattern = NULL;
	o.speaker = "Camille";
	o.code = "trust";
	assert_int_equal(run(h, &o), QDA_OK); /* named, an interviewer is coded */
	assert_string_equal(got, "0-51/1 speaker:Camille|144-187/1 speaker:Camille|0-55/1 speaker:Camille|60-83/1 speaker:Camille|");
	close_fixture(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfd_text_maps_back_to_its_code_points),
		cmocka_unit_test(emoji_and_apostrophes),
		cmocka_unit_test(wildcards_match_word_prefixes_only),
		cmocka_unit_test(sentences_end_at_terminators_and_line_breaks),
		cmocka_unit_test(overlapping_hits_merge_touching_ones_do_not),
		cmocka_unit_test(labels_and_interviewers_are_left_out),
		cmocka_unit_test(writes_once_per_coder_code_and_span),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
