/* fuzz_docxml.c — a .docx's word/document.xml through imp_read_docx: the
 * input is put in a well-formed zip first, so that the mutations reach the
 * XML reader (in fuzz_docx most of them break the zip's CRC and stop
 * there). */
#include <zip.h>

#include "fuzz.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct qda h;
	char *out = NULL;
	size_t n = 0;
	zip_t *z;
	zip_source_t *src;
	int err = 0;

	if (!path[0])
		snprintf(path, sizeof path, "/tmp/qda-fuzz-%ld.docx", (long)getpid());
	if (!(z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)))
		abort();
	if (!(src = zip_source_buffer(z, data, size, 0)) || zip_file_add(z, "word/document.xml", src, ZIP_FL_OVERWRITE) < 0)
		abort();
	if (zip_close(z) != 0)
		abort();
	fuzz_handle(&h);
	imp_read_docx(&h, path, &out, &n);
	free(out);
	return 0;
}
