/* fuzz_txt.c — a .txt or .md transcript from memory: normalised to the
 * stored form, then its speaker turns found (imp_find_turns), as
 * qda_import_file does after reading the file. */
#include "fuzz.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qda h;
	struct imp_doc d = { 0 };
	char *norm = NULL;
	size_t n = 0;
	fuzz_handle(&h);
	if (qda_text_check_utf8((const char *)data, size, NULL) != QDA_OK)
		return 0;
	if (qda_text_normalize((const char *)data, size, &norm, &n) != QDA_OK)
		return 0;
	d.text = norm;
	d.len = n;
	imp_find_turns(&h, &d);
	imp_doc_free(&d);
	return 0;
}
