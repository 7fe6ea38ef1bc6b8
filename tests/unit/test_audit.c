/* test_audit.c — qda_log_phase: logged command lines placed in Braun &
 * Clarke's phases by the one table of core/audit.c, global options and
 * quoted words skipped, the first codebook load apart from later ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "qda.h"

static void phases_of_commands(void **state)
{
	static const struct {
		const char *line;
		int first_codebook;
		enum qda_phase phase;
		const char *what;
	} cases[] = {
		{ "qda init project.qda", 1, QDA_PHASE_SETUP, "init" },
		{ "qda import --interviewer Camille a.txt", 1, QDA_PHASE_FAMILIARISE, "import" },
		{ "qda -p 'my project.qda' case import attrs.csv", 1, QDA_PHASE_FAMILIARISE, "case import" },
		{ "qda codebook load cb.yaml", 1, QDA_PHASE_CODES, "codebook load" },
		{ "qda codebook load cb.yaml", 0, QDA_PHASE_THEMES, "codebook load" },
		{ "qda --coder 'Marie Dupont' code P01 --lines 3-4 trust", 0, QDA_PHASE_CODES, "code" },
		{ "qda autocode --keywords", 0, QDA_PHASE_CODES, "autocode" },
		{ "qda theme merge a b --into b", 0, QDA_PHASE_THEMES, "theme merge" },
		{ "qda theme rename s 'A name'", 0, QDA_PHASE_DEFINE, "theme rename" },
		{ "qda theme define t --definition x", 0, QDA_PHASE_DEFINE, "theme define" },
		{ "qda review --reviewer Nadia", 0, QDA_PHASE_REVIEW, "review" },
		{ "qda review import sheet.csv", 0, QDA_PHASE_REVIEW, "review import" },
		{ "qda exemplar add 7", 0, QDA_PHASE_REPORT, "exemplar add" },
		{ "qda memo add --journal 'x y'", 0, QDA_PHASE_THROUGHOUT, "memo add" },
		{ "qda undo", 0, QDA_PHASE_THROUGHOUT, "undo" },
		{ "qda something-new", 0, QDA_PHASE_THROUGHOUT, "something-new" },
		{ "", 0, QDA_PHASE_THROUGHOUT, "" },
	};
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[64];
		assert_int_equal(qda_log_phase(cases[i].line, cases[i].first_codebook, what, sizeof what), cases[i].phase);
		assert_string_equal(what, cases[i].what);
	}
	assert_string_equal(qda_phase_name(QDA_PHASE_CODES), "2. Generating initial codes");
	assert_string_equal(qda_phase_name(QDA_PHASE_THEMES), "3-4. Searching for and reviewing themes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phases_of_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
