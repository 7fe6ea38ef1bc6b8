#!/usr/bin/env bats
# Outputs that cannot attack their reader: every name, memo and extract a
# project holds may be hostile (<img onerror>, escape sequences, spreadsheet
# formulas); HTML and SVG escape them with one function, Markdown shows no
# raw HTML, text output sends no control character to a terminal, CSV cells
# are neutralised for spreadsheets (--raw to keep them as stored).

load helper
bats_require_minimum_version 1.5.0

P='<img src=x onerror=alert(1)>'
E='&lt;img src=x onerror=alert(1)&gt;'

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

# Every field of the counting project made hostile, each with its own tag
# after the payload: doc, case, role (attribute value), theme, sub (names),
# key (a code id), def (definitions), coder, memo.
hostile_names() {
	sqlite3 "$QDA_PROJECT" "
		UPDATE document_all SET name = '${P}doc' WHERE id = 1;
		UPDATE cases SET name = '${P}case' WHERE id = 1;
		UPDATE attribute SET value = '${P}role' WHERE value = 'patient';
		UPDATE node SET name = '${P}theme', definition = '${P}def' WHERE id = 1;
		UPDATE node SET name = '${P}sub', definition = '${P}def' WHERE id = 2;
		UPDATE node SET key = '${P}key' WHERE id = 3;
		UPDATE coder SET name = '${P}coder' WHERE id = 2;
		UPDATE coding_all SET memo = '${P}memo' WHERE id = 1;"
}

# $output holds no raw payload, and the escaped payload with each tag given
escaped_only() {
	[ "$(grep -c '<img' <<< "$output")" -eq 0 ] || { grep -n '<img' <<< "$output"; return 1; }
	local tag
	for tag in "$@"; do
		grep -qF "$E$tag" <<< "$output" || { echo "no escaped $tag"; return 1; }
	done
}

@test "hostile: report --format html escapes every value: document, case, attribute, theme, definition, coder, memo" {
	hostile_names
	run --separate-stderr qda report --format html --by role --title "${P}title"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	escaped_only doc case role theme sub def coder memo title
}

@test "hostile: report --format html --audit escapes the log's command lines too" {
	hostile_names
	qda --coder "${P}auditor" memo add "${P}journal" > /dev/null
	run --separate-stderr qda report --format html --audit
	[ "$status" -eq 0 ]
	escaped_only auditor
}

@test "hostile: freq --format html and svg escape theme names and attribute values" {
	hostile_names
	run --separate-stderr qda freq --format html --by role
	[ "$status" -eq 0 ]
	escaped_only theme role
	run --separate-stderr qda freq --format svg --by role
	[ "$status" -eq 0 ]
	escaped_only theme role
	run --separate-stderr qda freq --format svg --level code
	[ "$status" -eq 0 ]
	escaped_only
	grep -qF "${E}key" <<< "$output" || grep -qF "Code a" <<< "$output"
}

@test "hostile: cooccur --format svg escapes the code ids of the matrix" {
	hostile_names
	run --separate-stderr qda cooccur --format svg --level code
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	escaped_only key
}

@test "hostile: map (svg) escapes names and definitions" {
	hostile_names
	run --separate-stderr qda map --codes
	[ "$status" -eq 0 ]
	escaped_only theme sub def
}

@test "hostile: one escaping for HTML and SVG: quotes, apostrophes and control characters too" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET name = 'a\"b''c' || char(27) || '[2Jd' WHERE id = 1"
	run --separate-stderr qda freq --format svg
	[ "$status" -eq 0 ]
	grep -qF 'a&quot;b&#39;c�[2Jd' <<< "$output"
	[ "$(grep -c $'\033' <<< "$output")" -eq 0 ]
	run --separate-stderr qda freq --format html
	[ "$status" -eq 0 ]
	grep -qF 'a&quot;b&#39;c�[2Jd' <<< "$output"
}

@test "hostile: report in Markdown shows no raw HTML: names, quotes and memos" {
	hostile_names
	sqlite3 "$QDA_PROJECT" "UPDATE document_all SET text = '<script>alert(1)</script>' || substr(text, 26) WHERE id = 1"
	run --separate-stderr qda report --by role
	[ "$status" -eq 0 ]
	escaped_only doc case role theme sub def coder memo
	# the coding covers the first 10 characters
	[ "$(grep -c '<script>' <<< "$output")" -eq 0 ]
	grep -qxF '> &lt;script&gt;al' <<< "$output"
}

@test "hostile: retrieve in Markdown shows no raw HTML: extracts, speakers, cases, roles, memos, codes and coders" {
	hostile_names
	sqlite3 "$QDA_PROJECT" "UPDATE document_all SET text = '<script>alert(1)</script>' || substr(text, 26) WHERE id = 1;
		UPDATE speaker SET name = '${P}speaker' WHERE id = 1"
	run --separate-stderr qda retrieve t --format md --include-interviewer
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	escaped_only case role memo speaker
	[ "$(grep -c '<script>' <<< "$output")" -eq 0 ]
	# the coding covers the first 10 characters
	[ "${lines[0]}" = '> &lt;script&gt;al' ]
	run --separate-stderr qda retrieve t --format md --passages
	[ "$status" -eq 0 ]
	escaped_only case role key coder
	[ "$(grep -c '<script>' <<< "$output")" -eq 0 ]
}

@test "hostile: translated quotes, their translators and their originals in notes are escaped in HTML and Markdown" {
	sqlite3 "$QDA_PROJECT" "UPDATE document_all SET text = '${P}orig', length = 32 WHERE id = 4;
		UPDATE coding_all SET end = 32 WHERE id = 8"
	qda --coder "${P}translator" translate 8 --lang en "${P}quote" > /dev/null
	run --separate-stderr qda report --lang en --originals --format html
	[ "$status" -eq 0 ]
	escaped_only orig translator quote
	run --separate-stderr qda report --lang en --originals
	[ "$status" -eq 0 ]
	escaped_only orig translator quote
	run --separate-stderr qda retrieve u --lang en --originals --format md
	[ "$status" -eq 0 ]
	escaped_only orig translator quote
}

@test "hostile: Markdown tables escape raw HTML in cells" {
	hostile_names
	run --separate-stderr qda docs --format md
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "| ${E}doc | ${E}case | ${E}role | txt | 1 | 1 | 1 | Camille |  |" ]
}

@test "hostile: map --format dot keeps a trailing backslash and quotes inside the label" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET name = 'end\\' WHERE id = 1; UPDATE node SET name = 'q\"uote\\N' WHERE id = 6"
	run --separate-stderr qda map --format dot
	[ "$status" -eq 0 ]
	[ "$(grep -cxF $'\t\tlabel="end\\\\",' <<< "$output")" -eq 1 ]
	[ "$(grep -cxF $'\t\tlabel="q\\"uote\\\\N",' <<< "$output")" -eq 1 ]
	run --separate-stderr qda map
	[ "$status" -eq 0 ]
	grep -qF '>end\</text>' <<< "$output"
	grep -qF '>q&quot;uote\N</text>' <<< "$output"
}

# A transcript imported, then given control characters as a project from
# elsewhere may hold them (import itself replaces them): ESC [2J o in place
# of "hello", a BEL and a backspace in place of "wo" (as many characters:
# the lines keep their positions).
hostile_text() {
	printf 'Ann: hello world\nBob: fine\n' > t.txt
	qda import t.txt > /dev/null
	sqlite3 "$QDA_PROJECT" "UPDATE document_all SET text = replace(replace(text, 'hello', char(27) || '[2Jo'), 'wo', char(7) || char(8))"
}

# no control character in $output: ESC, BEL, CR, C1 CSI
no_control() {
	[ "$(printf '%s' "$output" | tr -d '\n\t' | LC_ALL=C grep -c $'[\x01-\x1f\x7f]')" -eq 0 ] || return 1
	[ "$(printf '%s' "$output" | grep -c $'\xc2\x9b')" -eq 0 ]
}

@test "hostile: show replaces control characters in the transcript by U+FFFD" {
	hostile_text
	run --separate-stderr qda show t
	[ "$status" -eq 0 ]
	no_control
	[ "${lines[0]}" = "    1 T1    Ann: �[2Jo ��rld" ]
}

@test "hostile: search's keyword in context replaces control characters" {
	hostile_text
	# the index still holds "world" (the text was changed behind it)
	run --separate-stderr qda search world
	[ "$status" -eq 0 ]
	no_control
	[ "${lines[0]}" = "t:1 (Ann)  Ann: �[2Jo ��[rld]" ]
}

@test "hostile: retrieve's text blocks replace control characters" {
	hostile_text
	qda codebook load "$FIXTURES/codebook/minimal.yaml" > /dev/null 2>&1 || sqlite3 "$QDA_PROJECT" "INSERT INTO node(key, kind, name) VALUES ('k', 'code', 'K')"
	sqlite3 "$QDA_PROJECT" "INSERT INTO coder(name) VALUES ('ann'); INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last) SELECT d.id, (SELECT max(id) FROM node), (SELECT id FROM coder WHERE name = 'ann'), 0, 16, 1, 1 FROM document_all d WHERE d.name = 't'"
	code=$(sqlite3 "$QDA_PROJECT" "SELECT key FROM node ORDER BY id DESC LIMIT 1")
	run --separate-stderr qda retrieve "$code"
	[ "$status" -eq 0 ]
	no_control
	[ "${lines[1]}" = "    Ann: �[2Jo ��rld" ]
}

@test "hostile: text listings, memo list and show, log replace control characters" {
	sqlite3 "$QDA_PROJECT" "UPDATE document_all SET name = 'D' || char(27) || '[31m' || char(13) || 'x' || char(155) WHERE id = 1;
		INSERT INTO memo(target_kind, text) VALUES ('project', 'see' || char(27) || ']0;pwn' || char(7));
		INSERT INTO log(command, summary) VALUES ('qda ' || char(27) || '[2J', 'x' || char(8) || 'y')"
	run --separate-stderr qda docs
	[ "$status" -eq 0 ]
	no_control
	# the carriage return is a space in a table cell, as a newline is
	[ "${lines[1]:0:9}" = "D�[31m x�" ]
	run --separate-stderr qda memo list
	[ "$status" -eq 0 ]
	no_control
	[[ "$output" == *"see�]0;pwn�"* ]]
	run --separate-stderr qda memo show 1
	[ "$status" -eq 0 ]
	no_control
	[[ "$output" == *"see�]0;pwn�"* ]]
	run --separate-stderr qda log
	[ "$status" -eq 0 ]
	no_control
	[[ "$output" == *"qda �[2J"* ]]
	run --separate-stderr qda docs --format md
	no_control
}

@test "hostile: an error message naming a value sends no control character" {
	run --separate-stderr qda show $'x\033[2J\a'
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[[ "$stderr" == "qda show: error: "*"x�[2J�"* ]]
	[ "$(printf '%s' "$stderr" | grep -c $'\033')" -eq 0 ]
	run --separate-stderr qda $'bad\033[2J'
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda: error: 'bad�[2J' is not a qda command; 'qda help' lists them" ]
}

@test "hostile: CSV and TSV text cells starting with = + - @ tab or CR get a ' for spreadsheets; numbers stay numbers" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET name = '=HYPERLINK(\"http://x\",\"y\")' WHERE id = 1;
		UPDATE node SET name = '+1+cmd' WHERE id = 2; UPDATE node SET name = '-2+3' WHERE id = 3;
		UPDATE node SET name = '@SUM(A1)' WHERE id = 4; UPDATE node SET name = char(9) || 'tab' WHERE id = 5;
		UPDATE node SET name = '-0.5' WHERE id = 6; UPDATE node SET name = '''=x' WHERE id = 7"
	run --separate-stderr qda codebook export --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "t,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,theme,candidate," ]
	[ "${lines[2]}" = "s,'+1+cmd,t,subtheme,candidate," ]
	[ "${lines[3]}" = "a,'-2+3,s,code,candidate," ]
	[ "${lines[4]}" = "b,'@SUM(A1),s,code,candidate," ]
	[ "${lines[5]}" = "c,'	tab,t,code,candidate," ]
	[ "${lines[6]}" = "u,-0.5,,theme,candidate," ]
	[ "${lines[7]}" = "uu,''=x,u,code,candidate," ]
	run --separate-stderr qda codebook show --format tsv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "'=HYPERLINK(\"http://x\",\"y\")	t	theme	candidate" ]
	[ "${lines[5]}" = "'\\ttab	c	code	candidate" ]
}

@test "hostile: --raw writes CSV cells as stored, before or after the command" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET name = '=SUM(A1)' WHERE id = 1"
	run --separate-stderr qda --raw codebook export --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "t,=SUM(A1),,theme,candidate," ]
	run --separate-stderr qda codebook export --format csv --raw
	[ "${lines[1]}" = "t,=SUM(A1),,theme,candidate," ]
	# JSON and the text table are not spreadsheets: never changed
	run --separate-stderr qda codebook show --format json
	[[ "$output" == *'"=SUM(A1)"'* ]]
}

@test "hostile: the review sheet neutralises formulas, and numbers in number columns stay numbers" {
	sqlite3 "$QDA_PROJECT" "UPDATE document_all SET name = '=cmd|'' /C calc''!A0' WHERE id = 1; UPDATE node SET definition = '@x' WHERE id = 3"
	run --separate-stderr qda review export --no-bom --code a
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,'=cmd|' /C calc'!A0,C1,1-1,,xxxxxxxxxx,a,Code a,'@x,alice,manual,proposed,,," ]
	run --separate-stderr qda agree --coders alice,bob --format csv
	[ "$status" -eq 0 ]
	[ "$(grep -c "'-" <<< "$output")" -eq 0 ]
}

@test "hostile: a comment starting with =SUM(A1) goes through review export and import unchanged" {
	printf 'id,verdict,comment,suggested_code\n1,dispute,=SUM(A1),\n2,dispute,'"'"'=already quoted,\n' > sheet.csv
	run --separate-stderr qda review import sheet.csv --reviewer rita
	[ "$status" -eq 0 ]
	# a spreadsheet's own ' (as qda writes it) is taken off: both read as formulas typed as text
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment FROM review WHERE coding_id = 1")" = "=SUM(A1)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment FROM review WHERE coding_id = 2")" = "=already quoted" ]
	run --separate-stderr qda review status --disputes --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,D1,1-1,a,alice,rita,,'=SUM(A1),xxxxxxxxxx," ]
	# the listing's cell, put in a sheet and imported again, gives the same text
	printf 'id,verdict,comment,suggested_code\n3,dispute,%s,\n' "$(cut -d, -f8 <<< "${lines[1]}")" > again.csv
	run --separate-stderr qda review import again.csv --reviewer rita
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment FROM review WHERE coding_id = 3")" = "=SUM(A1)" ]
}

@test "hostile: a text starting with ' and = keeps its ' through export and import" {
	sqlite3 "$QDA_PROJECT" "INSERT INTO coder(name) VALUES ('rita'); INSERT INTO review(coding_id, reviewer_id, verdict, comment) VALUES (1, 3, 'dispute', '''=kept'); UPDATE coding_all SET state = 'disputed' WHERE id = 1"
	run --separate-stderr qda review status --disputes --format csv
	[ "${lines[1]}" = "1,D1,1-1,a,alice,rita,,''=kept,xxxxxxxxxx," ]
	printf 'id,verdict,comment,suggested_code\n2,dispute,%s,\n' "$(cut -d, -f8 <<< "${lines[1]}")" > again.csv
	run --separate-stderr qda review import again.csv --reviewer rita
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT comment FROM review WHERE coding_id = 2")" = "'=kept" ]
}

@test "hostile: text entering the project is valid UTF-8: names, definitions, attributes, memos" {
	bad=$(printf 'a\xffb')
	before=$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM log")
	run --separate-stderr qda theme rename t "$bad"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda theme rename: error: the new name is not valid UTF-8 (byte 2); give it in UTF-8 (iconv converts text)" ]
	run --separate-stderr qda theme define t --definition "$bad"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda theme define: error: the definition is not valid UTF-8 (byte 2); give it in UTF-8 (iconv converts text)" ]
	run --separate-stderr qda theme merge c --into new-one --name "$bad"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda theme merge: error: the name is not valid UTF-8 (byte 2); give it in UTF-8 (iconv converts text)" ]
	run --separate-stderr qda case set C1 "role=$bad"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case set: error: the attribute is not valid UTF-8 (byte 7); give it in UTF-8 (iconv converts text)" ]
	run --separate-stderr qda --coder ann code D4 --chars 0-3 a --memo "$bad"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: error: the --memo is not valid UTF-8 (byte 2); give it in UTF-8 (iconv converts text)" ]
	run --separate-stderr qda --coder ann memo add "$bad"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda memo add: error: the memo is not valid UTF-8 (byte 2); give it in UTF-8 (iconv converts text)" ]
	# nothing was changed
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM log")" = "$before" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT name FROM node WHERE key = 't'")" = "Theme T" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM attribute WHERE value NOT IN ('patient', 'clinician')")" = "0" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM memo")" = "0" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM coding_all")" = "8" ]
}

@test "hostile: a memo from stdin holding a NUL is refused, not cut at it" {
	run --separate-stderr sh -c 'printf "a\000b" | "$0" --coder ann memo add -' "$QDA"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda memo add: error: the memo from stdin holds a NUL byte (byte 2); write it as text (UTF-8), nothing was written" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM memo")" = "0" ]
}

@test "hostile: a CSV cell holding a NUL is refused (case import)" {
	printf 'case,role\nC9,a\000b\n' > cases.csv
	run --separate-stderr qda case import cases.csv
	[ "$status" -eq 1 ]
	[[ "$stderr" == "qda case import: cases.csv:2:"*"error: a NUL byte"* ]]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM cases WHERE name = 'C9'")" = "0" ]
}

@test "hostile: import --case, --attr and --name are valid UTF-8" {
	printf 'Ann: hey\n' > v.txt
	run --separate-stderr qda import v.txt --case "$(printf 'a\xffb')"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda import: error: --case is not valid UTF-8 (byte 2); give it in UTF-8 (iconv converts text)" ]
	run --separate-stderr qda import v.txt --attr "role=$(printf 'a\xffb')"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda import: error: --attr is not valid UTF-8 (byte 7); give it in UTF-8 (iconv converts text)" ]
	run --separate-stderr qda import v.txt --name "$(printf '\xc3')"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda import: error: --name is not valid UTF-8 (byte 1); give it in UTF-8 (iconv converts text)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM document_all")" = "4" ]
}
