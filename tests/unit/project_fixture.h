/* project_fixture.h — a hand-made project shared by the counting tests
 * (freq, cooccur): 3 cases (C1 with two documents), 4 documents, a theme
 * tree t > s > a, b; t > c; u > uu; two coders, overlapping codings, and one
 * coding inside an interviewer turn. Include once per test file. */
static char path[256];

static const char fixture[] =
	"INSERT INTO cases(id, name) VALUES (1, 'C1'), (2, 'C2'), (3, 'C3');"
	"INSERT INTO attribute VALUES (1, 'role', 'patient'), (2, 'role', 'patient'), (3, 'role', 'clinician');"
	"INSERT INTO document(id, name, case_id, format, source_hash, text_hash, text, length, lines, words) VALUES"
	" (1, 'D1', 1, 'txt', 'a', 'h1', printf('%.100c', 'x'), 100, 1, 1),"
	" (2, 'D2', 1, 'txt', 'b', 'h2', printf('%.100c', 'y'), 100, 1, 1),"
	" (3, 'D3', 2, 'txt', 'c', 'h3', printf('%.100c', 'z'), 100, 1, 1),"
	" (4, 'D4', 3, 'txt', 'd', 'h4', 'un deux trois quatre', 20, 1, 4);"
	"INSERT INTO speaker(id, doc_id, name, is_interviewer) VALUES (1, 1, 'Camille', 1);"
	"INSERT INTO turn(doc_id, n, speaker_id, start, end, line_first, line_last) VALUES (1, 1, 1, 70, 100, 1, 1);"
	"INSERT INTO node(id, key, parent_id, kind, name, position) VALUES"
	" (1, 't', NULL, 'theme', 'Theme T', 0), (2, 's', 1, 'subtheme', 'Sub S', 0),"
	" (3, 'a', 2, 'code', 'Code a', 0), (4, 'b', 2, 'code', 'Code b', 1), (5, 'c', 1, 'code', 'Code c', 1),"
	" (6, 'u', NULL, 'theme', 'Theme U', 1), (7, 'uu', 6, 'code', 'Code uu', 0);"
	"INSERT INTO coder(id, name) VALUES (1, 'alice'), (2, 'bob');"
	"INSERT INTO coding(doc_id, node_id, coder_id, start, end, line_first, line_last) VALUES"
	" (1, 3, 1, 0, 10, 1, 1), (1, 4, 1, 5, 15, 1, 1), (1, 5, 1, 50, 60, 1, 1), (1, 5, 1, 75, 80, 1, 1),"
	" (2, 3, 2, 0, 10, 1, 1),"
	" (3, 4, 1, 20, 30, 1, 1), (3, 4, 2, 25, 35, 1, 1),"
	" (4, 7, 1, 0, 5, 1, 1);";

static struct qda *open_fixture(void)
{
	struct qda *h = NULL;
	snprintf(path, sizeof path, "/tmp/qda-test-%s-%d.qda", FIXTURE_NAME, (int)getpid());
	unlink(path);
	assert_int_equal(qda_init(path, &h), QDA_OK);
	assert_int_equal(exec(h, fixture), QDA_OK);
	return h;
}

static void close_fixture(struct qda *h)
{
	char p[300];
	qda_close(h);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

