#!/usr/bin/env bats
# qda serve in a real headless Chromium (Debian's chromium, driven by
# puppeteer-core from tests/browser/, both installed by make deps): a coder
# selects a phrase with the mouse and codes it, a reviewer disputes a coding
# on the review page; the CLI then sees exactly that. Skipped (and counted
# as skipped) when chromium or the driver is missing.

load helper
bats_require_minimum_version 1.5.0

BROWSER_DIR=$BATS_TEST_DIRNAME/../browser

setup_file() {
	sample_project "$BATS_FILE_TMPDIR/sample.qda"
}

setup() {
	if ! command -v chromium > /dev/null 2>&1 && [ ! -x /usr/lib/chromium/chromium ]; then
		skip "chromium is not installed (make deps installs it)"
	fi
	if ! command -v node > /dev/null 2>&1 || [ ! -d "$BROWSER_DIR/node_modules/puppeteer-core" ]; then
		skip "node or puppeteer-core is missing (make deps installs it in tests/browser/)"
	fi
	cd "$BATS_TEST_TMPDIR" || return 1
	unset QDA_CODER
	cp "$BATS_FILE_TMPDIR/sample.qda" project.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/project.qda"
	export LSAN_OPTIONS="suppressions=$BATS_TEST_DIRNAME/../tools/lsan.supp:print_suppressions=0"
	# an emoji before the phrase: the browser's UTF-16 offsets and the code points differ by then
	printf 'Élodie: 😊 Là, j’ai été écoutée vraiment, à fond 👍🏽 oui.\nCamille: D’accord.\n' > E01.txt
	qda import --interviewer Camille E01.txt > /dev/null
	qda user add ana --role coder <<< 'ana-password' > /dev/null
	qda user add marie --role reviewer <<< 'marie-password' > /dev/null
	"$QDA" serve --listen 127.0.0.1 --port 0 > server.out 2> server.err &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[ -s server.out ] && break
		sleep 0.1
	done
	BASE=$(head -n 1 server.out)
	BASE=${BASE%/}
}

teardown() {
	if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2> /dev/null; then
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID" || true
	fi
}

@test "browser: a coder selects a phrase with accents and an emoji, picks a code; qda codings has exactly that text" {
	run --separate-stderr node "$BROWSER_DIR/run.js" code "$BASE" ana ana-password E01 "écoutée vraiment, à fond 👍🏽" listening-space
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == "Coded “écoutée vraiment, à fond 👍🏽” as listening-space (coding "*")." ]]
	run --separate-stderr qda codings --doc E01 --format json
	[ "$(echo "$output" | jq -c '.[] | [.start, .end, .code, .coder, .method, .text]')" = '[23,50,"listening-space","ana","manual","écoutée vraiment, à fond 👍🏽"]' ]
}

@test "browser: a reviewer disputes a coding on the review page; qda review status shows the dispute" {
	out=$(qda --coder ana code E01 --quote "écoutée vraiment" listening-space)
	id=$(echo "$out" | sed -E 's/.*\(coding ([0-9]+)\)$/\1/')
	run --separate-stderr node "$BROWSER_DIR/run.js" dispute "$BASE" marie marie-password "$id" "pas vraiment de l’écoute"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "Coding $id: dispute recorded; it is now disputed." ]
	run --separate-stderr qda review status --disputes --format json
	[ "$(echo "$output" | jq -c '.[] | [.coding, .document, .code, .coder, .reviewer, .comment, .extract]')" = "[$id,\"E01\",\"listening-space\",\"ana\",\"marie\",\"pas vraiment de l’écoute\",\"écoutée vraiment\"]" ]
}

@test "browser: one person's address with its token opens the documents, and the token leaves the address bar" {
	"$QDA" --coder camille serve --port 0 > local.out 2> local.err &
	local_pid=$!
	for _ in $(seq 100); do
		[ -s local.out ] && break
		sleep 0.1
	done
	run --separate-stderr node "$BROWSER_DIR/run.js" local "$(head -n 1 local.out)"
	kill -TERM "$local_pid"
	wait "$local_pid"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "19 documents for camille (reviewer) · project.qda" ]
}
