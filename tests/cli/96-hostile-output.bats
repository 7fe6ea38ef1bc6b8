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

@test "hostile: Markdown tables escape raw HTML in cells" {
	hostile_names
	run --separate-stderr qda docs --format md
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "| ${E}doc | ${E}case | ${E}role | txt | 1 | 1 | 1 | Camille |" ]
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
