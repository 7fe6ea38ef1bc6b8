#!/usr/bin/env bats
# qda memo add|list|show: memos on the project, a document, a code, a coding
# and a case, the reflexive journal, text from stdin, the audit trail.

load helper

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$FIXTURES/coding/project.sql" "$FIXTURES/autocode/project.sql" | sqlite3 "$QDA_PROJECT"
	export QDA_CODER=alice
}

@test "memo: a memo without a target is on the project, signed and logged" {
	run qda memo add "Le projet : première idée"
	[ "$status" -eq 0 ]
	[ "$output" = "memo 1 on the project" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT m.target_kind || '|' || coalesce(m.doc_id, m.node_id, m.coding_id, m.case_id, '') || '|' || c.name || '|' || m.text FROM memo m JOIN coder c ON c.id = m.coder_id")" = "project||alice|Le projet : première idée" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT coder || '|' || summary FROM log ORDER BY id DESC LIMIT 1")" = "alice|memo 1 on the project" ]
}

@test "memo: memos on a document, a code, a coding and a case name their target" {
	sqlite3 "$QDA_PROJECT" "INSERT INTO coder(id, name) VALUES (1, 'bob'); INSERT INTO coding_all(id, doc_id, node_id, coder_id, start, end, line_first, line_last) VALUES (7, 1, 3, 1, 133, 142, 3, 3)"
	qda memo add --doc P01 "Lucie parle du temps"
	qda memo add --code trust "La confiance vient avec le temps"
	qda memo add --coding 7 "À discuter avec bob"
	run qda memo add --case P02 Dr Martin est sceptique
	[ "$output" = "memo 4 on case P02" ]
	run qda memo list --format csv
	[ "${lines[0]}" = "id,kind,target,coder,created,text" ]
	[[ "${lines[1]}" =~ ^1,document,P01,alice,[0-9T:-]+Z,Lucie\ parle\ du\ temps$ ]]
	[[ "${lines[2]}" =~ ^2,code,trust,alice,.*,La\ confiance\ vient\ avec\ le\ temps$ ]]
	[[ "${lines[3]}" =~ ^3,coding,7,alice,.*,À\ discuter\ avec\ bob$ ]]
	[[ "${lines[4]}" =~ ^4,case,P02,alice,.*,Dr\ Martin\ est\ sceptique$ ]]
	run qda memo list --code trust --format csv
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == 2,code,trust,* ]]
}

@test "memo: the journal is dated and signed, its text read from stdin" {
	printf 'Je me suis sentie proche de Lucie.\nÀ surveiller.\n' | qda memo add --journal -
	run qda memo show 1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^journal\ entry\ 1\ ·\ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\ ·\ signed\ alice$ ]]
	[ "${lines[1]}" = "Je me suis sentie proche de Lucie." ]
	[ "${lines[2]}" = "À surveiller." ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "journal entry 1 by alice" ]
}

@test "memo: list shows the first line of each memo in text, the whole text in json" {
	printf 'Première ligne\nseconde ligne\n' | qda memo add --journal -
	qda memo add --doc P02 "court"
	run qda memo list
	[ "${lines[0]}" = "id  kind      target  coder  created               text" ]
	[[ "${lines[1]}" =~ ^\ 1\ \ journal\ {11}alice\ \ [0-9T:-]+Z\ \ Première\ ligne…$ ]]
	run qda memo list --journal --format json
	[[ "$output" == *'"text": "Première ligne\nseconde ligne"'* ]]
	run qda memo list --doc P02 --format csv
	[ "${#lines[@]}" -eq 2 ]
}

@test "memo: show names the target, the coder and the date" {
	qda memo add --doc P01 "Lucie parle du temps"
	run qda memo show 1
	[[ "${lines[0]}" =~ ^memo\ 1\ on\ document\ P01\ ·\ alice\ ·\ [0-9T:-]+Z$ ]]
	[ "${lines[1]}" = "Lucie parle du temps" ]
}

@test "memo: adding without a coder is a usage error and writes nothing" {
	unset QDA_CODER
	run qda memo add "x"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda memo add: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME" ]
	[ "$(count_rows memo)" -eq 0 ]
}

@test "memo: an unknown target is refused with the nearest names" {
	run qda memo add --code trst "x"
	[ "$status" -eq 1 ]
	[[ "$output" == *"did you mean 'trust'"* ]]
	run qda memo add --case P3 "x"
	[ "$status" -eq 1 ]
	[ "$output" = "qda memo add: error: no case 'P3'; did you mean 'P03'? (see qda cases)" ]
	run qda memo add --coding 42 "x"
	[ "$status" -eq 1 ]
	[ "$output" = "qda memo add: error: no coding 42; see qda codings" ]
	[ "$(count_rows memo)" -eq 0 ]
}

@test "memo: an empty memo, two targets or a bad id are refused" {
	run qda memo add "   "
	[ "$status" -eq 1 ]
	[ "$output" = "qda memo add: error: the memo is empty; write its text as an argument or on stdin with -" ]
	run qda memo add --doc P01 --journal "x"
	[ "$status" -eq 2 ]
	run qda memo show 9
	[ "$status" -eq 1 ]
	[ "$output" = "qda memo show: error: no memo 9; see qda memo list" ]
	run qda memo show abc
	[ "$status" -eq 2 ]
	[ "$(count_rows memo)" -eq 0 ]
}

@test "memo add without text opens the editor; comment lines are left out; an empty memo writes nothing" {
	printf '#!/bin/sh\ncp "$1" seen.txt\nprintf "Une idée sur la confiance.\\n\\nDeuxième ligne.\\n" | cat - "$1" > "$1.new" && mv "$1.new" "$1"\n' > ed.sh
	chmod +x ed.sh
	run env EDITOR=./ed.sh VISUAL= "$QDA" memo add --journal
	[ "$status" -eq 0 ]
	[ "$output" = "journal entry 1 by alice" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT text FROM memo WHERE id = 1")" = "Une idée sur la confiance.

Deuxième ligne." ]
	[ "$(sed -n 2p seen.txt)" = "# Write the memo in the journal above; lines starting with '#' are left out." ]
	run env EDITOR=true VISUAL= "$QDA" memo add
	[ "$status" -eq 1 ]
	[ "$output" = "qda memo add: the memo is empty; nothing was written" ]
	run env VISUAL=false "$QDA" memo add
	[ "$status" -eq 1 ]
	[ "$output" = "qda memo add: error: the editor 'false' failed (exit status 1); nothing was written" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM memo")" = "1" ]
}
