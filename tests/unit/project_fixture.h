/* project_fixture.h — a hand-made project shared by the counting tests
 * (freq, cooccur): 3 cases (C1 with two documents), 4 documents, a theme
 * tree t > s > a, b; t > c; u > uu; two coders, overlapping codings, and one
 * coding inside an interviewer turn. Include once per test file. */
static char path[256];

static char *fixture;

/* The fixture's SQL, read from tests/fixtures/counting/project.sql (the
 * tests run from the top of the tree). */
static const char *fixture_sql(void)
{
	FILE *fp;
	long n;
	if (fixture)
		return fixture;
	fp = fopen("tests/fixtures/counting/project.sql", "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	fixture = calloc(1, (size_t)n + 1);
	assert_non_null(fixture);
	assert_int_equal(fread(fixture, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return fixture;
}

static struct qda *open_fixture(void)
{
	struct qda *h = NULL;
	snprintf(path, sizeof path, "/tmp/qda-test-%s-%d.qda", FIXTURE_NAME, (int)getpid());
	unlink(path);
	assert_int_equal(qda_init(path, &h), QDA_OK);
	assert_int_equal(exec(h, fixture_sql()), QDA_OK);
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

