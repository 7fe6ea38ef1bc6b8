/* fuzz_yaml.c — a YAML codebook through cb_parse, as codebook check reads it. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cb cb;
	cb_parse("fuzz.yaml", (const char *)data, size, &cb, fuzz_ignore, NULL);
	cb_free(&cb);
	return 0;
}
