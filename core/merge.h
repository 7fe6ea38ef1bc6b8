/* merge.h — what the two halves of merge share: merge.c (the copy attached,
 * documents, coders, codings, reviews, memos) and merge_codes.c (where each
 * code of the copy lands here, and the report's rows about codes). */
#ifndef QDA_MERGE_H
#define QDA_MERGE_H

#include "internal.h"

enum how { H_SAME, H_MAPPED, H_ADDED, H_CONFLICT };

/* A code of the copy and where it lands here. */
struct onode {
	long long id, parent;  /* in the copy; parent 0 for a theme */
	char *guid, *key, *kind, *name;
	int retired;
	int state;             /* 0 not looked at, 1 being resolved, 2 resolved */
	enum how how;
	int always;            /* a conflict named even when nothing of it is lost */
	long long target;      /* the node here, 0 when none */
	char *target_key;
	struct buf why;        /* why it lands there, or why it cannot */
	const char *hint;      /* a conflict: what to do, printf format with the copy's id */
};

/* A change of the copy's own codebook versions (those this project lacks). */
struct ochange {
	long version;
	char *change, *id, *detail;
};

struct report_row {
	char *kind, *code, *detail;
};

/* One merge under way. */
struct merge {
	struct qda *h;
	const char *other;
	struct onode *v;
	size_t n;
	struct ochange *ch;
	size_t nch;
	struct cb before; /* this codebook before codes were added, for the version */
	int have_before;
	struct report_row *rows;
	size_t nrows, caprows;
	long conflict_skipped;
	struct qda_merge_report *rep;
};

/* Add a row to the report, given to the caller once the merge is sure. */
enum qda_status merge_row_add(struct merge *m, const char *kind, const char *code, const char *detail);
/* Map every code of the copy to one here, adding the codes the copy added
 * (and a codebook version for them): the mapping goes to temp.merge_node. */
enum qda_status merge_codes(struct merge *m);
/* After the codings: the rows of codes added, mapped or in conflict, with
 * the codings each brought or left out (m->conflict_skipped). */
enum qda_status merge_code_rows(struct merge *m);
/* The copy's own renames, moves and removals of codes still as they were. */
enum qda_status merge_copy_rows(struct merge *m);
void merge_codes_free(struct merge *m);

#endif
