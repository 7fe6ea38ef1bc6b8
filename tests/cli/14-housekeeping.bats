#!/usr/bin/env bats
# Housekeeping a real project needs: doc remove|rename, speaker role, case
# remove|rename, coder rename (--merge), coders, case import's report and
# --create, names with spaces and accents in agree --coders.
#
# P01 (tests/fixtures/coding) has turns 1 and 3 by Camille (lines 1 and 4)
# and 2 and 4 by Lucie (lines 2-3 and 5); P02 has Camille then Dr Martin.
# Both are imported without --interviewer: Camille is a participant until
# 'qda speaker role' says otherwise.

bats_require_minimum_version 1.5.0

load helper

setup() {
	new_project
	cp "$FIXTURES"/coding/P01.txt "$FIXTURES"/coding/P02.txt .
	qda import P01.txt P02.txt > /dev/null
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/coding/project.sql"
	export QDA_CODER=ana
}

last_log() {
	sqlite3 "$QDA_PROJECT" "SELECT coalesce(coder, '') || '|' || summary FROM log ORDER BY id DESC LIMIT 1"
}

# ---- doc remove ----

@test "doc remove: refused while the document has codings, naming how many and what --force does" {
	qda code P01 --lines 2-3 trust > /dev/null
	QDA_CODER=bob qda code P01 --lines 5 doctor > /dev/null
	run --separate-stderr qda doc remove P01
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda doc remove: error: P01 has 2 codings (ana 1, bob 1); nothing was removed. With --force its codings go with it, as codings are removed: marked removed, their history kept" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM document")" -eq 2 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM coding")" -eq 2 ]
}

@test "doc remove --force marks the document and its codings removed, by the current coder, and logs both coders" {
	qda code P01 --lines 2-3 trust > /dev/null
	QDA_CODER=bob qda code P01 --lines 5 doctor > /dev/null
	qda code P02 --lines 2 time > /dev/null
	run --separate-stderr qda doc remove P01 --force
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "removed document P01 with its 2 codings (ana 1, bob 1)" ]
	[ "$(last_log)" = "ana|document P01 removed with its 2 codings (ana 1, bob 1)" ]
	run sqlite3 "$QDA_PROJECT" "SELECT d.name, k.name, d.removed_at IS NOT NULL FROM document_all d JOIN coder k ON k.id = d.removed_by"
	[ "$output" = "P01|ana|1" ]
	run sqlite3 "$QDA_PROJECT" "SELECT c.id, c.removed_why, k.name FROM coding_all c JOIN coder k ON k.id = c.removed_by ORDER BY c.id"
	[ "$output" = "1|document removed|ana
2|document removed|ana" ]
	run qda codings --format csv
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == 3,P02,2-2,56,99,time,ana,* ]]
}

@test "doc remove: the document leaves docs, counts and search; memos keep their target" {
	qda code P01 --lines 4 doctor > /dev/null
	qda memo add --doc P01 "first interview" > /dev/null
	qda doc remove --force P01 > /dev/null
	run qda docs --format csv
	[ "$output" = "name,case,role,format,turns,words,lines,speakers,read_by
P02,P02,,txt,2,22,3,\"Camille, Dr Martin\"," ]
	run qda cases --format csv
	[ "$output" = "case,documents
P01,0
P02,1" ]
	run qda freq --level theme --format csv
	[ "${lines[2]}" = "Care system,care,theme,,0,0,0" ]
	run --separate-stderr qda search médecin
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda search: no match for médecin" ]
	run qda memo list --format csv
	[[ "${lines[1]}" == 1,document,P01,ana,*,first\ interview ]]
	run --separate-stderr qda show P01
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda show: error: no document 'P01'; 'qda docs' lists them" ]
}

@test "doc remove: a document without codings needs no coder; an unknown one gets the nearest names" {
	unset QDA_CODER
	run --separate-stderr qda doc remove P02
	[ "$status" -eq 0 ]
	[ "$output" = "removed document P02" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT removed_by IS NULL FROM document_all WHERE name = 'P02'")" = "1" ]
	[ "$(last_log)" = "|document P02 removed" ]
	run --separate-stderr qda doc remove P0l
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda doc remove: error: no document 'P0l'; did you mean 'P01'? (see qda docs)" ]
}

@test "doc remove --force needs a coder when codings go" {
	qda code P01 --lines 2 trust > /dev/null
	unset QDA_CODER
	run --separate-stderr qda doc remove P01 --force
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda doc remove: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM document")" -eq 2 ]
}

@test "doc remove: the same text imports again afterwards, as a new document" {
	qda code P01 --lines 2-3 trust > /dev/null
	qda doc remove P01 --force > /dev/null
	run --separate-stderr qda import P01.txt
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "imported P01.txt as P01 (txt): 4 turns, 2 speakers, 42 words" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(id || ':' || (removed_at IS NULL), ' ') FROM document_all WHERE name = 'P01'")" = "1:0 3:1" ]
	run --separate-stderr qda search médecin --format csv
	[ "$stderr" = "qda search: 2 hits in 1 document" ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == P01,P01,4,* ]]
	run qda codings --format csv
	[ "${#lines[@]}" -eq 1 ]
}

@test "doc remove: usage errors exit 2" {
	run --separate-stderr qda doc remove
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda doc remove: error: which document? 'qda docs' lists them
Try 'qda doc remove --help'." ]
	run --separate-stderr qda doc
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "usage: qda doc VERB [options]" ]
}

# ---- doc rename ----

@test "doc rename: a new name for a document; its codings and case follow" {
	qda code P01 --lines 2 trust > /dev/null
	run --separate-stderr qda doc rename P01 Lucie
	[ "$status" -eq 0 ]
	[ "$output" = "renamed document P01 to Lucie" ]
	[ "$(last_log)" = "ana|document P01 renamed Lucie" ]
	run qda docs --format csv
	[ "${lines[1]}" = "Lucie,P01,,txt,4,42,5,\"Camille, Lucie\"," ]
	run qda codings --format csv
	[[ "${lines[1]}" == 1,Lucie,2-2,* ]]
}

@test "doc rename: a name a current document has is refused, naming it; a removed one's is free" {
	run --separate-stderr qda doc rename P01 P02
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda doc rename: error: document P02 (from P02.txt) already has that name; choose another (qda docs lists them)" ]
	qda doc remove P02 > /dev/null
	run --separate-stderr qda doc rename P01 P02
	[ "$status" -eq 0 ]
	[ "$output" = "renamed document P01 to P02" ]
}

@test "doc rename: a name must be usable" {
	run --separate-stderr qda doc rename P01 " P1"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda doc rename: error: document name ' P1' starts or ends with a space; choose another" ]
	run --separate-stderr qda doc rename P01 P01
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda doc rename: error: P01 is already named so; nothing changed" ]
}

# ---- speaker role ----

@test "speaker role: a missed --interviewer set after import, and what it changes" {
	qda code P01 --lines 4 doctor > /dev/null
	qda code P01 --lines 5 doctor > /dev/null
	run qda freq --level theme --format csv
	[ "${lines[2]}" = "Care system,care,theme,,2,1,1" ]
	run --separate-stderr qda speaker role P01 Camille interviewer
	[ "$status" -eq 0 ]
	[ "$output" = "P01: Camille is now interviewer (was participant), 2 turns; codings lying in interviewer turns leave the counts unless --include-interviewer" ]
	[ "$(last_log)" = "ana|speaker Camille of P01: participant -> interviewer" ]
	run qda speakers P01 --format csv
	[ "${lines[1]}" = "Camille,interviewer,2,1" ]
	run qda freq --level theme --format csv
	[ "${lines[2]}" = "Care system,care,theme,,1,1,1" ]
	run --separate-stderr qda speaker role P01 Camille participant
	[ "$output" = "P01: Camille is now participant (was interviewer), 2 turns" ]
}

@test "speaker role: no change is said and not logged" {
	run --separate-stderr qda speaker role P02 "Dr Martin" participant
	[ "$status" -eq 0 ]
	[ "$output" = "P02: Dr Martin is already participant; nothing changed" ]
	[ "$(last_log)" = "|2 documents imported (6 turns, 64 words), 0 skipped" ]
}

@test "speaker role: an unknown speaker names the document's speakers; a bad role is a usage error" {
	run --separate-stderr qda speaker role P01 Camile interviewer
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda speaker role: error: no speaker 'Camile' in P01; its speakers are Camille, Lucie" ]
	run --separate-stderr qda speaker role P01 Camille moderator
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda speaker role: error: the role is interviewer or participant, not 'moderator'
Try 'qda speaker role --help'." ]
}

@test "speaker and speakers: a verb that is not one points to the listing; a typo of a command is suggested" {
	run --separate-stderr qda speaker P01
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda speaker: error: unknown verb 'P01'; the verbs are: role ('qda speakers DOC' lists the speakers)
Try 'qda speaker --help'." ]
	run --separate-stderr qda speeker
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda: error: 'speeker' is not a qda command; did you mean 'speaker' or 'speakers'? ('qda help' lists them)" ]
	run --separate-stderr qda help
	[[ "$output" == *"  speaker    change a speaker's role after import: speaker role"* ]]
}

# ---- case remove | rename ----

@test "case remove: refused while a current document belongs to the case" {
	run --separate-stderr qda case remove P01
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case remove: error: case P01 still has 1 document (P01); remove it first (qda doc remove P01) or keep the case" ]
}

@test "case remove: refused while memos refer to the case" {
	qda memo add --case P02 "sceptique" > /dev/null
	qda doc remove P02 > /dev/null
	run --separate-stderr qda case remove P02
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case remove: error: case P02 has 1 memo (memo 1); memos keep their targets, so the case stays (qda memo list --case P02 shows them)" ]
}

@test "case remove: a case whose documents were removed goes, with its attributes" {
	qda case set P01 role=patient > /dev/null
	qda doc remove P01 > /dev/null
	run --separate-stderr qda case remove P01
	[ "$status" -eq 0 ]
	[ "$output" = "removed case P01 (1 attribute); 1 removed document no longer names a case" ]
	[ "$(last_log)" = "ana|case P01 removed" ]
	run qda cases --format csv
	[ "$output" = "case,documents
P02,1" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM attribute")" -eq 0 ]
	run --separate-stderr qda case remove P01
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case remove: error: no case 'P01'; did you mean 'P02'? (see qda cases)" ]
}

@test "case rename: the documents follow; a taken name is refused" {
	run --separate-stderr qda case rename P01 Lucie
	[ "$status" -eq 0 ]
	[ "$output" = "renamed case P01 to Lucie" ]
	[ "$(last_log)" = "ana|case P01 renamed Lucie" ]
	run qda docs --format csv
	[ "${lines[1]}" = "P01,Lucie,,txt,4,42,5,\"Camille, Lucie\"," ]
	run --separate-stderr qda case rename Lucie P02
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda case rename: error: case P02 already has that name; choose another (qda cases lists them)" ]
}

# ---- case import ----

@test "case import: a row naming no case of the project is refused unless --create" {
	printf 'case,role\nP01,patient\nP03,relative\nP0 2,clinician\n' > cases.csv
	run --separate-stderr qda case import cases.csv
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda case import: cases.csv:3: error: no case 'P03' in the project (no document belongs to it); did you mean 'P01' or 'P02'? --create makes it
qda case import: cases.csv:4: error: no case 'P0 2' in the project (no document belongs to it); did you mean 'P02' or 'P01'? --create makes it
qda case import: error: 2 rows of cases.csv name cases not in the project; nothing was changed (correct the names, or add --create to make new cases)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM attribute")" -eq 0 ]
}

@test "case import says which cases it created, updated and left unchanged" {
	qda case set P02 role=clinician > /dev/null
	printf 'case,role\nP01,patient\nP03,relative\nP02,clinician\n' > cases.csv
	run --separate-stderr qda case import --create cases.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "created 1 case: P03
updated 1 case: P01
unchanged 1 case: P02
attributes set for 3 cases from cases.csv: 1 created, 1 updated, 1 unchanged" ]
	[ "$(last_log)" = "ana|attributes set for 3 cases from cases.csv: 1 created, 1 updated, 1 unchanged" ]
	run qda cases --format csv
	[ "${lines[3]}" = "P03,0,relative" ]
}

# ---- coders, coder rename ----

fix_times() {
	sqlite3 "$QDA_PROJECT" "UPDATE coding_all SET created = '2026-03-0' || id || 'T10:00:00Z';
		UPDATE coding_all SET removed_at = '2026-03-09T11:00:00.250Z' WHERE removed_at IS NOT NULL;
		UPDATE memo SET created = '2026-03-05T09:00:00Z'; UPDATE review SET created = '2026-03-08T09:00:00Z';
		UPDATE coder SET created = '2026-03-01T08:00:00Z'"
}

@test "coders lists each coder's codings, removed codings, reviews, memos and activity" {
	qda code P01 --lines 2 trust > /dev/null
	qda code P01 --lines 3 time > /dev/null
	QDA_CODER=bob qda code P02 --lines 2 time > /dev/null
	qda uncode 2 > /dev/null
	qda memo add "note" > /dev/null
	sqlite3 "$QDA_PROJECT" "INSERT INTO review(coding_id, reviewer_id, verdict) VALUES (1, 2, 'accept')"
	fix_times
	run --separate-stderr qda coders --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "name,codings,removed,reviews,memos,first,last
ana,1,1,0,1,2026-03-01T08:00:00Z,2026-03-09T11:00:00Z
bob,1,0,1,0,2026-03-01T08:00:00Z,2026-03-08T09:00:00Z" ]
	run qda coders --format json
	printf '%s\n' "$output" | jq -e '.[1].name == "bob" and .[1].reviews == 1 and .[0].last == "2026-03-09T11:00:00Z"'
	run qda coders
	[ "${lines[0]}" = "name  codings  removed  reviews  memos  first                 last" ]
}

@test "coders warns about names that look like one person" {
	QDA_CODER=Alice qda code P01 --lines 2 trust > /dev/null
	QDA_CODER=Alice qda code P01 --lines 3 trust > /dev/null
	QDA_CODER=alice qda code P01 --lines 2 time > /dev/null
	QDA_CODER="Émilie" qda code P02 --lines 2 time > /dev/null
	QDA_CODER="Emilie" qda code P02 --lines 3 time > /dev/null
	QDA_CODER="Marie Dupont" qda code P02 --lines 3 trust > /dev/null
	QDA_CODER="Marie Dupond" qda code P02 --lines 2 trust > /dev/null
	run --separate-stderr qda coders --format csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 7 ]
	[ "$stderr" = "qda coders: warning: coders 'Alice' and 'alice' look like one person (the same name but for case and accents); if so, make them one with: qda coder rename alice Alice --merge
qda coders: warning: coders 'Emilie' and 'Émilie' look like one person (the same name but for case and accents); if so, make them one with: qda coder rename Emilie Émilie --merge
qda coders: warning: coders 'Marie Dupond' and 'Marie Dupont' look like one person (one letter apart); if so, make them one with: qda coder rename 'Marie Dupond' 'Marie Dupont' --merge" ]
}

@test "coder rename: a new name for a coder; codings, memos and agreement follow" {
	qda code P01 --lines 2 trust > /dev/null
	run --separate-stderr qda coder rename ana "Ana Lopes"
	[ "$status" -eq 0 ]
	[ "$output" = "renamed coder ana to Ana Lopes" ]
	[ "$(last_log)" = "ana|coder ana renamed Ana Lopes" ]
	run qda codings --format csv
	[[ "${lines[1]}" == 1,P01,2-2,52,99,trust,Ana\ Lopes,* ]]
}

@test "coder rename: a taken name is refused without --merge; a bad name is refused with the rule" {
	qda code P01 --lines 2 trust > /dev/null
	QDA_CODER=bob qda code P01 --lines 3 trust > /dev/null
	run --separate-stderr qda coder rename ana bob
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda coder rename: error: coder 'bob' already exists; if ana and bob are one person, add --merge: ana's codings, reviews and memos become bob's" ]
	run --separate-stderr qda coder rename ana "a,b"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda coder rename: error: coder name 'a,b' has a comma, which separates names in --coders A,B; choose another" ]
	run --separate-stderr qda coder rename anna Ana
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda coder rename: error: no coder 'anna'; did you mean 'ana'? (see qda coders)" ]
}

@test "coder rename --merge folds one coder into the other; a coding both made stays once" {
	QDA_CODER=alice qda code P01 --lines 2 trust > /dev/null
	QDA_CODER=alice qda code P01 --lines 3 time > /dev/null
	QDA_CODER=alice qda memo add "idée" > /dev/null
	QDA_CODER=Alice qda code P01 --lines 2 trust > /dev/null
	run --separate-stderr qda coder rename alice Alice --merge
	[ "$status" -eq 0 ]
	[ "$output" = "merged coder alice into Alice: 2 codings (1 Alice had made too, removed as merged), 0 reviews, 1 memo" ]
	[ "$(last_log)" = "ana|coder alice merged into Alice: 2 codings, 0 reviews, 1 memo" ]
	run qda codings --format csv
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == 3,P01,2-2,52,99,trust,Alice,* ]]
	[[ "${lines[2]}" == 2,P01,3-3,100,143,time,Alice,* ]]
	run sqlite3 "$QDA_PROJECT" "SELECT c.id, k.name, c.removed_why FROM coding_all c JOIN coder k ON k.id = c.coder_id WHERE c.removed_at IS NOT NULL"
	[ "$output" = "1|Alice|merged" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(name, ',') FROM (SELECT name FROM coder ORDER BY name)")" = "Alice,ana" ]
	run qda memo list --format csv
	[[ "${lines[1]}" == 1,project,,Alice,* ]]
}

# ---- agree --coders ----

@test "agree --coders takes any name --coder takes: spaces inside, accents, spaces around commas" {
	export QDA_PROJECT="$BATS_TEST_TMPDIR/agree.qda"
	qda init "$QDA_PROJECT" > /dev/null
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/agree/project.sql"
	qda coder rename alice "Marie Dupont" > /dev/null
	qda coder rename bob "Élodie" > /dev/null
	run --separate-stderr qda agree --coders " Marie Dupont , Élodie " --code k
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "  k   D1         1000  150  100    50      800      85.00  0.318                            25.00     1000  " ]
	run --separate-stderr qda agree --coders "Marie Dupont,,Élodie"
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda agree: error: --coders has an empty name between commas: 'Marie Dupont,,Élodie'
Try 'qda agree --help'." ]
	run --separate-stderr qda agree --coders "Marie Dupont,carol"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda agree: warning: 3 documents coded by only some of the coders are left out (--doc D compares one anyway)
qda agree: error: nothing to compare: no document was coded by Marie Dupont,carol" ]
}
