/* replay.c — a libFuzzer harness without libFuzzer: main() feeds it each
 * file named on the command line (or each file of each directory named),
 * so the regression inputs in tests/fuzz/regressions/ run under make check
 * with the sanitized build. Exit 0 when every input ran through. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int one(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long n;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(data = malloc((size_t)n + 1)) || fread(data, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		free(data);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	printf("replayed %s\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	int i, bad = 0;
	for (i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			char p[4096];
			while (d && (e = readdir(d)))
				if (e->d_name[0] != '.') {
					snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
					bad |= one(p);
				}
			if (d)
				closedir(d);
		} else {
			bad |= one(argv[i]);
		}
	}
	return bad;
}
