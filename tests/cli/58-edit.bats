#!/usr/bin/env bats
# qda edit driven by a scripted editor (ed.sh: a copy of what qda wrote for
# the test to read, then sed with the script in $EDIT_SED), on the hand-made
# coding project (tests/fixtures/coding): the file written, the round trip,
# bad lines reported with their line in the file, the file kept, --resume.

load helper

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$FIXTURES/coding/project.sql" | sqlite3 "$QDA_PROJECT"
	export QDA_CODER=ana
	export TMPDIR="$BATS_TEST_TMPDIR/tmp"
	mkdir -p "$TMPDIR"
	cat > ed.sh <<-'EOF'
	#!/bin/sh
	# ed.sh FILE — a scripted editor
	cp "$1" "$BATS_TEST_TMPDIR/seen.txt"
	stat -c %a "$1" > "$BATS_TEST_TMPDIR/mode.txt"
	[ -n "$EDIT_SED" ] && sed -i -e "$EDIT_SED" "$1"
	exit 0
	EOF
	export EDITOR="sh $BATS_TEST_TMPDIR/ed.sh"
	unset VISUAL
	qda code P01 --lines 2-3 trust > /dev/null                  # 1, ana
	qda --coder bea code P01 --lines 5 doctor > /dev/null       # 2, bea
}

# the one file qda edit left in $TMPDIR
kept() {
	ls "$TMPDIR"/qda-edit-P01-*.txt
}

@test "edit writes the document with the coder's codes margin, mode 0600, in TMPDIR" {
	EDIT_SED= run qda edit P01
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "qda edit: editing P01 in $TMPDIR/qda-edit-P01-"??????".txt" ]]
	[ "${lines[1]}" = "P01: no change" ]
	[ "$(cat mode.txt)" = "600" ]
	run grep -v '^#' seen.txt
	[ "${lines[0]}" = "0001 | Camille: Bonjour Lucie, comment ça va aujourd’hui ? |" ]
	[ "${lines[1]}" = "0002 | Lucie: Ça va. Elle prend le temps de m’écouter, | trust" ]
	[ "${lines[2]}" = "0003 | vraiment le temps. 😀 Je lui fais confiance. | trust" ]
	[ "${lines[3]}" = "0004 | Camille: Et le médecin, il prend le temps ? |" ]
	[ "${lines[4]}" = "0005 | Lucie: Le médecin était démuni, il ne savait plus quoi proposer. |" ]
	[ "${#lines[@]}" -eq 5 ]
	run grep '^# [a-z]*: ' seen.txt
	[ "${lines[0]}" = "# document: P01" ]
	[ "${lines[1]}" = "# coder: ana" ]
	[ "${lines[2]}" = "# project: $QDA_PROJECT" ]
	[ "$(grep -c '^#' seen.txt)" -eq 9 ]
	# applied: the file is gone
	[ -z "$(ls "$TMPDIR")" ]
}

@test "edit: a code on consecutive lines is one coding of those lines" {
	EDIT_SED='/^0004 /s/|$/| time, doctor/; /^0005 /s/|$/| time/' run qda edit P01
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "added coding 3: time lines 4-5" ]
	[ "${lines[2]}" = "added coding 4: doctor line 4" ]
	[ "${lines[3]}" = "P01: 2 codings added, 0 removed" ]
	[ "${#lines[@]}" -eq 4 ]
	run sqlite3 "$QDA_PROJECT" "SELECT c.id, n.key, k.name, c.start, c.end, c.line_first, c.line_last, c.method FROM coding c JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id WHERE c.id > 2 ORDER BY c.id"
	[ "${lines[0]}" = "3|time|ana|144|252|4|5|edit" ]
	[ "${lines[1]}" = "4|doctor|ana|144|187|4|4|edit" ]
}

@test "edit: a code added next to an existing coding codes the new lines only" {
	EDIT_SED='/^0004 /s/|$/| trust/' run qda edit P01
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "added coding 3: trust line 4" ]
	[ "$(count_rows coding)" -eq 3 ]
}

@test "edit: a code taken off every line of a coding removes it" {
	EDIT_SED='s/ | trust$/ |/' run qda edit P01
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "removed coding 1: trust lines 2-3" ]
	[ "${lines[2]}" = "P01: 0 codings added, 1 removed" ]
	run sqlite3 "$QDA_PROJECT" "SELECT id FROM coding"
	[ "$output" = "2" ]
}

@test "edit: replacing a code on a line removes one coding and adds another" {
	EDIT_SED='s/ | trust$/ | listening/' run qda edit P01
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "removed coding 1: trust lines 2-3" ]
	[ "${lines[2]}" = "added coding 3: listening lines 2-3" ]
	[ "${lines[3]}" = "P01: 1 coding added, 1 removed" ]
}

@test "edit leaves other coders' codings alone and does not show them" {
	EDIT_SED='/^0005 /s/|$/| time/' run qda edit P01
	[ "$status" -eq 0 ]
	grep -q '^0005 .*|$' seen.txt
	run sqlite3 "$QDA_PROJECT" "SELECT c.id, n.key, k.name FROM coding c JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id ORDER BY c.id"
	[ "$output" = "1|trust|ana
2|doctor|bea
3|time|ana" ]
}

@test "edit: taking a code off part of a coding is refused, the file kept" {
	EDIT_SED='/^0003 /s/ | trust$/ |/' run qda edit P01
	[ "$status" -eq 1 ]
	f=$(kept)
	[ "${lines[1]}" = "qda edit: $f:12: error: 'trust' is taken off line 3 but its coding 1 covers lines 2-3 as one: take it off lines 2-3, or keep it on line 3" ]
	[ "${lines[2]}" = "qda edit: $f: error: 1 bad line; nothing was changed" ]
	[ "${lines[3]}" = "qda edit: the file is kept: $f; correct it with 'qda edit P01 --resume'" ]
	[ "$(count_rows coding)" -eq 2 ]
}

@test "edit reports every bad line with its line in the file and changes nothing" {
	EDIT_SED='s/^0002 /002x /; /^0003 /s/| trust$/| trust, trus/; /^0004 /d; /^0005 /s/|$/| old-code/' run qda edit P01
	[ "$status" -eq 1 ]
	f=$(kept)
	[ "${lines[1]}" = "qda edit: $f:11: error: the line number is mangled: each line starts with its number and ' | ' as qda wrote it ('002x | Lucie: Ça va. Elle prend le temp')" ]
	[ "${lines[2]}" = "qda edit: $f:12: error: unknown code 'trus'; did you mean 'trust' or 'trust-building'? (see qda codebook show)" ]
	[ "${lines[3]}" = "qda edit: $f:13: error: code 'old-code' is retired from the codebook (merged or removed) and takes no new codings; see qda codebook show" ]
	[ "${lines[4]}" = "qda edit: $f: error: line 4 of P01 is missing: every line of the document stays in the file" ]
	[ "${lines[5]}" = "qda edit: $f: error: 4 bad lines; nothing was changed" ]
	[ "${lines[6]}" = "qda edit: the file is kept: $f; correct it with 'qda edit P01 --resume'" ]
	[ "${#lines[@]}" -eq 7 ]
	[ "$(count_rows coding)" -eq 2 ]
	[ "$(stat -c %a "$f")" = "600" ]
}

@test "edit refuses lines moved out of order" {
	# swap lines 3 and 4
	EDIT_SED='/^0003 /{h;d}; /^0004 /G' run qda edit P01
	[ "$status" -eq 1 ]
	f=$(kept)
	[ "${lines[1]}" = "qda edit: $f:13: error: line 3 is out of order: it comes after line 4; lines cannot be moved" ]
	[ "${lines[2]}" = "qda edit: $f: error: 1 bad line; nothing was changed" ]
}

@test "edit refuses a line copied or added" {
	EDIT_SED='/^0005 /{p;p;s/^0005/0006/}' run qda edit P01
	[ "$status" -eq 1 ]
	f=$(kept)
	[ "${lines[1]}" = "qda edit: $f:15: error: line 5 appears twice (first at line 14 of the file): lines cannot be copied" ]
	[ "${lines[2]}" = "qda edit: $f:16: error: line 6 is not in P01 (lines 1-5): lines cannot be added" ]
	[ "${lines[3]}" = "qda edit: $f: error: 2 bad lines; nothing was changed" ]
}

@test "edit refuses a changed text: only the margin is the coder's" {
	EDIT_SED='/^0004 /s/médecin/docteur/' run qda edit P01
	[ "$status" -eq 1 ]
	f=$(kept)
	[ "${lines[1]}" = "qda edit: $f:13: error: the text of line 4 was changed: qda edit changes the codes margin only (after the last '|')" ]
}

@test "edit --resume reopens the kept file; once applied it is gone" {
	EDIT_SED='s/^0002 /002x /; /^0004 /s/|$/| time/' run qda edit P01
	[ "$status" -eq 1 ]
	f=$(kept)
	# the second pass sees the file as the first one left it
	EDIT_SED='s/^002x /0002 /' run qda edit P01 --resume
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qda edit: editing P01 in $f" ]
	[ "${lines[1]}" = "added coding 3: time line 4" ]
	[ "${lines[2]}" = "P01: 1 coding added, 0 removed" ]
	grep -q '^002x ' seen.txt
	[ ! -e "$f" ]
	run qda edit P01 --resume
	[ "$status" -eq 1 ]
	[ "$output" = "qda edit: error: no kept editing file of P01 by ana in $TMPDIR to resume; start with 'qda edit P01'" ]
}

@test "edit --resume finds only the coder's own kept file" {
	EDIT_SED='s/^0002 /002x /' run qda edit P01
	[ "$status" -eq 1 ]
	QDA_CODER=bea run qda edit P01 --resume
	[ "$status" -eq 1 ]
	[ "$output" = "qda edit: error: no kept editing file of P01 by bea in $TMPDIR to resume; start with 'qda edit P01'" ]
}

@test "edit: an editor that fails changes nothing and keeps the file" {
	EDITOR="false" run qda edit P01
	[ "$status" -eq 1 ]
	f=$(kept)
	[ "${lines[1]}" = "qda edit: error: the editor 'false' exited with status 1; nothing was changed" ]
	[ "${lines[2]}" = "qda edit: the file is kept: $f ('qda edit P01 --resume' reopens it)" ]
}

@test "edit prefers VISUAL to EDITOR, and runs it through sh -c" {
	VISUAL="sed -i -e '/^0001 /s/|\$/| listening/'" EDITOR=false run qda edit P01
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "added coding 3: listening line 1" ]
}

@test "edit without a coder stops before writing anything" {
	unset QDA_CODER
	run qda edit P01
	[ "$status" -eq 2 ]
	[ "$output" = "qda edit: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME" ]
	[ -z "$(ls "$TMPDIR")" ]
}

@test "edit of an unknown document writes nothing" {
	run qda edit P9
	[ "$status" -eq 1 ]
	[[ "$output" == "qda edit: error: no document 'P9'"* ]]
	[ -z "$(ls "$TMPDIR")" ]
}

@test "edit is one transaction in the audit trail" {
	EDIT_SED='/^0004 /s/|$/| time/; s/ | trust$/ |/' qda edit P01 > /dev/null 2>&1
	run sqlite3 "$QDA_PROJECT" "SELECT summary FROM log WHERE summary LIKE 'P01:%'"
	[ "$output" = "P01: 1 coding added, 1 removed" ]
}
