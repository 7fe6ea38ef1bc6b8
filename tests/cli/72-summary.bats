#!/usr/bin/env bats
# qda summary set|grid: the framework matrix of case summaries, with the
# passages behind each cell counted as qda freq counts them.

load helper
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$FIXTURES/migrate/v3.qda" project.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/project.qda"
	unset QDA_CODER
}

@test "summary set: writes a case's summary for a theme, and logs it" {
	run --separate-stderr qda --coder camille summary set P01 intervention "Referred at an impasse; weekly calls"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "summary of P01 for intervention written by camille" ]
	[ "$(sqlite3 project.qda "SELECT c.name || '|' || n.key || '|' || k.name || '|' || s.text FROM summary s JOIN cases c ON c.id = s.case_id JOIN node n ON n.id = s.node_id JOIN coder k ON k.id = s.coder_id")" = "P01|intervention|camille|Referred at an impasse; weekly calls" ]
	[ "$(sqlite3 project.qda "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "summary of P01 for intervention written by camille" ]
}

@test "summary set: the last writer's text is kept, one summary per case and theme" {
	qda --coder camille summary set P01 intervention "first" > /dev/null
	run --separate-stderr qda --coder yanis summary set P01 intervention second text
	[ "$output" = "summary of P01 for intervention replaced by yanis (was camille's)" ]
	[ "$(sqlite3 project.qda "SELECT count(*) || '|' || text FROM summary")" = "1|second text" ]
	run --separate-stderr qda --coder yanis undo
	[ "$status" -eq 0 ]
	[ "$(sqlite3 project.qda "SELECT text FROM summary")" = "first" ]
}

@test "summary set: without text, the summary is written in \$EDITOR; - reads stdin" {
	printf '#!/bin/sh\nprintf "Written in the editor\\n" > "$1.new"; cat "$1" >> "$1.new"; mv "$1.new" "$1"\n' > ed.sh
	chmod +x ed.sh
	run --separate-stderr env EDITOR="$PWD/ed.sh" VISUAL= QDA_CODER=camille "$QDA" summary set C01 effects
	[ "$status" -eq 0 ]
	[ "$(sqlite3 project.qda "SELECT text FROM summary")" = "Written in the editor" ]
	echo "from stdin" | qda --coder camille summary set R01 effects - > /dev/null
	[ "$(sqlite3 project.qda "SELECT text FROM summary WHERE case_id = (SELECT id FROM cases WHERE name = 'R01')")" = "from stdin" ]
}

@test "summary set: an unknown case or theme is an error, nothing written; no coder is a usage error" {
	run --separate-stderr qda --coder camille summary set P9 intervention x
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda summary set: error: no case 'P9'; 'qda cases' lists them" ]
	run --separate-stderr qda --coder camille summary set P01 nope x
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda summary set: error: unknown code 'nope'; 'qda codebook show' lists the codes" ]
	run --separate-stderr qda summary set P01 intervention x
	[ "$status" -eq 2 ]
	[ "$(sqlite3 project.qda "SELECT count(*) FROM summary")" = "0" ]
}

@test "summary grid: cases by themes, each cell its summary and passages, or to do" {
	qda --coder camille summary set P01 intervention "Referred at an impasse" > /dev/null
	qda --coder camille summary set C01 effects "Relief for the GP" > /dev/null
	run --separate-stderr qda summary grid --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(printf '%s\n' 'case,intervention,effects,challenges' \
		'C01,(to do: 3 passages),Relief for the GP (4 passages),(to do: 5 passages)' \
		'P01,Referred at an impasse (6 passages),(to do: 4 passages),(to do: 6 passages)' \
		'P02,(to do: 6 passages),(to do: 3 passages),(to do: 3 passages)' \
		'R01,(to do: 7 passages),(to do: 5 passages),(to do: 4 passages)')" ]
}

@test "summary grid: the passages are qda freq's segments per case" {
	run --separate-stderr qda freq --level theme --by role --count segments --format csv
	[ "${lines[1]}" = "The peer support intervention in primary care practice,intervention,theme,,22,4,4,3,12,7" ]
	run --separate-stderr qda summary grid --rows role --format csv
	[ "${lines[2]}" = 'patient,P01: (to do: 6 passages); P02: (to do: 6 passages),P01: (to do: 4 passages); P02: (to do: 3 passages),P01: (to do: 6 passages); P02: (to do: 3 passages)' ]
}

@test "summary grid --rows ATTR: a row per value, the cases' summaries in each cell" {
	qda --coder camille summary set P02 challenges "Role unclear" > /dev/null
	run --separate-stderr qda summary grid --rows role --format json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.[].role' | tr '\n' ' ')" = "clinician patient relative " ]
	[ "$(echo "$output" | jq -r '.[1].challenges')" = "P01: (to do: 6 passages); P02: Role unclear (3 passages)" ]
}

@test "summary grid --cols subthemes: a column per sub-theme, empty cells without codings" {
	qda --coder camille summary set P01 listening-space "Time given" > /dev/null
	run --separate-stderr qda summary grid --cols subthemes --format md
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "| case | referral | listening-space | community-connector | shared-humanity | effects-patients | effects-clinicians | role-ambiguity | boundaries | compensation-status |" ]
	[ "${lines[2]}" = "| C01 | (to do: 2 passages) | (to do: 1 passage) |  |  |  | (to do: 4 passages) | (to do: 1 passage) | (to do: 3 passages) | (to do: 3 passages) |" ]
	[[ "${lines[3]}" == "| P01 | (to do: 2 passages) | Time given (2 passages) |"* ]]
}

@test "summary grid: latex and html; a bad --cols or attribute is refused" {
	run --separate-stderr qda summary grid --format latex
	[ "${lines[0]}" = '\begin{tabular}{llll}' ]
	[ "${lines[4]}" = 'C01 & (to do: 3 passages) & (to do: 4 passages) & (to do: 5 passages) \\' ]
	run --separate-stderr qda summary grid --format html
	[ "$status" -eq 0 ]
	[[ "$output" == *"<td>(to do: 3 passages)</td>"* ]]
	run --separate-stderr qda summary grid --cols codes
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda summary grid: error: --cols is themes or subthemes, not 'codes'" ]
	run --separate-stderr qda summary grid --rows colour
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda summary grid: error: no case has the attribute 'colour'; 'qda cases' lists them" ]
}
