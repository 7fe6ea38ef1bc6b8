/* refi_import.c — qda import FILE.qdpx: a REFI-QDA project (NVivo, ATLAS.ti,
 * MAXQDA, QualCoder) into this one, in the caller's transaction: users,
 * codes, text sources, selections with their codings, cases, variables and
 * notes; what qda has no place for is counted and named, never half-kept.
 * Matches what is here as qda merge does: documents by text, codes by GUID
 * then id, coders by GUID then name. Never prints. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>

#include "import.h"
#include "refi.h"

/* One selection of a text source. */
struct rsel {
	const xmlNode *x;
	char guid[37];
	const char *user;         /* creatingUser */
	long start, end;          /* as written */
	long s, e;                /* placed: stored code points; -1 when not placed */
	long long *codings;       /* the codings made of it */
	size_t n_codings;
};

struct rsource {
	const xmlNode *x;
	char guid[37];
	char *name;               /* malloc'd */
	char *case_name;          /* the named case holding it, or NULL (malloc'd) */
	struct refi_text t;
	int have_text;
	struct rsel *sel;
	size_t n_sel;
	long long doc_id;         /* 0 when not imported */
	enum refi_reading reading;
};

struct rnote {
	const xmlNode *x;
	char guid[37];
	char *title, *text;
	int used;
	int journal;              /* named as qda names a journal entry */
};

/* Where a GUID points. */
enum rkind { RK_USER, RK_CODE, RK_SOURCE, RK_SEL, RK_NOTE, RK_CASE, RK_CODING };
struct rref {
	char guid[37];
	enum rkind kind;
	long a, b;                /* indices (source, selection), a db id for codes, cases and codings */
};

struct rimp {
	struct qda *h;
	const char *path;
	struct refi_zip *z;
	xmlDoc *doc;
	xmlNode *root;
	const char *origin;
	const char *title;        /* the project's name: the codebook's title when it has none */
	const char *qde;
	char qde_hash[65];
	struct rsource *src;
	size_t n_src;
	struct rnote *notes;
	size_t n_notes;
	struct rref *refs;
	size_t n_refs, cap_refs, n_sorted; /* refs[0..n_sorted) sorted by GUID */
	long long *user_coder;    /* per RK_USER ref: the coder */
	long long default_coder;
	long long last_case;      /* cases past this id were made by this import */
	struct qda_refi_report *rep;
	struct { char *item, *status, *detail; long n; } *rows;
	size_t n_rows, cap_rows;
};

static enum qda_status nomem(struct rimp *I)
{
	return seterr(I->h, QDA_ENOMEM, "out of memory");
}

static enum qda_status row(struct rimp *I, const char *item, long n, const char *status, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static enum qda_status row(struct rimp *I, const char *item, long n, const char *status, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;
	if (I->n_rows == I->cap_rows) {
		size_t nc = I->cap_rows ? I->cap_rows * 2 : 32;
		void *p = realloc(I->rows, nc * sizeof *I->rows);
		if (!p)
			return nomem(I);
		I->rows = p;
		I->cap_rows = nc;
	}
	va_start(ap, fmt);
	{
		char tmp[1024];
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		buf_adds(&b, tmp);
	}
	va_end(ap);
	I->rows[I->n_rows].item = strdup(item);
	I->rows[I->n_rows].status = strdup(status);
	I->rows[I->n_rows].detail = buf_take(&b);
	I->rows[I->n_rows].n = n;
	if (!I->rows[I->n_rows].item || !I->rows[I->n_rows].status || !I->rows[I->n_rows].detail)
		return nomem(I);
	I->n_rows++;
	return QDA_OK;
}

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rref *)a)->guid, ((const struct rref *)b)->guid);
}

static enum qda_status ref_add(struct rimp *I, const char *guid, enum rkind kind, long a, long b)
{
	if (!guid || !*guid)
		return QDA_OK;
	if (I->n_refs == I->cap_refs) {
		size_t nc = I->cap_refs ? I->cap_refs * 2 : 64;
		struct rref *p = realloc(I->refs, nc * sizeof *p);
		if (!p)
			return nomem(I);
		I->refs = p;
		I->cap_refs = nc;
	}
	memcpy(I->refs[I->n_refs].guid, guid, 37);
	I->refs[I->n_refs].kind = kind;
	I->refs[I->n_refs].a = a;
	I->refs[I->n_refs].b = b;
	I->n_refs++;
	return QDA_OK;
}

static void refs_sort(struct rimp *I)
{
	qsort(I->refs, I->n_refs, sizeof *I->refs, ref_cmp);
	I->n_sorted = I->n_refs;
}

/* The object a GUID (as written) names, or NULL: the sorted ones searched,
 * those added since looked at one by one. */
static struct rref *ref_find(struct rimp *I, const char *written)
{
	struct rref key, *r;
	size_t i;
	if (refi_guid(written, key.guid))
		return NULL;
	if ((r = bsearch(&key, I->refs, I->n_sorted, sizeof key, ref_cmp)))
		return r;
	for (i = I->n_sorted; i < I->n_refs; i++)
		if (!strcmp(I->refs[i].guid, key.guid))
			return &I->refs[i];
	return NULL;
}

/* The coder of a user GUID (written), or 0. */
static long long user_of(struct rimp *I, const char *written)
{
	struct rref *r = written ? ref_find(I, written) : NULL;
	return r && r->kind == RK_USER ? r->b : 0;
}

/* ---- users ---- */

static enum qda_status users(struct rimp *I, xmlNode *us)
{
	sqlite3_stmt *by_guid = prep(I->h, "SELECT id FROM coder WHERE guid = ?");
	sqlite3_stmt *by_name = prep(I->h, "SELECT id FROM coder WHERE name = ?");
	sqlite3_stmt *ins = prep(I->h, "INSERT INTO coder(guid, name) VALUES (?, ?)");
	enum qda_status rc = QDA_OK;
	xmlNode *u;
	if (!by_guid || !by_name || !ins) {
		rc = QDA_EDB;
		goto out;
	}
	for (u = refi_kid(us, "User"); u && rc == QDA_OK; u = refi_next(u, "User")) {
		char guid[37], why[160], fallback[48];
		const char *name = refi_attr(u, "name");
		long long id = 0;
		int r;
		if (refi_guid(refi_attr(u, "guid"), guid)) {
			rc = row(I, "users", 1, "skipped", "user '%s': no valid GUID", name ? name : "");
			continue;
		}
		if (!name || qda_coder_name_check(name, why, sizeof why) != QDA_OK) {
			snprintf(fallback, sizeof fallback, "user-%.8s", guid);
			if (name)
				rc = row(I, "users", 1, "renamed", "user '%s' is coder %s here: %s", name, fallback, why);
			name = fallback;
		}
		sqlite3_reset(by_guid);
		bind_text(by_guid, 1, guid);
		if ((r = step_row(I->h, by_guid, "find coder")) > 0)
			id = sqlite3_column_int64(by_guid, 0);
		if (r == 0) {
			sqlite3_reset(by_name);
			bind_text(by_name, 1, name);
			if ((r = step_row(I->h, by_name, "find coder")) > 0)
				id = sqlite3_column_int64(by_name, 0);
		}
		if (r < 0) {
			rc = QDA_EDB;
			break;
		}
		if (id) {
			I->rep->users_matched++;
		} else {
			sqlite3_reset(ins);
			bind_text(ins, 1, guid);
			bind_text(ins, 2, name);
			if ((rc = step_done(I->h, ins)) != QDA_OK)
				break;
			id = sqlite3_last_insert_rowid(I->h->db);
			I->rep->users++;
		}
		rc = ref_add(I, guid, RK_USER, 0, (long)id);
	}
out:
	sqlite3_finalize(by_guid);
	sqlite3_finalize(by_name);
	sqlite3_finalize(ins);
	return rc;
}

/* ---- codes: matched by GUID then id, the others added; one codebook version ---- */

static void code_err(void *ctx, const char *loc, const char *msg)
{
	struct rimp *I = ctx;
	row(I, "codes", 1, "skipped", "%s: %s", loc, msg);
}

static enum qda_status codes(struct rimp *I, xmlNode *codebook)
{
	struct cb file = { 0 }, before = { 0 }, after = { 0 };
	struct cb_changes ch = { 0 };
	long long *ids = NULL;
	sqlite3_stmt *by_guid = NULL, *by_key = NULL, *ins = NULL, *kind = NULL;
	enum qda_status rc = QDA_OK;
	char loc[600];
	size_t i;
	long n;

	snprintf(loc, sizeof loc, "%s:%s", I->path, I->qde);
	if ((n = refi_codes_to_cb(loc, refi_kid(codebook, "Codes"), &file, code_err, I)) < 0)
		return nomem(I);
	if (file.n == 0)
		goto out;
	if ((rc = refi_cb_ids(I->h, &file)) != QDA_OK || (rc = cb_from_db(I->h, &before)) != QDA_OK)
		goto out;
	if (!(ids = calloc(file.n, sizeof *ids))) {
		rc = nomem(I);
		goto out;
	}
	by_guid = prep(I->h, "SELECT id FROM node WHERE guid = ?");
	by_key = prep(I->h, "SELECT id FROM node WHERE key = ?");
	ins = prep(I->h, "INSERT INTO node(key, parent_id, kind, name, definition, include, exclude, color, position)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	                 " (SELECT coalesce(max(position) + 1, 0) FROM node WHERE parent_id IS ?2))");
	kind = prep(I->h, "UPDATE node SET kind = 'subtheme' WHERE id = ? AND kind = 'code'");
	if (!by_guid || !by_key || !ins || !kind) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < file.n && rc == QDA_OK; i++) {
		struct cb_node *c = &file.nodes[i];
		long long parent = c->parent >= 0 ? ids[c->parent] : 0;
		int r = 0;
		if (c->guid) {
			sqlite3_reset(by_guid);
			bind_text(by_guid, 1, c->guid);
			if ((r = step_row(I->h, by_guid, "find code")) > 0)
				ids[i] = sqlite3_column_int64(by_guid, 0);
		}
		if (r == 0) {
			sqlite3_reset(by_key);
			bind_text(by_key, 1, c->id);
			if ((r = step_row(I->h, by_key, "find code")) > 0)
				ids[i] = sqlite3_column_int64(by_key, 0);
		}
		if (r < 0) {
			rc = QDA_EDB;
			break;
		}
		if (ids[i]) {
			I->rep->codes_matched++;
		} else {
			char *inc = NULL, *exc = NULL;
			struct buf b = { 0 };
			size_t k;
			/* a code here that receives a child becomes a sub-theme */
			if (parent) {
				sqlite3_reset(kind);
				sqlite3_bind_int64(kind, 1, parent);
				if ((rc = step_done(I->h, kind)) != QDA_OK)
					break;
			}
			for (k = 0; k < 2; k++) {
				const struct strv *v = k ? &c->exclude : &c->include;
				size_t j;
				if (!v->n)
					continue;
				buf_addc(&b, '[');
				for (j = 0; j < v->n; j++) {
					if (j) /* as codebook.c's json_strv writes lists */
						buf_adds(&b, ", ");
					cb_json_str(&b, v->v[j]);
				}
				buf_addc(&b, ']');
				buf_addc(&b, '\0');
				*(k ? &exc : &inc) = buf_take(&b);
			}
			sqlite3_reset(ins);
			sqlite3_clear_bindings(ins);
			bind_text(ins, 1, c->id);
			if (parent)
				sqlite3_bind_int64(ins, 2, parent);
			bind_text(ins, 3, !parent ? "theme" : c->first_child >= 0 ? "subtheme" : "code");
			bind_text(ins, 4, c->name);
			bind_text(ins, 5, c->definition);
			bind_text(ins, 6, inc);
			bind_text(ins, 7, exc);
			bind_text(ins, 8, c->color);
			rc = step_done(I->h, ins);
			free(inc);
			free(exc);
			if (rc != QDA_OK)
				break;
			ids[i] = sqlite3_last_insert_rowid(I->h->db);
			if (c->guid) {
				sqlite3_stmt *g = prep(I->h, "UPDATE node SET guid = ? WHERE id = ?");
				if (!g) {
					rc = QDA_EDB;
					break;
				}
				bind_text(g, 1, c->guid);
				sqlite3_bind_int64(g, 2, ids[i]);
				rc = step_done(I->h, g);
				sqlite3_finalize(g);
			}
			I->rep->codes++;
		}
		if (rc == QDA_OK && c->guid) {
			char g[37];
			memcpy(g, c->guid, 37);
			rc = ref_add(I, g, RK_CODE, (long)i, (long)ids[i]);
		}
	}
	if (rc != QDA_OK)
		goto out;
	if (I->rep->codes) {
		struct buf origin = { 0 };
		long version;
		buf_addf(&origin, "import %s", I->path);
		if (origin.failed) {
			rc = nomem(I);
			goto out;
		}
		if ((rc = cb_from_db(I->h, &after)) == QDA_OK && (rc = cb_diff(I->h, &before, &after, &ch)) == QDA_OK &&
		    ch.n)
			rc = cb_record(I->h, origin.s, I->qde_hash, before.title && *before.title ? NULL : I->title, NULL, &ch,
			               &version);
		buf_free(&origin);
	}
out:
	sqlite3_finalize(by_guid);
	sqlite3_finalize(by_key);
	sqlite3_finalize(ins);
	sqlite3_finalize(kind);
	free(ids);
	cb_changes_free(&ch);
	cb_free(&file);
	cb_free(&before);
	cb_free(&after);
	return rc;
}

/* ---- sources: read, positions placed, stored as documents ---- */

static enum reading_pref { PREF_CP, PREF_NVIVO, PREF_ATLAS } pref_of(const char *origin)
{
	if (origin && strcasestr(origin, "nvivo"))
		return PREF_NVIVO;
	if (origin && strcasestr(origin, "atlas.ti"))
		return PREF_ATLAS;
	return PREF_CP;
}

/* The entry a plainTextPath names: "internal://x.txt" is Sources/x.txt. */
static enum qda_status source_text(struct rimp *I, const xmlNode *x, const char *what, char **text, size_t *len,
                                   char *entry, size_t n)
{
	const char *p = refi_attr(x, "plainTextPath");
	const xmlNode *inl = refi_kid(x, "PlainTextContent");
	enum qda_status rc;
	*text = NULL;
	*entry = '\0';
	if (inl) {
		if (!(*text = refi_content(inl)))
			return nomem(I);
		*len = strlen(*text);
		snprintf(entry, n, "%s", I->qde);
		return QDA_OK;
	}
	if (!p || !*p)
		return row(I, "sources", 1, "skipped", "%s: no plainTextPath and no PlainTextContent", what);
	if (!strncasecmp(p, "internal://", 11))
		p += 11;
	else if (strstr(p, "://"))
		return row(I, "sources", 1, "skipped", "%s: its text is outside the archive (%s)", what, p);
	snprintf(entry, n, "Sources/%s", p);
	rc = refi_zip_read(I->h, I->z, entry, text, len);
	if (rc == QDA_ENOTFOUND) {
		snprintf(entry, n, "%s", p);
		rc = refi_zip_read(I->h, I->z, entry, text, len);
	}
	if (rc == QDA_ENOTFOUND)
		return row(I, "sources", 1, "skipped", "%s: its text Sources/%s is not in the archive", what, p);
	return rc;
}

/* Choose the reading of a source's positions: the origin's, unless another
 * puts clearly more selections on word boundaries. */
static enum qda_status choose_reading(struct rimp *I, struct rsource *s)
{
	enum reading_pref p = pref_of(I->origin);
	enum refi_reading pref = p == PREF_NVIVO ? RD_U16 : p == PREF_ATLAS ? RD_CP_CRLF1 : RD_CP, best = pref;
	long score[RD_N] = { 0 };
	size_t i;
	int r;
	for (r = 0; r < RD_N; r++)
		for (i = 0; i < s->n_sel; i++) {
			long a = refi_text_pos(&s->t, (enum refi_reading)r, s->sel[i].start, 0);
			long b = refi_text_pos(&s->t, (enum refi_reading)r, s->sel[i].end, 1);
			score[r] += a >= 0 && b >= 0 && refi_text_fits(&s->t, a, b);
		}
	for (r = 0; r < RD_N; r++)
		if (score[r] > score[best])
			best = (enum refi_reading)r;
	s->reading = best;
	if (best != pref)
		return row(I, "positions", 1, refi_reading_key(best),
		           "%s: positions read as %s, not %s as the origin '%s' suggests: %ld of %zu selections start and "
		           "end on word boundaries so, %ld the other way",
		           s->name, refi_reading_name(best), refi_reading_name(pref), I->origin ? I->origin : "",
		           score[best], s->n_sel, score[pref]);
	return QDA_OK;
}

static enum qda_status place(struct rimp *I, struct rsource *s, long length)
{
	size_t i;
	enum qda_status rc = QDA_OK;
	for (i = 0; i < s->n_sel && rc == QDA_OK; i++) {
		struct rsel *x = &s->sel[i];
		long a = refi_text_pos(&s->t, s->reading, x->start, 0), b = refi_text_pos(&s->t, s->reading, x->end, 1);
		const char *why = NULL;
		int r, same = 1;
		x->s = x->e = -1;
		if (x->start < 0 || x->end <= x->start)
			why = "its end is not after its start";
		else if (a == -1 || b == -1)
			why = "it lies past the end of the text";
		else if (a == -2 || b == -2)
			why = "it starts or ends inside a character";
		else if (!refi_text_fits(&s->t, a, b)) {
			/* a selection inside a word is kept when every reading agrees */
			for (r = 0; r < RD_N && same; r++)
				same = refi_text_pos(&s->t, (enum refi_reading)r, x->start, 0) == a &&
				       refi_text_pos(&s->t, (enum refi_reading)r, x->end, 1) == b;
			if (!same)
				why = "no reading of its positions puts it on word boundaries";
		}
		if (!why && b > length)
			b = length;
		if (!why && a >= b)
			why = "it lies in the blank lines at the end of the text";
		if (why) {
			rc = row(I, "selections", 1, "skipped", "%s: selection %s [%ld, %ld) not placed: %s (%s units: %ld)",
			         s->name, x->guid, x->start, x->end, why, refi_reading_key(s->reading),
			         refi_text_units(&s->t, s->reading));
			I->rep->selections_skipped++;
			continue;
		}
		x->s = a;
		x->e = b;
	}
	return rc;
}

static enum qda_status store_source(struct rimp *I, struct rsource *s)
{
	struct qda_import_report ir;
	char hash[65], where[800];
	enum qda_status rc;
	long long length = 0;
	char *text;

	qda_sha256_hex(s->t.text, s->t.len, hash);
	snprintf(where, sizeof where, "%s:%s", I->path, s->name);
	if (!(text = strdup(s->t.text)))
		return nomem(I);
	rc = imp_store_text(I->h, s->name, where, hash, text, s->t.len, s->case_name, &ir, &s->doc_id);
	if (rc == QDA_EEXIST) {
		s->doc_id = 0;
		I->rep->documents_conflict++;
		return row(I, "documents", 1, "skipped",
		           "%s: a different document of that name is here; its %zu selections are not imported (rename "
		           "it with 'qda doc rename' and import again)",
		           s->name, s->n_sel);
	}
	if (rc != QDA_OK)
		return rc;
	if (ir.result == QDA_SKIPPED_SAME) {
		I->rep->documents_matched++;
		rc = row(I, "documents", 1, "matched", "%s: the same text is document %s here", s->name, ir.existing);
	} else {
		sqlite3_stmt *g = prep(I->h, "UPDATE document_all SET guid = ?1 WHERE id = ?2"
		                             " AND NOT EXISTS (SELECT 1 FROM document_all WHERE guid = ?1)");
		I->rep->documents++;
		if (!g)
			rc = QDA_EDB;
		else {
			bind_text(g, 1, s->guid);
			sqlite3_bind_int64(g, 2, s->doc_id);
			rc = s->guid[0] ? step_done(I->h, g) : QDA_OK;
			sqlite3_finalize(g);
		}
	}
	qda_import_report_free(&ir);
	if (rc == QDA_OK && (rc = query_int(I->h, "SELECT length FROM document WHERE id = ?", s->doc_id, &length)) ==
	                        QDA_OK)
		rc = place(I, s, (long)length);
	return rc;
}

/* The named case holding a source, from the Cases' SourceRefs. */
static const char *case_of(struct rimp *I, const char *guid)
{
	xmlNode *c, *r;
	for (c = refi_kid(refi_kid(I->root, "Cases"), "Case"); c; c = refi_next(c, "Case")) {
		const char *name = refi_attr(c, "name");
		if (!name || !*name)
			continue;
		for (r = refi_kid(c, "SourceRef"); r; r = refi_next(r, "SourceRef")) {
			char g[37];
			if (!refi_guid(refi_attr(r, "targetGUID"), g) && !strcmp(g, guid))
				return name;
		}
	}
	return NULL;
}

static enum qda_status sources(struct rimp *I, xmlNode *ss)
{
	static const char *const other[] = { "PDFSource", "PictureSource", "AudioSource", "VideoSource" };
	static const char *const other_name[] = { "PDF", "picture", "audio", "video" };
	size_t n = 0, k;
	xmlNode *x;
	enum qda_status rc = QDA_OK;

	for (k = 0; k < 4; k++) {
		long cnt = 0, sel = 0;
		for (x = refi_kid(ss, other[k]); x; x = refi_next(x, other[k]), cnt++)
			for (xmlNode *c = x->children; c; c = c->next)
				sel += c->type == XML_ELEMENT_NODE && strstr((const char *)c->name, "Selection");
		if (cnt && (rc = row(I, "sources", cnt, "skipped",
		                     "%s source%s with %ld selection%s: qda holds text transcripts only", other_name[k],
		                     cnt == 1 ? "" : "s", sel, sel == 1 ? "" : "s")) != QDA_OK)
			return rc;
	}
	for (x = refi_kid(ss, "TextSource"); x; x = refi_next(x, "TextSource"))
		n++;
	if (!(I->src = calloc(n + 1, sizeof *I->src)))
		return nomem(I);
	for (x = refi_kid(ss, "TextSource"); x && rc == QDA_OK; x = refi_next(x, "TextSource")) {
		struct rsource *s = &I->src[I->n_src++];
		const char *name = refi_attr(x, "name"), *cn;
		char entry[700], loc[1600];
		char *text = NULL;
		size_t len = 0, m = 0;
		xmlNode *y;
		s->x = x;
		if (refi_guid(refi_attr(x, "guid"), s->guid))
			s->guid[0] = '\0';
		if (!(s->name = strdup(name && *name ? name : "source")))
			return nomem(I);
		if ((rc = ref_add(I, s->guid, RK_SOURCE, (long)(s - I->src), 0)) != QDA_OK)
			return rc;
		for (y = refi_kid(x, "PlainTextSelection"); y; y = refi_next(y, "PlainTextSelection"))
			m++;
		if (!(s->sel = calloc(m + 1, sizeof *s->sel)))
			return nomem(I);
		for (y = refi_kid(x, "PlainTextSelection"); y; y = refi_next(y, "PlainTextSelection")) {
			struct rsel *e = &s->sel[s->n_sel];
			const char *a = refi_attr(y, "startPosition"), *b = refi_attr(y, "endPosition");
			e->x = y;
			if (refi_guid(refi_attr(y, "guid"), e->guid))
				e->guid[0] = '\0';
			e->user = refi_attr(y, "creatingUser");
			e->start = a ? strtol(a, NULL, 10) : -1;
			e->end = b ? strtol(b, NULL, 10) : -1;
			e->s = e->e = -1;
			if ((rc = ref_add(I, e->guid, RK_SEL, (long)(s - I->src), (long)s->n_sel)) != QDA_OK)
				return rc;
			s->n_sel++;
		}
		if ((rc = source_text(I, x, s->name, &text, &len, entry, sizeof entry)) != QDA_OK || !text) {
			I->rep->selections_skipped += (long)s->n_sel;
			continue;
		}
		snprintf(loc, sizeof loc, "%s:%s", I->path, entry);
		rc = refi_text_new(I->h, loc, text, len, &s->t);
		free(text);
		if (rc != QDA_OK)
			return rc;
		s->have_text = 1;
		if ((cn = s->guid[0] ? case_of(I, s->guid) : NULL) && !(s->case_name = strdup(cn)))
			return nomem(I);
		if ((rc = choose_reading(I, s)) != QDA_OK)
			return rc;
		rc = store_source(I, s);
	}
	return rc;
}

/* ---- cases and variables ---- */

static enum qda_status set_value(struct rimp *I, const char *case_name, const xmlNode *vv)
{
	static const char *const kinds[] = { "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
	                                     "DateTimeValue" };
	const xmlNode *ref = refi_kid(vv, "VariableRef"), *val = NULL;
	const xmlNode *var;
	const char *key = NULL;
	char *value, *kv;
	enum qda_status rc;
	size_t k;
	for (k = 0; k < 6 && !val; k++)
		val = refi_kid(vv, kinds[k]);
	if (ref) {
		char g[37];
		if (!refi_guid(refi_attr(ref, "targetGUID"), g))
			for (var = refi_kid(refi_kid(I->root, "Variables"), "Variable"); var && !key;
			     var = refi_next(var, "Variable")) {
				char h2[37];
				if (!refi_guid(refi_attr(var, "guid"), h2) && !strcmp(g, h2))
					key = refi_attr(var, "name");
			}
	}
	if (!key || !val)
		return row(I, "variables", 1, "skipped", "%s: a value without a variable or without a value", case_name);
	if (!(value = refi_content(val)))
		return nomem(I);
	if (!*value) {
		free(value);
		return QDA_OK;
	}
	if (!(kv = malloc(strlen(key) + strlen(value) + 2))) {
		free(value);
		return nomem(I);
	}
	sprintf(kv, "%s=%s", key, value);
	free(value);
	{
		const char *one = kv;
		rc = qda_case_set(I->h, case_name, &one, 1, 1);
	}
	free(kv);
	if (rc == QDA_EINPUT || rc == QDA_EINVAL)
		return row(I, "variables", 1, "skipped", "%s: %s: %s", case_name, key, qda_errmsg(I->h));
	if (rc == QDA_OK)
		I->rep->variables++;
	return rc;
}

static enum qda_status cases(struct rimp *I)
{
	xmlNode *c, *v;
	enum qda_status rc = QDA_OK;
	size_t i;
	sqlite3_stmt *upd = NULL, *find = NULL;
	upd = prep(I->h, "UPDATE cases SET guid = coalesce((SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM cases WHERE guid = ?1)),"
	                 " guid), description = coalesce(description, ?3) WHERE id = ?2");
	find = prep(I->h, "SELECT id FROM cases WHERE name = ?");
	if (!upd || !find) {
		rc = QDA_EDB;
		goto out;
	}
	for (c = refi_kid(refi_kid(I->root, "Cases"), "Case"); c && rc == QDA_OK; c = refi_next(c, "Case")) {
		const char *name = refi_attr(c, "name");
		char guid[37];
		long long id = 0, existed = 0;
		char *desc = NULL;
		int r;
		if (!name || !*name) {
			/* an unnamed case with one source: the source's variables */
			xmlNode *sr = refi_kid(c, "SourceRef");
			struct rref *x = sr && !refi_next(sr, "SourceRef") ? ref_find(I, refi_attr(sr, "targetGUID")) : NULL;
			const char *cn;
			if (!x || x->kind != RK_SOURCE || !I->src[x->a].doc_id) {
				rc = row(I, "cases", 1, "skipped", "an unnamed case that is not one imported source's");
				continue;
			}
			cn = I->src[x->a].case_name ? I->src[x->a].case_name : I->src[x->a].name;
			for (v = refi_kid(c, "VariableValue"); v && rc == QDA_OK; v = refi_next(v, "VariableValue"))
				rc = set_value(I, cn, v);
			continue;
		}
		if (name_problem(name, 200)) {
			rc = row(I, "cases", 1, "skipped", "case '%s': %s", name, name_problem(name, 200));
			continue;
		}
		sqlite3_reset(find);
		bind_text(find, 1, name);
		if ((r = step_row(I->h, find, "find case")) < 0) {
			rc = QDA_EDB;
			break;
		}
		if ((rc = case_ensure(I->h, name, &id)) != QDA_OK)
			break;
		existed = id <= I->last_case;
		if (existed)
			I->rep->cases_matched++;
		else
			I->rep->cases++;
		if ((rc = ref_add(I, refi_guid(refi_attr(c, "guid"), guid) ? "" : guid, RK_CASE, 0, (long)id)) != QDA_OK)
			break;
		if (refi_kid(c, "Description") && !(desc = refi_content(refi_kid(c, "Description")))) {
			rc = nomem(I);
			break;
		}
		sqlite3_reset(upd);
		sqlite3_clear_bindings(upd);
		if (!refi_guid(refi_attr(c, "guid"), guid))
			bind_text(upd, 1, guid);
		sqlite3_bind_int64(upd, 2, id);
		bind_text(upd, 3, desc && *desc ? desc : NULL);
		rc = step_done(I->h, upd);
		free(desc);
		for (v = refi_kid(c, "VariableValue"); v && rc == QDA_OK; v = refi_next(v, "VariableValue"))
			rc = set_value(I, name, v);
	}
	/* variables given on the sources themselves */
	for (i = 0; i < I->n_src && rc == QDA_OK; i++) {
		struct rsource *s = &I->src[i];
		if (!s->doc_id)
			continue;
		for (v = refi_kid(s->x, "VariableValue"); v && rc == QDA_OK; v = refi_next(v, "VariableValue"))
			rc = set_value(I, s->case_name ? s->case_name : s->name, v);
	}
out:
	sqlite3_finalize(upd);
	sqlite3_finalize(find);
	return rc;
}

/* ---- codings ---- */

static long long coder_for(struct rimp *I, const char *a, const char *b)
{
	long long id = user_of(I, a);
	if (!id)
		id = user_of(I, b);
	if (!id)
		id = user_of(I, refi_attr(I->root, "creatingUserGUID"));
	return id ? id : I->default_coder;
}

static enum qda_status codings(struct rimp *I)
{
	struct coding_writer *w = NULL;
	enum qda_status rc;
	size_t i, j;
	sqlite3_stmt *g = NULL;
	if ((rc = coding_writer_new(I->h, &w)) != QDA_OK)
		return rc;
	if (!(g = prep(I->h, "UPDATE coding_all SET guid = ?1 WHERE id = ?2"
	                     " AND NOT EXISTS (SELECT 1 FROM coding_all WHERE guid = ?1)"))) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < I->n_src && rc == QDA_OK; i++) {
		struct rsource *s = &I->src[i];
		for (j = 0; j < s->n_sel && rc == QDA_OK; j++) {
			struct rsel *x = &s->sel[j];
			const xmlNode *c;
			char *memo = NULL;
			size_t m = 0;
			for (c = refi_kid(x->x, "Coding"); c; c = refi_next(c, "Coding"))
				m++;
			if (!s->doc_id || x->s < 0) {
				I->rep->codings_skipped += (long)m;
				continue;
			}
			if (!(x->codings = calloc(m + 1, sizeof *x->codings)))
				return nomem(I);
			if (refi_kid(x->x, "Description") && !(memo = refi_content(refi_kid(x->x, "Description")))) {
				rc = nomem(I);
				break;
			}
			for (c = refi_kid(x->x, "Coding"); c && rc == QDA_OK; c = refi_next(c, "Coding")) {
				struct rref *code = ref_find(I, refi_attr(refi_kid(c, "CodeRef"), "targetGUID"));
				long long coder = coder_for(I, refi_attr(c, "creatingUser"), x->user), id;
				char cg[37];
				int created;
				if (!code || code->kind != RK_CODE) {
					I->rep->codings_skipped++;
					rc = row(I, "codings", 1, "skipped", "%s: a coding of selection %s names no code of the project",
					         s->name, x->guid);
					continue;
				}
				if (!coder && (rc = coder_id(I->h, &coder)) != QDA_OK) {
					if (rc == QDA_EINVAL)
						rc = seterr_at(I->h, QDA_EINPUT, I->path,
						               "codings without a user who made them; say who with --coder NAME");
					break;
				}
				rc = coding_writer_add(w, s->doc_id, code->b, coder, x->s, x->e, 0, 0, "import", NULL,
				                       memo && *memo ? memo : NULL, &id, &created);
				if (rc != QDA_OK)
					break;
				x->codings[x->n_codings++] = id;
				/* a NoteRef inside the Coding names it: its memo is this coding's */
				if (!refi_guid(refi_attr(c, "guid"), cg) && (rc = ref_add(I, cg, RK_CODING, 0, (long)id)) != QDA_OK)
					break;
				if (created) {
					I->rep->codings++;
					if (!refi_guid(refi_attr(c, "guid"), cg)) {
						sqlite3_reset(g);
						bind_text(g, 1, cg);
						sqlite3_bind_int64(g, 2, id);
						rc = step_done(I->h, g);
					}
				} else {
					I->rep->codings_present++;
				}
			}
			if (rc == QDA_OK && memo && *memo && x->n_codings)
				I->rep->memos++;
			free(memo);
		}
	}
out:
	sqlite3_finalize(g);
	coding_writer_free(w);
	return rc;
}

/* ---- notes become memos ---- */

static enum qda_status memo_insert(struct rimp *I, struct rnote *n, const char *kind, const char *col,
                                   long long target)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;
	enum qda_status rc;
	long long dup = 0;
	const char *user = refi_attr(n->x, "creatingUser");
	long long coder = user_of(I, user);
	/* the same memo on the same object is there already: imported before */
	buf_addf(&sql, "SELECT count(*) FROM memo WHERE text = ?1 AND target_kind = ?2 AND %s IS ?3",
	         col ? col : "NULL");
	if (sql.failed)
		return nomem(I);
	{
		sqlite3_stmt *f = prep(I->h, sql.s);
		buf_free(&sql);
		if (!f)
			return QDA_EDB;
		bind_text(f, 1, n->text);
		bind_text(f, 2, kind);
		if (col)
			sqlite3_bind_int64(f, 3, target);
		if (step_row(I->h, f, "find memo") > 0)
			dup = sqlite3_column_int64(f, 0);
		sqlite3_finalize(f);
		if (dup) {
			n->used = 1;
			I->rep->memos_present++;
			return QDA_OK;
		}
	}
	/* a Note's creationDateTime is the memo's time, when SQLite can read it */
	buf_addf(&sql, "INSERT INTO memo(target_kind, coder_id, title, text, created%s%s) VALUES (?1, ?2, ?3, ?4,"
	         " coalesce(strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', ?6), strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))%s)",
	         col ? ", " : "", col ? col : "", col ? ", ?5" : "");
	if (sql.failed)
		return nomem(I);
	st = prep(I->h, sql.s);
	buf_free(&sql);
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, kind);
	if (coder)
		sqlite3_bind_int64(st, 2, coder);
	bind_text(st, 3, n->title);
	bind_text(st, 4, n->text);
	if (col)
		sqlite3_bind_int64(st, 5, target);
	if (refi_is(n->x, "Note"))
		bind_text(st, 6, refi_attr(n->x, "creationDateTime"));
	rc = step_done(I->h, st);
	sqlite3_finalize(st);
	if (rc == QDA_OK && !n->used && n->guid[0]) {
		sqlite3_stmt *g = prep(I->h, "UPDATE memo SET guid = ?1 WHERE id = ?2"
		                             " AND NOT EXISTS (SELECT 1 FROM memo WHERE guid = ?1)");
		if (!g)
			return QDA_EDB;
		bind_text(g, 1, n->guid);
		sqlite3_bind_int64(g, 2, sqlite3_last_insert_rowid(I->h->db));
		rc = step_done(I->h, g);
		sqlite3_finalize(g);
	}
	if (rc == QDA_OK) {
		n->used = 1;
		I->rep->memos++;
	}
	return rc;
}

/* A note attached to the object a GUID names; 0 when it names none here. */
static enum qda_status attach(struct rimp *I, struct rnote *n, const char *target, int *done)
{
	struct rref *r = ref_find(I, target);
	*done = 0;
	if (!r)
		return QDA_OK;
	*done = 1;
	switch (r->kind) {
	case RK_SOURCE:
		if (I->src[r->a].doc_id)
			return memo_insert(I, n, "document", "doc_id", I->src[r->a].doc_id);
		break;
	case RK_SEL: {
		struct rsource *s = &I->src[r->a];
		struct rsel *x = &s->sel[r->b];
		size_t k;
		enum qda_status rc = QDA_OK;
		if (x->n_codings) {
			for (k = 0; k < x->n_codings && rc == QDA_OK; k++)
				rc = memo_insert(I, n, "coding", "coding_id", x->codings[k]);
			return rc;
		}
		if (s->doc_id)
			return memo_insert(I, n, "document", "doc_id", s->doc_id);
		break;
	}
	case RK_CODE:
		return memo_insert(I, n, "node", "node_id", r->b);
	case RK_CASE:
		return memo_insert(I, n, "case", "case_id", r->b);
	case RK_CODING:
		return memo_insert(I, n, "coding", "coding_id", r->b);
	default:
		*done = 0;
		break;
	}
	return QDA_OK;
}

/* A Note's name as its memo's title, read as refi_export.c names notes: a
 * journal entry is "Journal, WHEN" untitled, "Journal: TITLE" titled (or
 * just "Journal"), and comes back a journal entry; "Project memo, WHEN" and
 * "Memo on ..., WHEN" (WHEN its creationDateTime) are no title. Any other
 * name is the title. 0, or -1 out of memory. */
static int note_name(struct rnote *t, const char *name, const char *when)
{
	size_t len = strlen(name), wl = when ? strlen(when) : 0;
	const char *title = name;
	int generated = wl && len > wl + 2 && !strcmp(name + len - wl, when) && !strncmp(name + len - wl - 2, ", ", 2);
	if (!strcmp(name, "Journal") || !strncmp(name, "Journal, ", 9)) {
		t->journal = 1;
		title = generated || !strcmp(name, "Journal") ? NULL : name;
	} else if (!strncmp(name, "Journal: ", 9)) {
		t->journal = 1;
		title = name + 9;
	} else if (generated && ((len - wl - 2 == 12 && !strncmp(name, "Project memo", 12)) || !strncmp(name, "Memo on ", 8)))
		title = NULL;
	return title && *title && !(t->title = strdup(title)) ? -1 : 0;
}

static struct rnote *note_of(struct rimp *I, const char *written)
{
	struct rref *r = ref_find(I, written);
	return r && r->kind == RK_NOTE ? &I->notes[r->a] : NULL;
}

/* NoteRefs anywhere under x attach their notes to the object x is. */
static enum qda_status note_refs(struct rimp *I, const xmlNode *x, const char *owner)
{
	const xmlNode *c;
	enum qda_status rc = QDA_OK;
	for (c = x->children; c && rc == QDA_OK; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (refi_is(c, "NoteRef")) {
			struct rnote *n = note_of(I, refi_attr(c, "targetGUID"));
			int done = 0;
			if (!n)
				continue;
			if (owner)
				rc = attach(I, n, owner, &done);
			else
				rc = memo_insert(I, n, n->journal ? "journal" : "project", NULL, 0);
		} else if (!refi_is(c, "Notes") && !refi_is(c, "Links")) {
			const char *g = refi_attr(c, "guid");
			rc = note_refs(I, c, g ? g : refi_is(c, "Description") ? owner : owner);
		}
	}
	return rc;
}

static enum qda_status notes(struct rimp *I)
{
	xmlNode *x, *ns = refi_kid(I->root, "Notes"), *l;
	size_t n = 0, i;
	enum qda_status rc = QDA_OK;
	long links_skipped = 0;
	for (x = refi_kid(ns, "Note"); x; x = refi_next(x, "Note"))
		n++;
	if (!(I->notes = calloc(n + 1, sizeof *I->notes)))
		return nomem(I);
	for (x = refi_kid(ns, "Note"); x; x = refi_next(x, "Note")) {
		struct rnote *t = &I->notes[I->n_notes];
		char entry[700];
		size_t len;
		const char *name = refi_attr(x, "name");
		char *raw = NULL, *norm = NULL;
		size_t nlen;
		t->x = x;
		if (refi_guid(refi_attr(x, "guid"), t->guid))
			t->guid[0] = '\0';
		if ((rc = source_text(I, x, name ? name : "note", &raw, &len, entry, sizeof entry)) != QDA_OK)
			return rc;
		if (!raw)
			continue;
		if (qda_text_normalize(raw, len, &norm, &nlen) != QDA_OK) {
			free(raw);
			rc = row(I, "memos", 1, "skipped", "note '%s': its text is not UTF-8", name ? name : "");
			continue;
		}
		free(raw);
		while (nlen && (norm[nlen - 1] == '\n' || norm[nlen - 1] == ' '))
			norm[--nlen] = '\0';
		if (!nlen) {
			free(norm);
			continue;
		}
		t->text = norm;
		if (name && *name && note_name(t, name, refi_attr(x, "creationDateTime")))
			return nomem(I);
		if ((rc = ref_add(I, t->guid, RK_NOTE, (long)I->n_notes, 0)) != QDA_OK)
			return rc;
		I->n_notes++;
	}
	refs_sort(I);
	/* NoteRefs: on the project, sources, selections, codes, cases */
	if ((rc = note_refs(I, I->root, NULL)) != QDA_OK)
		return rc;
	/* Links between a note and another object */
	for (l = refi_kid(refi_kid(I->root, "Links"), "Link"); l && rc == QDA_OK; l = refi_next(l, "Link")) {
		const char *a = refi_attr(l, "originGUID"), *b = refi_attr(l, "targetGUID");
		struct rnote *na = note_of(I, a), *nb = note_of(I, b);
		int done = 0;
		if (na && !nb)
			rc = attach(I, na, b, &done);
		else if (nb && !na)
			rc = attach(I, nb, a, &done);
		if (!done)
			links_skipped++;
	}
	if (rc == QDA_OK && links_skipped)
		rc = row(I, "links", links_skipped, "skipped", "qda keeps no links between objects (only a note's link "
		         "to what it is about becomes a memo)");
	/* notes about nothing are the project's */
	for (i = 0; i < I->n_notes && rc == QDA_OK; i++)
		if (!I->notes[i].used)
			rc = memo_insert(I, &I->notes[i], I->notes[i].journal ? "journal" : "project", NULL, 0);
	return rc;
}

/* Sources' and selections' descriptions of no coding: memos on documents. */
static enum qda_status descriptions(struct rimp *I)
{
	size_t i, j;
	enum qda_status rc = QDA_OK;
	for (i = 0; i < I->n_src && rc == QDA_OK; i++) {
		struct rsource *s = &I->src[i];
		struct rnote n = { 0 };
		if (!s->doc_id)
			continue;
		for (j = 0; j <= s->n_sel && rc == QDA_OK; j++) {
			const xmlNode *x = j == 0 ? s->x : s->sel[j - 1].x;
			if (j > 0 && (s->sel[j - 1].n_codings || s->sel[j - 1].s < 0))
				continue;
			if (!refi_kid(x, "Description"))
				continue;
			n.x = x;
			if (!(n.text = refi_content(refi_kid(x, "Description"))))
				return nomem(I);
			if (*n.text)
				rc = memo_insert(I, &n, "document", "doc_id", s->doc_id);
			free(n.text);
			n.text = NULL;
			n.used = 1; /* no GUID to keep */
		}
	}
	return rc;
}

static long count_kids(const xmlNode *p, const char *wrap, const char *el)
{
	const xmlNode *w, *x;
	long n = 0;
	for (w = refi_kid(p, wrap); w; w = refi_next(w, wrap))
		for (x = refi_kid(w, el); x; x = refi_next(x, el))
			n++;
	return n;
}

static void free_all(struct rimp *I)
{
	size_t i, j;
	for (i = 0; i < I->n_src; i++) {
		free(I->src[i].name);
		free(I->src[i].case_name);
		refi_text_free(&I->src[i].t);
		for (j = 0; j < I->src[i].n_sel; j++)
			free(I->src[i].sel[j].codings);
		free(I->src[i].sel);
	}
	free(I->src);
	for (i = 0; i < I->n_notes; i++) {
		free(I->notes[i].title);
		free(I->notes[i].text);
	}
	free(I->notes);
	free(I->refs);
	for (i = 0; i < I->n_rows; i++) {
		free(I->rows[i].item);
		free(I->rows[i].status);
		free(I->rows[i].detail);
	}
	free(I->rows);
	if (I->doc)
		xmlFreeDoc(I->doc);
	refi_zip_close(I->z);
}

enum qda_status qda_refi_import(struct qda *h, const char *path, qda_refi_row_fn fn, void *ctx,
                                struct qda_refi_report *rep)
{
	struct rimp I = { 0 };
	enum qda_status rc;
	char *qde = NULL, tail[64], msg[512];
	size_t len = 0, i;
	long sets, graphs;

	memset(rep, 0, sizeof *rep);
	I.h = h;
	I.path = path;
	I.rep = rep;
	if ((rc = refi_zip_open(h, path, &I.z)) != QDA_OK || (rc = refi_zip_find_one(h, I.z, ".qde", &I.qde)) != QDA_OK ||
	    (rc = refi_zip_read(h, I.z, I.qde, &qde, &len)) != QDA_OK)
		goto out;
	qda_sha256_hex(qde, len, I.qde_hash);
	if (!(I.doc = refi_xml_read(qde, len, I.qde, tail, sizeof tail, msg, sizeof msg))) {
		char loc[800];
		snprintf(loc, sizeof loc, "%s:%s%s", path, I.qde, tail);
		rc = seterr_at(h, QDA_EINPUT, loc, "%s; nothing was imported", msg);
		goto out;
	}
	I.root = xmlDocGetRootElement(I.doc);
	if (!refi_is(I.root, "Project")) {
		rc = seterr_at(h, QDA_EINPUT, path, "%s is not a REFI-QDA project: its root element is <%s>, not <Project>",
		               I.qde, I.root ? (const char *)I.root->name : "");
		goto out;
	}
	I.origin = refi_attr(I.root, "origin");
	I.title = refi_attr(I.root, "name");
	if (!I.title || !*I.title)
		I.title = "Imported codebook";
	if (I.origin && !(rep->origin = strdup(I.origin))) {
		rc = nomem(&I);
		goto out;
	}
	if ((rc = savepoint(h, "refi_import")) != QDA_OK)
		goto out;
	tx_bulk(h);
	if ((rc = query_int(h, "SELECT coalesce(max(id), 0) FROM cases WHERE ? IS NOT NULL", 0, &I.last_case)) != QDA_OK)
		goto fail;
	if ((rc = users(&I, refi_kid(I.root, "Users"))) != QDA_OK)
		goto fail;
	refs_sort(&I);
	if ((rc = codes(&I, refi_kid(I.root, "CodeBook"))) != QDA_OK)
		goto fail;
	refs_sort(&I);
	if ((rc = sources(&I, refi_kid(I.root, "Sources"))) != QDA_OK)
		goto fail;
	refs_sort(&I);
	if ((rc = cases(&I)) != QDA_OK)
		goto fail;
	refs_sort(&I);
	if ((rc = codings(&I)) != QDA_OK || (rc = notes(&I)) != QDA_OK || (rc = descriptions(&I)) != QDA_OK)
		goto fail;
	sets = count_kids(I.root, "Sets", "Set") + count_kids(refi_kid(I.root, "CodeBook"), "Sets", "Set");
	graphs = count_kids(I.root, "Graphs", "Graph");
	if (sets && (rc = row(&I, "sets", sets, "skipped", "qda has no sets; code a set's members with a theme "
	                                                   "instead")) != QDA_OK)
		goto fail;
	if (graphs && (rc = row(&I, "graphs", graphs, "skipped", "qda draws no graphs (see qda map)")) != QDA_OK)
		goto fail;
	if ((rc = release(h, "refi_import")) != QDA_OK)
		goto out;
	if (fn)
		for (i = 0; i < I.n_rows; i++) {
			struct qda_refi_row r = { I.rows[i].item, I.rows[i].n, I.rows[i].status, I.rows[i].detail };
			if (fn(ctx, &r))
				break;
		}
	goto out;
fail:
	rollback_to(h, "refi_import");
out:
	free(qde);
	free_all(&I);
	if (rc != QDA_OK)
		qda_refi_report_free(rep);
	return rc;
}

void qda_refi_report_free(struct qda_refi_report *rep)
{
	if (!rep)
		return;
	free(rep->origin);
	rep->origin = NULL;
}
