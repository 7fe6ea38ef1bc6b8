#!/usr/bin/env bats
# The record a team can trust: ids never reused, removal that keeps history,
# ownership of codings, revisions that keep the coders' own work, coder names
# one rule everywhere, and qda undo. On the hand-made coding project.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$FIXTURES/coding/project.sql" | sqlite3 "$QDA_PROJECT"
	export QDA_CODER=ana
}

@test "record: a removed coding's id is never given again, and its memo stays with it" {
	qda code P01 --lines 5 doctor > /dev/null                       # 1
	qda code P01 --lines 2 trust > /dev/null                        # 2
	qda memo add --coding 2 "pourquoi ce passage" > /dev/null
	qda uncode 2 > /dev/null
	run qda code P01 --lines 4 listening
	[ "$status" -eq 0 ]
	[[ "$output" == *"(coding 3)" ]]
	run qda memo list --coding 3 --format csv
	[ "$output" = "id,kind,target,coder,created,text" ]
	run qda memo list --coding 2 --format csv
	[[ "${lines[1]}" == 1,coding,2,ana,*,pourquoi\ ce\ passage ]]
}

@test "record: a removed coding leaves the counts but codings --removed shows who, when and why" {
	qda code P01 --lines 2 trust > /dev/null
	qda code P01 --lines 5 doctor > /dev/null
	qda uncode 1 > /dev/null
	run qda codings --format csv
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == 2,P01,5-5,* ]]
	run --separate-stderr qda codings --removed --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,document,lines,start,end,code,coder,method,rule,memo,removed_at,removed_by,removed_why,text" ]
	[[ "${lines[1]}" == 1,P01,2-2,52,99,trust,ana,manual,,,20*,ana,uncode,* ]]
	run qda codebook show --counts --format csv
	[ "${lines[3]}" = "Trust,trust,code,candidate,0,0" ]
}

@test "record: reviews of a removed coding stay, and review status still shows the dispute" {
	qda code P01 --lines 2 trust > /dev/null
	printf 'id,verdict,comment\n1,dispute,pas de confiance ici\n' > sheet.csv
	qda review import sheet.csv --reviewer rita > /dev/null
	qda uncode 1 > /dev/null
	[ "$(count_rows review)" -eq 1 ]
	run qda review status --disputes --format csv
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == 1,P01,2-2,trust,ana,rita,,pas\ de\ confiance\ ici,*,20*" by ana (uncode)" ]]
	run qda review status --format csv
	[[ "$output" == *"relationship,rita,,0,1,0,1"* ]]
}

@test "record: the log keeps a removal and a later coding apart" {
	qda code P01 --lines 2 trust > /dev/null
	qda uncode 1 > /dev/null
	qda code P01 --lines 2 trust > /dev/null
	run qda log --format csv
	[[ "${lines[1]}" == *',ana,qda code P01 --lines 2 trust,"coded P01 lines 2-2 [52, 99): 1 coding added (2)",' ]]
	[[ "${lines[2]}" == *",ana,qda uncode 1,removed 1 coding (1)," ]]
	[[ "${lines[3]}" == *',ana,qda code P01 --lines 2 trust,"coded P01 lines 2-2 [52, 99): 1 coding added (1)",' ]]
}

@test "record: a coding memo shows in codings, retrieve (csv, json, text, md)" {
	qda code P01 --lines 2 trust --memo "elle insiste sur le temps" > /dev/null
	run qda codings --format csv
	[[ "${lines[1]}" == 1,P01,2-2,52,99,trust,ana,manual,,elle\ insiste\ sur\ le\ temps,* ]]
	run qda retrieve trust --format json
	[[ "${lines[1]}" == *'"memo": "elle insiste sur le temps", "text"'* ]]
	run qda retrieve trust
	[ "${lines[2]}" = "  memo: elle insiste sur le temps" ]
	run qda retrieve trust --format md
	[ "${lines[${#lines[@]}-1]}" = "*Memo:* elle insiste sur le temps" ]
}

@test "record: uncode of another coder's coding needs --force and the log names both" {
	qda --coder bea code P01 --lines 2 trust > /dev/null
	run --separate-stderr qda uncode 1
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda uncode: error: coding 1 belongs to bea; only they may remove it, or pass --force (the log keeps both names); nothing was removed" ]
	[ "$(count_rows coding)" -eq 1 ]
	run qda uncode 1 --force
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT coder || '|' || summary FROM log ORDER BY id DESC LIMIT 1")" = "ana|removed 1 coding (1); ana removed other coders' codings with --force: 1 (bea)" ]
}

@test "record: uncode without a coder is refused like code" {
	qda code P01 --lines 2 trust > /dev/null
	unset QDA_CODER
	run --separate-stderr qda uncode 1
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda uncode: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME" ]
	[ "$(count_rows coding)" -eq 1 ]
}

@test "record: applying a review keeps agreement on the coders' own work" {
	qda code P01 --lines 2 trust > /dev/null
	qda code P01 --lines 5 doctor > /dev/null
	qda --coder bea code P01 --lines 2 time > /dev/null
	qda --coder bea code P01 --lines 5 doctor > /dev/null
	run qda agree --coders ana,bea --format csv
	before="$output"
	printf 'id,verdict,comment,suggested_code\n1,suggest,plutôt le temps,time\n' > sheet.csv
	qda review import sheet.csv --reviewer rita > /dev/null
	run qda review apply 1 --coder rita
	[ "$status" -eq 0 ]
	[ "$output" = "coding 1 revised: now time, as coding 5" ]
	run qda agree --coders ana,bea --format csv
	[ "$output" = "$before" ]
	# the analysis has the revision
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT n.key FROM coding c JOIN node n ON n.id = c.node_id WHERE c.id = 5")" = "time" ]
}

@test "record: a coder name with a space or accents works in --coder and in --coders" {
	qda --coder "Marie Dupont" code P01 --lines 2 trust > /dev/null
	qda --coder "Hélène" code P01 --lines 2 trust > /dev/null
	run --separate-stderr qda agree --coders "Marie Dupont,Hélène" --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
}

@test "record: a coder name with a comma is refused, naming the rule" {
	run --separate-stderr qda --coder "Dupont, Marie" code P01 --lines 2 trust
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: error: coder name 'Dupont, Marie' has a comma, which separates names in --coders A,B; choose another (qda coders lists them)" ]
	[ "$(count_rows coder)" -eq 0 ]
}

@test "undo: reverses the last coding, then the removal before it, one at a time" {
	qda code P01 --lines 2 trust > /dev/null
	qda uncode 1 > /dev/null
	qda code P01 --lines 5 doctor > /dev/null
	run qda undo
	[ "$status" -eq 0 ]
	[ "$output" = "undid log 4: coded P01 lines 5-5 [188, 252): 1 coding added (2)" ]
	[ "$(count_rows coding)" -eq 0 ]
	run qda undo
	[ "$output" = "undid log 3: removed 1 coding (1)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT id FROM coding")" = "1" ]
	run qda log --format csv
	[[ "${lines[3]}" == 4,*,5 ]]
	[[ "${lines[4]}" == 3,*,6 ]]
}

@test "undo --list shows the next change to reverse" {
	qda code P01 --lines 2 trust > /dev/null
	qda --coder bea code P01 --lines 5 doctor > /dev/null
	run qda undo --list --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "log_id,at,command,summary,undo" ]
	[[ "${lines[1]}" == 2,*,qda\ code\ P01\ --lines\ 2\ trust,*,next ]]
	[ "${#lines[@]}" -eq 2 ]
}

@test "undo: a coder's undo leaves another coder's later work alone" {
	qda code P01 --lines 2 trust > /dev/null
	qda --coder bea code P01 --lines 5 doctor > /dev/null
	run qda undo
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(k.name) FROM coding c JOIN coder k ON k.id = c.coder_id")" = "bea" ]
}

@test "undo: refused, changing nothing, when a reviewer has since reviewed the coding" {
	qda code P01 --lines 2 trust > /dev/null
	printf 'id,verdict\n1,accept\n' > sheet.csv
	qda review import sheet.csv --reviewer rita > /dev/null
	run --separate-stderr qda undo
	[ "$status" -eq 1 ]
	[[ "$stderr" == "qda undo: error: cannot undo log 2 (coded P01 lines 2-2 [52, 99)"*"later work refers to what it made: review 1 refers to a missing coding_all" ]]
	[ "$(count_rows coding)" -eq 1 ]
	[ "$(count_rows review)" -eq 1 ]
}

@test "undo: an import goes, with its search index; an autocode run goes" {
	printf 'Camille: Bonjour.\nLucie: Oui, je viens souvent.\n' > P09.txt
	qda import P09.txt > /dev/null
	run qda search souvent
	[ "${#lines[@]}" -ge 1 ]
	run qda undo
	[ "$status" -eq 0 ]
	run qda docs --format csv
	[ "${#lines[@]}" -eq 3 ]
	run qda search souvent
	[[ "$output" != *P09* ]]
	qda autocode --pattern 'temps' --code time > /dev/null
	[ "$(count_rows coding)" -gt 0 ]
	qda undo > /dev/null
	[ "$(count_rows coding)" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" 'PRAGMA integrity_check')" = "ok" ]
}

@test "undo: a theme rename and a memo are reversed" {
	qda theme rename trust "La confiance" > /dev/null
	qda memo add "une idée" > /dev/null
	qda undo > /dev/null
	[ "$(count_rows memo)" -eq 0 ]
	qda undo > /dev/null
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT name FROM node WHERE key = 'trust'")" = "Trust" ]
}

@test "undo: nothing to undo says so" {
	run --separate-stderr qda undo
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda undo: error: coder 'ana' has no change to undo (qda log shows the history)" ]
}

@test "theme move refuses to put a node under a code" {
	run --separate-stderr qda theme move care --under trust
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda theme move: error: cannot move 'care' under 'trust': 'trust' is a code, and a code holds no other node; move it under a theme or a sub-theme" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT parent_id IS NULL FROM node WHERE key = 'care'")" = "1" ]
}

@test "show --memos puts a coding's memos under the line it ends on" {
	qda code P01 --lines 2-3 trust --memo "elle insiste" > /dev/null
	qda memo add --coding 1 "à revoir" > /dev/null
	run --separate-stderr qda show P01 --memos
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "            memo: coding 1 trust (ana): elle insiste" ]
	[ "${lines[4]}" = "            memo: à revoir" ]
	run qda show P01 --memos --format csv
	[ "${lines[0]}" = "line,turn,speaker,start,end,text,codes,memos" ]
	run qda show P01
	[[ "$output" != *memo* ]]
}

@test "report: a quoted coding's memo follows the quote, outside it" {
	qda code P01 --lines 2-3 trust --memo "elle insiste" > /dev/null
	qda exemplar add 1 > /dev/null
	run --separate-stderr qda report
	[ "$status" -eq 0 ]
	[[ "$output" == *"> — Lucie (P01, patient), P01, lines 2–3"$'\n\n'"*Coder's memo (ana):* elle insiste"* ]]
	run --separate-stderr qda report --format html
	[[ "$output" == *'<p class="memo"><em>Coder'"'"'s memo (ana):</em> elle insiste</p>'* ]]
}
