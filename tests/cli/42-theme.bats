#!/usr/bin/env bats
# qda theme: rename, define, status, move, merge (codings move; a coder's
# overlapping or touching codings become one) and split; each reshape is
# logged, kept as a codebook version, and shows in the export.

load helper
bats_require_minimum_version 1.5.0

CB=$BATS_TEST_DIRNAME/../fixtures/codebook

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$CB/coders.sql" | sqlite3 "$QDA_PROJECT"
	cp "$CB"/good.yaml "$BATS_TEST_TMPDIR/"
	qda codebook load good.yaml > /dev/null
}

code_sql() { # CODER DOC NODE START END LINE_FIRST LINE_LAST
	sqlite3 "$QDA_PROJECT" "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)
	  VALUES ($2, (SELECT id FROM node WHERE key = '$3'), (SELECT id FROM coder WHERE name = '$1'), $4, $5, $6, $7)"
}

node_of() { # CODING_ID
	sqlite3 "$QDA_PROJECT" "SELECT n.key FROM coding c JOIN node n ON n.id = c.node_id WHERE c.id = $1"
}

@test "theme rename: the name changes, the id and codings stay, a version is kept" {
	code_sql ann 1 trust 52 99 2 2
	run qda --coder ann theme rename trust "Trust built over time" --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "change,id,detail" ]
	[ "${lines[1]}" = "renamed,trust,'Trust' -> 'Trust built over time'" ]
	[ "$(node_of 1)" = "trust" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT origin FROM codebook_version WHERE id = 2")" = "theme rename trust Trust built over time" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "theme trust renamed 'Trust built over time'" ]
	qda codebook export | grep -q '^  name: Trust built over time$'
}

@test "theme rename: an unknown id suggests the nearest" {
	run qda theme rename trsut "X"
	[ "$status" -eq 1 ]
	[ "$output" = "qda theme rename: error: unknown code 'trsut'; did you mean 'trust'? (see qda codebook show)" ]
}

@test "theme define: definition and criteria, shown by the export" {
	run qda theme define barriers --definition "What stops care." --include "cost" --include "distance" --exclude "quality of care"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "redefined  barriers  definition, include, exclude" ]
	run qda codebook export --format csv
	[ "${lines[6]}" = "barriers,Barriers,,theme,candidate,What stops care." ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT include FROM node WHERE key = 'barriers'")" = '["cost", "distance"]' ]
}

@test "theme define: nothing to define is a usage error" {
	run qda theme define barriers
	[ "$status" -eq 2 ]
}

@test "theme status: candidate, reviewed or defined; anything else is a usage error" {
	run qda theme status time defined --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "status,time,candidate -> defined" ]
	run qda theme status time final
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda theme status: error: the status is candidate, reviewed or defined, not 'final'" ]
}

@test "theme move: under another node, or to the top; never under itself" {
	run qda theme move listening --under barriers --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "moved,listening,trust -> barriers" ]
	run qda theme move time --top --format csv
	[ "${lines[1]}" = 'moved,time,"trust -> (top), now a theme"' ]
	run qda theme move time --under weekly
	[ "$status" -eq 1 ]
	[ "$output" = "qda theme move: error: cannot move 'time' under 'weekly': 'weekly' lies within 'time'" ]
	run qda codebook show --format csv
	[ "${lines[5]}" = "Taking the time,time,theme,candidate" ]
}

@test "theme merge: codings move; a coder's touching or overlapping codings become one" {
	code_sql ann 1 weekly 52 70 2 2
	code_sql ann 1 trust-over-time 70 99 2 2
	code_sql bob 1 trust-over-time 60 80 2 2
	code_sql ann 1 weekly 100 120 3 3
	code_sql ann 2 trust-over-time 56 99 2 2
	run qda theme merge weekly trust-over-time --into contact --name "Regular contact" --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "merged,weekly,into contact" ]
	[ "${lines[2]}" = "merged,trust-over-time,into contact" ]
	[ "${lines[3]}" = 'codings,contact,"5 codings moved, 1 combined"' ]
	[ "${lines[4]}" = "added,contact,code 'Regular contact' under time" ]
	[ "${lines[5]}" = "removed,weekly,code 'Weekly contact'" ]
	[ "$(count_rows coding)" -eq 4 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT c.start || '-' || c.end FROM coding c JOIN coder k ON k.id = c.coder_id WHERE k.name = 'ann' AND c.doc_id = 1 ORDER BY c.start")" = "52-99
100-120" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM coding WHERE node_id = (SELECT id FROM node WHERE key = 'contact')")" -eq 4 ]
	# merged nodes are retired, not deleted: the combined coding's history names them
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM node WHERE key IN ('weekly', 'trust-over-time') AND retired = 0")" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM coding_all WHERE removed_why = 'merged'")" -eq 1 ]
}

@test "theme merge into an existing node keeps its reviews on the surviving coding" {
	code_sql ann 1 weekly 52 70 2 2
	code_sql ann 1 listening 60 90 2 2
	sqlite3 "$QDA_PROJECT" "INSERT INTO review(coding_id, reviewer_id, verdict) VALUES (2, 2, 'accept')"
	run qda theme merge weekly --into listening
	[ "$status" -eq 0 ]
	[ "$(count_rows coding)" -eq 1 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT id || ':' || start || '-' || end FROM coding")" = "1:52-90" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT coding_id FROM review")" -eq 1 ]
	[ "${lines[2]}" = "codings  listening  1 coding moved, 1 combined" ]
	[ "${lines[3]}" = "removed  weekly     code 'Weekly contact'" ]
}

@test "theme merge: children of a merged node move to the target" {
	run qda theme merge time --into barriers --format csv
	[ "$status" -eq 0 ]
	run qda codebook show --format csv
	[ "${lines[3]}" = "Barriers,barriers,theme,candidate" ]
	[ "${lines[4]}" = "Cost of care,cost-of-care,code,candidate" ]
	[ "${lines[5]}" = "Weekly contact,weekly,code,candidate" ]
	[ "${lines[6]}" = "trust over time,trust-over-time,code,candidate" ]
}

@test "theme merge: a failure changes nothing" {
	code_sql ann 1 weekly 52 70 2 2
	run qda theme merge weekly nothere --into trust
	[ "$status" -eq 1 ]
	[ "$(node_of 1)" = "weekly" ]
	[ "$(count_rows codebook_version)" -eq 1 ]
}

@test "theme split: listed codings move to a new node beside the old" {
	code_sql ann 1 trust 52 70 2 2
	code_sql ann 1 trust 100 120 3 3
	code_sql bob 2 weekly 56 99 2 2
	run qda theme split trust --into distrust --name "Distrust" --codings 1,3 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "split,trust,2 codings to distrust" ]
	[ "${lines[2]}" = "added,distrust,theme 'Distrust'" ]
	[ "$(node_of 1)" = "distrust" ]
	[ "$(node_of 2)" = "trust" ]
	[ "$(node_of 3)" = "distrust" ]
	run qda codebook history --format csv
	[[ "${lines[2]}" == 2,*,,theme\ split\ trust\ --into\ distrust,2,\"1\ split,\ 1\ added\",* ]]
}

@test "theme split: a coding of another node is refused" {
	code_sql ann 1 barriers 52 70 2 2
	run qda theme split trust --into other --codings 1
	[ "$status" -eq 1 ]
	[ "$output" = "qda theme split: error: coding 1 is not coded 'trust' (or below it); 'qda codings --code trust' lists them" ]
	[ "$(count_rows node)" -eq 7 ]
}

@test "theme split: codings are required" {
	run qda theme split trust --into other
	[ "$status" -eq 2 ]
}

@test "theme: reshapes show in the history and load back as a fixed point" {
	qda theme rename trust "Trust built" > /dev/null
	qda theme move listening --under time > /dev/null
	run qda codebook history --format csv
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[3]}" == 3,*,,theme\ move\ listening\ --under\ time,1,1\ moved,* ]]
	qda codebook export > now.yaml
	run qda codebook load now.yaml
	[ "$output" = "nothing changed: the codebook already matches now.yaml (version 3)" ]
}

@test "theme: every sub-verb answers --help" {
	for v in rename define status move merge split; do
		run qda theme $v --help
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "usage: qda theme $v"* ]]
	done
}

@test "theme rename: a name of 200 characters is taken, 201 are refused with the limit, nothing changed" {
	long=$(printf 'é%.0s' $(seq 200))
	run --separate-stderr qda --coder ann theme rename trust "$long"
	[ "$status" -eq 0 ]
	run --separate-stderr qda --coder ann theme rename trust "${long}x"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda theme rename: error: the name has 201 characters; qda takes names of at most 200: shorten it (the definition holds the rest)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT name FROM node WHERE key = 'trust'")" = "$long" ]
}
