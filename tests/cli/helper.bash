# helper.bash — shared set-up for the CLI tests: every test runs the qda
# binary ($QDA, the sanitized build under make check) as a user does, in a
# fresh temporary directory, with a fresh project.

QDA=${QDA:-$BATS_TEST_DIRNAME/../../qda}
FIXTURES=$BATS_TEST_DIRNAME/../fixtures
CORPUS=$BATS_TEST_DIRNAME/../../corpus-sample
CODEBOOKS=$BATS_TEST_DIRNAME/../../codebooks
EXPECTED=$BATS_TEST_DIRNAME/expected

qda() {
	"$QDA" "$@"
}

# A new project in the test's own directory; QDA_PROJECT points at it.
new_project() {
	cd "$BATS_TEST_TMPDIR" || return 1
	unset QDA_CODER
	export QDA_PROJECT="$BATS_TEST_TMPDIR/project.qda"
	"$QDA" init "$QDA_PROJECT" > /dev/null
}

# Compare $output with a golden file byte for byte.
assert_golden() {
	local expected="$EXPECTED/$1"
	if [ "$output" != "$(cat "$expected")" ]; then
		echo "--- expected ($expected)"
		cat "$expected"
		echo "--- got"
		echo "$output"
		return 1
	fi
}

# The number of rows in the project's table: count TABLE [WHERE...]
count_rows() {
	sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM $1"
}

# The sample project as 'make demo' builds it, in the file $1: the 18
# interviews of corpus-sample with their case attributes, the peer-support
# codebook and the two coders' codings. Built once per test file
# (setup_file), as it takes a second or two.
sample_project() {
	QDA_PROJECT=$1 "$QDA" init "$1" > /dev/null &&
		QDA_PROJECT=$1 "$QDA" import --interviewer Camille --interviewer S01 "$CORPUS"/*.txt "$CORPUS"/*.md \
			"$CORPUS"/*.vtt "$CORPUS"/*.docx > /dev/null &&
		QDA_PROJECT=$1 "$QDA" case import "$CORPUS/attributes.csv" > /dev/null &&
		QDA_PROJECT=$1 "$QDA" codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null &&
		QDA_PROJECT=$1 "$QDA" code --from "$CORPUS/codings-camille.csv" > /dev/null &&
		QDA_PROJECT=$1 "$QDA" code --from "$CORPUS/codings-yanis.csv" > /dev/null
}
