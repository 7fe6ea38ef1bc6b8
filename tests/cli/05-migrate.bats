#!/usr/bin/env bats
# A project written by qda 0.1 (schema 1, tests/fixtures/migrate/v1.qda, made
# as its README says) opens in this qda: upgraded on first open, by any
# command, with every object kept.

load helper
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$FIXTURES/migrate/v1.qda" old.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/old.qda"
	unset QDA_CODER
}

@test "migrate: a v1 project opens with a read-only command and becomes the current schema" {
	[ "$(sqlite3 old.qda 'PRAGMA user_version')" = "1" ]
	run --separate-stderr qda docs --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(sqlite3 old.qda 'PRAGMA user_version')" = "6" ]
	[ "$(sqlite3 old.qda 'PRAGMA integrity_check')" = "ok" ]
	[ "$(sqlite3 old.qda 'PRAGMA foreign_key_check')" = "" ]
}

@test "migrate: every object of the v1 project is kept, with its id and GUID" {
	before=$(sqlite3 old.qda "SELECT group_concat(id || ':' || guid, ' ') FROM (SELECT id, guid FROM coding ORDER BY id)")
	docs=$(sqlite3 old.qda "SELECT group_concat(name || ':' || guid || ':' || text_hash, ' ') FROM (SELECT * FROM document ORDER BY id)")
	memos=$(sqlite3 old.qda "SELECT group_concat(id || ':' || guid || ':' || target_kind || ':' || coalesce(target_id, '') || ':' || text, '|') FROM memo")
	reviews=$(sqlite3 old.qda "SELECT group_concat(id || ':' || guid || ':' || coding_id || ':' || verdict, ' ') FROM review")
	qda status > /dev/null
	[ "$(sqlite3 old.qda "SELECT group_concat(id || ':' || guid, ' ') FROM (SELECT id, guid FROM coding_all WHERE revision_of IS NULL ORDER BY id)")" = "$before" ]
	[ "$(sqlite3 old.qda "SELECT group_concat(name || ':' || guid || ':' || text_hash, ' ') FROM (SELECT * FROM document ORDER BY id)")" = "$docs" ]
	[ "$(sqlite3 old.qda "SELECT group_concat(id || ':' || guid || ':' || target_kind || ':' || coalesce(doc_id, node_id, coding_id, case_id, '') || ':' || text, '|') FROM memo")" = "$memos" ]
	[ "$(sqlite3 old.qda "SELECT group_concat(id || ':' || guid || ':' || coding_id || ':' || verdict, ' ') FROM review")" = "$reviews" ]
	for t in cases attribute node codebook_version exemplar log speaker turn line coder; do
		[ "$(sqlite3 "$FIXTURES/migrate/v1.qda" "SELECT count(*) FROM $t")" = "$(sqlite3 old.qda "SELECT count(*) FROM $t")" ]
	done
}

@test "migrate: a v1 applied review becomes the original coding kept as revised and its revision" {
	qda status > /dev/null
	# coding 71 had marie's suggestion trust-over-weeks applied by camille over referral-at-impasse
	[ "$(sqlite3 old.qda "SELECT n.key || ' ' || c.removed_why || ' ' || k.name FROM coding_all c JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.removed_by WHERE c.id = 71")" = "referral-at-impasse revised camille" ]
	[ "$(sqlite3 old.qda "SELECT n.key || ' ' || c.state || ' ' || r.name FROM coding c JOIN node n ON n.id = c.node_id JOIN coder r ON r.id = c.revised_by WHERE c.revision_of = 71")" = "trust-over-weeks revised marie" ]
	# the current analysis has the revision, agreement the original
	[ "$(sqlite3 old.qda "SELECT count(*) FROM coding")" = "133" ]
	[ "$(sqlite3 old.qda "SELECT count(*) FROM coding_original WHERE id = 71")" = "1" ]
}

@test "migrate: memos keep their targets as references" {
	run qda memo list --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,kind,target,coder,created,text" ]
	[[ "${lines[3]}" == 3,document,P01,camille,*',"P01 was a long interview, note the silence at line 12"' ]]
	[[ "${lines[4]}" == 4,code,listening-space,camille,* ]]
	[[ "${lines[5]}" == 5,case,P01,camille,* ]]
	[[ "${lines[6]}" == 6,coding,68,camille,* ]]
}

@test "migrate: new ids follow the highest v1 id, never a removed one" {
	# v1 removed coding 75 and the combined 69; the highest id was 135 before the migration's revision (136)
	run qda --coder camille code P01 --lines 2 listening-space
	[ "$status" -eq 0 ]
	[[ "$output" == *"(coding 137)" ]]
}

@test "migrate: a project from a newer qda is refused with the advice to upgrade qda" {
	sqlite3 old.qda 'PRAGMA user_version = 7'
	run --separate-stderr qda docs
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda docs: error: $QDA_PROJECT was written by a newer qda (schema 7, this one knows 6); upgrade qda" ]
}

# tests/fixtures/migrate/v2.qda: a project written by schema 2 (its README says how).

@test "migrate: a v2 project opens with a read-only command and becomes the current schema" {
	cp "$FIXTURES/migrate/v2.qda" v2.qda
	[ "$(sqlite3 v2.qda 'PRAGMA user_version')" = "2" ]
	run --separate-stderr qda -p v2.qda docs --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(sqlite3 v2.qda 'PRAGMA user_version')" = "6" ]
	[ "$(sqlite3 v2.qda 'PRAGMA integrity_check')" = "ok" ]
	[ "$(sqlite3 v2.qda 'PRAGMA foreign_key_check')" = "" ]
	[ "$(sqlite3 v2.qda 'SELECT count(*) FROM document_language') $(sqlite3 v2.qda 'SELECT count(*) FROM stop_word')" = "0 0" ]
	[ "$(sqlite3 v2.qda 'SELECT (SELECT count(*) FROM doc_read) || (SELECT count(*) FROM summary) || (SELECT count(*) FROM translation)')" = "000" ]
}

@test "migrate: every object of the v2 project is kept, row for row" {
	cp "$FIXTURES/migrate/v2.qda" v2.qda
	tables="meta coder cases attribute document_all speaker turn line node codebook_version coding_all review memo exemplar log undo"
	for t in $tables; do
		sqlite3 v2.qda "SELECT * FROM $t ORDER BY 1, 2" > "before-$t"
	done
	[ "$(wc -l < before-coding_all)" -eq 136 ]
	[ "$(wc -l < before-memo)" -eq 6 ]
	[ "$(wc -l < before-review)" -eq 5 ]
	[ "$(wc -l < before-log)" -eq 18 ]
	run qda -p v2.qda status
	[ "$status" -eq 0 ]
	for t in $tables; do
		sqlite3 v2.qda "SELECT * FROM $t ORDER BY 1, 2" > "after-$t"
		cmp "before-$t" "after-$t"
	done
	[ "$(sqlite3 v2.qda "SELECT count(*) FROM coding")" = "133" ]
}

@test "migrate: a v2 project's documents are French by their case attribute, for --stem" {
	cp "$FIXTURES/migrate/v2.qda" v2.qda
	[ "$(sqlite3 v2.qda "SELECT group_concat(value) FROM attribute WHERE key = 'language'")" = "fr,fr,fr,fr" ]
	run --separate-stderr qda -p v2.qda search --stem ecoute --format json
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 2 hits in 2 documents" ]
	[ "$(echo "$output" | jq -r '[.[].match] | join(" ")')" = "écoute écoutait" ]
}

# tests/fixtures/migrate/v3.qda: a project written by schema 3 (its README says how).

@test "migrate: a v3 project opens with a read-only command and becomes the current schema" {
	cp "$FIXTURES/migrate/v3.qda" v3.qda
	[ "$(sqlite3 v3.qda 'PRAGMA user_version')" = "3" ]
	run --separate-stderr qda -p v3.qda docs --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(sqlite3 v3.qda 'PRAGMA user_version')" = "6" ]
	[ "$(sqlite3 v3.qda 'PRAGMA integrity_check')" = "ok" ]
	[ "$(sqlite3 v3.qda 'PRAGMA foreign_key_check')" = "" ]
	[ "$(sqlite3 v3.qda 'SELECT (SELECT count(*) FROM doc_read) || (SELECT count(*) FROM summary) || (SELECT count(*) FROM translation)')" = "000" ]
}

@test "migrate: every object of the v3 project is kept, row for row" {
	cp "$FIXTURES/migrate/v3.qda" v3.qda
	tables="meta coder cases attribute document_all document_language stop_word speaker turn line node codebook_version coding_all review memo exemplar log undo"
	for t in $tables; do
		sqlite3 v3.qda "SELECT * FROM $t ORDER BY 1, 2" > "before-$t"
	done
	[ "$(wc -l < before-coding_all)" -eq 135 ]
	[ "$(wc -l < before-memo)" -eq 6 ]
	[ "$(wc -l < before-log)" -eq 15 ]
	[ "$(cat before-document_language)" = "4|en" ]
	[ "$(cat before-stop_word)" = "euh|1" ]
	run qda -p v3.qda status
	[ "$status" -eq 0 ]
	for t in $tables; do
		sqlite3 v3.qda "SELECT * FROM $t ORDER BY 1, 2" > "after-$t"
		cmp "before-$t" "after-$t"
	done
}

@test "migrate: a v3 project takes reads, summaries and translations at once" {
	cp "$FIXTURES/migrate/v3.qda" v3.qda
	run --separate-stderr qda -p v3.qda --coder camille read P01
	[ "$status" -eq 0 ]
	[ "$output" = "P01 read by camille" ]
	run --separate-stderr qda -p v3.qda --coder camille summary set P01 listening-space "Time given, not taken"
	[ "$status" -eq 0 ]
	run --separate-stderr qda -p v3.qda --coder camille translate 68 --lang en "A translation"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 v3.qda 'SELECT (SELECT count(*) FROM doc_read) || (SELECT count(*) FROM summary) || (SELECT count(*) FROM translation)')" = "111" ]
}

@test "migrate: an SQLite database that is not a qda project is refused, by a write or a read command, and left as it was" {
	sqlite3 notes.db 'CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES (1);'
	before=$(cksum < notes.db)
	printf 'Ann: hello\n' > t.txt
	run --separate-stderr qda -p notes.db import t.txt
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda import: error: notes.db is an SQLite database but not a qda project (it has tables of its own and no qda schema); name the project with -p FILE, or create one with 'qda init'" ]
	run --separate-stderr qda -p notes.db docs
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda docs: error: notes.db is an SQLite database but not a qda project (it has tables of its own and no qda schema); name the project with -p FILE, or create one with 'qda init'" ]
	[ "$(cksum < notes.db)" = "$before" ]
	[ "$(sqlite3 notes.db "SELECT group_concat(name) FROM sqlite_master")" = "notes" ]
	[ ! -e notes.db-wal ]
}

@test "migrate: an empty file is refused, not made a project" {
	: > empty.qda
	run --separate-stderr qda -p empty.qda memo add --coder ann "a thought"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda memo add: error: empty.qda is empty, not a qda project; create one with 'qda init empty.qda' (after removing the empty file), or name the project with -p FILE" ]
	[ ! -s empty.qda ]
	run --separate-stderr qda -p empty.qda docs
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda docs: error: empty.qda is empty, not a qda project; create one with 'qda init empty.qda' (after removing the empty file), or name the project with -p FILE" ]
	[ ! -s empty.qda ]
}

@test "migrate: a project from a newer qda is refused by a write command too, unchanged" {
	sqlite3 old.qda 'PRAGMA user_version = 8'
	before=$(cksum < old.qda)
	run --separate-stderr qda --coder ann memo add "a thought"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda memo add: error: $QDA_PROJECT was written by a newer qda (schema 8, this one knows 6); upgrade qda" ]
	[ "$(cksum < old.qda)" = "$before" ]
}

@test "migrate: an older project that cannot be written says it needs upgrading and how" {
	# root writes a file of mode 400 all the same
	[ "$(id -u)" -ne 0 ] || skip "needs a user that file modes bind (run as root)"
	chmod 400 old.qda
	run --separate-stderr qda docs
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda docs: error: $QDA_PROJECT was written by an older qda (schema 1); it is upgraded to schema 2 when opened, which needs write access: make it writable (chmod u+w) and run the command again" ]
	[ "$(sqlite3 old.qda 'PRAGMA user_version')" = "1" ]
}

# tests/fixtures/migrate/v4.qda: a project written by schema 4 (its README says how).

@test "migrate: a v4 project opens with a read-only command and becomes the current schema, with no account" {
	cp "$FIXTURES/migrate/v4.qda" v4.qda
	[ "$(sqlite3 v4.qda 'PRAGMA user_version')" = "4" ]
	run --separate-stderr qda -p v4.qda docs --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(sqlite3 v4.qda 'PRAGMA user_version')" = "6" ]
	[ "$(sqlite3 v4.qda 'PRAGMA integrity_check')" = "ok" ]
	[ "$(sqlite3 v4.qda 'PRAGMA foreign_key_check')" = "" ]
	[ "$(sqlite3 v4.qda 'SELECT count(*) FROM user')" = "0" ]
}

@test "migrate: every object of the v4 project is kept, row for row" {
	cp "$FIXTURES/migrate/v4.qda" v4.qda
	tables="meta coder cases attribute document_all document_language stop_word speaker turn line node codebook_version coding_all review memo exemplar log undo doc_read summary translation"
	for t in $tables; do
		sqlite3 v4.qda "SELECT * FROM $t ORDER BY 1, 2" > "before-$t"
	done
	[ "$(wc -l < before-coding_all)" -eq 135 ]
	[ "$(wc -l < before-review)" -eq 2 ]
	[ "$(wc -l < before-log)" -eq 12 ]
	[ "$(wc -l < before-doc_read) $(wc -l < before-summary) $(wc -l < before-translation)" = "1 1 1" ]
	run qda -p v4.qda status
	[ "$status" -eq 0 ]
	for t in $tables; do
		sqlite3 v4.qda "SELECT * FROM $t ORDER BY 1, 2" > "after-$t"
		cmp "before-$t" "after-$t"
	done
}

@test "migrate: a v4 project takes accounts at once, and its dispute is still listed" {
	cp "$FIXTURES/migrate/v4.qda" v4.qda
	run --separate-stderr qda -p v4.qda user add marie --role reviewer <<< 'relecture-2024'
	[ "$status" -eq 0 ]
	[ "$output" = "added account marie (reviewer)" ]
	run --separate-stderr qda -p v4.qda user list --format csv
	[[ "${lines[1]}" == marie,reviewer,* ]]
	run --separate-stderr qda -p v4.qda review status --disputes --format csv
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == 72,* ]]
}

# tests/fixtures/migrate/v5.qda: a project written by schema 5 (its README says how).

@test "migrate: a v5 project opens with a read-only command and becomes the current schema, with its accounts" {
	cp "$FIXTURES/migrate/v5.qda" v5.qda
	[ "$(sqlite3 v5.qda 'PRAGMA user_version')" = "5" ]
	run --separate-stderr qda -p v5.qda docs --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(sqlite3 v5.qda 'PRAGMA user_version')" = "6" ]
	[ "$(sqlite3 v5.qda 'PRAGMA integrity_check')" = "ok" ]
	[ "$(sqlite3 v5.qda 'PRAGMA foreign_key_check')" = "" ]
	[ "$(sqlite3 v5.qda 'SELECT name, role FROM user ORDER BY id' | tr '\n' ' ')" = "marie|reviewer ana|coder " ]
}

@test "migrate: every row of the v5 project is kept; its coding indexes now cover what counting reads" {
	cp "$FIXTURES/migrate/v5.qda" v5.qda
	tables="meta coder cases attribute document_all document_language stop_word speaker turn line node codebook_version coding_all review memo exemplar log undo doc_read summary translation user"
	for t in $tables; do
		sqlite3 v5.qda "SELECT * FROM $t ORDER BY 1, 2" > "before-$t"
	done
	[ "$(wc -l < before-coding_all)" -eq 135 ]
	[ "$(wc -l < before-review)" -eq 2 ]
	[ "$(wc -l < before-log)" -eq 14 ]
	run --separate-stderr qda -p v5.qda freq --format csv
	[ "$status" -eq 0 ]
	for t in $tables; do
		sqlite3 v5.qda "SELECT * FROM $t ORDER BY 1, 2" > "after-$t"
		cmp "before-$t" "after-$t"
	done
	[ "$(sqlite3 v5.qda "SELECT sql FROM sqlite_master WHERE name = 'coding_doc'")" = "CREATE INDEX coding_doc ON coding_all(doc_id, start, end, node_id, coder_id, removed_at) WHERE removed_at IS NULL" ]
	[ "$(sqlite3 v5.qda "EXPLAIN QUERY PLAN SELECT doc_id, node_id, start, end FROM coding ORDER BY doc_id, start" | grep -c 'COVERING INDEX coding_doc')" -eq 1 ]
	[ "$(sqlite3 v5.qda "EXPLAIN QUERY PLAN SELECT doc_id, start, end FROM coding WHERE node_id = 3" | grep -c 'COVERING INDEX coding_node')" -eq 1 ]
}

@test "migrate: a v5 project counts as it did before the upgrade" {
	cp "$FIXTURES/migrate/v5.qda" v5.qda
	run --separate-stderr qda -p v5.qda freq --level all --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	assert_golden migrate-v5-freq.csv
	run --separate-stderr qda -p v5.qda review status --disputes --format csv
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == 72,* ]]
	run --separate-stderr qda -p v5.qda user list --format csv
	[ "${#lines[@]}" -eq 3 ]
}
