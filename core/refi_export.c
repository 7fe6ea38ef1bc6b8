/* refi_export.c — the project as a REFI-QDA project (.qdpx): project.qde
 * written by libxml2's xmlTextWriter into a temporary file, the texts of the
 * current documents and of the memos as sources/<guid>.txt, zipped by libzip
 * in memory and handed to the caller whole. Reads the project, never writes
 * to it; never prints. The same project gives the same bytes: stored GUIDs
 * (or GUIDs derived from them), stored timestamps, a fixed order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <nettle/sha2.h>
#include <zip.h>

#include "refi.h"

#define NS_PROJECT "urn:QDA-XML:project:1.0"

/* A case attribute key as a REFI-QDA Variable. */
struct variable {
	char *key;
	char guid[37];
	int integer; /* every value a plain integer: typeOfVariable Integer */
};

struct exp {
	struct qda *h;
	xmlTextWriterPtr w;
	zip_t *za;
	time_t mtime;        /* of every zip entry: the project's last change */
	char *ns;            /* the project's GUID (meta), for derived GUIDs; "" when none */
	struct variable *vars;
	size_t n_vars;
	sqlite3_stmt *node_memos, *doc_memos, *coding_memos;
	enum qda_status src_rc; /* an error of a document read while zipping */
	enum qda_status notes_rc; /* an error of a code's NoteRefs (inside refi_write_codes) */
	struct qda_export_report rep;
};

/* ---- small helpers ---- */

/* A GUID that is a function of the project, a kind and a name: for what
 * REFI-QDA names and qda stores no GUID of its own (a Coding inside a
 * selection, a variable, a link). SHA-256, shaped as a version 5 UUID. */
static void derive_guid(const struct exp *e, const char *kind, const char *name, char out[37])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];
	struct sha256_ctx c;
	size_t i, o = 0;
	sha256_init(&c);
	sha256_update(&c, strlen(e->ns) + 1, (const uint8_t *)e->ns);
	sha256_update(&c, strlen(kind) + 1, (const uint8_t *)kind);
	sha256_update(&c, strlen(name), (const uint8_t *)name);
	sha256_digest(&c, sizeof d, d);
	d[6] = (uint8_t)((d[6] & 0x0f) | 0x50);
	d[8] = (uint8_t)((d[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[d[i] >> 4];
		out[o++] = hex[d[i] & 15];
	}
	out[o] = '\0';
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

static int start(xmlTextWriterPtr w, const char *name)
{
	return xmlTextWriterStartElement(w, BAD_CAST name) < 0 ? -1 : 0;
}

static int end(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* An attribute, left out when the value is empty (an optional one unset). */
static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (!value || !*value)
		return 0;
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value) < 0 ? -1 : 0;
}

static int ref(xmlTextWriterPtr w, const char *element, const char *guid)
{
	return start(w, element) || attr(w, "targetGUID", guid) || end(w);
}

static enum qda_status xml_failed(struct exp *e)
{
	return seterr(e->h, QDA_EIO, "cannot write the REFI-QDA project file (project.qde): %s",
	              errno ? strerror(errno) : "the XML writer failed");
}

/* NoteRefs to the memos a prepared statement (one id parameter) yields. */
static enum qda_status note_refs(struct exp *e, sqlite3_stmt *st, long long id)
{
	int r;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	while ((r = step_row(e->h, st, "read memos")) > 0)
		if (ref(e->w, "NoteRef", col(st, 0)))
			return xml_failed(e);
	return r < 0 ? QDA_EDB : QDA_OK;
}

/* ---- zip entries ---- */

static enum qda_status zip_failed(struct exp *e, const char *name)
{
	return seterr(e->h, QDA_EIO, "cannot add %s to the REFI-QDA project: %s", name, zip_strerror(e->za));
}

static enum qda_status add_entry(struct exp *e, const char *name, zip_source_t *src)
{
	zip_int64_t ix = zip_file_add(e->za, name, src, ZIP_FL_ENC_UTF_8);
	if (ix < 0) {
		zip_source_free(src);
		return zip_failed(e, name);
	}
	if (zip_file_set_mtime(e->za, (zip_uint64_t)ix, e->mtime, 0) < 0)
		return zip_failed(e, name);
	return QDA_OK;
}

/* A document's text, read from the project only when libzip writes it, so
 * that one text at a time is in memory. */
struct doc_src {
	struct exp *e;
	long long id;
	zip_uint64_t size;
	char *text;
	size_t len, off;
	zip_error_t err;
};

static int doc_load(struct doc_src *s)
{
	struct qda *h = s->e->h;
	sqlite3_stmt *st = prep(h, "SELECT text FROM document_all WHERE id = ?");
	int r;
	if (!st) {
		s->e->src_rc = QDA_EDB;
		return -1;
	}
	sqlite3_bind_int64(st, 1, s->id);
	if ((r = step_row(h, st, "read a document's text")) > 0) {
		s->len = (size_t)sqlite3_column_bytes(st, 0);
		if ((s->text = malloc(s->len + 1)))
			memcpy(s->text, sqlite3_column_blob(st, 0), s->len);
		else
			s->e->src_rc = seterr(h, QDA_ENOMEM, "out of memory");
	} else if (r == 0)
		s->e->src_rc = seterr(h, QDA_EDB, "a document went away during the export");
	else
		s->e->src_rc = QDA_EDB;
	sqlite3_finalize(st);
	return s->text ? 0 : -1;
}

static zip_int64_t doc_source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct doc_src *s = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		if (!s->text && doc_load(s)) {
			zip_error_set(&s->err, ZIP_ER_READ, 0);
			return -1;
		}
		s->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		size_t n = s->len - s->off;
		if (n > len)
			n = (size_t)len;
		memcpy(data, s->text + s->off, n);
		s->off += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		free(s->text);
		s->text = NULL;
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &s->err);
		if (!st)
			return -1;
		zip_stat_init(st);
		st->size = s->size;
		st->mtime = s->e->mtime;
		st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->err, data, len);
	case ZIP_SOURCE_FREE:
		free(s->text);
		zip_error_fini(&s->err);
		free(s);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		                                      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&s->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static enum qda_status add_document(struct exp *e, const char *guid, long long id, zip_uint64_t size)
{
	struct doc_src *s = calloc(1, sizeof *s);
	zip_source_t *src;
	char name[64];
	if (!s)
		return seterr(e->h, QDA_ENOMEM, "out of memory");
	s->e = e;
	s->id = id;
	s->size = size;
	zip_error_init(&s->err);
	if (!(src = zip_source_function(e->za, doc_source, s))) {
		free(s);
		return zip_failed(e, "a document");
	}
	snprintf(name, sizeof name, "sources/%s.txt", guid);
	return add_entry(e, name, src);
}

/* A memo's text: small, copied. */
static enum qda_status add_text(struct exp *e, const char *guid, const void *text, size_t len)
{
	zip_source_t *src;
	char name[64], *copy = malloc(len ? len : 1);
	if (!copy)
		return seterr(e->h, QDA_ENOMEM, "out of memory");
	memcpy(copy, text, len);
	if (!(src = zip_source_buffer(e->za, copy, len, 1))) {
		free(copy);
		return zip_failed(e, "a memo");
	}
	snprintf(name, sizeof name, "sources/%s.txt", guid);
	return add_entry(e, name, src);
}

/* ---- the parts of project.qde, in Project.xsd's order ---- */

static enum qda_status write_users(struct exp *e)
{
	sqlite3_stmt *st = prep(e->h, "SELECT guid, name FROM coder ORDER BY id");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	while (rc == QDA_OK && (r = step_row(e->h, st, "read coders")) > 0) {
		/* no empty <Users/>: the wrapper opens with its first user */
		if ((!e->rep.users++ && start(e->w, "Users")) || start(e->w, "User") || attr(e->w, "guid", col(st, 0)) ||
		    attr(e->w, "name", col(st, 1)) || end(e->w))
			rc = xml_failed(e);
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	if (rc == QDA_OK && e->rep.users && end(e->w))
		rc = xml_failed(e);
	sqlite3_finalize(st);
	return rc;
}

static int code_notes(void *ctx, xmlTextWriterPtr w, const struct cb_node *n)
{
	struct exp *e = ctx;
	(void)w;
	e->notes_rc = note_refs(e, e->node_memos, n->db_id);
	return e->notes_rc == QDA_OK ? 0 : -1;
}

static enum qda_status write_codebook(struct exp *e)
{
	struct cb cb;
	enum qda_status rc;
	if ((rc = cb_from_db(e->h, &cb)) != QDA_OK)
		return rc;
	e->rep.codes = (long)cb.n;
	if (cb.n && (start(e->w, "CodeBook") || refi_write_codes(e->w, &cb, code_notes, e) || end(e->w)))
		rc = e->notes_rc != QDA_OK ? e->notes_rc : xml_failed(e);
	cb_free(&cb);
	return rc;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct variable *)a)->key, ((const struct variable *)b)->key);
}

static const struct variable *variable_of(const struct exp *e, const char *key)
{
	struct variable k;
	k.key = (char *)key;
	return e->n_vars ? bsearch(&k, e->vars, e->n_vars, sizeof *e->vars, by_key) : NULL;
}

/* One Variable per attribute key: Integer when every value is a plain
 * integer (no sign, no leading zero, at most 18 digits), Text otherwise. */
static enum qda_status write_variables(struct exp *e)
{
	sqlite3_stmt *st = prep(e->h, "SELECT key, min(value <> '' AND value NOT GLOB '*[^0-9]*'"
	                              " AND (value = '0' OR value NOT GLOB '0*') AND length(value) <= 18)"
	                              " FROM attribute GROUP BY key ORDER BY key COLLATE BINARY");
	enum qda_status rc = QDA_OK;
	size_t cap = 0, i;
	int r;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(e->h, st, "read case attributes")) > 0) {
		struct variable *v;
		if (e->n_vars == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(v = realloc(e->vars, cap * sizeof *v))) {
				rc = seterr(e->h, QDA_ENOMEM, "out of memory");
				break;
			}
			e->vars = v;
		}
		v = &e->vars[e->n_vars];
		if (!(v->key = strdup(col(st, 0)))) {
			rc = seterr(e->h, QDA_ENOMEM, "out of memory");
			break;
		}
		v->integer = sqlite3_column_int(st, 1);
		derive_guid(e, "variable", v->key, v->guid);
		e->n_vars++;
	}
	sqlite3_finalize(st);
	if (rc != QDA_OK)
		return rc;
	if (r < 0)
		return QDA_EDB;
	if (!e->n_vars)
		return QDA_OK;
	if (start(e->w, "Variables"))
		return xml_failed(e);
	for (i = 0; i < e->n_vars; i++)
		if (start(e->w, "Variable") || attr(e->w, "guid", e->vars[i].guid) || attr(e->w, "name", e->vars[i].key) ||
		    attr(e->w, "typeOfVariable", e->vars[i].integer ? "Integer" : "Text") || end(e->w))
			return xml_failed(e);
	e->rep.variables = (long)e->n_vars;
	return end(e->w) ? xml_failed(e) : QDA_OK;
}

/* A case's values and documents. */
static enum qda_status case_parts(struct exp *e, sqlite3_stmt *values, sqlite3_stmt *docs, long long id)
{
	int r;
	sqlite3_reset(values);
	sqlite3_bind_int64(values, 1, id);
	while ((r = step_row(e->h, values, "read case attributes")) > 0) {
		const struct variable *v = variable_of(e, col(values, 0));
		if (!v)
			return seterr(e->h, QDA_EDB, "the case attributes changed during the export");
		if (start(e->w, "VariableValue") || ref(e->w, "VariableRef", v->guid) ||
		    xmlTextWriterWriteElement(e->w, BAD_CAST(v->integer ? "IntegerValue" : "TextValue"),
		                              BAD_CAST col(values, 1)) < 0 ||
		    end(e->w))
			return xml_failed(e);
	}
	if (r < 0)
		return QDA_EDB;
	sqlite3_reset(docs);
	sqlite3_bind_int64(docs, 1, id);
	while ((r = step_row(e->h, docs, "read documents")) > 0)
		if (ref(e->w, "SourceRef", col(docs, 0)))
			return xml_failed(e);
	return r < 0 ? QDA_EDB : QDA_OK;
}

static enum qda_status write_cases(struct exp *e)
{
	sqlite3_stmt *st = prep(e->h, "SELECT id, guid, name, description FROM cases ORDER BY id");
	sqlite3_stmt *values = prep(e->h, "SELECT key, value FROM attribute WHERE case_id = ? ORDER BY key COLLATE BINARY");
	sqlite3_stmt *docs = prep(e->h, "SELECT guid FROM document WHERE case_id = ? ORDER BY id");
	enum qda_status rc = QDA_OK;
	int r = 0;
	if (!st || !values || !docs)
		rc = QDA_EDB;
	while (rc == QDA_OK && (r = step_row(e->h, st, "read cases")) > 0) {
		if ((!e->rep.cases++ && start(e->w, "Cases")) || start(e->w, "Case") || attr(e->w, "guid", col(st, 1)) ||
		    attr(e->w, "name", col(st, 2)) ||
		    (*col(st, 3) && xmlTextWriterWriteElement(e->w, BAD_CAST "Description", BAD_CAST col(st, 3)) < 0)) {
			rc = xml_failed(e);
			break;
		}
		if ((rc = case_parts(e, values, docs, sqlite3_column_int64(st, 0))) == QDA_OK && end(e->w))
			rc = xml_failed(e);
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	if (rc == QDA_OK && e->rep.cases && end(e->w))
		rc = xml_failed(e);
	sqlite3_finalize(st);
	sqlite3_finalize(values);
	sqlite3_finalize(docs);
	return rc;
}

/* A current coding: its selection [start, end) in code points, as stored,
 * and one Coding of its code; the memo written with it (qda code --memo) is
 * the selection's Description, memos added later are Notes. */
static enum qda_status write_selection(struct exp *e, sqlite3_stmt *c)
{
	char start_s[24], end_s[24], coding[37];
	const char *user = col(c, 5), *at = col(c, 4);
	enum qda_status rc;
	snprintf(start_s, sizeof start_s, "%lld", sqlite3_column_int64(c, 2));
	snprintf(end_s, sizeof end_s, "%lld", sqlite3_column_int64(c, 3));
	derive_guid(e, "coding", col(c, 1), coding);
	if (start(e->w, "PlainTextSelection") || attr(e->w, "guid", col(c, 1)) ||
	    attr(e->w, "startPosition", start_s) || attr(e->w, "endPosition", end_s) ||
	    attr(e->w, "creatingUser", user) || attr(e->w, "creationDateTime", at) ||
	    (*col(c, 7) && xmlTextWriterWriteElement(e->w, BAD_CAST "Description", BAD_CAST col(c, 7)) < 0) ||
	    start(e->w, "Coding") || attr(e->w, "guid", coding) || attr(e->w, "creatingUser", user) ||
	    attr(e->w, "creationDateTime", at) || ref(e->w, "CodeRef", col(c, 6)))
		return xml_failed(e);
	if ((rc = note_refs(e, e->coding_memos, sqlite3_column_int64(c, 0))) != QDA_OK)
		return rc;
	if (end(e->w) || end(e->w))
		return xml_failed(e);
	e->rep.codings++;
	return QDA_OK;
}

static enum qda_status write_source(struct exp *e, sqlite3_stmt *d, sqlite3_stmt *c)
{
	char path[64];
	long long id = sqlite3_column_int64(d, 0);
	enum qda_status rc;
	int r;
	snprintf(path, sizeof path, "internal://%s.txt", col(d, 1));
	if (start(e->w, "TextSource") || attr(e->w, "guid", col(d, 1)) || attr(e->w, "name", col(d, 2)) ||
	    attr(e->w, "plainTextPath", path) || attr(e->w, "creatingUser", col(d, 4)) ||
	    attr(e->w, "creationDateTime", col(d, 3)))
		return xml_failed(e);
	sqlite3_reset(c);
	sqlite3_bind_int64(c, 1, id);
	while ((r = step_row(e->h, c, "read codings")) > 0)
		if ((rc = write_selection(e, c)) != QDA_OK)
			return rc;
	if (r < 0)
		return QDA_EDB;
	if ((rc = note_refs(e, e->doc_memos, id)) != QDA_OK)
		return rc;
	if (end(e->w))
		return xml_failed(e);
	e->rep.documents++;
	return add_document(e, col(d, 1), id, (zip_uint64_t)sqlite3_column_int64(d, 5));
}

static enum qda_status write_sources(struct exp *e)
{
	sqlite3_stmt *d = prep(e->h, "SELECT d.id, d.guid, d.name, d.imported, k.guid, length(CAST(d.text AS BLOB))"
	                             " FROM document d LEFT JOIN coder k ON k.id = d.coder_id ORDER BY d.id");
	sqlite3_stmt *c = prep(e->h, "SELECT c.id, c.guid, c.start, c.end, c.created, k.guid, n.guid, c.memo"
	                             " FROM coding c JOIN node n ON n.id = c.node_id AND n.retired = 0"
	                             " JOIN coder k ON k.id = c.coder_id"
	                             " WHERE c.doc_id = ? ORDER BY c.start, c.end, c.id");
	enum qda_status rc = QDA_OK;
	int r = 0;
	if (!d || !c)
		rc = QDA_EDB;
	while (rc == QDA_OK && (r = step_row(e->h, d, "read documents")) > 0) {
		if (!e->rep.documents && start(e->w, "Sources"))
			rc = xml_failed(e);
		else
			rc = write_source(e, d, c);
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	if (rc == QDA_OK && e->rep.documents && end(e->w))
		rc = xml_failed(e);
	sqlite3_finalize(d);
	sqlite3_finalize(c);
	return rc;
}

/* The memos whose target is exported (a current document, a code of the
 * codebook, a current coding of one, a case) and the project's and journal's. */
#define EXPORTED_MEMOS                                                                                      \
	" FROM memo m LEFT JOIN coder k ON k.id = m.coder_id"                                               \
	" LEFT JOIN document d ON d.id = m.doc_id"                                                          \
	" LEFT JOIN node n ON n.id = m.node_id AND n.retired = 0"                                           \
	" LEFT JOIN coding c ON c.id = m.coding_id"                                                         \
	"   AND EXISTS (SELECT 1 FROM node cn WHERE cn.id = c.node_id AND cn.retired = 0)"                  \
	"   AND EXISTS (SELECT 1 FROM document cd WHERE cd.id = c.doc_id)"                                  \
	" LEFT JOIN cases s ON s.id = m.case_id"                                                            \
	" WHERE m.target_kind IN ('project', 'journal') OR d.id IS NOT NULL OR n.id IS NOT NULL"            \
	"   OR c.id IS NOT NULL OR s.id IS NOT NULL"

/* Each memo a Note, its text in sources/<guid>.txt (plainTextPath, as
 * QualCoder writes and reads its journal), named by its title or by what
 * it annotates and when. A journal entry's name starts "Journal" ("Journal,
 * WHEN", or "Journal: TITLE"): the project's NoteRefs cannot tell it from a
 * project memo, and refi_import.c reads the name back (note_name). */
static enum qda_status write_notes(struct exp *e)
{
	sqlite3_stmt *st = prep(e->h, "SELECT m.guid, coalesce('Journal: ' || nullif(CASE m.target_kind"
	                              "  WHEN 'journal' THEN m.title END, ''), nullif(m.title, ''),"
	                              "  CASE m.target_kind WHEN 'project' THEN 'Project memo'"
	                              "   WHEN 'journal' THEN 'Journal'"
	                              "   WHEN 'document' THEN 'Memo on document ' || d.name"
	                              "   WHEN 'node' THEN 'Memo on code ' || n.name"
	                              "   WHEN 'coding' THEN 'Memo on coding ' || c.id"
	                              "   ELSE 'Memo on case ' || s.name END || ', ' || m.created),"
	                              " k.guid, m.created, m.text" EXPORTED_MEMOS " ORDER BY m.id");
	enum qda_status rc = QDA_OK;
	char path[64];
	int r = 0;
	if (!st)
		return QDA_EDB;
	while (rc == QDA_OK && (r = step_row(e->h, st, "read memos")) > 0) {
		snprintf(path, sizeof path, "internal://%s.txt", col(st, 0));
		if ((!e->rep.notes++ && start(e->w, "Notes")) || start(e->w, "Note") || attr(e->w, "guid", col(st, 0)) ||
		    attr(e->w, "name", col(st, 1)) || attr(e->w, "plainTextPath", path) ||
		    attr(e->w, "creatingUser", col(st, 2)) || attr(e->w, "creationDateTime", col(st, 3)) || end(e->w))
			rc = xml_failed(e);
		else
			rc = add_text(e, col(st, 0), sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4));
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	if (rc == QDA_OK && e->rep.notes && end(e->w))
		rc = xml_failed(e);
	sqlite3_finalize(st);
	return rc;
}

/* A Case has no NoteRef in Project.xsd: a case's memo is a Link from its
 * Note to the case. */
static enum qda_status write_links(struct exp *e)
{
	sqlite3_stmt *st = prep(e->h, "SELECT m.guid, s.guid FROM memo m JOIN cases s ON s.id = m.case_id ORDER BY m.id");
	enum qda_status rc = QDA_OK;
	long n = 0;
	char guid[37];
	int r = 0;
	if (!st)
		return QDA_EDB;
	while (rc == QDA_OK && (r = step_row(e->h, st, "read memos")) > 0) {
		derive_guid(e, "link", col(st, 0), guid);
		if ((!n++ && start(e->w, "Links")) || start(e->w, "Link") || attr(e->w, "guid", guid) ||
		    attr(e->w, "name", "memo") || attr(e->w, "direction", "OneWay") ||
		    attr(e->w, "originGUID", col(st, 0)) || attr(e->w, "targetGUID", col(st, 1)) || end(e->w))
			rc = xml_failed(e);
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	if (rc == QDA_OK && n && end(e->w))
		rc = xml_failed(e);
	sqlite3_finalize(st);
	return rc;
}

static enum qda_status write_project_notes(struct exp *e)
{
	sqlite3_stmt *st = prep(e->h, "SELECT guid FROM memo WHERE target_kind IN ('project', 'journal') ORDER BY id");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(e->h, st, "read memos")) > 0)
		if (ref(e->w, "NoteRef", col(st, 0))) {
			rc = xml_failed(e);
			break;
		}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	sqlite3_finalize(st);
	return rc;
}

/* The project's name: its file's name without the folder and ".qda". */
static char *project_name(struct qda *h)
{
	const char *p = qda_path(h), *slash = strrchr(p, '/');
	char *name = strdup(slash ? slash + 1 : p);
	size_t len = name ? strlen(name) : 0;
	if (len > 4 && strcmp(name + len - 4, ".qda") == 0)
		name[len - 4] = '\0';
	return name;
}

static enum qda_status write_project(struct exp *e)
{
	sqlite3_stmt *st = prep(e->h, "SELECT value FROM meta WHERE key = 'created'");
	char *name = project_name(e->h), *created = NULL;
	enum qda_status rc = QDA_OK;
	int r;
	if (!st || !name) {
		sqlite3_finalize(st);
		free(name);
		return st ? seterr(e->h, QDA_ENOMEM, "out of memory") : QDA_EDB;
	}
	if ((r = step_row(e->h, st, "read the project's creation")) > 0)
		created = strdup(col(st, 0));
	sqlite3_finalize(st);
	if (r < 0) {
		free(name);
		return QDA_EDB;
	}
	/* no basePath: every source travels inside the file (internal://) */
	if (xmlTextWriterStartDocument(e->w, "1.0", "utf-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(e->w, NULL, BAD_CAST "Project", BAD_CAST NS_PROJECT) < 0 ||
	    attr(e->w, "name", name) || attr(e->w, "origin", "qda " QDA_VERSION) ||
	    attr(e->w, "creationDateTime", created))
		rc = xml_failed(e);
	free(name);
	free(created);
	if (rc == QDA_OK && (rc = write_users(e)) == QDA_OK && (rc = write_codebook(e)) == QDA_OK &&
	    (rc = write_variables(e)) == QDA_OK && (rc = write_cases(e)) == QDA_OK &&
	    (rc = write_sources(e)) == QDA_OK && (rc = write_notes(e)) == QDA_OK && (rc = write_links(e)) == QDA_OK &&
	    (rc = write_project_notes(e)) == QDA_OK)
		if (xmlTextWriterEndElement(e->w) < 0 || xmlTextWriterEndDocument(e->w) < 0)
			rc = xml_failed(e);
	return rc;
}

/* ---- the whole ---- */

static enum qda_status prepare(struct exp *e)
{
	sqlite3_stmt *st;
	int r;
	/* the time of every entry: the project's last change, so that the
	 * same project zips to the same bytes */
	if (!(st = prep(e->h, "SELECT coalesce(CAST(strftime('%s', (SELECT max(at) FROM log)) AS INTEGER),"
	                      " CAST(strftime('%s', (SELECT value FROM meta WHERE key = 'created')) AS INTEGER), 315532800),"
	                      " coalesce((SELECT value FROM meta WHERE key = 'guid'), '')")))
		return QDA_EDB;
	if ((r = step_row(e->h, st, "read the project")) > 0) {
		e->mtime = (time_t)sqlite3_column_int64(st, 0);
		e->ns = strdup(col(st, 1));
	}
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (!e->ns)
		return seterr(e->h, QDA_ENOMEM, "out of memory");
	e->node_memos = prep(e->h, "SELECT guid FROM memo WHERE node_id = ? ORDER BY id");
	e->doc_memos = prep(e->h, "SELECT guid FROM memo WHERE doc_id = ? ORDER BY id");
	e->coding_memos = prep(e->h, "SELECT guid FROM memo WHERE coding_id = ? ORDER BY id");
	return e->node_memos && e->doc_memos && e->coding_memos ? QDA_OK : QDA_EDB;
}

static enum qda_status count_skipped(struct exp *e)
{
	long long n = 0;
	enum qda_status rc = query_int(e->h,
	                               "SELECT count(*) FROM coding c JOIN node n ON n.id = c.node_id"
	                               " JOIN document d ON d.id = c.doc_id WHERE n.retired <> 0",
	                               0, &n);
	e->rep.codings_skipped = (long)n;
	return rc;
}

/* project.qde into a temporary file, then into the zip. */
static enum qda_status write_qde(struct exp *e)
{
	FILE *fp = tmpfile();
	xmlOutputBufferPtr ob;
	zip_source_t *src;
	zip_error_t zerr;
	enum qda_status rc;

	if (!fp)
		return seterr(e->h, QDA_EIO, "cannot make a temporary file for project.qde: %s", strerror(errno));
	if (!(ob = xmlOutputBufferCreateFile(fp, NULL)) || !(e->w = xmlNewTextWriter(ob))) {
		if (ob)
			xmlOutputBufferClose(ob);
		fclose(fp);
		return seterr(e->h, QDA_ENOMEM, "out of memory");
	}
	xmlTextWriterSetIndent(e->w, 1);
	xmlTextWriterSetIndentString(e->w, BAD_CAST "  ");
	errno = 0;
	rc = write_project(e);
	/* frees the output buffer too, after flushing it; fp stays open */
	xmlFreeTextWriter(e->w);
	e->w = NULL;
	if (rc == QDA_OK && (fflush(fp) != 0 || ferror(fp)))
		rc = seterr(e->h, QDA_EIO, "cannot write project.qde to a temporary file: %s", strerror(errno));
	if (rc != QDA_OK) {
		fclose(fp);
		return rc;
	}
	rewind(fp);
	zip_error_init(&zerr);
	if (!(src = zip_source_filep_create(fp, 0, -1, &zerr))) {
		rc = seterr(e->h, QDA_EIO, "cannot add project.qde to the REFI-QDA project: %s", zip_error_strerror(&zerr));
		zip_error_fini(&zerr);
		fclose(fp);
		return rc;
	}
	zip_error_fini(&zerr);
	return add_entry(e, "project.qde", src);
}

static enum qda_status deliver(struct exp *e, zip_source_t *out, qda_write_fn write, void *ctx)
{
	char buf[65536];
	zip_int64_t n;
	enum qda_status rc = QDA_OK;
	if (zip_source_open(out) < 0)
		return seterr(e->h, QDA_EIO, "cannot read the REFI-QDA project back: %s",
		              zip_error_strerror(zip_source_error(out)));
	while ((n = zip_source_read(out, buf, sizeof buf)) > 0)
		if (write(ctx, buf, (size_t)n)) {
			rc = seterr(e->h, QDA_EIO, "cannot write the REFI-QDA project");
			break;
		}
	if (rc == QDA_OK && n < 0)
		rc = seterr(e->h, QDA_EIO, "cannot read the REFI-QDA project back: %s",
		            zip_error_strerror(zip_source_error(out)));
	zip_source_close(out);
	return rc;
}

enum qda_status qda_export_qdpx(struct qda *h, qda_write_fn write, void *ctx, struct qda_export_report *rep)
{
	struct exp e;
	zip_source_t *out = NULL;
	zip_error_t zerr;
	enum qda_status rc;
	size_t i;

	memset(&e, 0, sizeof e);
	e.h = h;
	zip_error_init(&zerr);
	if ((rc = prepare(&e)) != QDA_OK)
		goto out;
	if (!(out = zip_source_buffer_create(NULL, 0, 0, &zerr)) || !(e.za = zip_open_from_source(out, ZIP_TRUNCATE, &zerr))) {
		rc = seterr(h, QDA_ENOMEM, "cannot start the REFI-QDA project: %s", zip_error_strerror(&zerr));
		goto out;
	}
	/* the archive holds out until zip_close; keep it to read it back */
	zip_source_keep(out);
	if (zip_dir_add(e.za, "sources", ZIP_FL_ENC_UTF_8) < 0) {
		rc = zip_failed(&e, "sources/");
		goto out;
	}
	if (zip_file_set_mtime(e.za, 0, e.mtime, 0) < 0) {
		rc = zip_failed(&e, "sources/");
		goto out;
	}
	if ((rc = write_qde(&e)) != QDA_OK || (rc = count_skipped(&e)) != QDA_OK)
		goto out;
	if (zip_close(e.za) < 0) {
		rc = e.src_rc != QDA_OK ? e.src_rc
		                        : seterr(h, QDA_EIO, "cannot make the REFI-QDA project: %s", zip_strerror(e.za));
		goto out;
	}
	e.za = NULL;
	rc = deliver(&e, out, write, ctx);
out:
	if (e.za)
		zip_discard(e.za);
	if (out)
		zip_source_free(out);
	zip_error_fini(&zerr);
	sqlite3_finalize(e.node_memos);
	sqlite3_finalize(e.doc_memos);
	sqlite3_finalize(e.coding_memos);
	for (i = 0; i < e.n_vars; i++)
		free(e.vars[i].key);
	free(e.vars);
	free(e.ns);
	if (rep)
		*rep = e.rep;
	return rc;
}
