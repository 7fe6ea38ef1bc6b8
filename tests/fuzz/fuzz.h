/* fuzz.h — what the libFuzzer harnesses share: a handle with no project
 * (the parsers only set its error message) and the input as a file, for
 * the readers that take a path (zip archives, CSV). */
#ifndef QDA_FUZZ_H
#define QDA_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static inline void fuzz_handle(struct qda *h)
{
	memset(h, 0, sizeof *h);
}

/* The input written to a private temporary file; its path (static). */
static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	static char path[64];
	FILE *f;
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/qda-fuzz-%ld%s", (long)getpid(), suffix);
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	return path;
}

static inline void fuzz_ignore(void *ctx, const char *loc, const char *msg)
{
	(void)ctx;
	(void)loc;
	(void)msg;
}

#endif
