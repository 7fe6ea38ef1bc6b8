#!/usr/bin/env bats
# qda check (the project file's health) and qda backup (a whole copy
# through SQLite's backup API), issue 16. Corruption is made with sqlite3.

bats_require_minimum_version 1.5.0
load helper

setup() {
	new_project
	printf 'Camille: Bonjour.\n\nJeanne: Elle prend le temps.\nCamille: Merci.\n' > P01.txt
	qda import P01.txt > /dev/null
	printf 'codebook: C\nthemes:\n  - id: time\n    name: Time\n' > cb.yaml
	qda codebook load cb.yaml > /dev/null
	qda --coder camille code P01 --lines 3 time > /dev/null
}

@test "check: a sound project has no problems" {
	run --separate-stderr qda check --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "check,where,problem" ]
	[ "$stderr" = "qda check: ok: no problems found" ]
	run --separate-stderr qda check --format json
	[ "$status" -eq 0 ]
	[ "$output" = "[]" ]
}

@test "check: in text a sound project prints no bare header, only the verdict" {
	run --separate-stderr qda check
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda check: ok: no problems found" ]
}

@test "check: a coding past its document's end and a deleted line are listed, exit 1" {
	sqlite3 "$QDA_PROJECT" "UPDATE coding_all SET end = 99 WHERE id = 1;
	  DELETE FROM line WHERE n = 2; DELETE FROM line WHERE n = 3"
	run --separate-stderr qda check --format csv
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "check,where,problem" ]
	[ "${lines[1]}" = "coding,coding 1,\"its span [19, 99) lies outside document 'P01' (64 code points)\"" ]
	[ "${lines[2]}" = "document,document 'P01',it has 4 lines but 2 line rows" ]
	[ "${lines[3]}" = "line,document 'P01' line 3,it is missing" ]
	[ "${lines[4]}" = "full-text index,full-text row 3,it indexes no line" ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$stderr" = "qda check: error: 4 problems found; copy the project with 'qda backup FILE' before changing it" ]
	run --separate-stderr qda check --format json
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | jq -r '.[0].where + " | " + .[3].problem')" = "coding 1 | it indexes no line" ]
}

@test "check: a line missing from the full-text index, a broken foreign key, a line outside the text" {
	sqlite3 "$QDA_PROJECT" "INSERT INTO line_fts(line_fts, rowid, text) VALUES ('delete', 1, 'Camille: Bonjour.');
	  UPDATE line SET end = 70 WHERE n = 4;
	  PRAGMA foreign_keys = OFF; UPDATE turn SET speaker_id = 42 WHERE n = 1"
	run --separate-stderr qda check --format tsv
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "$(printf 'foreign key\tturn 1\trefers to a speaker row that does not exist')" ]
	[ "${lines[2]}" = "$(printf "line\tdocument 'P01' line 4\tits span [48, 70) lies outside the text (64 code points)")" ]
	[ "${lines[3]}" = "$(printf "full-text index\tdocument 'P01' line 1\tit is not in the full-text index")" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "backup: a whole copy that checks clean; never over the project itself" {
	run --separate-stderr qda backup copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "backed up the project to copy.qda" ]
	[ "$(stat -c %a copy.qda)" = "600" ]
	[ "$(sqlite3 copy.qda "SELECT count(*) FROM coding")" -eq 1 ]
	[ "$(sqlite3 copy.qda "SELECT text FROM document")" = "$(sqlite3 "$QDA_PROJECT" "SELECT text FROM document")" ]
	run --separate-stderr qda -p copy.qda check
	[ "$status" -eq 0 ]
	run --separate-stderr qda backup "$QDA_PROJECT"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda backup: $QDA_PROJECT: error: is the project itself; give another file name" ]
	ln -s "$QDA_PROJECT" link.qda
	run --separate-stderr qda backup link.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda backup: link.qda: error: is the project itself; give another file name" ]
	run --separate-stderr qda backup
	[ "$status" -eq 2 ]
	[ "$(ls -I '*-wal' -I '*-shm' -I 'separate-stderr-*')" = "$(printf 'P01.txt\ncb.yaml\ncopy.qda\nlink.qda\nproject.qda')" ]
}

@test "backup: a write that fails leaves the old backup as it was, and no temporary file" {
	qda backup copy.qda > /dev/null
	before=$(sha256sum < copy.qda)
	qda --coder camille code P01 --lines 1 time > /dev/null
	run --separate-stderr bash -c "ulimit -f 64; exec \"$QDA\" backup copy.qda"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "qda backup: copy.qda: error: "* ]]
	[ "$(sha256sum < copy.qda)" = "$before" ]
	[ "$(ls -I '*-wal' -I '*-shm' -I 'separate-stderr-*')" = "$(printf 'P01.txt\ncb.yaml\ncopy.qda\nproject.qda')" ]
}
