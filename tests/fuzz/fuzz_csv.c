/* fuzz_csv.c — the CSV reader (core/csv.c) under the three CSV inputs
 * (code --from, review import, case import): the first byte picks the
 * delimiter as --delimiter does, the rest is the file, read to its end or
 * its first error. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { ',', ';', '\t', 0 };
	struct qda h;
	struct csv_reader *r = NULL;
	struct csv_record rec;
	char delim;
	if (size < 1)
		return 0;
	delim = delims[data[0] % 4];
	fuzz_handle(&h);
	if (csv_open(&h, fuzz_file(data + 1, size - 1, ".csv"), delim, &r) != QDA_OK)
		return 0;
	for (;;) {
		enum qda_status rc = csv_next(r, &rec);
		size_t i, total = 0;
		if (rc != QDA_OK && !(rc == QDA_EINPUT && rec.wide))
			break;
		if (rc == QDA_OK && rec.n == 0)
			break;
		for (i = 0; i < rec.n; i++)
			total += strlen(rec.f[i].s);
		(void)total;
	}
	csv_close(r);
	return 0;
}
