#!/usr/bin/env bats
# qda dump DIR and qda init --from DIR: the project as plain files for git,
# and back, byte for byte.

load helper
bats_require_minimum_version 1.5.0

setup_file() {
	sample_project "$BATS_FILE_TMPDIR/sample.qda"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	unset QDA_CODER
	cp "$BATS_FILE_TMPDIR/sample.qda" project.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/project.qda"
}

@test "dump: writes the layout, one file per document, and says what it wrote" {
	run --separate-stderr qda dump d1
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "Dumped $QDA_PROJECT into d1: 18 documents (18 changed), 21 tables, 1031 rows; 0 stale files removed." ]
	[ "$(ls d1 | tr '\n' ' ')" = "README.txt attributes.csv cases.csv codebook-history.csv codebook.yaml coders.csv codings.csv document_language.csv documents documents.csv exemplars.csv log.csv memos.csv meta.csv nodes.csv reads.csv reviews.csv sequence.csv speakers.csv stop_word.csv summaries.csv translations.csv turns.csv undo.csv " ]
	[ "$(ls d1/documents | wc -l)" -eq 18 ]
	[ "$(cat d1/.qda-dump)" = "$(printf 'qda dump\nschema 6')" ]
	[ "$(stat -c %a d1)" = "700" ]
	[ "$(stat -c %a d1/codings.csv)" = "600" ]
}

@test "dump: a document's file is its exact stored text" {
	qda dump d1 > /dev/null
	sqlite3 project.qda "SELECT writefile('p01.txt', text) FROM document WHERE name = 'P01'" > /dev/null
	cmp d1/documents/P01.txt p01.txt
	[ "$(grep -c ',P01,' d1/documents.csv)" -eq 1 ]
	[ "$(grep ',P01,' d1/documents.csv | awk -F, '{print $NF}')" = "documents/P01.txt" ]
}

@test "dump: the sample project dumped, rebuilt and dumped again gives identical files" {
	qda dump d1 > /dev/null
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "Created rebuilt.qda from the dump d1 (schema 6)." ]
	qda -p rebuilt.qda dump d2 > /dev/null
	run diff -r d1 d2
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "dump: the rebuilt project searches, shows and retrieves as the original" {
	qda dump d1 > /dev/null
	qda init --from d1 rebuilt.qda > /dev/null
	[ "$(qda -p rebuilt.qda search écoute | md5sum)" = "$(qda search écoute | md5sum)" ]
	[ "$(qda -p rebuilt.qda search écoute | wc -l)" -eq 8 ]
	[ "$(qda -p rebuilt.qda show P01 | md5sum)" = "$(qda show P01 | md5sum)" ]
	[ "$(qda -p rebuilt.qda retrieve listening-space | md5sum)" = "$(qda retrieve listening-space | md5sum)" ]
	[ "$(qda -p rebuilt.qda freq --format csv | md5sum)" = "$(qda freq --format csv | md5sum)" ]
}

@test "dump: one new coding adds one line to codings.csv, and the log and undo rows of its command" {
	qda dump d1 > /dev/null
	cp -r d1 d0
	qda --coder Camille code P01 --lines 10 taking-the-time > /dev/null
	qda --coder Camille code P01 --lines 12 taking-the-time > /dev/null
	qda dump d1 > /dev/null
	cp -r d1 d2
	qda --coder Camille code P01 --lines 14 taking-the-time > /dev/null
	run --separate-stderr qda dump d1
	[ "$output" = "Dumped $QDA_PROJECT into d1: 18 documents (0 changed), 21 tables, 1041 rows; 0 stale files removed." ]
	run diff -rq d2 d1
	[ "$output" = "$(printf 'Files d2/codings.csv and d1/codings.csv differ\nFiles d2/log.csv and d1/log.csv differ\nFiles d2/undo.csv and d1/undo.csv differ')" ]
	[ "$(diff d2/codings.csv d1/codings.csv | grep -c '^[<>]')" -eq 1 ]
	[ "$(diff d2/codings.csv d1/codings.csv | grep -c '^>')" -eq 1 ]
	[ "$(diff d2/log.csv d1/log.csv | grep '^[<>]' | cut -d, -f1,3,4)" = "> 9,Camille,qda --coder Camille code P01 --lines 14 taking-the-time" ]
	[ "$(diff d2/undo.csv d1/undo.csv | grep -c '^>')" -eq 1 ]
}

@test "dump: a removed document's file leaves documents/ for documents/removed/" {
	qda dump d1 > /dev/null
	guid=$(sqlite3 project.qda "SELECT guid FROM document WHERE name = 'R02'")
	qda --coder Camille doc remove --force R02 > /dev/null
	run --separate-stderr qda dump d1
	[ "$status" -eq 0 ]
	[ "$output" = "Dumped $QDA_PROJECT into d1: 18 documents (1 changed), 21 tables, 1034 rows; 1 stale file removed." ]
	[ ! -e d1/documents/R02.txt ]
	[ -f "d1/documents/removed/$guid.txt" ]
	[ "$(ls d1/documents/*.txt | wc -l)" -eq 17 ]
}

@test "dump: a directory with other files in it and no earlier dump is refused, left as it was" {
	mkdir notes
	echo keep > notes/todo.txt
	run --separate-stderr qda dump notes
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda dump: error: notes is not empty and holds no earlier dump (no .qda-dump); give a new or empty directory, as a dump removes the files that are not the project's" ]
	[ "$(ls -A notes)" = "todo.txt" ]
}

@test "dump: a file of a dump's folder that is not the layout's stays" {
	qda dump d1 > /dev/null
	echo mine > d1/NOTES.md
	qda dump d1 > /dev/null
	[ "$(cat d1/NOTES.md)" = "mine" ]
}

@test "dump: a memo with spaces at its ends and a line break comes back whole" {
	qda --coder Camille memo add --doc P01 "  indented, with \"quotes\"
and a second line  " > /dev/null
	qda dump d1 > /dev/null
	qda init --from d1 rebuilt.qda > /dev/null
	[ "$(sqlite3 rebuilt.qda "SELECT hex(text) FROM memo")" = "$(sqlite3 project.qda "SELECT hex(text) FROM memo")" ]
	qda -p rebuilt.qda dump d2 > /dev/null
	diff -r d1 d2
}

@test "init --from: a document text changed in the dump is refused, and no project is left" {
	qda dump d1 > /dev/null
	sed -i 's/Lucie/Lucy/' d1/documents/P01.txt
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda init: d1/documents/P01.txt: error: the text is not the one dumped (its SHA-256 is not the text_hash of documents.csv); restore the file (git checkout), as a document's text changes only through qda (qda pseudonymise)" ]
	[ ! -e rebuilt.qda ]
}

@test "init --from: a coding referring to no document is refused at its line" {
	qda dump d1 > /dev/null
	sed -i '3s/^\([0-9]*\),\([^,]*\),[0-9]*,/\1,\2,999,/' d1/codings.csv
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda init: d1/codings.csv:3: error: doc_id refers to a row documents.csv does not hold; restore the files as dumped" ]
	[ ! -e rebuilt.qda ]
}

@test "init --from: codebook.yaml edited by hand is refused" {
	qda dump d1 > /dev/null
	sed -i 's/Taking the time/Taking time/' d1/codebook.yaml
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda init: d1/codebook.yaml: error: the codebook differs from the one nodes.csv holds; codebook.yaml is written for reading: restore it as dumped (git checkout), then change the codebook with qda codebook load and dump again" ]
	[ ! -e rebuilt.qda ]
}

@test "init --from: a directory that is not a dump is refused" {
	mkdir empty
	run --separate-stderr qda init --from empty rebuilt.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda init: error: empty is not a qda dump (no .qda-dump in it); give a directory 'qda dump' wrote" ]
	[ ! -e rebuilt.qda ]
}

# tests/fixtures/dump/v3: tests/fixtures/migrate/v3.qda dumped by the schema-3
# qda (its README says how).
@test "init --from: a dump of schema 3 is rebuilt at schema 3, then upgraded: it dumps as the v3 project upgraded" {
	[ "$(sed -n 2p "$FIXTURES/dump/v3/.qda-dump")" = "schema 3" ]
	cp -r "$FIXTURES/dump/v3" old
	run --separate-stderr qda init --from old rebuilt.qda
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "Created rebuilt.qda from the dump old (schema 3, upgraded to schema 6)." ]
	[ "$(sqlite3 rebuilt.qda 'PRAGMA user_version')" = "6" ]
	[ "$(sqlite3 rebuilt.qda 'PRAGMA integrity_check')" = "ok" ]
	[ "$(sqlite3 rebuilt.qda 'PRAGMA foreign_key_check')" = "" ]
	cp "$FIXTURES/migrate/v3.qda" upgraded.qda
	qda -p upgraded.qda dump fresh > /dev/null
	qda -p rebuilt.qda dump again > /dev/null
	run diff -r fresh again
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# the dump read is left as it was
	run diff -r "$FIXTURES/dump/v3" old
	[ "$status" -eq 0 ]
}

@test "init --from: the rebuilt v3 dump holds every row, and searches and retrieves as the v3 project upgraded" {
	qda init --from "$FIXTURES/dump/v3" rebuilt.qda > /dev/null
	cp "$FIXTURES/migrate/v3.qda" upgraded.qda
	for t in document_all coding_all memo exemplar stop_word document_language log undo; do
		[ "$(sqlite3 rebuilt.qda "SELECT count(*) FROM $t")" = "$(sqlite3 upgraded.qda "SELECT count(*) FROM $t")" ]
	done
	[ "$(sqlite3 rebuilt.qda "SELECT count(*) FROM coding")" = "135" ]
	[ "$(qda -p rebuilt.qda search écoute | md5sum)" = "$(qda -p upgraded.qda search écoute | md5sum)" ]
	[ "$(qda -p rebuilt.qda retrieve listening-space | md5sum)" = "$(qda -p upgraded.qda retrieve listening-space | md5sum)" ]
}

@test "init --from: a dump of a newer schema is refused, and no project is left" {
	qda dump d1 > /dev/null
	printf 'qda dump\nschema 7\n' > d1/.qda-dump
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda init: d1/.qda-dump: error: the dump is of schema 7, and this qda knows schemas up to 6; rebuild it with a newer qda" ]
	[ ! -e rebuilt.qda ]
	printf 'qda dump\nschema 0\n' > d1/.qda-dump
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda init: d1/.qda-dump: error: not a qda dump marker (it should read 'qda dump' then 'schema N', N from 1 to 6)" ]
	[ ! -e rebuilt.qda ]
}

@test "init --from onto an existing file leaves the file as it was, dump or no dump" {
	echo "mine" > taken.qda
	run --separate-stderr qda init --from "$FIXTURES/dump/v3" taken.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda init: error: taken.qda already exists; use another name or remove it first" ]
	mkdir empty
	run --separate-stderr qda init --from empty taken.qda
	[ "$status" -eq 1 ]
	[ "$(cat taken.qda)" = "mine" ]
}

@test "dump: --help, and a missing directory is a usage error" {
	run --separate-stderr qda dump --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: qda dump DIR" ]
	run --separate-stderr qda dump
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda dump: error: give the directory to dump into" ]
}

@test "dump: qda serve's accounts (password hashes) never go into a dump, and a rebuilt project has none" {
	printf 'correct horse battery\n' | qda user add amina --role coder > /dev/null
	[ "$(sqlite3 "$QDA_PROJECT" 'SELECT count(*) FROM user')" = "1" ]
	run --separate-stderr qda dump d1
	[ "$status" -eq 0 ]
	[ ! -e d1/user.csv ]
	run grep -rl 'argon2id' d1
	[ "$status" -eq 1 ]
	run grep -x 'user,.*' d1/sequence.csv
	[ "$status" -eq 1 ]
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 0 ]
	[ "$(sqlite3 rebuilt.qda 'SELECT count(*) FROM user')" = "0" ]
}
