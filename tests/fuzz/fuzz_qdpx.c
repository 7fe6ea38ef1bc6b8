/* fuzz_qdpx.c — a REFI-QDA project (.qdpx, zip bytes) as qda_refi_import
 * reads it before it touches a project: the archive checked, its one .qde
 * found and read, the XML parsed, and its bytes decoded as a source's text. */
#include <libxml/tree.h>

#include "fuzz.h"
#include "refi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qda h;
	struct refi_zip *z = NULL;
	const char *qde = NULL;
	char *xml = NULL, tail[64], msg[512];
	size_t len = 0;
	xmlDoc *doc;
	fuzz_handle(&h);
	if (refi_zip_open(&h, fuzz_file(data, size, ".qdpx"), &z) != QDA_OK)
		return 0;
	if (refi_zip_find_one(&h, z, ".qde", &qde) == QDA_OK && refi_zip_read(&h, z, qde, &xml, &len) == QDA_OK &&
	    (doc = refi_xml_read(xml, len, qde, tail, sizeof tail, msg, sizeof msg))) {
		struct refi_text t;
		enum refi_reading r;
		/* the entry's bytes as a source's text, read every way REFI-QDA
		 * positions are counted */
		if (refi_text_new(&h, "fuzz", xml, len, &t) == QDA_OK) {
			for (r = RD_CP; r < RD_N; r++)
				refi_text_pos(&t, r, (long)(len / 2), 1);
			refi_text_free(&t);
		}
		xmlFreeDoc(doc);
	}
	free(xml);
	refi_zip_close(z);
	return 0;
}
