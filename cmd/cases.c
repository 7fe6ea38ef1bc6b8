/* cases.c — qda cases: the cases (participants), their documents and their
 * attributes, one column per attribute key. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct ctx {
	struct out *o;
	char **keys;
	size_t nkeys;
	const char **vals;
};

static int row(void *data, const struct qda_case_row *r)
{
	struct ctx *c = data;
	char docs[24];
	size_t i, j;
	snprintf(docs, sizeof docs, "%ld", r->docs);
	c->vals[0] = r->name;
	c->vals[1] = docs;
	for (i = 0; i < c->nkeys; i++) {
		c->vals[2 + i] = NULL;
		for (j = 0; j < r->n_attrs; j++)
			if (strcmp(r->keys[j], c->keys[i]) == 0)
				c->vals[2 + i] = r->values[j];
	}
	out_row(c->o, c->vals);
	return 0;
}

int cmd_cases(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda cases [--format FMT]",
		"List the cases (participants): name, number of documents, then one column per attribute.\n"
		"Set attributes with 'qda case set' or 'qda case import FILE.csv'.",
		NULL,
	};
	struct ctx c = { 0 };
	struct col *cols;
	enum qda_status st;
	size_t i;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_case_keys(cli->h, &c.keys, &c.nkeys)) != QDA_OK)
		return cli_fail(cli, st);
	if (!(c.o = out_open(cli, OUT_LISTING, &rc))) {
		qda_strv_free(c.keys, c.nkeys);
		return rc;
	}
	cols = xcalloc(c.nkeys + 2, sizeof *cols);
	c.vals = xcalloc(c.nkeys + 2, sizeof *c.vals);
	cols[0] = (struct col){ "case", COL_STR };
	cols[1] = (struct col){ "documents", COL_INT };
	for (i = 0; i < c.nkeys; i++)
		cols[2 + i] = (struct col){ c.keys[i], COL_STR };
	out_begin(c.o, cols, c.nkeys + 2);
	st = qda_cases_list(cli->h, row, &c);
	if (st != QDA_OK)
		out_fail(c.o);
	out_end(c.o);
	rc = out_close(cli, c.o, st != QDA_OK);
	free(cols);
	free(c.vals);
	qda_strv_free(c.keys, c.nkeys);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
