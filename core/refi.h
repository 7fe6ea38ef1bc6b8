/* refi.h — what the two REFI-QDA writers share: the codebook (.qdc,
 * codebook_export.c) and the project (.qdpx, refi_export.c) write the same
 * <Codes> tree through libxml2's xmlTextWriter. Never string pasting. */
#ifndef QDA_REFI_H
#define QDA_REFI_H

#include <libxml/xmlwriter.h>

#include "internal.h"

/* Written inside each <Code>, after its <Description> and before its child
 * codes (where Project.xsd puts a code's NoteRefs); 0 or -1. */
typedef int (*refi_code_extra_fn)(void *ctx, xmlTextWriterPtr w, const struct cb_node *n);

/* <Codes> holding every node of cb in tree order, each with guid, name,
 * isCodable, color (a valid #RGB only) and <Description> (definition,
 * include, exclude). cb must not be empty: the schemas reject an empty
 * <Codes>. extra may be NULL. 0, or -1 when the writer failed. */
int refi_write_codes(xmlTextWriterPtr w, const struct cb *cb, refi_code_extra_fn extra, void *ctx);

#endif
