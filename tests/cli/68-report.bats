#!/usr/bin/env bats
# qda report and qda exemplar on the counting project: Markdown content,
# self-contained HTML that renders in headless Chromium.

load helper
bats_require_minimum_version 1.5.0

setup_file() {
	sample_project "$BATS_FILE_TMPDIR/sample.qda"
}

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

@test "report md has methods, the table by role and each theme with quotes" {
	run qda report --title "Étude pilote"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# Étude pilote" ]
	[ "${lines[2]}" = "- Documents: 4 interview transcripts (7 words; formats: txt 4), 3 cases — clinician n=1, patient n=2." ]
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), bob (2))." ]
	[[ "$output" == *"| name | segments | documents | cases | clinician (n=1) | patient (n=2) |"* ]]
	[[ "$output" == *"| Theme T | 4 | 3 | 2 | 0/1 (0%) | 2/2 (100%) |"* ]]
	[[ "$output" == *"4 coded segments in 3 documents; 2 of 3 cases (clinician 0/1, patient 2/2)."* ]]
	[[ "$output" == *"- **Sub S** (3 segments, 2 cases)"* ]]
	[[ "$output" == *$'> un de\n>\n> — C3 (C3, clinician), D4, line 1'* ]]
}

@test "exemplar add puts a chosen quote first" {
	run qda exemplar add 7
	[ "$status" -eq 0 ]
	[ "$output" = "1 exemplar chosen" ]
	run qda exemplar list t
	[ "${lines[0]}" = "> zzzzzzzzzz" ]
	run qda exemplar list t --format csv --quotes 1
	[ "${lines[0]}" = "coding_id,document,case,speaker,role,code,coder,line_first,line_last,chosen,text" ]
	[[ "${lines[1]}" == 7,*,yes,zzzzzzzzzz ]]
	[ "${#lines[@]}" -eq 2 ]
	run qda exemplar add 99
	[ "$status" -eq 1 ]
	[ "$output" = "qda exemplar: error: no coding 99; 'qda codings' lists them" ]
}

@test "report html is one self-contained page with the charts inline" {
	qda report -o report.html
	run grep -c '<svg' report.html
	[ "$output" -eq 3 ]
	run ! grep -q '<script\|<link\|src="http' report.html
	run xmllint --html --noout report.html
	[ "$status" -eq 0 ]
}

@test "report html renders in headless Chromium" {
	command -v chromium > /dev/null || skip "Chromium is not installed (apt-get install chromium)"
	qda report -o report.html
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$BATS_TEST_TMPDIR/chromium" --window-size=1000,1400 \
		--screenshot="$BATS_TEST_TMPDIR/report.png" "file://$BATS_TEST_TMPDIR/report.html" 2> /dev/null
	[ -s "$BATS_TEST_TMPDIR/report.png" ]
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/report.png")" -gt 20000 ]
}

@test "report methods give the two coders' agreement per theme on the documents both coded" {
	run qda report --format md
	[ "$status" -eq 0 ]
	[[ "$output" == *"- Agreement: alice and bob both coded 1 document; Cohen's kappa per theme at the character level (NVivo's coding comparison): Theme T 0.44. Details: qda agree --coders alice,bob."* ]]
}

@test "report methods name a coder whose name has a space, with the agreement figure" {
	sqlite3 "$QDA_PROJECT" "UPDATE coder SET name = 'Marie Dupont' WHERE name = 'bob'"
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), Marie Dupont (2))." ]
	[ "${lines[6]}" = "- Agreement: alice and Marie Dupont both coded 1 document; Cohen's kappa per theme at the character level (NVivo's coding comparison): Theme T 0.44. Details: qda agree --coders 'alice,Marie Dupont'." ]
}

@test "report html of the sample project is whole: the three charts, the thematic map, </html> last" {
	export QDA_PROJECT=$BATS_FILE_TMPDIR/sample.qda
	run --separate-stderr qda report -o report.html
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(tail -n 1 report.html)" = "</html>" ]
	[ "$(grep -c '<svg' report.html)" -eq 3 ]
	[ "$(grep -c '<title>thematic_map</title>' report.html)" -eq 1 ]
	xmllint --html --noout report.html
}

@test "report html of the sample project on stdout is whole" {
	export QDA_PROJECT=$BATS_FILE_TMPDIR/sample.qda
	run --separate-stderr qda report --format html
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[-1]}" = "</html>" ]
	[ "$(grep -c '<title>thematic_map</title>' <<< "$output")" -eq 1 ]
}

@test "report: a crash inside Graphviz fails the report, and the -o file is left as it was" {
	export QDA_PROJECT=$BATS_FILE_TMPDIR/sample.qda
	printf '<p>last week\x27s report</p>\n' > report.html
	cp report.html before.html
	run --separate-stderr env QDA_TEST_MAP_CRASH=1 "$QDA" report -o report.html
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda report: error: Graphviz crashed while drawing the map (Aborted); nothing was written" ]
	cmp report.html before.html
	[ "$(find . -name '.*.qda-tmp*')" = "" ]
}
