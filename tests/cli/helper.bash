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
