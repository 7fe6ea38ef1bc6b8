/* refi_zip.c — a .qdpx archive as untrusted input: every entry checked
 * before any is read (no absolute path, no '..', no symbolic link, sizes
 * and compression ratio capped), entries read into memory only. Never
 * extracts to disk. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

#include "refi.h"

#define MAX_ENTRY (512ull << 20) /* bytes of one entry, uncompressed */
#define MAX_TOTAL (2ull << 30)   /* bytes of all entries */
#define MAX_RATIO 100            /* uncompressed / compressed, past 1 MiB */

struct refi_zip {
	zip_t *za;
	const char *path;
	zip_int64_t n;
};

static enum qda_status refuse(struct qda *h, const char *path, const char *entry, const char *why)
{
	return seterr_at(h, QDA_EINPUT, path, "entry '%s' refused: %s; nothing was imported", entry, why);
}

static enum qda_status check_entry(struct qda *h, struct refi_zip *z, zip_int64_t i, zip_uint64_t *total)
{
	zip_stat_t sb;
	zip_uint8_t os;
	zip_uint32_t attr;
	const char *name, *p;
	char why[160];

	if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &sb) != 0 || !(sb.valid & ZIP_STAT_NAME))
		return seterr_at(h, QDA_EINPUT, z->path, "cannot read entry %lld of the archive: %s", (long long)i,
		                 zip_strerror(z->za));
	name = sb.name;
	if (name[0] == '/' || name[0] == '\\' || (name[0] && name[1] == ':'))
		return refuse(h, z->path, name, "an absolute path");
	for (p = name; *p;) {
		size_t k = strcspn(p, "/\\");
		if (k == 2 && p[0] == '.' && p[1] == '.')
			return refuse(h, z->path, name, "it leads out of the archive ('..')");
		p += k;
		if (*p)
			p++;
	}
	if (zip_file_get_external_attributes(z->za, (zip_uint64_t)i, 0, &os, &attr) == 0 && os == ZIP_OPSYS_UNIX &&
	    ((attr >> 16) & S_IFMT) == S_IFLNK)
		return refuse(h, z->path, name, "a symbolic link");
	if ((sb.valid & ZIP_STAT_SIZE) && sb.size > MAX_ENTRY) {
		snprintf(why, sizeof why, "it expands to %llu bytes, over qda's %llu MiB per entry",
		         (unsigned long long)sb.size, MAX_ENTRY >> 20);
		return refuse(h, z->path, name, why);
	}
	if ((sb.valid & ZIP_STAT_SIZE) && (sb.valid & ZIP_STAT_COMP_SIZE) && sb.size > (1u << 20) &&
	    sb.size / (sb.comp_size ? sb.comp_size : 1) > MAX_RATIO) {
		snprintf(why, sizeof why, "it expands to %llu bytes, over %d times its compressed size (a zip bomb?)",
		         (unsigned long long)sb.size, MAX_RATIO);
		return refuse(h, z->path, name, why);
	}
	*total += sb.size;
	if (*total > MAX_TOTAL) {
		snprintf(why, sizeof why, "the entries expand to over %llu MiB in all", MAX_TOTAL >> 20);
		return refuse(h, z->path, name, why);
	}
	return QDA_OK;
}

enum qda_status refi_zip_open(struct qda *h, const char *path, struct refi_zip **out)
{
	struct refi_zip *z;
	int err = 0;
	zip_int64_t i;
	zip_uint64_t total = 0;
	enum qda_status rc;

	*out = NULL;
	if (!(z = calloc(1, sizeof *z)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	z->path = path;
	if (!(z->za = zip_open(path, ZIP_RDONLY, &err))) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		rc = seterr_at(h, err == ZIP_ER_NOENT || err == ZIP_ER_OPEN ? QDA_EIO : QDA_EINPUT, path,
		               "cannot open it as a REFI-QDA project (.qdpx, a zip archive): %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		free(z);
		return rc;
	}
	z->n = zip_get_num_entries(z->za, 0);
	for (i = 0; i < z->n; i++)
		if ((rc = check_entry(h, z, i, &total)) != QDA_OK) {
			refi_zip_close(z);
			return rc;
		}
	*out = z;
	return QDA_OK;
}

void refi_zip_close(struct refi_zip *z)
{
	if (!z)
		return;
	zip_discard(z->za);
	free(z);
}

enum qda_status refi_zip_find_one(struct qda *h, struct refi_zip *z, const char *suffix, const char **name)
{
	zip_int64_t i, found = 0;
	size_t sl = strlen(suffix);
	struct buf all = { 0 };
	*name = NULL;
	for (i = 0; i < z->n; i++) {
		const char *nm = zip_get_name(z->za, (zip_uint64_t)i, 0);
		size_t l = nm ? strlen(nm) : 0;
		if (l > sl && !strcasecmp(nm + l - sl, suffix)) {
			if (!found++)
				*name = nm;
			buf_addf(&all, "%s%s", all.len ? ", " : "", nm);
		}
	}
	if (found == 1) {
		buf_free(&all);
		return QDA_OK;
	}
	if (found == 0)
		seterr_at(h, QDA_EINPUT, z->path,
		          "no %s project file in the archive; a REFI-QDA project (.qdpx) holds one (project.qde)", suffix);
	else
		seterr_at(h, QDA_EINPUT, z->path, "%lld %s files in the archive (%s); a REFI-QDA project holds exactly one",
		          (long long)found, suffix, all.failed ? "..." : all.s);
	buf_free(&all);
	return QDA_EINPUT;
}

enum qda_status refi_zip_read(struct qda *h, struct refi_zip *z, const char *name, char **out, size_t *len)
{
	zip_int64_t i = zip_name_locate(z->za, name, 0), got;
	zip_stat_t sb;
	zip_file_t *f;
	char *p;

	*out = NULL;
	*len = 0;
	if (i < 0)
		i = zip_name_locate(z->za, name, ZIP_FL_NOCASE);
	if (i < 0)
		return QDA_ENOTFOUND;
	if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &sb) != 0)
		return seterr_at(h, QDA_EINPUT, z->path, "cannot read entry '%s': %s", name, zip_strerror(z->za));
	if (!(p = malloc(sb.size + 1)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (!(f = zip_fopen_index(z->za, (zip_uint64_t)i, 0))) {
		free(p);
		return seterr_at(h, QDA_EINPUT, z->path, "cannot read entry '%s': %s", name, zip_strerror(z->za));
	}
	/* read no more than the size the archive declares: a lying header is an error, not a bomb */
	got = zip_fread(f, p, sb.size);
	if (got < 0 || (zip_uint64_t)got != sb.size) {
		seterr_at(h, QDA_EINPUT, z->path, "cannot read entry '%s': %s", name,
		          got < 0 ? zip_file_strerror(f) : "shorter than the archive says");
		zip_fclose(f);
		free(p);
		return QDA_EINPUT;
	}
	zip_fclose(f);
	p[sb.size] = '\0';
	*out = p;
	*len = (size_t)sb.size;
	return QDA_OK;
}
