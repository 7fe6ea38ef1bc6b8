/* fuzz_vtt.c — a WebVTT file from memory: normalised, then its cues read
 * into turns (imp_read_cues), as qda_import_file does. */
#include "fuzz.h"
#include "import.h"

#ifndef FUZZ_VTT
#define FUZZ_VTT 1
#endif

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
	imp_read_cues(&h, "fuzz", norm, n, FUZZ_VTT, &d);
	imp_doc_free(&d);
	free(norm);
	return 0;
}
