#!/usr/bin/env bats
# The inputs fuzzing found (tests/fuzz/regressions/TARGET/), replayed through
# the same harness built with ASan and UBSan (build/fuzz/replay_TARGET, made
# by make check-build): each must run through with no sanitizer report.

bats_require_minimum_version 1.5.0

ROOT=$BATS_TEST_DIRNAME/../..

@test "fuzz regressions: every saved input replays clean under the sanitizers" {
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	n=0
	for dir in "$ROOT"/tests/fuzz/regressions/*/; do
		t=$(basename "$dir")
		[ -x "$ROOT/build/fuzz/replay_$t" ] || { echo "build/fuzz/replay_$t missing: run make check-build"; return 1; }
		run --separate-stderr "$ROOT/build/fuzz/replay_$t" "$dir"
		[ "$status" -eq 0 ]
		[ "$stderr" = "" ]
		n=$((n + $(ls "$dir" | wc -l)))
	done
	[ "$n" -ge 1 ]
}
