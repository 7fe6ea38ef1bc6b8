#!/bin/sh
# run-checks.sh QDA UNIT_TEST... — run the cmocka unit tests and the bats CLI
# tests against the sanitized binary QDA; print "check: N passed, M failed".
qda=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
passed=0
failed=0
log=$(mktemp -d)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export LSAN_OPTIONS=suppressions=$(pwd)/tests/tools/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "$@"; do
	name=$(basename "$t")
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$log/$name.tap" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log/$name.tap")
	f=$(grep -c '^not ok ' "$log/$name.tap")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "--- unit $name failed:"
		cat "$log/$name.tap"
	else
		echo "unit $name: $p passed"
	fi
done
export QDA="$qda"
bats --tap tests/cli > "$log/cli.tap" 2>&1
p=$(grep -c '^ok ' "$log/cli.tap")
f=$(grep -c '^not ok ' "$log/cli.tap")
s=$(grep -c '^ok .* # skip' "$log/cli.tap")
if [ "$f" -ne 0 ]; then
	echo "--- cli failures:"
	awk '/^not ok /{p=1; print; next} /^ok /{p=0} p' "$log/cli.tap"
fi
# a skipped test is counted as skipped, never as passed
p=$((p - s))
echo "cli: $p passed, $f failed, $s skipped"
skipped=$s
passed=$((passed + p))
failed=$((failed + f))
# the bench at its small scale, as one check: every operation and anchor
# runs and their results agree (not timings)
if sh tests/bench/run.sh "$qda" small > "$log/bench.log" 2>&1; then
	echo "bench small: passed"
	passed=$((passed + 1))
else
	echo "--- bench small failed:"
	cat "$log/bench.log"
	failed=$((failed + 1))
fi
rm -rf "$log"
if [ "$skipped" -gt 0 ]; then
	echo "check: $passed passed, $failed failed, $skipped skipped"
else
	echo "check: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
