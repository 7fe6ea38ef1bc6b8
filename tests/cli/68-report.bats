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
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), bob (2)); 7 of them, in 4 documents, counted under the rules below." ]
	[[ "$output" == *"| name | segments | documents | cases | clinician (n=1) | patient (n=2) |"* ]]
	[[ "$output" == *"| Theme T | 4 | 3 | 2 | 0/1 (0%) | 2/2 (100%) |"* ]]
	[[ "$output" == *"4 passages in 3 documents; 2 of 3 cases (clinician 0/1, patient 2/2)."* ]]
	[[ "$output" == *"- **Sub S** (3 passages, 2 cases)"* ]]
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
	[[ "$output" == *"- Agreement: alice and bob both coded 1 document; Cohen's kappa per theme at the character level, pooled over those documents (NVivo's coding comparison: the characters of every document compared are counted together, then one kappa is computed): Theme T 0.44. Details: qda agree --coders alice,bob."* ]]
}

@test "report methods name a coder whose name has a space, with the agreement figure" {
	sqlite3 "$QDA_PROJECT" "UPDATE coder SET name = 'Marie Dupont' WHERE name = 'bob'"
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), Marie Dupont (2)); 7 of them, in 4 documents, counted under the rules below." ]
	[ "${lines[6]}" = "- Agreement: alice and Marie Dupont both coded 1 document; Cohen's kappa per theme at the character level, pooled over those documents (NVivo's coding comparison: the characters of every document compared are counted together, then one kappa is computed): Theme T 0.44. Details: qda agree --coders 'alice,Marie Dupont'." ]
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

# The counting project with a review and an autocoding: codings 1, 2, 3, 6,
# 7 and 8 accepted, 7 (bob's b in D3) automatic. Under --no-auto --review
# accepted --where role=patient the codings counted are 1, 2, 3 (D1) and 6
# (D3): 4 is in Camille's interviewer turn and not accepted, 5 not
# accepted, 7 automatic, 8 a clinician's.
reviewed_project() {
	sqlite3 "$QDA_PROJECT" "UPDATE coding_all SET state = 'accepted' WHERE id IN (1, 2, 3, 6, 7, 8);
		UPDATE coding_all SET method = 'auto' WHERE id = 7"
}

@test "report methods state the default rules in sentences to paste" {
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[7]}" = "- What counts: Codings of every coder, pooled; automatic codings included; whatever their review; codings lying wholly in interviewer turns left out. A passage is a maximal run of coded text: overlapping and touching codings of one code are one passage, and a theme counts the union of its codes' passages. An interviewer's turn runs on over the blank lines after it, up to the next turn." ]
	[ "${lines[8]}" = "- Co-occurrence: two sub-themes co-occur where a passage of one shares at least one character with a passage of the other; n12 is the number of such pairs of passages, and the c-coefficient is n12 / (n1 + n2 − n12), n1 and n2 being the two sub-themes' passages. A pair is flagged skewed where one sub-theme has more than five times the passages of the other (the coefficient is then biased), and inflated where n12 exceeds the rarer sub-theme's passages (one passage meets several of the other's, and the coefficient may pass 1)." ]
}

@test "report --no-auto --review accepted --where role=patient states the filters and counts under them" {
	reviewed_project
	run --separate-stderr qda report --format md --no-auto --review accepted --where role=patient
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[2]}" = "- Documents: 4 interview transcripts (7 words; formats: txt 4), 3 cases — patient n=2." ]
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), bob (2)); 4 of them, in 2 documents, counted under the rules below." ]
	[ "${lines[6]}" = "- Agreement: not computed: alice and bob coded no document in common under the filters below." ]
	[ "${lines[7]}" = "- What counts: Codings of every coder, pooled; automatic codings left out; only codings a reviewer accepted (or revised); codings lying wholly in interviewer turns left out; cases where role=patient. A passage is a maximal run of coded text: overlapping and touching codings of one code are one passage, and a theme counts the union of its codes' passages. An interviewer's turn runs on over the blank lines after it, up to the next turn." ]
	[[ "$output" == *$'| name | segments | documents | cases | patient (n=2) |\n| --- | ---: | ---: | ---: | ---: |\n| Theme T | 3 | 2 | 2 | 2/2 (100%) |\n| Theme U | 0 | 0 | 0 | 0/2 (0%) |\n'* ]]
	[[ "$output" == *$'## Theme T\n\n3 passages in 2 documents; 2 of 2 cases (patient 2/2).\n\n- **Sub S** (2 passages, 2 cases)\n- **Code c** (1 passage, 1 case)\n'* ]]
	[[ "$output" == *$'## Theme U\n\n0 passages in 0 documents; 0 of 2 cases (patient 0/2).\n\n- **Code uu** (0 passages, 0 cases)\n'* ]]
	# the quotes follow the filters: bob's D2 (not accepted) and the clinician's D4 are not quoted
	[ "$(grep -c '^> — ' <<< "$output")" -eq 2 ]
	[[ "$output" != *"— C1 (C1, patient), D2"* ]]
	[[ "$output" != *"— C3 (C3, clinician), D4"* ]]
}

@test "report without filters on the same project counts every coding but the interviewer's" {
	reviewed_project
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[[ "$output" == *"| Theme T | 4 | 3 | 2 | 0/1 (0%) | 2/2 (100%) |"* ]]
	[[ "$output" == *"| Theme U | 1 | 1 | 1 | 1/1 (100%) | 0/2 (0%) |"* ]]
	[ "$(grep -c '^> — ' <<< "$output")" -eq 4 ]
}

@test "report --coder counts one coder's codings and says so" {
	run --separate-stderr qda report --format md --coder bob
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), bob (2)); 2 of them, in 2 documents, counted under the rules below." ]
	[[ "${lines[6]}" == "- Agreement: alice and bob both coded 1 document; Cohen's kappa per theme at the character level, pooled over those documents (NVivo's coding comparison: the characters of every document compared are counted together, then one kappa is computed), under the filters below but for the coder: Theme T "* ]]
	[ "${lines[7]}" = "- What counts: Codings by bob only; automatic codings included; whatever their review; codings lying wholly in interviewer turns left out. A passage is a maximal run of coded text: overlapping and touching codings of one code are one passage, and a theme counts the union of its codes' passages. An interviewer's turn runs on over the blank lines after it, up to the next turn." ]
	[[ "$output" == *"| Theme T | 2 | 2 | 2 | 0/1 (0%) | 2/2 (100%) |"* ]]
	[[ "$output" == *"| Theme U | 0 | 0 | 0 | 0/1 (0%) | 0/2 (0%) |"* ]]
}

@test "report --include-interviewer counts the coding in Camille's turn and says so" {
	run --separate-stderr qda report --format md --include-interviewer
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), bob (2)); 8 of them, in 4 documents, counted under the rules below." ]
	[ "${lines[7]}" = "- What counts: Codings of every coder, pooled; automatic codings included; whatever their review; codings in interviewer turns included. A passage is a maximal run of coded text: overlapping and touching codings of one code are one passage, and a theme counts the union of its codes' passages." ]
	[[ "$output" == *"| Theme T | 5 | 3 | 2 | 0/1 (0%) | 2/2 (100%) |"* ]]
	[[ "$output" == *"- **Code c** (2 passages, 1 case)"* ]]
}

@test "report with a value no case has is an error naming it, and writes nothing" {
	run --separate-stderr qda report --format md --where role=nurse
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda report: error: no case has role=nurse ('qda cases' lists the values)" ]
	run --separate-stderr qda report --format md --review maybe
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "${stderr_lines[0]}" = "qda report: error: --review is accepted, not-disputed or any, not 'maybe'" ]
}

@test "report html states the filters in its methods list" {
	reviewed_project
	run --separate-stderr qda report --format html --no-auto --where 'role=patient,clinician'
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == *"<li>What counts: Codings of every coder, pooled; automatic codings left out; whatever their review; codings lying wholly in interviewer turns left out; cases where role=patient,clinician. A passage is"* ]]
	[ "${lines[-1]}" = "</html>" ]
}

@test "report md co-occurrence table counts pairs of passages and flags an inflated pair" {
	# a second sub-theme s2 with one passage over D3, which meets two of s's
	# passages there ([20,35) and [50,60)): n12 = 2 > 1, c = 2 / (4 + 1 - 2)
	sqlite3 "$QDA_PROJECT" "INSERT INTO node(id, key, parent_id, kind, name, position) VALUES (8, 's2', 1, 'subtheme', 'Sub S2', 2);
		INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last) VALUES (3, 3, 1, 50, 60, 1, 1), (3, 8, 2, 0, 100, 1, 1)"
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == *$'| sub-theme | sub-theme | pairs of passages | c | flag |\n| --- | --- | ---: | ---: | --- |\n| s | s2 | 2 | 0.67 | inflated |'* ]]
	# bob's codings alone: s has D2's and D3's passages, s2 one: n12 = 1, c = 1/2
	run --separate-stderr qda report --format md --coder bob
	[ "$status" -eq 0 ]
	[[ "$output" == *$'| --- | --- | ---: | ---: | --- |\n| s | s2 | 1 | 0.50 |  |'* ]]
}

@test "report md of the sample project: the co-occurrence table follows --where" {
	export QDA_PROJECT=$BATS_FILE_TMPDIR/sample.qda
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[[ "$output" == *$'| --- | --- | ---: | ---: | --- |\n| listening-space | effects-patients | 9 | 0.23 |  |\n| shared-humanity | effects-patients | 12 | 0.24 |  |'* ]]
	run --separate-stderr qda report --format md --where role=patient
	[ "$status" -eq 0 ]
	[[ "$output" == *$'| shared-humanity | effects-patients | 9 | 0.36 |  |\n'* ]]
	[ "$(grep -c '^| [a-z-]* | [a-z-]* | [0-9]* | 0\.[0-9][0-9] |' <<< "$output")" -eq 5 ]
}

@test "exemplar list without a code lists every theme's quotes" {
	run --separate-stderr qda exemplar list --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "theme,coding_id,document,case,speaker,role,code,coder,line_first,line_last,chosen,text
t,1,D1,C1,,patient,a,alice,1,1,no,xxxxxxxxxx
t,6,D3,C2,,patient,b,alice,1,1,no,zzzzzzzzzz
t,5,D2,C1,,patient,a,bob,1,1,no,yyyyyyyyyy
u,8,D4,C3,,clinician,uu,alice,1,1,no,un de" ]
	run --separate-stderr qda exemplar list
	[ "${lines[0]}" = "## Theme T (t)" ]
	[ "${lines[10]}" = "## Theme U (u)" ]
}
