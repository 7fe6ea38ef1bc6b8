/* agree-ref.c — the per-character reference for qda agree's bench: the
 * obvious implementation of NVivo's coding comparison, one byte per
 * character per code and coder, marked then counted character by
 * character. Prints per code the overall counts (code,units,a,b,both,
 * agreement,kappa) over the documents both coders coded, sorted by code, for
 * run.sh to compare with the overall rows of qda agree --include-interviewer.
 * Build: cc -O3 -o agree-ref agree-ref.c $(pkg-config --cflags --libs sqlite3)
 * Run:   agree-ref PROJECT CODER_A CODER_B */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
	char *key;
	long parent;                 /* index, -1 for a theme */
	long long n, a, b, both;     /* summed over documents */
	int seen, touched;
	unsigned char *mark[2];      /* the current document's characters (max_len each) */
};

struct coding {
	long node;
	int coder;
	long long start, end;
};

static struct node *nodes;
static long n_nodes, *by_id, max_id;
static long long max_len;

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "agree-ref: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	exit(1);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(nodes[*(const long *)a].key, nodes[*(const long *)b].key);
}

static void flush(struct coding *c, size_t n, long long len, int present, long long *total)
{
	size_t i;
	long k;
	if (present != 3)
		return; /* only the documents both coders coded */
	*total += len;
	for (i = 0; i < n; i++)
		for (k = c[i].node; k >= 0; k = nodes[k].parent) {
			long long p, s = c[i].start < 0 ? 0 : c[i].start, e = c[i].end > len ? len : c[i].end;
			if (!nodes[k].mark[0]) {
				nodes[k].mark[0] = calloc((size_t)max_len + 1, 1);
				nodes[k].mark[1] = calloc((size_t)max_len + 1, 1);
				if (!nodes[k].mark[0] || !nodes[k].mark[1])
					die(NULL, "mark");
			}
			nodes[k].touched = 1;
			for (p = s; p < e; p++)
				nodes[k].mark[c[i].coder][p] = 1;
		}
	for (k = 0; k < n_nodes; k++) {
		const unsigned char *ma = nodes[k].mark[0], *mb = nodes[k].mark[1];
		long long p, a = 0, b = 0, both = 0;
		if (!nodes[k].touched)
			continue;
		for (p = 0; p < len; p++) {
			a += ma[p];
			b += mb[p];
			both += ma[p] & mb[p];
		}
		nodes[k].a += a;
		nodes[k].b += b;
		nodes[k].both += both;
		nodes[k].seen = 1;
		nodes[k].touched = 0;
		memset(nodes[k].mark[0], 0, (size_t)len);
		memset(nodes[k].mark[1], 0, (size_t)len);
	}
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct coding *c = NULL;
	size_t n = 0, cap = 0;
	long long coder[2], doc = -1, len = 0, total = 0, *lengths;
	long i, *order, max_doc = 0;
	int present = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: agree-ref PROJECT CODER_A CODER_B\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die(db, "open");
	for (i = 0; i < 2; i++) {
		if (sqlite3_prepare_v2(db, "SELECT id FROM coder WHERE name = ?", -1, &st, NULL) != SQLITE_OK)
			die(db, "coder");
		sqlite3_bind_text(st, 1, argv[2 + i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			fprintf(stderr, "agree-ref: no coder '%s'\n", argv[2 + i]);
			return 1;
		}
		coder[i] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	/* the codebook: ids are small integers */
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM node", -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		die(db, "nodes");
	max_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	by_id = calloc((size_t)max_id + 2, sizeof *by_id);
	nodes = calloc((size_t)max_id + 2, sizeof *nodes);
	if (!by_id || !nodes)
		die(NULL, "nodes");
	for (i = 0; i <= max_id; i++)
		by_id[i] = -1;
	if (sqlite3_prepare_v2(db, "SELECT id, key, coalesce(parent_id, 0) FROM node WHERE retired = 0 ORDER BY id", -1, &st,
	                       NULL) != SQLITE_OK)
		die(db, "nodes");
	{
		long long *parent_id = calloc((size_t)max_id + 2, sizeof *parent_id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			by_id[sqlite3_column_int64(st, 0)] = n_nodes;
			nodes[n_nodes].key = strdup((const char *)sqlite3_column_text(st, 1));
			parent_id[n_nodes] = sqlite3_column_int64(st, 2);
			n_nodes++;
		}
		sqlite3_finalize(st);
		for (i = 0; i < n_nodes; i++)
			nodes[i].parent = parent_id[i] ? by_id[parent_id[i]] : -1;
		free(parent_id);
	}
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM document", -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		die(db, "documents");
	max_doc = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	lengths = calloc((size_t)max_doc + 2, sizeof *lengths);
	if (!lengths || sqlite3_prepare_v2(db, "SELECT id, length FROM document", -1, &st, NULL) != SQLITE_OK)
		die(db, "documents");
	while (sqlite3_step(st) == SQLITE_ROW) {
		lengths[sqlite3_column_int64(st, 0)] = sqlite3_column_int64(st, 1);
		if (sqlite3_column_int64(st, 1) > max_len)
			max_len = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);

	if (sqlite3_prepare_v2(db, "SELECT doc_id, node_id, coder_id, start, end FROM coding"
	                           " WHERE coder_id IN (?, ?) ORDER BY doc_id", -1, &st, NULL) != SQLITE_OK)
		die(db, "codings");
	sqlite3_bind_int64(st, 1, coder[0]);
	sqlite3_bind_int64(st, 2, coder[1]);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long d = sqlite3_column_int64(st, 0), id = sqlite3_column_int64(st, 1);
		int who = sqlite3_column_int64(st, 2) == coder[0] ? 0 : 1;
		if (d != doc) {
			flush(c, n, len, present, &total);
			n = 0;
			present = 0;
			doc = d;
			len = lengths[d];
		}
		present |= 1 << who;
		if (id > max_id || by_id[id] < 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			if (!(c = realloc(c, cap * sizeof *c)))
				die(NULL, "codings");
		}
		c[n++] = (struct coding){ by_id[id], who, sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4) };
	}
	flush(c, n, len, present, &total);
	sqlite3_finalize(st);
	sqlite3_close(db);

	order = malloc(((size_t)n_nodes + 1) * sizeof *order);
	for (i = 0; i < n_nodes; i++)
		order[i] = i;
	qsort(order, (size_t)n_nodes, sizeof *order, by_key);
	printf("code,units,a,b,both,agreement,kappa\n");
	for (i = 0; i < n_nodes; i++) {
		struct node *x = &nodes[order[i]];
		long long N = total, agree = x->both + (N - x->a - x->b + x->both);
		double ef = ((double)x->a * x->b + (double)(N - x->a) * (N - x->b)) / (double)N;
		if (!x->seen)
			continue;
		printf("%s,%lld,%lld,%lld,%lld,%.4f,%.6f\n", x->key, N, x->a, x->b, x->both, 100.0 * agree / N,
		       N == ef ? 1.0 : (agree - ef) / (N - ef));
	}
	for (i = 0; i < n_nodes; i++) {
		free(nodes[i].key);
		free(nodes[i].mark[0]);
		free(nodes[i].mark[1]);
	}
	free(order);
	free(nodes);
	free(by_id);
	free(lengths);
	free(c);
	return 0;
}
