/* fuzz_qde.c — a REFI-QDA project's .qde XML as qda_refi_import parses it,
 * without the zip around it (in fuzz_qdpx most mutations break the zip),
 * its bytes then read as a source's text every way positions are counted. */
#include <libxml/tree.h>

#include "fuzz.h"
#include "refi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qda h;
	char tail[64], msg[512];
	xmlDoc *doc;
	struct refi_text t;
	enum refi_reading r;

	fuzz_handle(&h);
	if ((doc = refi_xml_read((const char *)data, size, "project.qde", tail, sizeof tail, msg, sizeof msg)))
		xmlFreeDoc(doc);
	if (refi_text_new(&h, "fuzz", (const char *)data, size, &t) == QDA_OK) {
		for (r = RD_CP; r < RD_N; r++)
			refi_text_pos(&t, r, (long)(size / 2), 1);
		refi_text_free(&t);
	}
	return 0;
}
