#!/usr/bin/env bats
# qda review: interactive through stdin, sheets for a spreadsheet, status,
# applying a suggested code. On the hand-made counting project.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

@test "review shows one coding at a time and records each verdict" {
	run bash -c "printf 'a\nd\npas clair\ns\nb\n\nq\n' | '$QDA' review --reviewer rita"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[1/8] coding 1 · D1 (C1) lines 1-1 · - · coder alice · manual · proposed" ]
	[ "${lines[1]}" = "code: a — Code a" ]
	[ "${lines[2]}" = "> xxxxxxxxxx" ]
	[ "${lines[${#lines[@]}-1]}" = "rita: 1 accepted, 1 disputed, 1 suggested, 0 commented, 0 skipped (stopped; run it again to resume)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(id || ':' || state, ' ') FROM coding WHERE id <= 4")" = "1:accepted 2:disputed 3:disputed 4:proposed" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment FROM review WHERE coding_id = 2")" = "pas clair" ]
}

@test "review resumes with the codings the reviewer has not reviewed" {
	printf 'a\na\nq\n' | qda review --reviewer rita > /dev/null
	run bash -c "printf 'q\n' | '$QDA' review --reviewer rita"
	[ "${lines[0]}" = "[1/6] coding 3 · D1 (C1) lines 1-1 · - · coder alice · manual · proposed" ]
}

@test "review --reviewer R --coder X reviews the codings X made" {
	run bash -c "printf 'q\n' | '$QDA' review --reviewer rita --coder bob"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "[1/2] coding "*" · coder bob · "* ]]
}

@test "review: an unknown suggested code is refused before the comment is asked" {
	run bash -c "printf 's\nzz\ns\nb\nplus juste\nq\n' | '$QDA' review --reviewer rita"
	[ "$status" -eq 0 ]
	[[ "$output" == *"qda review: error: unknown code 'zz'"* ]]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT verdict || ':' || comment FROM review")" = "suggest:plus juste" ]
}

@test "review without a reviewer is a usage error" {
	run qda review
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda review: error: no reviewer: say who is reviewing with --reviewer NAME (or --coder, \$QDA_CODER)" ]
}

@test "review export writes a UTF-8 sheet with a BOM and empty verdict columns" {
	qda review export -o sheet.csv
	[ "$(head -c 3 sheet.csv | od -An -tx1 | tr -d ' ')" = "efbbbf" ]
	run cat sheet.csv
	[ "${lines[0]}" = $'\xef\xbb\xbfid,document,case,lines,speaker,extract,code,code_name,definition,coder,method,state,verdict,comment,suggested_code' ]
	[ "${lines[1]}" = "1,D1,C1,1-1,,xxxxxxxxxx,a,Code a,,alice,manual,proposed,,," ]
	[ "${#lines[@]}" -eq 9 ]
}

@test "review import reports every bad row and records nothing" {
	printf 'id,verdict,comment,suggested_code\n1,accept,,\n2,peut-être,,\n3,suggest,,\n99,accept,,\n' > sheet.csv
	run qda review import sheet.csv --reviewer rita
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda review import: sheet.csv:3: error: verdict 'peut-être' is not one of accept, dispute, suggest, comment" ]
	[ "${lines[1]}" = "qda review import: sheet.csv:4: error: verdict suggest needs a code in suggested_code" ]
	[ "${lines[2]}" = "qda review import: sheet.csv:5: error: no coding 99 in this project" ]
	[ "${lines[3]}" = "qda review import: sheet.csv: error: 3 bad rows; nothing was recorded: correct the sheet and import it again" ]
	[ "$(count_rows review)" -eq 0 ]
}

@test "review import of a sheet with accents is idempotent" {
	qda review export -o sheet.csv
	sed -i '2s/,,,$/,dispute,"trop large, à revoir",/; 3s/,,,$/,accept,,/' sheet.csv
	run qda review import sheet.csv --reviewer rita
	[ "$status" -eq 0 ]
	[ "$output" = "sheet.csv: 2 verdicts recorded, 0 already recorded, 6 rows without verdict" ]
	run qda review import sheet.csv --reviewer rita
	[ "$output" = "sheet.csv: 0 verdicts recorded, 2 already recorded, 6 rows without verdict" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment FROM review WHERE coding_id = 1")" = "trop large, à revoir" ]
}

@test "review import refuses a row with more fields than the header at its first extra field" {
	printf 'id,verdict,comment,suggested_code\n1,dispute,trop large, à revoir,\n2,accept,,\n' > sheet.csv
	run --separate-stderr qda review import sheet.csv --reviewer rita
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda review import: sheet.csv:2:32: error: row has 5 fields but the header has 4; quote a field that contains a comma
qda review import: sheet.csv: error: 1 bad row; nothing was recorded: correct the sheet and import it again" ]
	[ "$(count_rows review)" -eq 0 ]
}

@test "review import names a sheet saved with semicolons and reads it with --delimiter ';'" {
	printf '\xef\xbb\xbfid;verdict;comment;suggested_code\r\n1;accept;;\r\n2;dispute;trop large, à revoir;\r\n' > sheet.csv
	run --separate-stderr qda review import sheet.csv --reviewer rita
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda review import: sheet.csv:1:1: error: this file is separated by ';' (as French Excel writes CSV); pass --delimiter ';' or export with commas" ]
	[ "$(count_rows review)" -eq 0 ]
	run --separate-stderr qda review import sheet.csv --reviewer rita --delimiter ';'
	[ "$status" -eq 0 ]
	[ "$output" = "sheet.csv: 2 verdicts recorded, 0 already recorded, 0 rows without verdict" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment FROM review WHERE coding_id = 2")" = "trop large, à revoir" ]
}

@test "review import: an unclosed quote is an error at the quote, not a comment that swallows the next rows" {
	printf 'id,verdict,comment,suggested_code\n1,dispute,"trop large,\n2,accept,,\n3,accept,,\n' > sheet.csv
	run --separate-stderr qda review import sheet.csv --reviewer rita
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda review import: sheet.csv:2:11: error: this quoted field is never closed; add the closing \" (a \" inside a quoted field is written \"\")" ]
	[ "$(count_rows review)" -eq 0 ]
}

@test "review import reads a sheet with a BOM and CRLF line ends, a comment over two lines kept with LF" {
	printf '\xef\xbb\xbfid,verdict,comment,suggested_code\r\n1,dispute,"trop large,\r\nà revoir"\r\n2,accept,,\r\n' > sheet.csv
	run --separate-stderr qda review import sheet.csv --reviewer rita
	[ "$status" -eq 0 ]
	[ "$output" = "sheet.csv: 2 verdicts recorded, 0 already recorded, 0 rows without verdict" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment = 'trop large,' || char(10) || 'à revoir' FROM review WHERE coding_id = 1")" = "1" ]
}

@test "review status counts per theme and reviewer and lists disputes" {
	printf 'd\nhors sujet\n' | qda review --reviewer rita > /dev/null
	run qda review status --format csv
	[ "${lines[0]}" = "theme,reviewer,proposed,accepted,disputed,revised,reviews" ]
	[ "${lines[1]}" = "t,(codings),6,0,1,0," ]
	[ "${lines[2]}" = "t,rita,,0,1,0,1" ]
	run qda review status --disputes --format csv
	[ "${lines[0]}" = "coding,document,lines,code,coder,reviewer,suggested,comment,extract,removed" ]
	[ "${lines[1]}" = "1,D1,1-1,a,alice,rita,,hors sujet,xxxxxxxxxx," ]
}

@test "review apply gives a coding its suggested code and keeps the old one" {
	printf 's\nb\nplutôt b\nq\n' | qda review --reviewer rita > /dev/null
	n=$(sqlite3 "$QDA_PROJECT" "SELECT max(id) FROM coding_all")
	run qda review apply 1 --coder alice
	[ "$status" -eq 0 ]
	[ "$output" = "coding 1 revised: now b, as coding $((n + 1))" ]
	# the revision: the coder's passage, the reviewer's change
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT n.key || ' ' || c.state || ' ' || k.name || ' ' || r.name || ' ' || c.revision_of FROM coding c JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id JOIN coder r ON r.id = c.revised_by WHERE c.id = $((n + 1))")" = "b revised alice rita 1" ]
	# the original stays, removed as revised, with its code
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT n.key || ' ' || c.removed_why FROM coding_all c JOIN node n ON n.id = c.node_id WHERE c.id = 1")" = "a revised" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT p.key FROM review r JOIN node p ON p.id = r.previous_id WHERE r.verdict = 'revise'")" = "a" ]
}
