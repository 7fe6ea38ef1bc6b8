#!/usr/bin/env bats
# The sample corpus imports whole: 18 documents in six formats, with the
# right speakers and turn counts for each.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	qda import "$CORPUS"/* --interviewer Camille --interviewer S01 > import.out 2> import.err
	qda case import "$CORPUS/attributes.csv" > /dev/null
}

@test "qda import corpus-sample/* imports the 18 interviews and skips the CSV files" {
	[ "$(tail -1 import.out)" = "18 documents imported (328 turns, 14935 words), 3 skipped" ]
	[ "$(head -1 import.err)" = "qda import: warning: $CORPUS/attributes.csv: skipped: a CSV file is not a transcript (case attributes: qda case import $CORPUS/attributes.csv)" ]
	[ "$(wc -l < import.err)" -eq 3 ]
	run qda docs --format json
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '"name": ')" -eq 18 ]
}

@test "every format's speakers and turns are right (txt, md, Zoom and Teams vtt, docx, CRLF, BOM+NFD)" {
	run qda docs --format csv
	[ "$status" -eq 0 ]
	assert_golden corpus-docs.csv
}

@test "the interviewer is marked in every document, under each of its names" {
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(DISTINCT doc_id) FROM speaker WHERE is_interviewer")" -eq 18 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(DISTINCT name) FROM speaker WHERE is_interviewer")" = "S01,Camille Roussel,Camille" ]
}

@test "R01 (BOM and NFD) is stored as NFC: search finds its accents" {
	run --separate-stderr qda search --doc R01 mere --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 3 hits in 1 document" ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[1]}" = "R01,R01,1,1,Camille,50,54,\"Camille: Merci Martine d’être venue. Vous êtes la \",mère,\" de quelqu’un qui a été accompagné par Sandrine, c’est bien ça ?\"," ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT instr(text, char(769)) FROM document WHERE name = 'R01'")" -eq 0 ]
}

@test "the demo writes its project and report under build/demo, nothing at the top of the tree" {
	top=$BATS_TEST_DIRNAME/../..
	mkdir tree && cd tree
	ln -s "$top/corpus-sample" corpus-sample
	ln -s "$top/codebooks" codebooks
	mkdir -p tests && ln -s "$top/tests/tools" tests/tools
	run sh tests/tools/demo.sh "$QDA"
	[ "$status" -eq 0 ]
	[ "$(ls | sort | tr '\n' ' ')" = "build codebooks corpus-sample tests " ]
	[ -f build/demo/demo.qda ]
	[ -f build/demo/demo-report.html ]
}
