/* codebook.c — the codebook: parse and check its YAML through libyaml events
 * (so every error carries FILE:LINE:COLUMN), load it into the project by id in
 * one savepoint, keep every version with a snapshot, and compare versions.
 * Never prints; errors go to the caller's callback or the handle. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "internal.h"
#include "refi.h"

/* ---- a YAML document as a small tree with marks ---- */

enum ytype { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ytype type;
	char *value;        /* scalars */
	int null;           /* a plain empty, ~ or null scalar */
	long line, col;     /* from 1 */
	struct ynode **kids;/* maps: key, value, key, value ... */
	size_t n, cap;
	int complete;       /* its end event was seen */
	int alias;          /* an alias (reported, not followed) */
};

static void ynode_free(struct ynode *y)
{
	size_t i;
	if (!y)
		return;
	for (i = 0; i < y->n; i++)
		ynode_free(y->kids[i]);
	free(y->kids);
	free(y->value);
	free(y);
}

static int ynode_add(struct ynode *p, struct ynode *k)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct ynode **v = realloc(p->kids, cap * sizeof *v);
		if (!v)
			return -1;
		p->kids = v;
		p->cap = cap;
	}
	p->kids[p->n++] = k;
	return 0;
}

struct perror {
	long line, col;
	size_t seq;
	char *msg;
};

struct parse {
	const char *name;
	struct perror *errs;
	size_t n, cap;
	int nomem;
	struct cb *cb;
	int ntop;           /* themes so far, for positions */
	int syntax;         /* a syntax error cut the document short */
	long *ids;          /* open-addressing hash of node indices by id */
	size_t ids_cap, ids_n;
};

static void perr(struct parse *p, long line, long col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void perr(struct parse *p, long line, long col, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	int r;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct perror *v = realloc(p->errs, cap * sizeof *v);
		if (!v) {
			p->nomem = 1;
			return;
		}
		p->errs = v;
		p->cap = cap;
	}
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0) {
		p->nomem = 1;
		return;
	}
	p->errs[p->n] = (struct perror){ line, col, p->n, msg };
	p->n++;
}

static int is_null_scalar(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 || memcmp(s, "NULL", 4) == 0));
}

/* The byte offset of a reader error as a line and column (code points). */
static void offset_mark(const char *text, size_t len, size_t off, long *line, long *col)
{
	size_t i;
	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static struct ynode *yload(struct parse *p, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct ynode *root = NULL, *stack[128];
	size_t top = 0;
	int docs = 0, done = 0;

	if (!yaml_parser_initialize(&parser)) {
		p->nomem = 1;
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done) {
		struct ynode *y = NULL;
		if (!yaml_parser_parse(&parser, &ev)) {
			long line = (long)parser.problem_mark.line + 1, col = (long)parser.problem_mark.column + 1;
			if (parser.error == YAML_READER_ERROR)
				offset_mark(text, len, parser.problem_offset, &line, &col);
			else if (parser.error == YAML_MEMORY_ERROR)
				p->nomem = 1;
			if (parser.context)
				perr(p, line, col, "YAML syntax error: %s %s started at line %ld, column %ld",
				     parser.problem ? parser.problem : "unreadable", parser.context,
				     (long)parser.context_mark.line + 1, (long)parser.context_mark.column + 1);
			else
				perr(p, line, col, "YAML syntax error: %s", parser.problem ? parser.problem : "unreadable");
			p->syntax = 1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				perr(p, (long)ev.start_mark.line + 1, (long)ev.start_mark.column + 1,
				     "a second YAML document; a codebook is one document: remove this '---' and what follows");
				done = 1;
			}
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			y = calloc(1, sizeof *y);
			if (!y) {
				p->nomem = 1;
				done = 1;
				break;
			}
			y->line = (long)ev.start_mark.line + 1;
			y->col = (long)ev.start_mark.column + 1;
			if (ev.type == YAML_SCALAR_EVENT) {
				y->type = Y_SCALAR;
				y->value = malloc(ev.data.scalar.length + 1);
				if (!y->value) {
					p->nomem = 1;
					free(y);
					y = NULL;
					done = 1;
					break;
				}
				memcpy(y->value, ev.data.scalar.value, ev.data.scalar.length);
				y->value[ev.data.scalar.length] = '\0';
				y->null = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
				          is_null_scalar(y->value, ev.data.scalar.length);
				y->complete = 1;
			} else if (ev.type == YAML_ALIAS_EVENT) {
				/* reported here; an empty null scalar after, so no check trips on it */
				y->type = Y_SCALAR;
				y->null = 1;
				y->complete = 1;
				y->alias = 1;
				if (!(y->value = strdup(""))) {
					p->nomem = 1;
					free(y);
					y = NULL;
					done = 1;
					break;
				}
				perr(p, y->line, y->col, "alias '*%s': aliases are not supported; write the value out",
				     (const char *)ev.data.alias.anchor);
			} else {
				y->type = ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP;
			}
			if (top == 0) {
				if (!root)
					root = y;
				else
					ynode_free(y), y = NULL;
			} else if (ynode_add(stack[top - 1], y)) {
				ynode_free(y);
				p->nomem = 1;
				done = 1;
				break;
			}
			if (y && y->type != Y_SCALAR) {
				if (top == sizeof stack / sizeof stack[0]) {
					perr(p, y->line, y->col, "lists and mappings nested over %d deep; qda takes codebooks "
					     "nested at most %d deep", (int)(sizeof stack / sizeof stack[0]),
					     (int)(sizeof stack / sizeof stack[0]));
					p->syntax = 1;
					done = 1;
					break;
				}
				stack[top++] = y;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (top > 0)
				stack[--top]->complete = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return root;
}

/* ---- the codebook in memory ---- */

static void strv_free(struct strv *v)
{
	size_t i;
	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

static int strv_add(struct strv *v, const char *s)
{
	char **nv;
	char *d = strdup(s);
	if (!d)
		return -1;
	nv = realloc(v->v, (v->n + 1) * sizeof *nv);
	if (!nv) {
		free(d);
		return -1;
	}
	v->v = nv;
	v->v[v->n++] = d;
	return 0;
}

static void node_clear(struct cb_node *n)
{
	free(n->id);
	free(n->name);
	free(n->status);
	free(n->definition);
	free(n->color);
	free(n->guid);
	strv_free(&n->include);
	strv_free(&n->exclude);
	strv_free(&n->examples);
	strv_free(&n->keywords);
	strv_free(&n->patterns);
}

void cb_free(struct cb *cb)
{
	size_t i;
	if (!cb)
		return;
	for (i = 0; i < cb->n; i++)
		node_clear(&cb->nodes[i]);
	free(cb->nodes);
	free(cb->title);
	free(cb->description);
	memset(cb, 0, sizeof *cb);
}

long cb_add(struct cb *cb, enum cb_kind kind, long parent)
{
	struct cb_node *n;
	if (cb->n == cb->cap) {
		size_t cap = cb->cap ? cb->cap * 2 : 64;
		struct cb_node *v = realloc(cb->nodes, cap * sizeof *v);
		if (!v)
			return -1;
		cb->nodes = v;
		cb->cap = cap;
	}
	n = &cb->nodes[cb->n];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->parent = parent;
	n->first_child = n->next_sibling = -1;
	n->depth = parent >= 0 ? cb->nodes[parent].depth + 1 : 1;
	return (long)cb->n++;
}

const char *cb_kind_name(enum cb_kind k)
{
	return k == CB_THEME ? "theme" : k == CB_SUBTHEME ? "subtheme" : "code";
}

int cb_link(struct cb *cb)
{
	long *last = calloc(cb->n + 1, sizeof *last);
	long i, top_last = -1;
	if (!last)
		return -1;
	for (i = 0; i < (long)cb->n; i++) {
		struct cb_node *n = &cb->nodes[i];
		n->first_child = n->next_sibling = -1;
		last[i] = -1;
		if (n->parent < 0) {
			top_last = i;
			continue;
		}
		if (last[n->parent] < 0)
			cb->nodes[n->parent].first_child = i;
		else
			cb->nodes[last[n->parent]].next_sibling = i;
		last[n->parent] = i;
	}
	(void)top_last;
	free(last);
	return 0;
}

/* ---- checking the YAML tree ---- */

static const char *const top_keys[] = { "codebook", "description", "themes", NULL };
static const char *const node_keys[] = { "id",       "name",     "status",   "definition", "include",   "exclude",
	                                 "examples", "keywords", "patterns", "color",      "subthemes", "codes",
	                                 NULL };

static int key_index(const char *const *keys, const char *k)
{
	int i;
	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], k) == 0)
			return i;
	return -1;
}

static void unknown_key(struct parse *p, const struct ynode *k, const char *const *keys, const char *where)
{
	const char *best = NULL;
	size_t bd = (size_t)-1, limit = strlen(k->value) / 3 + 1, i;
	char list[256] = "";
	if (limit < 2)
		limit = 2;
	for (i = 0; keys[i]; i++) {
		size_t d = edit_distance(k->value, keys[i]);
		if (d == (size_t)-1)
			p->nomem = 1;
		if (d < bd) {
			bd = d;
			best = keys[i];
		}
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", keys[i]);
	}
	if (best && bd <= limit)
		perr(p, k->line, k->col, "unknown key '%s'; did you mean '%s'?", k->value, best);
	else
		perr(p, k->line, k->col, "unknown key '%s'; %s takes %s", k->value, where, list);
}

static const char *type_name(const struct ynode *y)
{
	return y->type == Y_SEQ ? "a list" : y->type == Y_MAP ? "a mapping" : "text";
}

/* The index in keys of the mapping key k, or -1 after reporting it as not
 * text, unknown (with the nearest valid key) or given twice; seen[] holds
 * the keys met so far in this mapping. */
static int map_key(struct parse *p, const struct ynode *k, const char *const *keys, const char *where,
                   const struct ynode **seen)
{
	int ki;
	if (k->alias)
		return -1; /* already reported */
	if (k->type != Y_SCALAR) {
		perr(p, k->line, k->col, "a key must be text, not %s", type_name(k));
		return -1;
	}
	if ((ki = key_index(keys, k->value)) < 0) {
		unknown_key(p, k, keys, where);
		return -1;
	}
	if (seen[ki]) {
		perr(p, k->line, k->col, "duplicate key '%s'; it is first given at line %ld, column %ld", k->value,
		     seen[ki]->line, seen[ki]->col);
		return -1;
	}
	seen[ki] = k;
	return ki;
}

/* A text value: 0 with *out set (NULL for null), -1 after an error. */
static int text_of(struct parse *p, const struct ynode *v, const char *key, char **out)
{
	*out = NULL;
	if (v->type != Y_SCALAR) {
		perr(p, v->line, v->col, "'%s' must be text, not %s", key, type_name(v));
		return -1;
	}
	if (v->null)
		return 0;
	if (!(*out = strdup(v->value))) {
		p->nomem = 1;
		return -1;
	}
	return 0;
}

/* A list of text (a single text is a list of one). */
static void texts_of(struct parse *p, const struct ynode *v, const char *key, struct strv *out, int pattern)
{
	size_t i;
	if (v->type == Y_MAP) {
		perr(p, v->line, v->col, "'%s' must be a list of text, not a mapping", key);
		return;
	}
	for (i = 0; i < (v->type == Y_SEQ ? v->n : 1); i++) {
		const struct ynode *it = v->type == Y_SEQ ? v->kids[i] : v;
		if (it->type != Y_SCALAR) {
			perr(p, it->line, it->col, "each item of '%s' must be text, not %s", key, type_name(it));
			continue;
		}
		if (it->null || !*it->value)
			continue;
		if (pattern) {
			int code;
			PCRE2_SIZE off;
			pcre2_code *re = pcre2_compile((PCRE2_SPTR)it->value, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
			                               &code, &off, NULL);
			if (!re) {
				PCRE2_UCHAR msg[256];
				pcre2_get_error_message(code, msg, sizeof msg);
				perr(p, it->line, it->col, "invalid pattern '%s': %s at offset %zu", it->value, (const char *)msg,
				     (size_t)off);
			}
			pcre2_code_free(re);
		}
		if (strv_add(out, it->value))
			p->nomem = 1;
	}
}

static int valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static size_t id_hash(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The first node holding id (an earlier node: nodes are checked in the
 * order they are made), or -1 after recording node ix as holding it; -2 out
 * of memory. A hash, so checking 100,000 nodes is linear. */
static long id_seen(struct parse *p, const char *id, long ix)
{
	size_t i;
	if (2 * (p->ids_n + 1) > p->ids_cap) {
		size_t cap = p->ids_cap ? 2 * p->ids_cap : 1024, k;
		long *t = malloc(cap * sizeof *t);
		if (!t)
			return -2;
		for (k = 0; k < cap; k++)
			t[k] = -1;
		for (k = 0; k < p->ids_cap; k++)
			if (p->ids[k] >= 0) {
				for (i = id_hash(p->cb->nodes[p->ids[k]].id) & (cap - 1); t[i] >= 0; i = (i + 1) & (cap - 1))
					;
				t[i] = p->ids[k];
			}
		free(p->ids);
		p->ids = t;
		p->ids_cap = cap;
	}
	for (i = id_hash(id) & (p->ids_cap - 1); p->ids[i] >= 0; i = (i + 1) & (p->ids_cap - 1))
		if (strcmp(p->cb->nodes[p->ids[i]].id, id) == 0)
			return p->ids[i];
	p->ids[i] = ix;
	p->ids_n++;
	return -1;
}

/* Limits of a node's id (ASCII) and name (characters), README "Limits". */
#define CB_ID_MAX 100
#define CB_NAME_MAX 200

static void check_id(struct parse *p, long ix, const char *made_from)
{
	struct cb_node *n = &p->cb->nodes[ix];
	long first;
	if (!valid_id(n->id)) {
		if (made_from)
			perr(p, n->id_line, n->id_col,
			     "cannot make an id from '%s'; write this code as 'id: ...' and 'name: ...'", made_from);
		else
			perr(p, n->id_line, n->id_col,
			     "bad id '%s': use only lower-case letters a-z, digits, '.', '_' and '-'", n->id);
		return;
	}
	if (strlen(n->id) > CB_ID_MAX) {
		if (made_from)
			perr(p, n->id_line, n->id_col, "the id made from '%s' has %zu characters, and qda takes ids of at most "
			     "%d; write this code as 'id: ...' (shorter) and 'name: ...'", made_from, strlen(n->id), CB_ID_MAX);
		else
			perr(p, n->id_line, n->id_col, "the id has %zu characters; qda takes ids of at most %d: shorten it",
			     strlen(n->id), CB_ID_MAX);
		return;
	}
	if ((first = id_seen(p, n->id, ix)) == -2)
		p->nomem = 1;
	else if (first >= 0) {
		const struct cb_node *f = &p->cb->nodes[first];
		if (made_from)
			perr(p, n->id_line, n->id_col, "duplicate id '%s' (made from '%s'); it is first used at line %ld, column %ld",
			     n->id, made_from, f->id_line, f->id_col);
		else
			perr(p, n->id_line, n->id_col, "duplicate id '%s'; it is first used at line %ld, column %ld", n->id,
			     f->id_line, f->id_col);
	}
}

static void node_list(struct parse *p, const struct ynode *v, enum cb_kind kind, long parent, const char *key);

static long new_node(struct parse *p, const struct ynode *at, enum cb_kind kind, long parent)
{
	long ix = cb_add(p->cb, kind, parent);
	struct cb_node *n;
	if (ix < 0) {
		p->nomem = 1;
		return -1;
	}
	n = &p->cb->nodes[ix];
	n->line = n->id_line = at->line;
	n->col = n->id_col = at->col;
	if (parent >= 0)
		p->cb->nodes[parent].nkids++;
	else
		p->ntop++;
	return ix;
}

static void shorthand(struct parse *p, const struct ynode *s, enum cb_kind kind, long parent)
{
	long ix = new_node(p, s, kind, parent);
	struct cb_node *n;
	if (ix < 0)
		return;
	n = &p->cb->nodes[ix];
	n->name = strdup(s->value);
	n->id = code_slug(s->value);
	n->status = strdup("candidate");
	if (!n->name || !n->id || !n->status) {
		p->nomem = 1;
		return;
	}
	check_id(p, ix, s->value);
}

static void node(struct parse *p, const struct ynode *m, enum cb_kind kind, long parent)
{
	const struct ynode *seen[12] = { 0 }, *subs = NULL, *codes = NULL;
	long ix = new_node(p, m, kind, parent);
	size_t i;
	if (ix < 0)
		return;
	for (i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kids[i], *v = m->kids[i + 1];
		struct cb_node *n = &p->cb->nodes[ix];
		int ki = map_key(p, k, node_keys, "a node", seen);
		if (ki < 0)
			continue;
		switch (ki) {
		case 0: /* id */
			n->id_line = v->line;
			n->id_col = v->col;
			if (text_of(p, v, "id", &n->id) == 0) {
				if (!n->id)
					perr(p, v->line, v->col,
					     "empty id; give one of lower-case letters a-z, digits, '.', '_' and '-'");
				else
					check_id(p, ix, NULL);
			}
			break;
		case 1: /* name */
			if (text_of(p, v, "name", &n->name) == 0 && (!n->name || !*n->name)) {
				perr(p, v->line, v->col, "empty name; give the node a name");
				free(n->name);
				n->name = NULL;
			} else if (n->name && qda_text_cplen(n->name, strlen(n->name)) > CB_NAME_MAX) {
				perr(p, v->line, v->col, "the name has %zu characters; qda takes names of at most %d: shorten it "
				     "(the definition holds the rest)", qda_text_cplen(n->name, strlen(n->name)), CB_NAME_MAX);
			}
			break;
		case 2: /* status */
			if (text_of(p, v, "status", &n->status) == 0 && n->status &&
			    strcmp(n->status, "candidate") && strcmp(n->status, "reviewed") && strcmp(n->status, "defined")) {
				perr(p, v->line, v->col, "bad status '%s'; use candidate, reviewed or defined", n->status);
			}
			break;
		case 3: text_of(p, v, "definition", &n->definition); break;
		case 4: texts_of(p, v, "include", &n->include, 0); break;
		case 5: texts_of(p, v, "exclude", &n->exclude, 0); break;
		case 6: texts_of(p, v, "examples", &n->examples, 0); break;
		case 7: texts_of(p, v, "keywords", &n->keywords, 0); break;
		case 8: texts_of(p, v, "patterns", &n->patterns, 1); break;
		case 9: /* color */
			if (text_of(p, v, "color", &n->color) == 0 && n->color) {
				size_t len = strlen(n->color);
				int ok = n->color[0] == '#' && (len == 7 || len == 4) &&
				         strspn(n->color + 1, "0123456789abcdefABCDEF") == len - 1;
				if (!ok)
					perr(p, v->line, v->col, "bad color '%s'; write it as \"#rrggbb\" (quoted)", n->color);
			}
			break;
		case 10: subs = v; break;
		case 11: codes = v; break;
		}
	}
	if (m->complete) {
		struct cb_node *n = &p->cb->nodes[ix];
		if (!n->id && !seen[0])
			perr(p, m->line, m->col, "node without an id; add 'id:' (lower-case letters, digits, '.', '_' or '-')");
		if (!n->name && !seen[1])
			perr(p, m->line, m->col, "node '%s' has no name; add 'name:'", n->id ? n->id : "?");
	}
	if (!p->cb->nodes[ix].status && !(p->cb->nodes[ix].status = strdup("candidate")))
		p->nomem = 1;
	/* sub-themes first, then codes, whatever the order of the keys: the order
	 * the export writes them in */
	if (subs)
		node_list(p, subs, CB_SUBTHEME, ix, "subthemes");
	if (codes)
		node_list(p, codes, CB_CODE, ix, "codes");
}

static void node_list(struct parse *p, const struct ynode *v, enum cb_kind kind, long parent, const char *key)
{
	size_t i;
	if (v->type == Y_SCALAR && v->null)
		return;
	if (v->type != Y_SEQ) {
		perr(p, v->line, v->col, "'%s' must be a list of nodes, not %s", key, type_name(v));
		return;
	}
	for (i = 0; i < v->n && !p->nomem; i++) {
		const struct ynode *it = v->kids[i];
		if (it->type == Y_MAP)
			node(p, it, kind, parent);
		else if (it->type == Y_SCALAR && !it->null && *it->value)
			shorthand(p, it, kind, parent);
		else if (it->type == Y_SCALAR)
			perr(p, it->line, it->col, "empty item in '%s'; write a node (id: and name:) or a code's name", key);
		else
			perr(p, it->line, it->col, "an item of '%s' must be a node (id:, name:, ...) or a code's name, not a list",
			     key);
	}
}

static void top(struct parse *p, const struct ynode *root)
{
	const struct ynode *seen[3] = { 0 }, *themes = NULL;
	size_t i;
	if (!root) {
		if (!p->syntax)
			perr(p, 1, 1, "empty codebook; write 'codebook:' (its title) and 'themes:' (a list of nodes)");
		return;
	}
	if (root->type != Y_MAP) {
		perr(p, root->line, root->col,
		     "a codebook is a mapping with the keys codebook (its title), description and themes, not %s",
		     type_name(root));
		return;
	}
	for (i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *k = root->kids[i], *v = root->kids[i + 1];
		int ki = map_key(p, k, top_keys, "the top level", seen);
		if (ki < 0)
			continue;
		if (ki == 0) {
			if (text_of(p, v, "codebook", &p->cb->title) == 0 && (!p->cb->title || !*p->cb->title))
				perr(p, v->line, v->col, "empty title; give the codebook a title after 'codebook:'");
		} else if (ki == 1) {
			text_of(p, v, "description", &p->cb->description);
		} else {
			if (v->type == Y_SCALAR && v->null)
				perr(p, v->line, v->col, "'themes' is empty; give a list of nodes (or [] for none)");
			themes = v;
		}
	}
	if (themes)
		node_list(p, themes, CB_THEME, -1, "themes");
	if (root->complete && !seen[0])
		perr(p, root->line, root->col, "no title; add 'codebook:' with the codebook's title");
	if (root->complete && !seen[2])
		perr(p, root->line, root->col, "no 'themes:'; add the list of themes");
}

static int by_place(const void *a, const void *b)
{
	const struct perror *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

long cb_parse(const char *name, const char *text, size_t len, struct cb *cb, qda_cb_error_fn err, void *ctx)
{
	struct parse p = { 0 };
	struct ynode *root;
	size_t i;
	long n;

	char *norm = NULL;
	size_t nlen;

	memset(cb, 0, sizeof *cb);
	p.name = name;
	p.cb = cb;
	/* Names, definitions and keywords are stored as text is: NFC, LF, no
	 * BOM. Lines stay where they were; text that is not UTF-8 is left to
	 * libyaml, which says where. */
	switch (qda_text_normalize(text, len, &norm, &nlen)) {
	case QDA_OK:
		text = norm;
		len = nlen;
		break;
	case QDA_ENOMEM:
		return -1;
	default:
		break;
	}
	root = yload(&p, text, len);
	if (!p.nomem)
		top(&p, root);
	ynode_free(root);
	if (cb_link(cb))
		p.nomem = 1;
	if (p.n)
		qsort(p.errs, p.n, sizeof *p.errs, by_place);
	for (i = 0; i < p.n; i++) {
		struct buf loc = { 0 };
		buf_addf(&loc, "%s:%ld:%ld", name, p.errs[i].line, p.errs[i].col);
		if (loc.failed)
			p.nomem = 1;
		else if (err)
			err(ctx, loc.s, p.errs[i].msg);
		buf_free(&loc);
		free(p.errs[i].msg);
	}
	free(p.errs);
	free(p.ids);
	free(norm);
	n = p.nomem ? -1 : (long)p.n;
	return n;
}

enum qda_status qda_codebook_check(const char *path, qda_cb_error_fn err, void *ctx, struct qda_codebook_stats *stats,
                                   long *n_errors)
{
	struct qda tmp;
	struct cb cb;
	char *text = NULL;
	size_t len = 0, i;
	enum qda_status rc;
	long n;

	memset(&tmp, 0, sizeof tmp);
	*n_errors = 0;
	if (stats)
		memset(stats, 0, sizeof *stats);
	if ((rc = read_file(&tmp, path, 64u << 20, &text, &len)) != QDA_OK) {
		if (err)
			err(ctx, tmp.errloc, tmp.errmsg);
		*n_errors = 1;
		return rc == QDA_ENOMEM ? rc : QDA_EIO;
	}
	n = refi_is_qdc(path) ? refi_qdc_parse(path, text, len, &cb, err, ctx) : cb_parse(path, text, len, &cb, err, ctx);
	free(text);
	if (stats)
		for (i = 0; i < cb.n; i++) {
			if (cb.nodes[i].kind == CB_THEME)
				stats->themes++;
			else if (cb.nodes[i].kind == CB_SUBTHEME)
				stats->subthemes++;
			else
				stats->codes++;
		}
	cb_free(&cb);
	if (n < 0)
		return QDA_ENOMEM;
	*n_errors = n;
	return n ? QDA_EINPUT : QDA_OK;
}

/* ---- JSON: node lists in the project, and snapshots ---- */

int cb_json_str(struct buf *b, const char *s)
{
	const unsigned char *p;
	if (buf_addc(b, '"'))
		return -1;
	for (p = (const unsigned char *)s; *p; p++) {
		int r;
		switch (*p) {
		case '"': r = buf_adds(b, "\\\""); break;
		case '\\': r = buf_adds(b, "\\\\"); break;
		case '\n': r = buf_adds(b, "\\n"); break;
		case '\t': r = buf_adds(b, "\\t"); break;
		case '\r': r = buf_adds(b, "\\r"); break;
		default:
			r = *p < 0x20 ? buf_addf(b, "\\u%04x", *p) : buf_addc(b, (char)*p);
		}
		if (r)
			return -1;
	}
	return buf_addc(b, '"');
}

static int json_strv(struct buf *b, const struct strv *v)
{
	size_t i;
	if (buf_addc(b, '['))
		return -1;
	for (i = 0; i < v->n; i++)
		if ((i && buf_adds(b, ", ")) || cb_json_str(b, v->v[i]))
			return -1;
	return buf_addc(b, ']');
}

/* A JSON array of strings as written by json_strv (or by another module). */
static int strv_from_json(const char *s, struct strv *v)
{
	struct buf b = { 0 };
	if (!s)
		return 0;
	while (*s && *s != '[')
		s++;
	if (!*s)
		return 0;
	s++;
	for (;;) {
		while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == ',')
			s++;
		if (*s != '"')
			break;
		s++;
		b.len = 0;
		while (*s && *s != '"') {
			int r = 0;
			if (*s == '\\' && s[1]) {
				s++;
				switch (*s) {
				case 'n': r = buf_addc(&b, '\n'); break;
				case 't': r = buf_addc(&b, '\t'); break;
				case 'r': r = buf_addc(&b, '\r'); break;
				case 'b': r = buf_addc(&b, '\b'); break;
				case 'f': r = buf_addc(&b, '\f'); break;
				case 'u': {
					unsigned long cp = strtoul((char[5]){ s[1], s[2], s[3], s[4], 0 }, NULL, 16);
					char u[5];
					int k = 0;
					s += 4;
					if (cp >= 0xD800 && cp < 0xDC00 && s[1] == '\\' && s[2] == 'u') {
						unsigned long lo = strtoul((char[5]){ s[3], s[4], s[5], s[6], 0 }, NULL, 16);
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						s += 6;
					}
					if (cp < 0x80)
						u[k++] = (char)cp;
					else if (cp < 0x800) {
						u[k++] = (char)(0xC0 | (cp >> 6));
						u[k++] = (char)(0x80 | (cp & 0x3F));
					} else if (cp < 0x10000) {
						u[k++] = (char)(0xE0 | (cp >> 12));
						u[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
						u[k++] = (char)(0x80 | (cp & 0x3F));
					} else {
						u[k++] = (char)(0xF0 | (cp >> 18));
						u[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
						u[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
						u[k++] = (char)(0x80 | (cp & 0x3F));
					}
					r = buf_add(&b, u, (size_t)k);
					break;
				}
				default: r = buf_addc(&b, *s);
				}
			} else {
				r = buf_addc(&b, *s);
			}
			if (r) {
				buf_free(&b);
				return -1;
			}
			s++;
		}
		if (*s == '"')
			s++;
		if (buf_addc(&b, '\0') || strv_add(v, b.s)) {
			buf_free(&b);
			return -1;
		}
	}
	buf_free(&b);
	return 0;
}

static int json_node(struct buf *b, const struct cb *cb, long i, int indent);

static int json_children(struct buf *b, const struct cb *cb, long i, int codes, int indent)
{
	long k;
	int first = 1;
	for (k = cb->nodes[i].first_child; k >= 0; k = cb->nodes[k].next_sibling) {
		if ((cb->nodes[k].kind == CB_CODE) != codes)
			continue;
		if (buf_adds(b, first ? "[\n" : ",\n") || buf_addf(b, "%*s", indent + 2, "") || json_node(b, cb, k, indent + 2))
			return -1;
		first = 0;
	}
	return first ? buf_adds(b, "[]") : buf_addf(b, "\n%*s]", indent, "");
}

static int json_node(struct buf *b, const struct cb *cb, long i, int indent)
{
	const struct cb_node *n = &cb->nodes[i];
	int r = buf_adds(b, "{\"id\": ") || cb_json_str(b, n->id ? n->id : "") || buf_adds(b, ", \"name\": ") ||
	        cb_json_str(b, n->name ? n->name : "") || buf_adds(b, ", \"status\": ") || cb_json_str(b, n->status);
	if (!r && n->definition)
		r = buf_adds(b, ", \"definition\": ") || cb_json_str(b, n->definition);
	if (!r && n->include.n)
		r = buf_adds(b, ", \"include\": ") || json_strv(b, &n->include);
	if (!r && n->exclude.n)
		r = buf_adds(b, ", \"exclude\": ") || json_strv(b, &n->exclude);
	if (!r && n->examples.n)
		r = buf_adds(b, ", \"examples\": ") || json_strv(b, &n->examples);
	if (!r && n->keywords.n)
		r = buf_adds(b, ", \"keywords\": ") || json_strv(b, &n->keywords);
	if (!r && n->patterns.n)
		r = buf_adds(b, ", \"patterns\": ") || json_strv(b, &n->patterns);
	if (!r && n->color)
		r = buf_adds(b, ", \"color\": ") || cb_json_str(b, n->color);
	if (!r)
		r = buf_adds(b, ", \"subthemes\": ") || json_children(b, cb, i, 0, indent) || buf_adds(b, ", \"codes\": ") ||
		    json_children(b, cb, i, 1, indent) || buf_addc(b, '}');
	return r ? -1 : 0;
}

char *cb_to_json(const struct cb *cb)
{
	struct buf b = { 0 };
	long i;
	int first = 1, r;
	r = buf_adds(&b, "{\"codebook\": ") || cb_json_str(&b, cb->title ? cb->title : "");
	if (!r && cb->description)
		r = buf_adds(&b, ",\n \"description\": ") || cb_json_str(&b, cb->description);
	if (!r)
		r = buf_adds(&b, ",\n \"themes\": [");
	for (i = 0; !r && i < (long)cb->n; i++) {
		if (cb->nodes[i].parent >= 0)
			continue;
		r = buf_adds(&b, first ? "\n  " : ",\n  ") || json_node(&b, cb, i, 2);
		first = 0;
	}
	if (!r)
		r = buf_adds(&b, first ? "]}\n" : "\n ]}\n");
	if (r) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* ---- the codebook in the project ---- */

struct dbrow {
	long long id, parent;
	int code, position;
	long ix;
};

static int by_parent(const void *a, const void *b)
{
	const struct dbrow *x = a, *y = b;
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->code != y->code)
		return x->code - y->code;
	if (x->position != y->position)
		return x->position < y->position ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* A copy of a text column, NULL when it is NULL or empty; -1 when memory
 * runs out. */
static int col_dup(sqlite3_stmt *st, int i, char **out)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	*out = NULL;
	if (!t && sqlite3_column_type(st, i) != SQLITE_NULL)
		return -1;
	if (t && *t && !(*out = strdup(t)))
		return -1;
	return 0;
}

struct loadctx {
	struct cb tmp;     /* nodes in id order, moved into the result in tree order */
	struct dbrow *rows;
	size_t n;
	long *map;         /* tmp index -> result index */
};

static int emit_children(struct loadctx *L, struct cb *cb, long long parent, long parent_ix, int depth)
{
	/* first row with this parent: binary search */
	size_t lo = 0, hi = L->n;
	if (depth > 200)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (L->rows[mid].parent < parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < L->n && L->rows[lo].parent == parent; lo++) {
		struct cb_node *src = &L->tmp.nodes[L->rows[lo].ix];
		long ix = cb_add(cb, src->kind, parent_ix);
		struct cb_node *dst;
		if (ix < 0)
			return -1;
		dst = &cb->nodes[ix];
		*dst = *src;
		dst->parent = parent_ix;
		dst->depth = parent_ix >= 0 ? cb->nodes[parent_ix].depth + 1 : 1;
		memset(src, 0, sizeof *src);
		if (emit_children(L, cb, dst->db_id, ix, depth + 1))
			return -1;
	}
	return 0;
}

enum qda_status cb_from_db(struct qda *h, struct cb *cb)
{
	sqlite3_stmt *st;
	struct loadctx L;
	enum qda_status rc = QDA_OK;
	size_t cap = 0, i;
	int step;

	memset(cb, 0, sizeof *cb);
	memset(&L, 0, sizeof L);
	if ((rc = qda_codebook_title(h, &cb->title, &cb->description)) != QDA_OK)
		return rc;
	if (!*cb->title) {
		free(cb->title);
		cb->title = NULL;
	}
	if (!*cb->description) {
		free(cb->description);
		cb->description = NULL;
	}
	st = prep(h, "SELECT n.id, coalesce(p.id, 0), n.kind, n.position, n.key, n.name, n.status, n.definition,"
	             " n.include, n.exclude, n.examples, n.keywords, n.patterns, n.color, n.guid"
	             " FROM node n LEFT JOIN node p ON p.id = n.parent_id AND p.retired = 0 WHERE n.retired = 0");
	if (!st) {
		cb_free(cb);
		return QDA_EDB;
	}
	while ((step = step_row(h, st, "read the codebook")) > 0) {
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		enum cb_kind k;
		long ix;
		struct cb_node *n;
		if (!kind) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		k = strcmp(kind, "theme") == 0 ? CB_THEME : strcmp(kind, "subtheme") == 0 ? CB_SUBTHEME : CB_CODE;
		if ((ix = cb_add(&L.tmp, k, -1)) < 0) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		if (L.n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct dbrow *rows = realloc(L.rows, ncap * sizeof *L.rows);
			if (!rows) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			L.rows = rows;
			cap = ncap;
		}
		n = &L.tmp.nodes[ix];
		n->db_id = sqlite3_column_int64(st, 0);
		if (col_dup(st, 4, &n->id) || col_dup(st, 5, &n->name) || col_dup(st, 6, &n->status) ||
		    col_dup(st, 7, &n->definition) || col_dup(st, 13, &n->color) || col_dup(st, 14, &n->guid) ||
		    !n->id || !n->name || !n->status || strv_from_json((const char *)sqlite3_column_text(st, 8), &n->include) ||
		    strv_from_json((const char *)sqlite3_column_text(st, 9), &n->exclude) ||
		    strv_from_json((const char *)sqlite3_column_text(st, 10), &n->examples) ||
		    strv_from_json((const char *)sqlite3_column_text(st, 11), &n->keywords) ||
		    strv_from_json((const char *)sqlite3_column_text(st, 12), &n->patterns)) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		L.rows[L.n] = (struct dbrow){ n->db_id, sqlite3_column_int64(st, 1), k == CB_CODE,
			                      sqlite3_column_int(st, 3), ix };
		L.n++;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (L.n)
		qsort(L.rows, L.n, sizeof *L.rows, by_parent);
	if (emit_children(&L, cb, 0, -1, 0)) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (cb_link(cb))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
out:
	sqlite3_finalize(st);
	for (i = 0; i < L.tmp.n; i++)
		node_clear(&L.tmp.nodes[i]);
	free(L.tmp.nodes);
	free(L.rows);
	if (rc != QDA_OK)
		cb_free(cb);
	return rc;
}

enum qda_status qda_codebook_title(struct qda *h, char **title, char **description)
{
	sqlite3_stmt *st = prep(h, "SELECT coalesce(title, ''), coalesce(description, '') FROM codebook_version"
	                           " ORDER BY id DESC LIMIT 1");
	const char *t = "", *d = "";
	int found;
	*title = *description = NULL;
	if (!st)
		return QDA_EDB;
	if ((found = step_row(h, st, "read the codebook title")) < 0) {
		sqlite3_finalize(st);
		return QDA_EDB;
	}
	if (found) {
		t = (const char *)sqlite3_column_text(st, 0);
		d = (const char *)sqlite3_column_text(st, 1);
	}
	*title = t ? strdup(t) : NULL;
	*description = d ? strdup(d) : NULL;
	sqlite3_finalize(st);
	if (!*title || !*description) {
		free(*title);
		free(*description);
		*title = *description = NULL;
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	return QDA_OK;
}

/* ---- comparing two codebooks ---- */

struct idindex {
	const struct cb *cb;
	long *ix; /* node indices sorted by id */
};

static int by_id(const void *a, const void *b, void *arg)
{
	const struct cb *cb = arg;
	const struct cb_node *x = &cb->nodes[*(const long *)a], *y = &cb->nodes[*(const long *)b];
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int index_new(struct idindex *x, const struct cb *cb)
{
	long i;
	x->cb = cb;
	x->ix = malloc((cb->n + 1) * sizeof *x->ix);
	if (!x->ix)
		return -1;
	for (i = 0; i < (long)cb->n; i++)
		x->ix[i] = i;
	qsort_r(x->ix, cb->n, sizeof *x->ix, by_id, (void *)cb);
	return 0;
}

static long index_find(const struct idindex *x, const char *id)
{
	size_t lo = 0, hi = x->cb->n;
	if (!id)
		return -1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(x->cb->nodes[x->ix[mid]].id ? x->cb->nodes[x->ix[mid]].id : "", id);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->cb->n && x->cb->nodes[x->ix[lo]].id && strcmp(x->cb->nodes[x->ix[lo]].id, id) == 0)
		return x->ix[lo];
	return -1;
}

static int change_add(struct cb_changes *c, const char *change, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int change_add(struct cb_changes *c, const char *change, const char *id, const char *fmt, ...)
{
	va_list ap;
	char *detail = NULL;
	int r;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct cb_change *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	va_start(ap, fmt);
	r = vasprintf(&detail, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	c->v[c->n].change = strdup(change);
	c->v[c->n].id = strdup(id ? id : "");
	c->v[c->n].detail = detail;
	if (!c->v[c->n].change || !c->v[c->n].id) {
		free(c->v[c->n].change);
		free(c->v[c->n].id);
		free(detail);
		return -1;
	}
	c->n++;
	return 0;
}

void cb_changes_free(struct cb_changes *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].change);
		free(c->v[i].id);
		free(c->v[i].detail);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

void cb_changes_report(const struct cb_changes *c, qda_cb_change_fn fn, void *ctx)
{
	size_t i;
	for (i = 0; fn && i < c->n; i++) {
		struct qda_cb_change ch = { c->v[i].change, c->v[i].id, c->v[i].detail };
		if (fn(ctx, &ch))
			break;
	}
}

static int str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int strv_eq(const struct strv *a, const struct strv *b)
{
	size_t i;
	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

static const char *parent_id(const struct cb *cb, const struct cb_node *n)
{
	return n->parent >= 0 ? cb->nodes[n->parent].id : NULL;
}

/* The ids of the children of node p of cb (-1: the themes) that are under
 * the same parent (id parent) in the other codebook, in cb's order. */
static int common_children(const struct cb *cb, long p, const struct idindex *other, const char *parent,
                           struct buf *out)
{
	long i;
	out->len = 0;
	for (i = p >= 0 ? cb->nodes[p].first_child : 0; i >= 0 && i < (long)cb->n;
	     i = p >= 0 ? cb->nodes[i].next_sibling : i + 1) {
		long j;
		if (p < 0 && cb->nodes[i].parent >= 0)
			continue;
		j = index_find(other, cb->nodes[i].id);
		if (j >= 0 && str_eq(parent_id(other->cb, &other->cb->nodes[j]), parent) &&
		    (buf_adds(out, cb->nodes[i].id) || buf_addc(out, '\n')))
			return -1;
	}
	return buf_addc(out, '\0');
}

enum qda_status cb_diff(struct qda *h, const struct cb *a, const struct cb *b, struct cb_changes *c)
{
	struct idindex xa = { 0 }, xb = { 0 };
	struct buf sa = { 0 }, sb = { 0 };
	enum qda_status rc = QDA_OK;
	long i;
	int r = 0;

	if (index_new(&xa, a) || index_new(&xb, b)) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!str_eq(a->title, b->title))
		r = change_add(c, "title", "", "'%s' -> '%s'", a->title ? a->title : "", b->title ? b->title : "");
	if (!r && !str_eq(a->description, b->description))
		r = change_add(c, "description", "", "changed");
	for (i = 0; !r && i < (long)b->n; i++) {
		const struct cb_node *nb = &b->nodes[i], *na;
		long j = index_find(&xa, nb->id);
		const char *pa, *pb;
		if (j < 0) {
			r = change_add(c, "added", nb->id, "%s '%s'%s%s", cb_kind_name(nb->kind), nb->name ? nb->name : "",
			               nb->parent >= 0 ? " under " : "", nb->parent >= 0 ? b->nodes[nb->parent].id : "");
			continue;
		}
		na = &a->nodes[j];
		if (!str_eq(na->name, nb->name))
			r = change_add(c, "renamed", nb->id, "'%s' -> '%s'", na->name ? na->name : "", nb->name ? nb->name : "");
		pa = parent_id(a, na);
		pb = parent_id(b, nb);
		if (!r && (!str_eq(pa, pb) || na->kind != nb->kind)) {
			if (!str_eq(pa, pb))
				r = change_add(c, "moved", nb->id, "%s -> %s%s%s", pa ? pa : "(top)", pb ? pb : "(top)",
				               na->kind != nb->kind ? ", now a " : "", na->kind != nb->kind ? cb_kind_name(nb->kind) : "");
			else
				r = change_add(c, "moved", nb->id, "now a %s", cb_kind_name(nb->kind));
		}
		if (!r && !str_eq(na->status, nb->status))
			r = change_add(c, "status", nb->id, "%s -> %s", na->status, nb->status);
		if (!r) {
			char what[160] = "";
#define FIELD(cond, name) \
	if (cond) \
		snprintf(what + strlen(what), sizeof what - strlen(what), "%s%s", *what ? ", " : "", name)
			FIELD(!str_eq(na->definition, nb->definition), "definition");
			FIELD(!strv_eq(&na->include, &nb->include), "include");
			FIELD(!strv_eq(&na->exclude, &nb->exclude), "exclude");
			FIELD(!strv_eq(&na->examples, &nb->examples), "examples");
			FIELD(!strv_eq(&na->keywords, &nb->keywords), "keywords");
			FIELD(!strv_eq(&na->patterns, &nb->patterns), "patterns");
			FIELD(!str_eq(na->color, nb->color), "color");
#undef FIELD
			if (*what)
				r = change_add(c, "redefined", nb->id, "%s", what);
		}
	}
	/* the order of siblings kept from a to b */
	for (i = -1; !r && i < (long)b->n; i++) {
		const char *pid = i < 0 ? NULL : b->nodes[i].id;
		long ia = i < 0 ? -1 : index_find(&xa, pid);
		if (i >= 0 && (b->nodes[i].first_child < 0 || ia < 0))
			continue;
		if (common_children(b, i, &xa, pid, &sb) || common_children(a, ia, &xb, pid, &sa)) {
			r = -1;
			break;
		}
		if (strcmp(sa.s, sb.s))
			r = change_add(c, "reordered", pid ? pid : "", "%s", pid ? "its children" : "the themes");
	}
	for (i = 0; !r && i < (long)a->n; i++) {
		const struct cb_node *na = &a->nodes[i];
		if (index_find(&xb, na->id) < 0)
			r = change_add(c, "removed", na->id, "%s '%s'", cb_kind_name(na->kind), na->name ? na->name : "");
	}
	if (r)
		rc = seterr(h, QDA_ENOMEM, "out of memory");
out:
	free(xa.ix);
	free(xb.ix);
	buf_free(&sa);
	buf_free(&sb);
	return rc;
}

/* ---- versions ---- */

enum qda_status cb_record(struct qda *h, const char *origin, const char *hash, const char *title,
                          const char *description, const struct cb_changes *c, long *version)
{
	struct cb cb;
	struct buf ch = { 0 };
	char *snap = NULL;
	sqlite3_stmt *st = NULL;
	long long coder = 0;
	enum qda_status rc;
	size_t i;

	if ((rc = cb_from_db(h, &cb)) != QDA_OK)
		return rc;
	if (title) {
		free(cb.title);
		free(cb.description);
		cb.title = *title ? strdup(title) : NULL;
		cb.description = description && *description ? strdup(description) : NULL;
		if ((*title && !cb.title) || (description && *description && !cb.description)) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (h->coder && *h->coder && (rc = coder_id(h, &coder)) != QDA_OK)
		goto out;
	snap = cb_to_json(&cb);
	if (!snap || buf_addc(&ch, '[')) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < c->n; i++) {
		if ((i && buf_addc(&ch, ',')) || buf_adds(&ch, "{\"change\": ") || cb_json_str(&ch, c->v[i].change) ||
		    buf_adds(&ch, ", \"id\": ") || cb_json_str(&ch, c->v[i].id) || buf_adds(&ch, ", \"detail\": ") ||
		    cb_json_str(&ch, c->v[i].detail) || buf_addc(&ch, '}')) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (buf_addc(&ch, ']') || buf_addc(&ch, '\0')) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(st = prep(h, "INSERT INTO codebook_version(coder_id, origin, hash, title, description, snapshot, changes)"
	                   " VALUES (?, ?, ?, ?, ?, ?, ?)"))) {
		rc = QDA_EDB;
		goto out;
	}
	if (coder)
		sqlite3_bind_int64(st, 1, coder);
	bind_text(st, 2, origin);
	bind_text(st, 3, hash);
	bind_text(st, 4, cb.title);
	bind_text(st, 5, cb.description);
	bind_text(st, 6, snap);
	bind_text(st, 7, ch.s);
	if ((rc = step_done(h, st)) == QDA_OK && version)
		*version = (long)sqlite3_last_insert_rowid(h->db);
out:
	sqlite3_finalize(st);
	free(snap);
	buf_free(&ch);
	cb_free(&cb);
	return rc;
}

/* The integer a statement yields with id bound as ?1 (when id is not 0),
 * 0 when it yields no row. */
static enum qda_status one_int(struct qda *h, sqlite3_stmt *st, long long id, long long *v)
{
	int found;
	*v = 0;
	sqlite3_reset(st);
	if (id)
		sqlite3_bind_int64(st, 1, id);
	if ((found = step_row(h, st, "read the codebook")) > 0)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return found < 0 ? QDA_EDB : QDA_OK;
}

static enum qda_status version_cb(struct qda *h, long v, struct cb *cb)
{
	sqlite3_stmt *st;
	enum qda_status rc = QDA_OK;
	int found;
	memset(cb, 0, sizeof *cb);
	if (v == 0)
		return QDA_OK;
	if (!(st = prep(h, "SELECT snapshot FROM codebook_version WHERE id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, v);
	if ((found = step_row(h, st, "read codebook version")) > 0) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		char name[64];
		long n;
		snprintf(name, sizeof name, "version %ld", v);
		if ((n = cb_parse(name, s ? s : "", s ? strlen(s) : 0, cb, NULL, NULL)) < 0)
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		else if (n > 0)
			rc = seterr(h, QDA_EINPUT, "the snapshot of codebook version %ld cannot be read", v);
	} else if (found < 0) {
		rc = QDA_EDB;
	} else {
		rc = seterr(h, QDA_ENOTFOUND, "no codebook version %ld; 'qda codebook history' lists them", v);
	}
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_codebook_diff(struct qda *h, long v1, long v2, qda_cb_change_fn fn, void *ctx)
{
	struct cb a = { 0 }, b = { 0 };
	struct cb_changes c = { 0 };
	sqlite3_stmt *st;
	enum qda_status rc;

	if (v2 == 0) {
		long long v;
		if (!(st = prep(h, "SELECT coalesce(max(id), 0) FROM codebook_version")))
			return QDA_EDB;
		rc = one_int(h, st, 0, &v);
		sqlite3_finalize(st);
		if (rc != QDA_OK)
			return rc;
		if ((v2 = (long)v) == 0)
			return seterr(h, QDA_ENOTFOUND, "no codebook version yet; load one with 'qda codebook load FILE.yaml'");
	}
	if (v1 == 0) {
		long long v;
		if (!(st = prep(h, "SELECT coalesce(max(id), 0) FROM codebook_version WHERE id < ?")))
			return QDA_EDB;
		rc = one_int(h, st, v2, &v);
		sqlite3_finalize(st);
		if (rc != QDA_OK)
			return rc;
		if ((v1 = (long)v) == 0) {
			/* the first version against the empty codebook: check that v2 exists */
			if ((rc = version_cb(h, v2, &b)) != QDA_OK)
				goto out;
			goto compare;
		}
	}
	if ((rc = version_cb(h, v1, &a)) != QDA_OK || (rc = version_cb(h, v2, &b)) != QDA_OK)
		goto out;
compare:
	if ((rc = cb_diff(h, &a, &b, &c)) == QDA_OK)
		cb_changes_report(&c, fn, ctx);
out:
	cb_changes_free(&c);
	cb_free(&a);
	cb_free(&b);
	return rc;
}

enum qda_status qda_codebook_history(struct qda *h, qda_cb_version_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(
		h, "SELECT v.id, v.created, coalesce(c.name, ''), v.origin, coalesce(v.hash, ''),"
		   " (SELECT count(*) FROM json_each(v.changes)),"
		   " coalesce((SELECT group_concat(n || ' ' || ch, ', ') FROM (SELECT json_extract(value, '$.change') AS ch,"
		   "  count(*) AS n, min(key) AS k FROM json_each(v.changes) GROUP BY ch ORDER BY k)), '')"
		   " FROM codebook_version v LEFT JOIN coder c ON c.id = v.coder_id ORDER BY v.id");
	int step;
	if (!st)
		return QDA_EDB;
	while ((step = step_row(h, st, "read codebook versions")) > 0) {
		struct qda_cb_version v = {
			(long)sqlite3_column_int64(st, 0),      (const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 6),
			(long)sqlite3_column_int64(st, 5),
		};
		if (fn(ctx, &v))
			break;
	}
	sqlite3_finalize(st);
	return step < 0 ? QDA_EDB : QDA_OK;
}

/* ---- loading a file into the project ---- */

static int json_list(const struct strv *v, char **out)
{
	struct buf b = { 0 };
	*out = NULL;
	if (!v->n)
		return 0;
	if (json_strv(&b, v) || buf_addc(&b, '\0')) {
		buf_free(&b);
		return -1;
	}
	*out = buf_take(&b);
	return 0;
}

static enum qda_status keep_guid(struct qda *h, long long id, const char *guid)
{
	sqlite3_stmt *st = prep(h, "UPDATE node SET guid = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM node WHERE guid = ?1)");
	enum qda_status rc;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, guid);
	sqlite3_bind_int64(st, 2, id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

/* Write the file's nodes into the project: update by id, insert the new. */
static enum qda_status upsert(struct qda *h, const struct cb *cb, long long *ids)
{
	sqlite3_stmt *find = prep(h, "SELECT id FROM node WHERE key = ?");
	sqlite3_stmt *upd = prep(h,
		"UPDATE node SET parent_id = ?1, kind = ?2, name = ?3, status = ?4, definition = ?5, include = ?6,"
		" exclude = ?7, examples = ?8, keywords = ?9, patterns = ?10, color = ?11, position = ?12, retired = 0,"
		" updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?13 AND (parent_id IS NOT ?1 OR kind IS NOT ?2"
		" OR name IS NOT ?3 OR status IS NOT ?4 OR definition IS NOT ?5 OR include IS NOT ?6 OR exclude IS NOT ?7"
		" OR examples IS NOT ?8 OR keywords IS NOT ?9 OR patterns IS NOT ?10 OR color IS NOT ?11"
		" OR position IS NOT ?12 OR retired <> 0)");
	sqlite3_stmt *ins = prep(h, "INSERT INTO node(parent_id, kind, name, status, definition, include, exclude, examples,"
	                            " keywords, patterns, color, position, key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	                            " ?10, ?11, ?12, ?13)");
	int *pos = calloc(cb->n + 1, sizeof *pos);
	int npos_top = 0;
	enum qda_status rc = QDA_OK;
	size_t i;

	if (!find || !upd || !ins) {
		rc = QDA_EDB;
		goto out;
	}
	if (!pos) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < cb->n && rc == QDA_OK; i++) {
		const struct cb_node *n = &cb->nodes[i];
		char *lists[5] = { 0 };
		sqlite3_stmt *w;
		long long existing = 0;
		int k, position = n->parent >= 0 ? pos[n->parent]++ : npos_top++;

		sqlite3_reset(find);
		bind_text(find, 1, n->id);
		if ((k = step_row(h, find, "find code")) > 0)
			existing = sqlite3_column_int64(find, 0);
		sqlite3_reset(find);
		if (k < 0)
			rc = QDA_EDB;
		else if (json_list(&n->include, &lists[0]) || json_list(&n->exclude, &lists[1]) ||
		    json_list(&n->examples, &lists[2]) || json_list(&n->keywords, &lists[3]) ||
		    json_list(&n->patterns, &lists[4])) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		} else {
			w = existing ? upd : ins;
			sqlite3_reset(w);
			sqlite3_clear_bindings(w);
			if (n->parent >= 0)
				sqlite3_bind_int64(w, 1, ids[n->parent]);
			bind_text(w, 2, cb_kind_name(n->kind));
			bind_text(w, 3, n->name);
			bind_text(w, 4, n->status);
			bind_text(w, 5, n->definition);
			for (k = 0; k < 5; k++)
				bind_text(w, 6 + k, lists[k]);
			bind_text(w, 11, n->color);
			sqlite3_bind_int(w, 12, position);
			if (existing)
				sqlite3_bind_int64(w, 13, existing);
			else
				bind_text(w, 13, n->id);
			rc = step_done(h, w);
			ids[i] = existing ? existing : sqlite3_last_insert_rowid(h->db);
			/* a code from a REFI-QDA file keeps its GUID */
			if (rc == QDA_OK && !existing && n->guid)
				rc = keep_guid(h, ids[i], n->guid);
		}
		for (k = 0; k < 5; k++)
			free(lists[k]);
	}
out:
	free(pos);
	sqlite3_finalize(find);
	sqlite3_finalize(upd);
	sqlite3_finalize(ins);
	return rc;
}

enum qda_status cb_drop(struct qda *h, long long id, int *retired)
{
	/* removed codings count: their history names the node */
	sqlite3_stmt *st = prep(h, "SELECT EXISTS (SELECT 1 FROM coding_all WHERE node_id = ?1)"
	                           " OR EXISTS (SELECT 1 FROM node WHERE parent_id = ?1)"
	                           " OR EXISTS (SELECT 1 FROM review WHERE suggested_id = ?1 OR previous_id = ?1)"
	                           " OR EXISTS (SELECT 1 FROM memo WHERE node_id = ?1)");
	enum qda_status rc;
	long long used;
	if (!st)
		return QDA_EDB;
	rc = one_int(h, st, id, &used);
	sqlite3_finalize(st);
	if (rc != QDA_OK)
		return rc;
	*retired = used != 0;
	st = prep(h, used ? "UPDATE node SET retired = 1, updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?"
	                  : "DELETE FROM node WHERE id = ?");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

static int strv_copy(struct strv *to, const struct strv *from)
{
	size_t i;
	if (to->n || !from->n)
		return 0;
	if (!(to->v = calloc(from->n, sizeof *to->v)))
		return -1;
	for (i = 0; i < from->n; i++, to->n++)
		if (!(to->v[i] = strdup(from->v[i])))
			return -1;
	return 0;
}

/* What a .qdc cannot say (a node's status, examples, keywords, patterns;
 * the codebook's description) stays as the project has it: loading back a
 * codebook exported as .qdc changes nothing. */
static enum qda_status keep_unsaid(struct qda *h, const struct cb *cur, struct cb *file)
{
	struct idindex xc = { 0 };
	size_t i;
	int bad = 0;
	if (index_new(&xc, cur))
		return seterr(h, QDA_ENOMEM, "out of memory");
	for (i = 0; i < file->n && !bad; i++) {
		struct cb_node *n = &file->nodes[i];
		long k = index_find(&xc, n->id);
		const struct cb_node *o;
		if (k < 0)
			continue;
		o = &cur->nodes[k];
		if (o->status && strcmp(n->status, o->status)) {
			free(n->status);
			bad = !(n->status = strdup(o->status));
		}
		bad = bad || strv_copy(&n->examples, &o->examples) || strv_copy(&n->keywords, &o->keywords) ||
		      strv_copy(&n->patterns, &o->patterns);
	}
	if (!bad && !file->description && cur->description && !(file->description = strdup(cur->description)))
		bad = 1;
	free(xc.ix);
	return bad ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_OK;
}

enum qda_status qda_codebook_load(struct qda *h, const char *path, int retire, qda_cb_error_fn err,
                                  qda_cb_change_fn fn, void *ctx, struct qda_codebook_load_result *r)
{
	struct cb file = { 0 }, cur = { 0 };
	struct cb_changes c = { 0 };
	struct idindex xf = { 0 };
	char *text = NULL, hash[65], *origin = NULL;
	size_t len = 0;
	long long *ids = NULL;
	sqlite3_stmt *count = NULL;
	enum qda_status rc;
	long n, refused = 0, i;
	int in_sp = 0;

	memset(r, 0, sizeof *r);
	if ((rc = read_file(h, path, 64u << 20, &text, &len)) != QDA_OK)
		return rc;
	qda_sha256_hex(text, len, hash);
	n = refi_is_qdc(path) ? refi_qdc_parse(path, text, len, &file, err, ctx) : cb_parse(path, text, len, &file, err, ctx);
	if (n < 0) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	/* a .qdc names its codes by GUID: a code this project has keeps its id */
	if (n == 0 && refi_is_qdc(path) && (rc = refi_cb_ids(h, &file)) != QDA_OK)
		goto out;
	if (n > 0) {
		rc = seterr(h, QDA_EINPUT, "%ld error%s in %s; nothing was loaded ('qda codebook check %s' lists them)", n,
		            n == 1 ? "" : "s", path, path);
		goto out;
	}
	if ((rc = savepoint(h, "codebook_load")) != QDA_OK)
		goto out;
	in_sp = 1;
	if ((rc = cb_from_db(h, &cur)) != QDA_OK)
		goto out;
	/* a .qdc has no title: the codebook keeps its own, else takes the file's name */
	if (!file.title && refi_is_qdc(path)) {
		const char *b = strrchr(path, '/');
		b = b ? b + 1 : path;
		if (!(file.title = strdup(cur.title && *cur.title ? cur.title : b))) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		if (!cur.title || !*cur.title)
			file.title[strlen(file.title) - 4] = '\0';
	}
	if (refi_is_qdc(path) && (rc = keep_unsaid(h, &cur, &file)) != QDA_OK)
		goto out;
	if ((rc = cb_diff(h, &cur, &file, &c)) != QDA_OK)
		goto out;
	if (c.n == 0) {
		sqlite3_stmt *st = prep(h, "SELECT coalesce(max(id), 0) FROM codebook_version");
		long long v;
		if (!st) {
			rc = QDA_EDB;
			goto out;
		}
		rc = one_int(h, st, 0, &v);
		sqlite3_finalize(st);
		r->version = (long)v;
		r->unchanged = 1;
		goto out;
	}
	/* nodes that leave the codebook: refuse to drop codings silently */
	if (index_new(&xf, &file)) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(count = prep(h, "SELECT count(*) FROM coding WHERE node_id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < (long)cur.n; i++) {
		const struct cb_node *o = &cur.nodes[i];
		long long k;
		if (index_find(&xf, o->id) >= 0)
			continue;
		if ((rc = one_int(h, count, o->db_id, &k)) != QDA_OK)
			goto out;
		if (k > 0 && !retire) {
			struct buf msg = { 0 };
			buf_addf(&msg, "'%s' (%s) is not in the file but has %lld coding%s; add it back, keep it hidden with "
			         "its codings with --retire, or move them first with 'qda theme merge %s --into OTHER'",
			         o->id, o->name, k, k == 1 ? "" : "s", o->id);
			if (msg.failed) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			if (err)
				err(ctx, path, msg.s);
			buf_free(&msg);
			refused++;
		}
	}
	if (refused) {
		rc = seterr(h, QDA_EINPUT, "%ld node%s with codings would leave the codebook; nothing was loaded", refused,
		            refused == 1 ? "" : "s");
		goto out;
	}
	if (!(ids = calloc(file.n + 1, sizeof *ids))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = upsert(h, &file, ids)) != QDA_OK)
		goto out;
	/* children before parents, so a parent still holding a child is retired */
	for (i = (long)cur.n - 1; i >= 0; i--) {
		const struct cb_node *o = &cur.nodes[i];
		int retired;
		size_t j;
		if (index_find(&xf, o->id) >= 0)
			continue;
		if ((rc = cb_drop(h, o->db_id, &retired)) != QDA_OK)
			goto out;
		if (retired)
			for (j = 0; j < c.n; j++)
				if (strcmp(c.v[j].change, "removed") == 0 && strcmp(c.v[j].id, o->id) == 0) {
					char *d = strdup("retired");
					if (!d) {
						rc = seterr(h, QDA_ENOMEM, "out of memory");
						goto out;
					}
					free(c.v[j].change);
					c.v[j].change = d;
				}
	}
	if (!(origin = malloc(strlen(path) + 6))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	sprintf(origin, "load %s", path);
	if ((rc = cb_record(h, origin, hash, file.title ? file.title : "", file.description, &c, &r->version)) != QDA_OK)
		goto out;
	r->changes = (long)c.n;
out:
	if (in_sp) {
		if (rc == QDA_OK)
			rc = release(h, "codebook_load");
		else
			rollback_to(h, "codebook_load");
	}
	if (rc == QDA_OK)
		cb_changes_report(&c, fn, ctx);
	sqlite3_finalize(count);
	free(ids);
	free(xf.ix);
	cb_changes_free(&c);
	cb_free(&file);
	cb_free(&cur);
	free(origin);
	free(text);
	return rc;
}
