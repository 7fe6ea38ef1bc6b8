/* layout.c — a document's lines and turns in memory: which line or turn
 * holds a position, and what is interviewer material. The one lookup every
 * module uses (coding, autocode, agree, cooccur, freq, retrieve): two
 * statements prepared once, a binary search per position. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum qda_status layout_open(struct qda *h, unsigned what, struct layout *L)
{
	memset(L, 0, sizeof *L);
	L->h = h;
	L->what = what;
	if ((what & LAYOUT_LINES) && !(L->lines_st = prep(h, "SELECT start, end FROM line WHERE doc_id = ? ORDER BY n")))
		return QDA_EDB;
	if ((what & LAYOUT_TURNS) &&
	    (!(L->turns_st = prep(h, "SELECT start, end, n, line_first, line_last, coalesce(speaker_id, 0), time_start"
	                             " FROM turn WHERE doc_id = ? ORDER BY n")) ||
	     /* the interviewers, a few a document: not a speaker lookup a turn */
	     !(L->iv_st = prep(h, "SELECT id FROM speaker WHERE doc_id = ? AND is_interviewer"))))
		return QDA_EDB;
	return QDA_OK;
}

void layout_close(struct layout *L)
{
	sqlite3_finalize(L->lines_st);
	sqlite3_finalize(L->turns_st);
	sqlite3_finalize(L->iv_st);
	free(L->iv_speakers);
	free(L->lines);
	free(L->turns);
	free(L->iv.v);
	memset(L, 0, sizeof *L);
}

enum qda_status layout_add_line(struct layout *L, int64_t start, int64_t end)
{
	if (L->n_lines == L->cap_lines) {
		size_t cap = L->cap_lines ? L->cap_lines * 2 : 256;
		int64_t *v = realloc(L->lines, cap * 2 * sizeof *v);
		if (!v)
			return seterr(L->h, QDA_ENOMEM, "out of memory");
		L->lines = v;
		L->cap_lines = cap;
	}
	L->lines[2 * L->n_lines] = start;
	L->lines[2 * L->n_lines + 1] = end;
	L->n_lines++;
	return QDA_OK;
}

static enum qda_status load_lines(struct layout *L)
{
	enum qda_status rc;
	int step;
	L->n_lines = 0;
	sqlite3_reset(L->lines_st);
	sqlite3_bind_int64(L->lines_st, 1, L->doc_id);
	while ((step = step_row(L->h, L->lines_st, "read the document's lines")) > 0) {
		if ((rc = layout_add_line(L, sqlite3_column_int64(L->lines_st, 0), sqlite3_column_int64(L->lines_st, 1))) !=
		    QDA_OK) {
			sqlite3_reset(L->lines_st);
			return rc;
		}
	}
	return step < 0 ? QDA_EDB : QDA_OK;
}

static int by_start(const void *a, const void *b)
{
	const struct layout_turn *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->n > y->n) - (x->n < y->n);
}

static enum qda_status load_turns(struct layout *L)
{
	enum qda_status rc = QDA_OK;
	size_t i;
	int step;
	L->n_turns = 0;
	L->iv.n = 0;
	L->n_iv_speakers = 0;
	sqlite3_reset(L->iv_st);
	sqlite3_bind_int64(L->iv_st, 1, L->doc_id);
	while ((step = step_row(L->h, L->iv_st, "read the document's interviewers")) > 0) {
		if (L->n_iv_speakers == L->cap_iv_speakers) {
			size_t cap = L->cap_iv_speakers ? L->cap_iv_speakers * 2 : 4;
			long long *v = realloc(L->iv_speakers, cap * sizeof *v);
			if (!v)
				return seterr(L->h, QDA_ENOMEM, "out of memory");
			L->iv_speakers = v;
			L->cap_iv_speakers = cap;
		}
		L->iv_speakers[L->n_iv_speakers++] = sqlite3_column_int64(L->iv_st, 0);
	}
	sqlite3_reset(L->iv_st);
	if (step < 0)
		return QDA_EDB;
	sqlite3_reset(L->turns_st);
	sqlite3_bind_int64(L->turns_st, 1, L->doc_id);
	while ((step = step_row(L->h, L->turns_st, "read the document's turns")) > 0) {
		struct layout_turn *t;
		if (L->n_turns == L->cap_turns) {
			size_t cap = L->cap_turns ? L->cap_turns * 2 : 64;
			struct layout_turn *v = realloc(L->turns, cap * sizeof *v);
			if (!v)
				return seterr(L->h, QDA_ENOMEM, "out of memory");
			L->turns = v;
			L->cap_turns = cap;
		}
		t = &L->turns[L->n_turns++];
		t->start = sqlite3_column_int64(L->turns_st, 0);
		t->end = sqlite3_column_int64(L->turns_st, 1);
		t->n = sqlite3_column_int(L->turns_st, 2);
		t->line_first = sqlite3_column_int(L->turns_st, 3);
		t->line_last = sqlite3_column_int(L->turns_st, 4);
		t->speaker_id = sqlite3_column_int64(L->turns_st, 5);
		t->interviewer = 0;
		for (i = 0; i < L->n_iv_speakers && !t->interviewer; i++)
			t->interviewer = t->speaker_id && L->iv_speakers[i] == t->speaker_id;
		t->time_start = sqlite3_column_type(L->turns_st, 6) == SQLITE_NULL ? LLONG_MIN
		                                                                  : sqlite3_column_int64(L->turns_st, 6);
	}
	if (step < 0)
		return QDA_EDB;
	/* Read in the order of their numbers (the index's: no sort per
	 * document); numbers follow positions, but order by position all the
	 * same when they do not. */
	for (i = 1; i < L->n_turns && by_start(&L->turns[i - 1], &L->turns[i]) <= 0; i++)
		;
	if (i < L->n_turns)
		qsort(L->turns, L->n_turns, sizeof *L->turns, by_start);
	/* Interviewer material: an interviewer's turn with the text after it up
	 * to the next turn (the blank lines the line table gives to that turn),
	 * joined where interviewer turns follow one another. */
	for (i = 0; rc == QDA_OK && i < L->n_turns; i++) {
		const struct layout_turn *t = &L->turns[i];
		int64_t end = i + 1 < L->n_turns ? L->turns[i + 1].start : INT64_MAX;
		if (!t->interviewer)
			continue;
		if (L->iv.n && L->iv.v[2 * L->iv.n - 1] >= t->start)
			L->iv.v[2 * L->iv.n - 1] = end;
		else
			rc = spans_push(L->h, &L->iv, t->start, end);
	}
	return rc;
}

enum qda_status layout_load(struct layout *L, long long doc_id)
{
	enum qda_status rc = QDA_OK;
	if (L->doc_id == doc_id && doc_id)
		return QDA_OK;
	L->doc_id = doc_id;
	if (L->lines_st && (rc = load_lines(L)) != QDA_OK)
		goto fail;
	if (L->turns_st && (rc = load_turns(L)) != QDA_OK)
		goto fail;
	return QDA_OK;
fail:
	L->doc_id = 0;
	return rc;
}

long layout_line_of(const struct layout *L, int64_t pos)
{
	size_t lo = 0, hi = L->n_lines;
	/* the last line starting at or before pos */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (L->lines[2 * mid] <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo;
}

enum qda_status layout_read(struct qda *h, unsigned what, long long doc_id, struct layout *L)
{
	enum qda_status rc;
	if ((rc = layout_open(h, what, L)) != QDA_OK || (rc = layout_load(L, doc_id)) != QDA_OK) {
		layout_close(L);
		return rc;
	}
	/* kept as loaded: without statements, a later layout_load of another
	 * document would load nothing */
	sqlite3_finalize(L->lines_st);
	sqlite3_finalize(L->turns_st);
	sqlite3_finalize(L->iv_st);
	L->lines_st = L->turns_st = L->iv_st = NULL;
	return QDA_OK;
}

long layout_turn_before(const struct layout *L, int64_t pos)
{
	size_t lo = 0, hi = L->n_turns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (L->turns[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

long layout_turn_of(const struct layout *L, int64_t pos)
{
	long t = layout_turn_before(L, pos);
	return t >= 0 && L->turns[t].end > pos ? t : -1;
}

int layout_interviewer(const struct layout *L, int64_t start, int64_t end)
{
	return L->iv.n && spans_contain(&L->iv, start, end);
}
