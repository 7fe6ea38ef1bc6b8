#!/usr/bin/env bats
# qda read: familiarisation marks (who has read which document), shown by
# read --list, docs and status; show asks only on a terminal.

load helper
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$FIXTURES/migrate/v3.qda" project.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/project.qda"
	unset QDA_CODER
}

@test "read: marks a document read by the coder, and says so" {
	run --separate-stderr qda --coder camille read P01
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "P01 read by camille" ]
	[ "$(sqlite3 project.qda "SELECT d.name || ' ' || k.name || ' ' || (r.memo_id IS NULL) FROM doc_read r JOIN document d ON d.id = r.doc_id JOIN coder k ON k.id = r.coder_id")" = "P01 camille 1" ]
	[ "$(sqlite3 project.qda "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "P01 read by camille" ]
}

@test "read: --memo writes a memo on the document, linked to the mark" {
	run --separate-stderr env QDA_CODER=yanis "$QDA" read P02 --memo "long silences after the GP question"
	[ "$status" -eq 0 ]
	[ "$output" = "P02 read by yanis, memo 7" ]
	run --separate-stderr qda memo list --doc P02 --format csv
	[[ "${lines[1]}" == 7,document,P02,yanis,*",long silences after the GP question" ]]
	[ "$(sqlite3 project.qda "SELECT memo_id FROM doc_read")" = "7" ]
}

@test "read: reading again moves the date, one mark per coder and document" {
	qda --coder camille read P01 > /dev/null
	sqlite3 project.qda "UPDATE doc_read SET at = '2020-01-01T00:00:00Z'"
	run --separate-stderr qda --coder camille read P01
	[ "$output" = "P01 read again by camille" ]
	[ "$(sqlite3 project.qda "SELECT count(*), at > '2021' FROM doc_read")" = "1|1" ]
}

@test "read --list: each document with each reader, read or not" {
	qda --coder camille read P01 --memo "first pass" > /dev/null
	qda --coder yanis read C01 > /dev/null
	sqlite3 project.qda "UPDATE doc_read SET at = '2025-03-0' || doc_id || 'T10:00:00Z'"
	run --separate-stderr qda read --list --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(printf '%s\n' 'document,case,coder,read,at,memo' \
		'C01,C01,camille,no,,' 'C01,C01,yanis,yes,2025-03-03T10:00:00Z,' \
		'P01,P01,camille,yes,2025-03-01T10:00:00Z,first pass' 'P01,P01,yanis,no,,' \
		'P02,P02,camille,no,,' 'P02,P02,yanis,no,,' 'R01,R01,camille,no,,' 'R01,R01,yanis,no,,')" ]
	run --separate-stderr qda read --list --by yanis --format json
	[ "$(echo "$output" | jq -r '[.[] | select(.read == "yes") | .document] | join(" ")')" = "C01" ]
	[ "$(echo "$output" | jq length)" = "4" ]
}

@test "read --list: the coder working is listed before reading anything" {
	run --separate-stderr qda --coder marie read --list --format csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[1]}" = "C01,C01,marie,no,," ]
}

@test "docs: read_by names the coders who have read each document" {
	qda --coder yanis read P01 > /dev/null
	qda --coder camille read P01 > /dev/null
	run --separate-stderr qda docs --format csv
	[ "${lines[0]}" = "name,case,role,format,turns,words,lines,speakers,read_by" ]
	[ "${lines[1]}" = 'C01,C01,clinician,txt,19,953,37,"S01, S02",' ]
	[ "${lines[2]}" = 'P01,P01,patient,txt,19,1050,40,"Camille, Lucie","camille, yanis"' ]
}

@test "status: phase 1 says how many documents everyone has read, and each coder's count" {
	run --separate-stderr qda status --format csv
	[ "${lines[1]}" = '1,Familiarisation,yes,"4 documents (3635 words), 4 cases; 5 memos, 1 journal entry"' ]
	qda --coder camille read P01 > /dev/null
	qda --coder camille read P02 > /dev/null
	qda --coder yanis read P02 > /dev/null
	run --separate-stderr qda status --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = '1,Familiarisation,yes,"4 documents (3635 words), 4 cases; 5 memos, 1 journal entry; 1 of 4 documents read by everyone (camille 2, yanis 1)"' ]
}

@test "read: an unknown document is an error naming it, and nothing is written" {
	run --separate-stderr qda --coder camille read P9
	[ "$status" -eq 1 ]
	[[ "$stderr" == "qda read: error: no document 'P9'"* ]]
	[ "$(sqlite3 project.qda "SELECT count(*) FROM doc_read")" = "0" ]
}

@test "read: without a coder, without a document, or --memo with --list is a usage error" {
	run --separate-stderr qda read P01
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda read: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME" ]
	run --separate-stderr qda --coder camille read
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda read: error: which document? (qda docs lists them; --list shows what was read)" ]
	run --separate-stderr qda read --list --memo x
	[ "$status" -eq 2 ]
	run --separate-stderr qda read --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: qda read DOC [--memo TEXT]" ]]
}

@test "show: piped, the whole document is shown and nothing is asked or marked" {
	run --separate-stderr qda --coder camille show C01 < /dev/null
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[-1]}" = "   37 T19   S01: [00:06:53] Merci beaucoup." ]
	[ "$(sqlite3 project.qda "SELECT count(*) FROM doc_read")" = "0" ]
}
