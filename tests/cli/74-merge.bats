#!/usr/bin/env bats
# qda merge: a co-coder who worked on a copy of the project comes back.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
	cp "$QDA_PROJECT" copy.qda
	sqlite3 copy.qda "INSERT INTO coder(name) VALUES ('carol');
		INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)
		SELECT 1, 3, id, 0, 12, 1, 1 FROM coder WHERE name = 'carol'"
}

@test "merge brings the co-coder's codings, and twice adds nothing" {
	run qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "merged copy.qda: 4 documents matched" ]
	[ "${lines[1]}" = "  codings: 1 added, 8 already here, 0 skipped" ]
	[ "${lines[2]}" = "  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	run qda merge copy.qda
	[ "${lines[1]}" = "  codings: 0 added, 9 already here, 0 skipped" ]
	[ "$(count_rows coding)" -eq 9 ]
}

@test "merge reports a document with the same name and other text" {
	sqlite3 copy.qda "UPDATE document_all SET text = 'autre', text_hash = 'other' WHERE name = 'D1'"
	run qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qda merge: copy.qda:D1: warning: a document named 'D1' is here with different text; its 5 codings were not merged (import the other version under another name with --name to compare)" ]
	[ "${lines[2]}" = "  codings: 0 added, 4 already here, 5 skipped" ]
}

@test "merge refuses a file that is not a project" {
	echo "hello" > notes.qda
	run qda merge notes.qda
	[ "$status" -eq 1 ]
	[[ "$output" == "qda merge: notes.qda: error: cannot open it: "* || "$output" == "qda merge: notes.qda: error: is not a qda project" ]]
	[ "$(count_rows coding)" -eq 8 ]
}

@test "merge refuses the project itself" {
	run qda merge "$QDA_PROJECT"
	[ "$status" -eq 1 ]
	[ "$output" = "qda merge: $QDA_PROJECT: error: is this project itself; give the co-coder's copy" ]
}

# The code (id) and coder of carol's codings in this project, one per line.
carol_codes() {
	sqlite3 "$QDA_PROJECT" "SELECT n.key FROM coding c JOIN node n ON n.id = c.node_id
		JOIN coder k ON k.id = c.coder_id WHERE k.name = 'carol' ORDER BY c.id"
}

# The fixture's codebook without code a (codebook load drops it).
without_a() {
	cat > no-a.yaml <<'YAML'
codebook: T
themes:
  - id: t
    name: Theme T
    subthemes:
      - id: s
        name: Sub S
        codes:
          - id: b
            name: Code b
    codes:
      - id: c
        name: Code c
  - id: u
    name: Theme U
    codes:
      - id: uu
        name: Code uu
YAML
}

@test "merge: a code merged here takes the copy's codings; it is not re-created" {
	qda --coder alice theme merge a --into b > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind    code  detail
mapped  a     a -> b: merged into b here (codebook version 1); 1 new coding
merged copy.qda: 4 documents matched
  codings: 1 added, 8 already here, 0 skipped
  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	[ "$stderr" = "" ]
	[ "$(carol_codes)" = "b" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM node WHERE key = 'a' AND retired = 0")" -eq 0 ]
}

@test "merge: a chain of merges here is followed to the current code" {
	qda --coder alice theme merge a --into b > /dev/null
	qda --coder alice theme merge b --into c > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "mapped  a     a -> c: merged into b here (codebook version 1), then into c (codebook version 2); 1 new coding" ]
	[ "$(carol_codes)" = "c" ]
}

@test "merge: a renamed code keeps the copy's codings, whatever its name" {
	qda --coder alice theme rename a "Trust over time" > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "kind    code  detail" ]
	[ "${lines[1]}" = "mapped  a     a -> a: renamed here, 'Code a' -> 'Trust over time'; 1 new coding" ]
	[ "${lines[3]}" = "  codings: 1 added, 8 already here, 0 skipped" ]
	[ "$(carol_codes)" = "a" ]
	[ "$(count_rows node)" -eq 7 ]
}

@test "merge: a code whose id changed here is found by its GUID" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET key = 'trust' WHERE key = 'a'"
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "mapped  a     a -> trust: the same code (GUID) under another id here; 1 new coding" ]
	[ "$(carol_codes)" = "trust" ]
	[ "$(count_rows node)" -eq 7 ]
}

@test "merge: a moved code keeps the copy's codings" {
	qda --coder alice theme move a --under u > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "mapped  a     a -> a: moved here, s -> u; 1 new coding" ]
	[ "$(carol_codes)" = "a" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT p.key FROM node n JOIN node p ON p.id = n.parent_id WHERE n.key = 'a'")" = "u" ]
}

@test "merge: a code the copy added comes under its parent, or the parent's successor here" {
	sqlite3 copy.qda "INSERT INTO node(key, parent_id, kind, name, in_vivo) VALUES ('vivo', 2, 'code', 'in vivo', 1);
		INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)
		SELECT 4, (SELECT id FROM node WHERE key = 'vivo'), id, 0, 2, 1, 1 FROM coder WHERE name = 'carol'"
	qda --coder alice theme merge s --into t > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind    code  detail
mapped  s     s -> t: merged into t here (codebook version 1); no new coding
added   vivo  code 'in vivo' under t (under s in the copy); 1 new coding
merged copy.qda: 4 documents matched
  codings: 2 added, 8 already here, 0 skipped
  coders added: 1; codes added: 1; reviews: 0; memos: 0" ]
	[ "$(carol_codes)" = "a
vivo" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT p.key || ' ' || n.in_vivo FROM node n JOIN node p ON p.id = n.parent_id WHERE n.key = 'vivo'")" = "t 1" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT changes FROM codebook_version ORDER BY id DESC LIMIT 1")" = '[{"change": "added", "id": "vivo", "detail": "code '"'in vivo'"' under t"}]' ]
}

@test "merge: a code removed here with no successor is a conflict; its codings are named, not merged" {
	without_a
	qda --coder alice codebook load no-a.yaml --retire > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind      code  detail
conflict  a     removed here with no successor (codebook version 1); 1 coding not merged: in the copy, merge it into a current code (qda theme merge a --into CODE), then merge again
merged copy.qda: 4 documents matched
  codings: 0 added, 8 already here, 1 skipped
  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	[ "$(carol_codes)" = "" ]
}

@test "merge: a code made separately under an id that is another kind here is a conflict" {
	sqlite3 "$QDA_PROJECT" "INSERT INTO node(key, kind, name, position) VALUES ('vivo', 'theme', 'Vivo', 2)"
	sqlite3 copy.qda "INSERT INTO node(key, parent_id, kind, name, in_vivo) VALUES ('vivo', 2, 'code', 'in vivo', 1);
		UPDATE coding_all SET node_id = (SELECT id FROM node WHERE key = 'vivo') WHERE id = 9"
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "conflict  vivo  a code in the copy, a theme here, made separately under the same id; 1 coding not merged: in the copy, give it another id (qda theme merge vivo --into NEW-ID), then merge again" ]
	[ "${lines[3]}" = "  codings: 0 added, 8 already here, 1 skipped" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT kind FROM node WHERE key = 'vivo'")" = "theme" ]
}

@test "merge: renames and removals made in the copy are reported, the codebook here kept" {
	qda -p copy.qda --coder carol theme rename b "Code B" > /dev/null
	qda -p copy.qda --coder carol theme merge uu --into c > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind          code  detail
copy-renamed  b     renamed in the copy (its codebook version 1): 'Code B' there, 'Code b' here
copy-removed  uu    merged into c in the copy (its codebook version 2), still here: qda theme merge uu --into c does it here
merged copy.qda: 4 documents matched
  codings: 1 added, 8 already here, 0 skipped
  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT name FROM node WHERE key = 'b'")" = "Code b" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT retired FROM node WHERE key = 'uu'")" = "0" ]
}

@test "merge: codes the copy's codebook load removed are reported" {
	cat > copy.yaml <<'YAML'
codebook: T
themes:
  - id: t
    name: Theme T
    subthemes:
      - id: s
        name: Sub S
        codes:
          - id: b
            name: Code b
    codes:
      - id: c
        name: Code c
  - id: u
    name: Theme U
YAML
	qda -p copy.qda --coder carol codebook load copy.yaml --retire > /dev/null
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind          code  detail
copy-removed  a     removed in the copy (its codebook version 1), still here
copy-removed  uu    removed in the copy (its codebook version 1), still here
merged copy.qda: 4 documents matched
  codings: 1 added, 8 already here, 0 skipped
  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	[ "$(carol_codes)" = "a" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM node WHERE key IN ('a', 'uu') AND retired = 0")" -eq 2 ]
}

@test "merge: codings removed in the copy are not merged; those current here are named" {
	sqlite3 copy.qda "UPDATE coding_all SET removed_at = '2024-05-01T10:00:00Z', removed_why = 'uncode',
		removed_by = (SELECT id FROM coder WHERE name = 'carol') WHERE id IN (1, 9)"
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind          code  detail
copy-uncoded  a     coding 1 (D1 line 1, alice) removed in the copy (uncode, by carol), current here: qda uncode 1 removes it
merged copy.qda: 4 documents matched
  codings: 0 added, 7 already here, 0 skipped
  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	[ "$(carol_codes)" = "" ]
	[ "$(count_rows coding)" -eq 8 ]
}

@test "merge --dry-run shows the whole report and changes nothing" {
	qda --coder alice theme merge a --into b > /dev/null
	sqlite3 "$QDA_PROJECT" .dump > before.sql
	run --separate-stderr qda merge --dry-run copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind    code  detail
mapped  a     a -> b: merged into b here (codebook version 1); 1 new coding
merge copy.qda (dry run, nothing written): 4 documents matched
  codings: 1 to add, 8 already here, 0 skipped
  coders to add: 1; codes to add: 0; reviews: 0; memos: 0" ]
	sqlite3 "$QDA_PROJECT" .dump > after.sql
	cmp before.sql after.sql
}

@test "merge --format csv and json: the report's rows" {
	qda --coder alice theme merge a --into b > /dev/null
	run --separate-stderr qda merge --dry-run --format csv copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = "kind,code,detail
mapped,a,a -> b: merged into b here (codebook version 1); 1 new coding" ]
	run --separate-stderr qda merge --format json copy.qda
	[ "$status" -eq 0 ]
	[ "$output" = '[
  {"kind": "mapped", "code": "a", "detail": "a -> b: merged into b here (codebook version 1); 1 new coding"}
]' ]
	echo "$output" | jq -e '.[0].kind == "mapped"'
	[ "$(carol_codes)" = "b" ]
}

@test "merge: a file name with '#', '%', '?' or '&' is opened as it is, read-only" {
	mkdir 'd%41'
	cp copy.qda 'd%41/co#der 50%25?&x.qda'
	sum=$(sha256sum < 'd%41/co#der 50%25?&x.qda')
	run --separate-stderr qda merge 'd%41/co#der 50%25?&x.qda'
	[ "$status" -eq 0 ]
	[ "$output" = "merged d%41/co#der 50%25?&x.qda: 4 documents matched
  codings: 1 added, 8 already here, 0 skipped
  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	[ "$(sha256sum < 'd%41/co#der 50%25?&x.qda')" = "$sum" ]
	run --separate-stderr qda merge "$PWD/d%41/co#der 50%25?&x.qda"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "  codings: 0 added, 9 already here, 0 skipped" ]
	[ "$(find . -name '*file:*' -o -name 'dA' | wc -l)" -eq 0 ]
}

@test "merge: a project of an older qda is not upgraded; the message says how" {
	sed 's/GUID_EXPR/lower(hex(randomblob(16)))/g' "$BATS_TEST_DIRNAME/../../core/schema.sql" | sqlite3 'old #1.qda'
	sqlite3 'old #1.qda' "PRAGMA user_version = 1"
	sum=$(sha256sum < 'old #1.qda')
	run --separate-stderr qda merge 'old #1.qda'
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda merge: old #1.qda: error: was written by an older qda (schema 1, this one has 6) and merge only reads it, so it is not upgraded here; upgrade a copy, then merge that: cp 'old #1.qda' 'old #1-v6.qda' && qda -p 'old #1-v6.qda' status && qda merge 'old #1-v6.qda'" ]
	[ "$(sha256sum < 'old #1.qda')" = "$sum" ]
	[ "$(sqlite3 'old #1.qda' 'PRAGMA user_version')" -eq 1 ]
}

# A copy is read as an adversary could have written it: what does not hold is
# refused with the table and the row named, and nothing is merged.
@test "merge: a coding past its document's end in the copy is refused; nothing merged" {
	sqlite3 copy.qda "UPDATE coding_all SET end = 500 WHERE coder_id = (SELECT id FROM coder WHERE name = 'carol')"
	guid=$(sqlite3 copy.qda "SELECT guid FROM coding_all WHERE end = 500")
	len=$(sqlite3 copy.qda "SELECT length FROM document_all WHERE id = 1")
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda merge: copy.qda: coding_all $guid: error: its span [0, 500) is not inside document 'D1' ($len characters); the copy is damaged or was not written by qda, and nothing was merged" ]
	[ "$(count_rows coding)" -eq 8 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM coder WHERE name = 'carol'")" = "0" ]
}

@test "merge: a span that is not an integer, negative or empty in the copy is refused" {
	sqlite3 copy.qda "PRAGMA ignore_check_constraints = 1; UPDATE coding_all SET start = 'x3' WHERE coder_id = (SELECT id FROM coder WHERE name = 'carol')"
	guid=$(sqlite3 copy.qda "SELECT guid FROM coding_all WHERE typeof(start) = 'text'")
	[ -n "$guid" ]
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda merge: copy.qda: coding_all $guid: error: its span ['x3', 12) is not two whole numbers; the copy is damaged or was not written by qda, and nothing was merged" ]
	sqlite3 copy.qda "PRAGMA ignore_check_constraints = 1; UPDATE coding_all SET start = -4 WHERE guid = '$guid'"
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda merge: copy.qda: coding_all $guid: error: its span [-4, 12) is not inside document 'D1' ($(sqlite3 copy.qda "SELECT length FROM document_all WHERE id = 1") characters); the copy is damaged or was not written by qda, and nothing was merged" ]
	sqlite3 copy.qda "PRAGMA ignore_check_constraints = 1; UPDATE coding_all SET start = 12 WHERE guid = '$guid'"
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda merge: copy.qda: coding_all $guid: error: its span [12, 12) is empty; the copy is damaged or was not written by qda, and nothing was merged" ]
	[ "$(count_rows coding)" -eq 8 ]
}

@test "merge: line numbers outside the document in the copy are refused" {
	sqlite3 copy.qda "UPDATE coding_all SET line_last = 9999 WHERE coder_id = (SELECT id FROM coder WHERE name = 'carol')"
	guid=$(sqlite3 copy.qda "SELECT guid FROM coding_all WHERE line_last = 9999")
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda merge: copy.qda: coding_all $guid: error: its lines 1-9999 are not inside document 'D1' ($(sqlite3 "$QDA_PROJECT" "SELECT lines FROM document WHERE name = 'D1'") lines); the copy is damaged or was not written by qda, and nothing was merged" ]
	[ "$(count_rows coding)" -eq 8 ]
}

@test "merge: a view in the copy standing where qda keeps a table is refused" {
	sqlite3 copy.qda "ALTER TABLE coder RENAME TO coder_real; CREATE VIEW coder AS SELECT * FROM coder_real"
	run --separate-stderr qda merge copy.qda
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda merge: copy.qda: error: 'coder' is a view there where a qda project has a table; the copy was not written by qda, and nothing was merged" ]
	[ "$(count_rows coding)" -eq 8 ]
}
