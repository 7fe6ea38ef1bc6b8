#!/usr/bin/env bats
# Reading a project: docs, show, speakers, cases and case attributes, search.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	cp "$FIXTURES"/reading/* .
	qda import --interviewer Camille E01.txt E02.txt > /dev/null
}

@test "docs lists each document with its case, format and turns (csv)" {
	qda case import attrs.csv
	run qda docs --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "name,case,role,format,turns,words,lines,speakers,read_by" ]
	[[ "${lines[1]}" == E01,E01,clinician,txt,4,*,8,\"Camille,\ Émilie\", ]]
	[[ "${lines[2]}" == E02,E02,patient,txt,2,*,3,\"Camille,\ Marc\", ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "docs --format json is one array of objects keyed by the csv headers" {
	run qda docs --format json
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[" ]
	[[ "${lines[1]}" == '  {"name": "E01", "case": "E01", "role": null, "format": "txt", "turns": 4, '* ]]
	[ "${lines[3]}" = "]" ]
}

@test "docs text output aligns columns by display width" {
	run qda docs
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "name  case  role  format  turns  words  lines  speakers         read_by" ]
	[[ "${lines[1]}" == "E01   E01         txt         4  "* ]]
}

@test "show prints line numbers and marks where turns start" {
	run qda show E01 --lines 3-6
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "    3 T2    Émilie: Avec plaisir. Pour moi l'écoute, c'est essentiel." ]
	[ "${lines[1]}" = "    4       Elle prend le temps." ]
	[ "${lines[2]}" = "    5       " ]
	[ "${lines[3]}" = "    6 T3    Camille: Et la confiance ?" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "show --format csv gives code point positions per line" {
	run qda show E01 --lines 1-4 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "line,turn,speaker,start,end,text,codes" ]
	[ "${lines[1]}" = "1,1,Camille,0,34,\"Camille: Bonjour, merci d'être là.\"," ]
	[ "${lines[2]}" = "2,1,Camille,35,35,," ]
	[ "${lines[3]}" = '3,2,Émilie,36,93,"Émilie: Avec plaisir. Pour moi l'"'"'écoute, c'"'"'est essentiel.",' ]
	[ "${lines[4]}" = "4,2,Émilie,94,114,Elle prend le temps.," ]
}

@test "show of an unknown document says how to list them" {
	run qda show E99
	[ "$status" -eq 1 ]
	[ "$output" = "qda show: error: no document 'E99'; 'qda docs' lists them" ]
}

@test "show --lines with a bad range is a usage error" {
	run qda show E01 --lines 5-2
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda show: error: --lines wants A-B with 1 <= A <= B (or A- or A), not '5-2'" ]
}

@test "speakers marks the interviewer" {
	run qda speakers E01 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "speaker,role,turns,first_turn" ]
	[ "${lines[1]}" = "Camille,interviewer,2,1" ]
	[ "${lines[2]}" = "Émilie,participant,2,2" ]
}

@test "case import reads a spreadsheet CSV with BOM and CRLF" {
	run qda case import attrs.csv
	[ "$status" -eq 0 ]
	[ "$output" = "updated 2 cases: E01, E02
attributes set for 2 cases from attrs.csv: 2 updated" ]
	run qda cases --format csv
	[ "${lines[0]}" = "case,documents,age group,role" ]
	[ "${lines[1]}" = "E01,1,35-49,clinician" ]
	[ "${lines[2]}" = "E02,1,50-64,patient" ]
}

@test "case import refuses a row with too many fields and changes nothing" {
	run qda case import bad-attrs.csv
	[ "$status" -eq 1 ]
	[ "$output" = "qda case import: bad-attrs.csv:2:15: error: row has 3 fields but the header has 2; quote a field that contains a comma" ]
	run qda cases --format csv
	[ "${lines[0]}" = "case,documents" ]
}

@test "case import refuses a row with fewer fields than the header at its end" {
	printf 'case,role,age group\nE01,clinician\n' > short.csv
	run --separate-stderr qda case import short.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case import: short.csv:2:14: error: row has 2 fields but the header has 3; add the missing cells (an empty cell removes that attribute)" ]
	[ "$(count_rows attribute)" -eq 0 ]
}

@test "case import names a file separated by semicolons and reads it with --delimiter ';'" {
	printf '\xef\xbb\xbfcase;role;age group\r\nE01;clinician;35-49\r\n' > semi.csv
	run --separate-stderr qda case import semi.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case import: semi.csv:1:1: error: this file is separated by ';' (as French Excel writes CSV); pass --delimiter ';' or export with commas" ]
	[ "$(count_rows attribute)" -eq 0 ]
	run --separate-stderr qda case import semi.csv --delimiter ';'
	[ "$status" -eq 0 ]
	[ "$output" = "updated 1 case: E01
attributes set for 1 case from semi.csv: 1 updated" ]
	run qda cases --format csv
	[ "${lines[1]}" = "E01,1,35-49,clinician" ]
}

@test "case import reads a tab-separated file with --delimiter tab" {
	printf 'case\trole\nE01\tclinician, senior\n' > attrs.tsv
	run --separate-stderr qda case import attrs.tsv --delimiter tab
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT value FROM attribute")" = "clinician, senior" ]
}

@test "case import names rows after a quoted line break by their line" {
	printf 'case,role\nE01,"clinician\nsenior"\n,patient\n' > ml.csv
	run --separate-stderr qda case import ml.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case import: ml.csv:4: error: the first column (the case name) is empty" ]
	[ "$(count_rows attribute)" -eq 0 ]
}

@test "case import refuses invalid UTF-8 at its line and column" {
	printf 'case,role\nE01,m\xe9decin\n' > latin.csv
	run --separate-stderr qda case import latin.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case import: latin.csv:2:6: error: invalid UTF-8 at byte 15 (byte 0xE9); the file is in another encoding: save it as \"CSV UTF-8\" from the spreadsheet" ]
}

@test "case set adds, changes and removes attributes" {
	qda case set E01 role=clinician gender=female
	qda case set E01 gender=
	run qda cases --format csv
	[ "${lines[0]}" = "case,documents,role" ]
	[ "${lines[1]}" = "E01,1,clinician" ]
}

@test "case set without KEY=VALUE is a usage error" {
	run qda case set E01 role
	[ "$status" -eq 2 ]
	[ "$output" = "qda case set: error: 'role' is not KEY=VALUE (KEY without '=' or ','; an empty VALUE removes the attribute)" ]
}

@test "case set on an unknown case refuses unless --create" {
	run qda case set P99 role=patient
	[ "$status" -eq 1 ]
	[ "$output" = "qda case set: error: no case 'P99'; 'qda cases' lists them (--create makes a new one)" ]
	run qda case set P99 role=patient --create
	[ "$status" -eq 0 ]
}

@test "search is accent- and case-insensitive: ecoute finds écoute, écouté and ÉCOUTÉ" {
	run --separate-stderr qda search ecoute --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 3 hits in 2 documents" ]
	[ "${lines[0]}" = "document,case,line,turn,speaker,start,end,before,match,after,context" ]
	[ "${lines[1]}" = "E01,E01,3,2,Émilie,69,75,Émilie: Avec plaisir. Pour moi l',écoute,\", c'est essentiel.\"," ]
	[ "${lines[2]}" = "E02,E02,1,1,Camille,23,29,\"Camille: Vous avez été \",écouté,\" ?\"," ]
	[ "${lines[3]}" = "E02,E02,3,2,Marc,53,59,\"Marc: Oui, vraiment \",ÉCOUTÉ,\", pour une fois.\"," ]
	[ "${#lines[@]}" -eq 4 ]
	run --separate-stderr qda search ecout*  --format csv
	[ "${#lines[@]}" -eq 4 ]
	run --separate-stderr qda search ECOUTÉ --format csv
	[ "${#lines[@]}" -eq 4 ]
}

@test "search text output is keyword in context with document, line and speaker" {
	run qda search confiance
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "E01:6 (Camille)  Camille: Et la [confiance] ?" ]
	[ "${lines[1]}" = "E01:8 (Émilie)  Émilie: La [confiance] s'est construite semaine après semaine." ]
}

@test "search finds a phrase on a continuation line, with its turn's speaker" {
	run --separate-stderr qda search '"prend le temps"' --format tsv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 1 hit in 1 document" ]
	[ "${lines[1]}" = "E01	E01	4	2	Émilie	99	113	Elle 	prend le temps	.	" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "search --context shows the lines around a hit" {
	run qda search semaine --context 1 --limit 1
	[ "$status" -eq 0 ]
	# one line of text each side: the blank line between is carried, not counted
	[ "${lines[1]}" = "    6: Camille: Et la confiance ?" ]
	[ "${lines[2]}" = "    7: " ]
	[ "${lines[3]}" = "    8> Émilie: La confiance s'est construite semaine après semaine." ]
}

@test "a malformed query gets a clear error, not an SQLite message" {
	run qda search '"prend le'
	[ "$status" -eq 1 ]
	[ "$output" = "qda search: error: query '\"prend le': the quote at column 1 is not closed; close the phrase with \"" ]
	run qda search 'AND ecoute'
	[ "$status" -eq 1 ]
	[ "$output" = "qda search: error: query 'AND ecoute': AND needs a word on each side" ]
}

@test "a search with no match says so on stderr and exits 0" {
	run qda search introuvable
	[ "$status" -eq 0 ]
	[ "$output" = "qda search: no match for introuvable" ]
}

@test "case import refuses malformed CSV with its line and column, and a column given twice" {
	printf 'case,role\nE01,"unterminated\n' > bad1.csv
	run qda case import bad1.csv
	[ "$status" -eq 1 ]
	[ "$output" = "qda case import: bad1.csv:2:5: error: this quoted field is never closed; add the closing \" (a \" inside a quoted field is written \"\")" ]
	printf 'case,role\nE01,pat"ient\n' > bad2.csv
	run qda case import bad2.csv
	[ "$status" -eq 1 ]
	[[ "$output" == "qda case import: bad2.csv:2:8: error: malformed CSV"* ]]
	printf 'case,role,role\nE01,a,b\n' > bad3.csv
	run qda case import bad3.csv
	[ "$status" -eq 1 ]
	[ "$output" = "qda case import: bad3.csv:1: error: columns 2 and 3 are both 'role'; give each attribute one column" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM attribute")" -eq 0 ]
}

@test "a listing that fails writes no header above its error" {
	run qda speakers E99 --format csv
	[ "$status" -eq 1 ]
	[ "$output" = "qda speakers: error: no document 'E99'; 'qda docs' lists them" ]
	run qda show E99 --format json
	[ "$status" -eq 1 ]
	[ "$output" = "qda show: error: no document 'E99'; 'qda docs' lists them" ]
}
