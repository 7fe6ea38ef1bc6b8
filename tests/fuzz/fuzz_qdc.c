/* fuzz_qdc.c — a REFI-QDA codebook (.qdc, XML) through refi_qdc_parse. */
#include "fuzz.h"
#include "refi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cb cb;
	refi_qdc_parse("fuzz.qdc", (const char *)data, size, &cb, fuzz_ignore, NULL);
	cb_free(&cb);
	return 0;
}
