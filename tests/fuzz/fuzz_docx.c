/* fuzz_docx.c — a .docx (zip bytes) through imp_read_docx. */
#include "fuzz.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qda h;
	char *out = NULL;
	size_t n = 0;
	fuzz_handle(&h);
	imp_read_docx(&h, fuzz_file(data, size, ".docx"), &out, &n);
	free(out);
	return 0;
}
