#!/usr/bin/env bats
# qda pseudonymise --map FILE.csv: real names replaced, every coding kept on
# the same words, nothing stored of the names.

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
	printf 'name,pseudonym\nLucie,Annabelle\n' > names.csv
}

# Every coded extract of every code, as retrieve shows them.
all_extracts() {
	local c
	for c in $(sqlite3 "$QDA_PROJECT" "SELECT key FROM node WHERE retired = 0 ORDER BY key"); do
		qda retrieve "$c"
	done
}

@test "pseudonymise: every coding's text is the same but for the name, and 49 codings moved" {
	all_extracts > before.txt
	[ "$(grep -c 'Lucie' before.txt)" -gt 0 ]
	run --separate-stderr qda pseudonymise --map names.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "in       document  name   pseudonym  occurrences" ]
	[ "${lines[1]}" = "text     P01       Lucie  Annabelle           12" ]
	[ "${lines[2]}" = "speaker  P01       Lucie  Annabelle            1" ]
	[ "${lines[3]}" = "13 occurrences replaced: 1 document text, 49 codings moved, 1 speaker, 0 cases, 0 document names, 0 memos, 0 log entries; 1 undo record dropped" ]
	all_extracts > after.txt
	sed 's/\bLucie\b/Annabelle/g' before.txt > expected.txt
	diff expected.txt after.txt
	[ "$(grep -c 'Lucie' after.txt)" -eq 0 ]
}

@test "pseudonymise: search, show and the line index follow the new text" {
	qda pseudonymise --map names.csv > /dev/null
	run --separate-stderr qda search Lucie
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda search: no match for Lucie" ]
	[ "$(qda search Annabelle | wc -l)" -eq 13 ]
	[ "$(qda show P01 --lines 40 | sed 's/  */ /g')" = " 40 T19 Camille: Merci beaucoup, Annabelle." ]
	[ "$(sqlite3 project.qda "SELECT count(*) FROM line l JOIN document d ON d.id = l.doc_id WHERE d.name = 'P01' AND l.end - l.start != length(substr(d.text, l.start + 1, l.end - l.start))")" -eq 0 ]
	[ "$(sqlite3 project.qda "SELECT length(text), length FROM document WHERE name = 'P01'")" = "6036|6036" ]
}

@test "pseudonymise: the csv report carries the counts, the log and the file no name" {
	qda --coder Camille case rename P01 Lucie > /dev/null
	run --separate-stderr qda pseudonymise --map names.csv --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'in,document,name,pseudonym,occurrences\ntext,P01,Lucie,Annabelle,12\nspeaker,P01,Lucie,Annabelle,1\ncase,,Lucie,Annabelle,1\nlog,log 7,Lucie,Annabelle,1\nlog summary,log 7,Lucie,Annabelle,1')" ]
	[ "$(sqlite3 project.qda "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "16 occurrences replaced: 1 document text, 49 codings moved, 1 speaker, 1 case, 0 document names, 0 memos, 2 log entries; 2 undo records dropped" ]
	sqlite3 project.qda "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	[ "$(grep -c Lucie project.qda)" -eq 0 ]
	[ "$(qda cases --format csv | grep -c '^Annabelle,')" -eq 1 ]
}

@test "pseudonymise: a name that would cut a coding is refused, nothing written" {
	start=$(sqlite3 project.qda "SELECT l.start FROM line l JOIN document d ON d.id = l.doc_id WHERE d.name = 'P01' AND l.n = 6")
	qda --coder Camille code P01 --chars $((start + 2))-$((start + 40)) taking-the-time > /dev/null
	before=$(sqlite3 project.qda .sha3sum)
	run --separate-stderr qda pseudonymise --map names.csv
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda pseudonymise: P01:6:1: error: 'Lucie' -> 'Annabelle' would cut coding 489 (taking-the-time, [212, 250)): its start lies inside the name; nothing was changed. Make the coding hold the whole name or none of it (qda uncode, qda code), or leave this name out of the map" ]
	[ "$(sqlite3 project.qda .sha3sum)" = "$before" ]
}

@test "pseudonymise: --dry-run lists every occurrence and writes nothing" {
	before=$(sqlite3 project.qda .sha3sum)
	run --separate-stderr qda pseudonymise --map names.csv --dry-run --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 14 ]
	[ "${lines[0]}" = "in,document,line,column,name,pseudonym,context" ]
	[ "${lines[1]}" = 'text,P01,4,36,Lucie,Annabelle,"…le: Bon, ça enregistre. Merci [Lucie] d’avoir accepté. Pour commenc…"' ]
	[ "${lines[12]}" = "text,P01,40,26,Lucie,Annabelle,\"Camille: Merci beaucoup, [Lucie].\"" ]
	[ "${lines[13]}" = "speaker,P01,1,1,Lucie,Annabelle,[Lucie]" ]
	[ "$(sqlite3 project.qda .sha3sum)" = "$before" ]
}

@test "pseudonymise: whole words only, case and accents as written" {
	printf 'name,pseudonym\nLuc,Marc\n' > luc.csv
	run --separate-stderr qda pseudonymise --map luc.csv --dry-run --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c ',Luc,Marc,')" -eq 0 ]
	printf 'name,pseudonym\nlucie,Annabelle\nLucíe,Annabelle\n' > case.csv
	run --separate-stderr qda pseudonymise --map case.csv --dry-run --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "in,document,line,column,name,pseudonym,context" ]
}

@test "pseudonymise: a map row with an empty pseudonym is refused at its place" {
	printf 'name,pseudonym\nLucie,Annabelle\nCamille,\n' > bad.csv
	run --separate-stderr qda pseudonymise --map bad.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda pseudonymise: bad.csv:3:9: error: the pseudonym is empty; give one on every row" ]
}

@test "pseudonymise: a name given twice is refused at its second row" {
	printf 'name,pseudonym\nLucie,Annabelle\nLucie,Berthe\n' > twice.csv
	run --separate-stderr qda pseudonymise --map twice.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda pseudonymise: twice.csv:3:1: error: the name is mapped already on line 2; give each name once" ]
}

@test "pseudonymise: the pseudonymised project dumps and rebuilds byte for byte" {
	qda pseudonymise --map names.csv > /dev/null
	qda dump d1 > /dev/null
	qda init --from d1 rebuilt.qda > /dev/null
	qda -p rebuilt.qda dump d2 > /dev/null
	diff -r d1 d2
	[ "$(grep -c Lucie d1/documents/P01.txt)" -eq 0 ]
}

@test "pseudonymise: --help, and no map is a usage error" {
	run --separate-stderr qda pseudonymise --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: qda pseudonymise --map FILE.csv [--dry-run]" ]
	run --separate-stderr qda pseudonymise
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda pseudonymise: error: give the names and pseudonyms with --map FILE.csv (header name,pseudonym)" ]
}
