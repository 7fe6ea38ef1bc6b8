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
	[[ "$output" == *"- Agreement: alice and bob both coded 1 document; Cohen's kappa per theme at the character level, pooled over those documents (NVivo's coding comparison: the characters of every document compared are counted together, then one kappa is computed): Theme T 0.44. Details: \`qda agree --coders alice,bob\`."* ]]
}

@test "report methods name a coder whose name has a space, with the agreement figure" {
	sqlite3 "$QDA_PROJECT" "UPDATE coder SET name = 'Marie Dupont' WHERE name = 'bob'"
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[3]}" = "- Coding: 8 codings by 2 coders (alice (6), Marie Dupont (2)); 7 of them, in 4 documents, counted under the rules below." ]
	[ "${lines[6]}" = "- Agreement: alice and Marie Dupont both coded 1 document; Cohen's kappa per theme at the character level, pooled over those documents (NVivo's coding comparison: the characters of every document compared are counted together, then one kappa is computed): Theme T 0.44. Details: \`qda agree --coders 'alice,Marie Dupont'\`." ]
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

# A log made by real commands of two coders, its times then set by hand
# (log N at 2025-03-0N 10:0N): 1 init (setup), 2 alice code (2), 3 bob theme
# rename, with a '|' in the name (5), 4 alice theme define (5), 5 alice
# journal memo (throughout), undone by 6 alice undo (throughout), 7 bob
# exemplar add (6), 8 bob theme move (3-4).
audit_log() {
	qda --coder alice code D4 --chars 5-10 a > /dev/null
	qda --coder bob theme rename s "Sub S | renamed" > /dev/null
	qda --coder alice theme define t --definition "What T is" > /dev/null
	qda --coder alice memo add --journal "first thoughts" > /dev/null
	qda --coder alice undo > /dev/null
	qda --coder bob exemplar add 7 > /dev/null
	qda --coder bob theme move c --under u > /dev/null
	sqlite3 "$QDA_PROJECT" "UPDATE log SET at = '2025-03-' || printf('%02d', id) || 'T10:0' || id || ':00.000Z'"
}

@test "report --audit: the log by phase in Markdown, counts per coder, first and last dates, undone marked" {
	audit_log
	run --separate-stderr qda report --audit --quotes 0
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	audit="${output#*$'\n## Audit trail\n\n'}"
	[ "$audit" = "The project's log (qda log): 8 changes from 2025-03-01 to 2025-03-08, 1 of them undone (marked). Each change is placed in one of Braun and Clarke's (2006) phases by the command that made it (the table is in qda's README); times are UTC. Changes per coder: alice 4, bob 3, (no coder) 1.

| phase | changes | undone | by coder | first | last |
| --- | ---: | ---: | --- | --- | --- |
| Setting up the project | 1 | 0 | (no coder) 1 | 2025-03-01 | 2025-03-01 |
| 1. Familiarising with the data | 0 | 0 |  |  |  |
| 2. Generating initial codes | 1 | 0 | alice 1 | 2025-03-02 | 2025-03-02 |
| 3-4. Searching for and reviewing themes | 1 | 0 | bob 1 | 2025-03-08 | 2025-03-08 |
| 4. Reviewing themes: peer review | 0 | 0 |  |  |  |
| 5. Defining and naming themes | 2 | 0 | alice 1, bob 1 | 2025-03-03 | 2025-03-04 |
| 6. Producing the report | 1 | 0 | bob 1 | 2025-03-07 | 2025-03-07 |
| Throughout: memos, coders, undo | 2 | 1 | alice 2 | 2025-03-05 | 2025-03-06 |

### Setting up the project

| log | when (UTC) | coder | command | what changed |
| ---: | --- | --- | --- | --- |
| 1 | 2025-03-01 10:01 | (none) | init | project created |

### 2. Generating initial codes

| log | when (UTC) | coder | command | what changed |
| ---: | --- | --- | --- | --- |
| 2 | 2025-03-02 10:02 | alice | code | coded D4 lines 1-1 [5, 10): 1 coding added (9) |

### 3-4. Searching for and reviewing themes

| log | when (UTC) | coder | command | what changed |
| ---: | --- | --- | --- | --- |
| 8 | 2025-03-08 10:08 | bob | theme move | theme c moved under u |

### 5. Defining and naming themes

| log | when (UTC) | coder | command | what changed |
| ---: | --- | --- | --- | --- |
| 3 | 2025-03-03 10:03 | bob | theme rename | theme s renamed 'Sub S \| renamed' |
| 4 | 2025-03-04 10:04 | alice | theme define | theme t defined |

### 6. Producing the report

| log | when (UTC) | coder | command | what changed |
| ---: | --- | --- | --- | --- |
| 7 | 2025-03-07 10:07 | bob | exemplar add | exemplars chosen |

### Throughout: memos, coders, undo

| log | when (UTC) | coder | command | what changed |
| ---: | --- | --- | --- | --- |
| 5 | 2025-03-05 10:05 | alice | memo add | journal entry 1 by alice (undone by log 6) |
| 6 | 2025-03-06 10:06 | alice | undo | undid log 5: journal entry 1 by alice |" ]
}

@test "report --audit in HTML: the same tables, escaped, before </body>" {
	audit_log
	qda report --audit -o report.html
	run grep -c '<h3>' report.html
	[ "$output" -eq 6 ]
	run grep -F '<tr><td>5. Defining and naming themes</td><td class="n">2</td><td class="n">0</td><td>alice 1, bob 1</td><td>2025-03-03</td><td>2025-03-04</td></tr>' report.html
	[ "$status" -eq 0 ]
	run grep -F '<tr><td>5</td><td>2025-03-05 10:05</td><td>alice</td><td>memo add</td><td>journal entry 1 by alice (undone by log 6)</td></tr>' report.html
	[ "$status" -eq 0 ]
	[ "$(tail -n 3 report.html)" = "</table>
</body>
</html>" ]
	run qda report --format md
	[[ "$output" != *"Audit trail"* ]]
}

@test "report --audit: the first codebook load is phase 2, a later load phase 3-4" {
	export QDA_PROJECT="$BATS_TEST_TMPDIR/cb.qda"
	qda init "$QDA_PROJECT" > /dev/null
	qda --coder alice codebook load "$FIXTURES/codebook/good.yaml" > /dev/null
	qda --coder bob codebook load "$FIXTURES/codebook/good-v2.yaml" > /dev/null
	run --separate-stderr qda report --audit
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n| 2. Generating initial codes | 1 | 0 | alice 1 | '* ]]
	[[ "$output" == *$'\n| 3-4. Searching for and reviewing themes | 1 | 0 | bob 1 | '* ]]
	[[ "$output" == *$'\n| 3 | '*' | bob | codebook load | codebook version 2 from '* ]]
}

@test "report --saturation: the methods state code saturation, only when asked" {
	run --separate-stderr qda report --format md
	[ "$status" -eq 0 ]
	[[ "$output" != *"Code saturation"* ]]
	run --separate-stderr qda report --saturation
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[7]}" = "- Code saturation (Guest, Namey & Chen 2020): the documents coded, in the order they were imported, each bringing the codes first coded in it; with a base of 4 documents, runs of 2 and a new-information threshold of 5% of the base's codes, saturation not assessed: 4 documents coded, fewer than the base of 4 and a run of 2 (6). Details: \`qda saturation\`." ]
	[ "${lines[8]:0:15}" = "- What counts: " ]
}

# The saturation fixture: see tests/cli/70-saturation.bats for the figures.
@test "report --saturation on the saturation project: reached at 8 in import order, not reached by interview date" {
	export QDA_PROJECT="$BATS_TEST_TMPDIR/sat.qda"
	qda init "$QDA_PROJECT" > /dev/null
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/saturation/project.sql"
	run --separate-stderr qda report --saturation --quotes 0
	[ "$status" -eq 0 ]
	[ "${lines[7]}" = "- Code saturation (Guest, Namey & Chen 2020): the documents coded, in the order they were imported, each bringing the codes first coded in it; with a base of 4 documents, runs of 2 and a new-information threshold of 5% of the base's codes, saturation reached at document 8 (after the base of 4 and a run of 2, 0% new information): the run of documents 7-8 brought 0 new codes against 7 in the base, at or under the threshold of 5%; in Guest, Namey & Chen's notation 6+2. Details: \`qda saturation\`." ]
	run --separate-stderr qda report --saturation-order interviewed --quotes 0
	[ "$status" -eq 0 ]
	[ "${lines[7]}" = "- Code saturation (Guest, Namey & Chen 2020): the documents coded, in the order of their case's interviewed, each bringing the codes first coded in it; with a base of 4 documents, runs of 2 and a new-information threshold of 5% of the base's codes, saturation not reached: no run of 2 documents after the base of 4 brought 5% new information or less; the last run, documents 7-8, brought 1 new code against 5 in the base (20%). Details: \`qda saturation --order interviewed\`." ]
	run --separate-stderr qda report --saturation-order intervewed
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda report: error: no case has an attribute 'intervewed'; did you mean 'interviewed'? ('qda cases' lists them)" ]
}

@test "report --saturation on the sample project: reached at document 6, 4+2" {
	run --separate-stderr qda -p "$BATS_FILE_TMPDIR/sample.qda" report --saturation --quotes 0
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n- Code saturation (Guest, Namey & Chen 2020): the documents coded, in the order they were imported, each bringing the codes first coded in it; with a base of 4 documents, runs of 2 and a new-information threshold of 5% of the base\'s codes, saturation reached at document 6 (after the base of 4 and a run of 2, 3.7% new information): the run of documents 5-6 brought 1 new code against 27 in the base, at or under the threshold of 5%; in Guest, Namey & Chen\'s notation 4+2. Details: `qda saturation`.\n'* ]]
}

# Translations of the counting project's quotes: coding 5 (D2, Theme T's
# third quote) and coding 8 (D4, Theme U's), by bob; the documents are
# French (the project's default language).
translations() {
	qda --coder bob translate 5 --lang en "Y in English" > /dev/null
	qda --coder bob translate 8 --lang en "one two" > /dev/null
	qda --coder alice translate 8 --lang de "eins zwei" > /dev/null
}

@test "report --lang en: translated quotes in English, marked with source language and translator; others as they are" {
	translations
	run --separate-stderr qda report --lang en
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == *$'\n> xxxxxxxxxx\n>\n> — C1 (C1, patient), D1, line 1\n\n> zzzzzzzzzz\n>\n> — C2 (C2, patient), D3, line 1\n\n> Y in English\n>\n> — C1 (C1, patient), D2, line 1 (translated from fr by bob)\n\n\n## Theme U\n'* ]]
	[[ "$output" == *$'\n> one two\n>\n> — C3 (C3, clinician), D4, line 1 (translated from fr by bob)\n\n\n## How the themes relate\n'* ]]
	[[ "$output" != *"[^"* ]]
	[[ "$output" != *"yyyyyyyyyy"* ]]
	[ "$(grep -c -e '^- Quotes: ' <<< "$output")" -eq 1 ]
	grep -qxF -e '- Quotes: given in en where a translation into en exists (qda translate), each marked with its source language and translator (2 of the 4 quoted); the others in the original.' <<< "$output"
}

@test "report without --lang quotes the originals, unmarked" {
	translations
	run --separate-stderr qda report
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n> un de\n>\n> — C3 (C3, clinician), D4, line 1\n'* ]]
	[[ "$output" != *"translated"* ]]
	[[ "$output" != *"Quotes:"* ]]
}

@test "report --lang en --originals: each original in a Markdown footnote at the end of its section, numbered across the report" {
	translations
	run --separate-stderr qda report --lang en --originals
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == *$'\n> Y in English\n>\n> — C1 (C1, patient), D2, line 1 (translated from fr by bob)[^1]\n\n[^1]: yyyyyyyyyy\n\n\n## Theme U\n'* ]]
	[[ "$output" == *$'\n> one two\n>\n> — C3 (C3, clinician), D4, line 1 (translated from fr by bob)[^2]\n\n[^2]: un de\n\n\n## How the themes relate\n'* ]]
	grep -qxF -e '- Quotes: given in en where a translation into en exists (qda translate), each marked with its source language and translator (2 of the 4 quoted), the original in a note; the others in the original.' <<< "$output"
}

@test "report --lang en --originals --format html: numbered notes at the end of the section, linked both ways" {
	translations
	run --separate-stderr qda report --lang en --originals --format html
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	grep -qF '<blockquote lang="en"><p>Y in English</p><footer>— C1 (C1, patient), D2, line 1 (translated from fr by bob)<sup><a href="#original-1" id="quote-1">1</a></sup></footer></blockquote>' <<< "$output"
	grep -qF '<ol class="originals" start="1">'$'\n''<li id="original-1" lang="fr">yyyyyyyyyy <a href="#quote-1">↩</a></li>'$'\n''</ol>'$'\n''<h2>Theme U</h2>' <<< "$output"
	grep -qF '<ol class="originals" start="2">'$'\n''<li id="original-2" lang="fr">un de <a href="#quote-2">↩</a></li>'$'\n''</ol>'$'\n''<h2>How the themes relate</h2>' <<< "$output"
	grep -qF '<blockquote><p>zzzzzzzzzz</p>' <<< "$output"
	run xmllint --html --noout - <<< "$output"
	[ "$status" -eq 0 ]
}

@test "report --lang: a language with no translation quotes the originals; a bad tag and --originals alone are usage errors" {
	translations
	run --separate-stderr qda report --lang pt-br
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n> un de\n>\n> — C3 (C3, clinician), D4, line 1\n'* ]]
	grep -qxF -e '- Quotes: given in pt-br where a translation into pt-br exists (qda translate), each marked with its source language and translator (0 of the 4 quoted); the others in the original.' <<< "$output"
	run --separate-stderr qda report --lang EN
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "${stderr%%$'\n'*}" = "qda report: error: --lang wants a language tag in lower case (en, fr, pt-br), not 'EN'" ]
	run --separate-stderr qda report --originals
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda report: error: --originals goes with --lang L: the originals of the quotes translated into L" ]
}

@test "exemplar list --lang en --originals: the report's quotes, notes numbered in text, footnotes in md" {
	translations
	run --separate-stderr qda exemplar list u --lang en
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = $'> one two\n>\n> — C3 (C3, clinician), D4, line 1 (translated from fr by bob)' ]
	run --separate-stderr qda exemplar list u --lang de --originals
	[ "$output" = $'> eins zwei\n>\n> — C3 (C3, clinician), D4, line 1 (translated from fr by alice) [1]\n\nOriginals:\n[1] un de' ]
	run --separate-stderr qda exemplar list u --lang en --originals --format md
	[ "$output" = $'> one two\n>\n> — C3 (C3, clinician), D4, line 1 (translated from fr by bob)[^1]\n\n[^1]: un de' ]
	run --separate-stderr qda exemplar list --lang en --originals --format md
	[ "$status" -eq 0 ]
	[[ "$output" == *$'(translated from fr by bob)[^1]\n\n[^1]: yyyyyyyyyy\n\n## Theme U (u)\n'* ]]
	[[ "$output" == *$'(translated from fr by bob)[^2]\n\n[^2]: un de' ]]
}

@test "exemplar list --lang en in csv and json: the translation as text, a translated column, --originals an original column" {
	translations
	run --separate-stderr qda exemplar list --lang en --originals --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "theme,coding_id,document,case,speaker,role,code,coder,line_first,line_last,chosen,text,translated,original
t,1,D1,C1,,patient,a,alice,1,1,no,xxxxxxxxxx,no,
t,6,D3,C2,,patient,b,alice,1,1,no,zzzzzzzzzz,no,
t,5,D2,C1,,patient,a,bob,1,1,no,Y in English,yes,yyyyyyyyyy
u,8,D4,C3,,clinician,uu,alice,1,1,no,one two,yes,un de" ]
	run --separate-stderr qda exemplar list u --lang en --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0] | .text + "|" + .translated' <<< "$output")" = "one two|yes" ]
	run --separate-stderr qda exemplar list u --format csv
	[ "${lines[0]}" = "coding_id,document,case,speaker,role,code,coder,line_first,line_last,chosen,text" ]
}

@test "report methods: the commands to paste quote a name with a space, a quote and a \$ for the shell, in a code span" {
	sqlite3 "$QDA_PROJECT" "UPDATE coder SET name = 'Marie O''Brien \$HOME' WHERE name = 'bob';
		INSERT INTO attribute VALUES (1, 'vague d''entrée \$1', '2'), (2, 'vague d''entrée \$1', '1'), (3, 'vague d''entrée \$1', '3')"
	run --separate-stderr qda report --saturation-order "vague d'entrée \$1" --quotes 0
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "${lines[6]}" == *" Details: \`qda agree --coders 'alice,Marie O'\\''Brien \$HOME'\`." ]]
	[[ "${lines[7]}" == *" Details: \`qda saturation --order 'vague d'\\''entrée \$1'\`." ]]
	# what the shell makes of the words is the names themselves
	cmd=${lines[6]##*Details: \`}
	eval "set -- ${cmd%\`.}"
	[ "$#" -eq 4 ]
	[ "$4" = "alice,Marie O'Brien \$HOME" ]
	cmd=${lines[7]##*Details: \`}
	eval "set -- ${cmd%\`.}"
	[ "$4" = "vague d'entrée \$1" ]
	run --separate-stderr qda report --saturation-order "vague d'entrée \$1" --quotes 0 --format html
	[ "$status" -eq 0 ]
	grep -qF "Details: <code>qda agree --coders &#39;alice,Marie O&#39;\\&#39;&#39;Brien \$HOME&#39;</code>." <<< "$output"
	grep -qF "Details: <code>qda saturation --order &#39;vague d&#39;\\&#39;&#39;entrée \$1&#39;</code>." <<< "$output"
}

@test "report methods: a backtick in a name lengthens the code span's fence; plain names stay unquoted" {
	sqlite3 "$QDA_PROJECT" "UPDATE coder SET name = 'b\`ob' WHERE name = 'bob'"
	run --separate-stderr qda report --quotes 0
	[ "$status" -eq 0 ]
	[[ "${lines[6]}" == *" Details: \`\`qda agree --coders 'alice,b\`ob'\`\`." ]]
	sqlite3 "$QDA_PROJECT" "UPDATE coder SET name = 'bob.2_x@lab:a=b%c+d-e/f' WHERE name = 'b\`ob'"
	run --separate-stderr qda report --quotes 0
	[[ "${lines[6]}" == *" Details: \`qda agree --coders alice,bob.2_x@lab:a=b%c+d-e/f\`." ]]
}
