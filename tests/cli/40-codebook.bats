#!/usr/bin/env bats
# qda codebook: check (every error with FILE:LINE:COLUMN), load by id, show,
# export (yaml fixed point, md, csv, taguette, qdc valid against the XSD),
# history, diff and orphans.

load helper
bats_require_minimum_version 1.5.0

CB=$BATS_TEST_DIRNAME/../fixtures/codebook

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$CB/coders.sql" | sqlite3 "$QDA_PROJECT"
	cp "$CB"/*.yaml "$BATS_TEST_TMPDIR/"
}

# codings straight into the project, so these tests do not depend on qda code
code_sql() { # CODER DOC NODE START END LINE_FIRST LINE_LAST
	sqlite3 "$QDA_PROJECT" "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)
	  VALUES ($2, (SELECT id FROM node WHERE key = '$3'), (SELECT id FROM coder WHERE name = '$1'), $4, $5, $6, $7)"
}

# ---- check ----

@test "codebook check: both sample codebooks pass, without a project" {
	unset QDA_PROJECT
	run qda codebook check "$CODEBOOKS/peer-support-primary-care.yaml" "$CODEBOOKS/braun-clarke-template.yaml"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$CODEBOOKS/peer-support-primary-care.yaml: ok: 3 themes, 9 sub-themes, 32 codes" ]
	[ "${lines[1]}" = "$CODEBOOKS/braun-clarke-template.yaml: ok: 2 themes, 2 sub-themes, 7 codes" ]
}

@test "codebook check: an unknown key names the nearest valid key" {
	run qda codebook check unknown-key.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: unknown-key.yaml:5:5: error: unknown key 'defintion'; did you mean 'definition'?" ]
	[ "${lines[1]}" = "qda codebook check: unknown-key.yaml:6:5: error: unknown key 'colour'; did you mean 'color'?" ]
	[ "${lines[2]}" = "qda codebook check: unknown-key.yaml: 2 errors" ]
}

@test "codebook check: a duplicate id says where the first is, shorthand ids included" {
	run qda codebook check duplicate-id.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: duplicate-id.yaml:8:13: error: duplicate id 'trust'; it is first used at line 3, column 9" ]
	[ "${lines[1]}" = "qda codebook check: duplicate-id.yaml:10:9: error: duplicate id 'listening' (made from 'Listening'); it is first used at line 6, column 13" ]
}

@test "codebook check: bad id characters" {
	run qda codebook check bad-id.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: bad-id.yaml:3:9: error: bad id 'Trust Me': use only lower-case letters a-z, digits, '.', '_' and '-'" ]
	[ "${lines[1]}" = "qda codebook check: bad-id.yaml:8:9: error: cannot make an id from '!!!'; write this code as 'id: ...' and 'name: ...'" ]
}

@test "codebook check: a node without a name or an id" {
	run qda codebook check missing-name.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: missing-name.yaml:3:5: error: node 'trust' has no name; add 'name:'" ]
	[ "${lines[1]}" = "qda codebook check: missing-name.yaml:5:5: error: node without an id; add 'id:' (lower-case letters, digits, '.', '_' or '-')" ]
}

@test "codebook check: a bad status" {
	run qda codebook check bad-status.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: bad-status.yaml:5:13: error: bad status 'final'; use candidate, reviewed or defined" ]
}

@test "codebook check: an invalid PCRE2 pattern with its offset" {
	run qda codebook check bad-pattern.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: bad-pattern.yaml:5:16: error: invalid pattern '\\btrust(ed|ing\\b': missing closing parenthesis at offset 16" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "codebook check: a YAML syntax error with where the construct started" {
	run qda codebook check syntax.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: syntax.yaml:7:1: error: YAML syntax error: found unexpected end of stream while scanning a quoted scalar started at line 5, column 24" ]
	run qda codebook check syntax-colon.yaml
	[ "${lines[0]}" = "qda codebook check: syntax-colon.yaml:4:16: error: YAML syntax error: mapping values are not allowed in this context" ]
}

@test "codebook check: errors before a syntax error are reported too" {
	run qda codebook check syntax-after.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook check: syntax-after.yaml:3:5: error: node 'trust' has no name; add 'name:'" ]
	[ "${lines[1]}" = "qda codebook check: syntax-after.yaml:4:5: error: unknown key 'nmae'; did you mean 'name'?" ]
	[ "${lines[2]}" = "qda codebook check: syntax-after.yaml:6:16: error: YAML syntax error: mapping values are not allowed in this context" ]
	[ "${lines[3]}" = "qda codebook check: syntax-after.yaml: 3 errors" ]
}

@test "codebook check: every error at once, in file order" {
	run qda codebook check many.yaml
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[0]}" = "qda codebook check: many.yaml:3:5: error: node 'trust' has no name; add 'name:'" ]
	[ "${lines[1]}" = "qda codebook check: many.yaml:4:5: error: unknown key 'nmae'; did you mean 'name'?" ]
	[ "${lines[2]}" = "qda codebook check: many.yaml:5:13: error: bad status 'done'; use candidate, reviewed or defined" ]
	[ "${lines[3]}" = "qda codebook check: many.yaml:6:9: error: duplicate id 'trust'; it is first used at line 3, column 9" ]
	[ "${lines[4]}" = "qda codebook check: many.yaml:8:16: error: invalid pattern '(': missing closing parenthesis at offset 1" ]
	[ "${lines[5]}" = "qda codebook check: many.yaml: 5 errors" ]
}

@test "codebook check: a missing file is exit 1" {
	run qda codebook check nothere.yaml
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "qda codebook check: nothere.yaml: error: cannot read the file: "* ]]
}

@test "codebook check: no file is a usage error" {
	run qda codebook check
	[ "$status" -eq 2 ]
}

# ---- load ----

@test "codebook load: prints what was added and stores version 1" {
	run qda codebook load good.yaml
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "change       id               detail" ]
	[ "${lines[3]}" = "added        trust            theme 'Trust'" ]
	[ "${lines[6]}" = "added        trust-over-time  code 'trust over time' under time" ]
	[ "${lines[10]}" = "codebook version 1 from good.yaml: 9 changes" ]
	[ "$(count_rows node)" -eq 7 ]
	[ "$(count_rows codebook_version)" -eq 1 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT hash = '$(sha256sum good.yaml | cut -c1-64)' FROM codebook_version")" = 1 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "codebook version 1 from good.yaml: 9 changes" ]
}

@test "codebook load: the sample codebook loads with its 44 nodes" {
	run qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" --format csv
	[ "$status" -eq 0 ]
	[ "$(count_rows node)" -eq 44 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT keywords FROM node WHERE key = 'referral-at-impasse'")" = '["impasse", "bloqu*", "on tourne en rond", "dead end", "stuck", "nothing works"]' ]
	run qda codebook load "$CODEBOOKS/braun-clarke-template.yaml" --retire --format csv
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM node WHERE retired = 0")" -eq 11 ]
}

@test "codebook load: loading the same file twice changes nothing and says so" {
	qda codebook load good.yaml > /dev/null
	run qda codebook load good.yaml
	[ "$status" -eq 0 ]
	[ "$output" = "nothing changed: the codebook already matches good.yaml (version 1)" ]
	[ "$(count_rows codebook_version)" -eq 1 ]
	[ "$(count_rows log)" -eq 2 ] # init and the first load
}

@test "codebook load: updates by id: renamed, status, redefined, moved, added, removed" {
	qda codebook load good.yaml > /dev/null
	run qda codebook load good-v2.yaml --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "change,id,detail" ]
	[ "${lines[1]}" = "renamed,trust,'Trust' -> 'Trust and time'" ]
	[ "${lines[2]}" = "status,trust,reviewed -> defined" ]
	[ "${lines[3]}" = "redefined,trust,definition" ]
	[ "${lines[4]}" = "moved,trust-over-time,time -> trust" ]
	[ "${lines[5]}" = "added,new-code,code 'A new code' under barriers" ]
	[ "${lines[6]}" = "removed,cost-of-care,code 'Cost of care'" ]
	[ "${#lines[@]}" -eq 7 ]
	[ "$(count_rows node)" -eq 7 ]
}

@test "codebook load: renamed nodes keep their codings" {
	qda codebook load good.yaml > /dev/null
	code_sql ann 1 trust 52 99 2 2
	qda codebook load good-v2.yaml > /dev/null
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT n.name FROM coding c JOIN node n ON n.id = c.node_id")" = "Trust and time" ]
}

@test "codebook load: a vanished node with codings is refused with the count and the way out" {
	qda codebook load good.yaml > /dev/null
	code_sql ann 1 cost-of-care 52 99 2 2
	code_sql bob 1 cost-of-care 52 99 2 2
	run qda codebook load good-v2.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook load: good-v2.yaml: error: 'cost-of-care' (Cost of care) is not in the file but has 2 codings; add it back, keep it hidden with its codings with --retire, or move them first with 'qda theme merge cost-of-care --into OTHER'" ]
	[ "${lines[1]}" = "qda codebook load: error: 1 node with codings would leave the codebook; nothing was loaded" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT name FROM node WHERE key = 'trust'")" = "Trust" ]
	[ "$(count_rows codebook_version)" -eq 1 ]
}

@test "codebook load --retire keeps the vanished node retired with its codings" {
	qda codebook load good.yaml > /dev/null
	code_sql ann 1 cost-of-care 52 99 2 2
	run qda codebook load good-v2.yaml --retire --format csv
	[ "$status" -eq 0 ]
	[ "${lines[6]}" = "retired,cost-of-care,code 'Cost of care'" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT retired FROM node WHERE key = 'cost-of-care'")" -eq 1 ]
	[ "$(count_rows coding)" -eq 1 ]
	run qda codebook show --format csv
	[ "${#lines[@]}" -eq 8 ]
}

@test "codebook load: a bad file loads nothing and lists its errors" {
	run qda codebook load many.yaml
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda codebook load: many.yaml:3:5: error: node 'trust' has no name; add 'name:'" ]
	[ "${lines[5]}" = "qda codebook load: error: 5 errors in many.yaml; nothing was loaded ('qda codebook check many.yaml' lists them)" ]
	[ "$(count_rows node)" -eq 0 ]
}

# ---- show ----

@test "codebook show: the tree with kinds and status" {
	qda codebook load good.yaml > /dev/null
	run qda codebook show
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "node                 id               kind      status" ]
	[ "${lines[1]}" = "Trust                trust            theme     reviewed" ]
	[ "${lines[2]}" = "  Taking the time    time             subtheme  candidate" ]
	[ "${lines[3]}" = "    Weekly contact   weekly           code      candidate" ]
	[ "${lines[4]}" = "    trust over time  trust-over-time  code      candidate" ]
	[ "${lines[5]}" = "  Listening          listening        code      candidate" ]
	[ "${lines[6]}" = "Barriers             barriers         theme     candidate" ]
	[ "${lines[7]}" = "  Cost of care       cost-of-care     code      candidate" ]
}

@test "codebook show --counts: segments and documents, a theme's as the union of its descendants'" {
	qda codebook load good.yaml > /dev/null
	code_sql ann 1 weekly 52 99 2 2
	code_sql bob 1 trust-over-time 60 120 2 3
	code_sql ann 2 listening 56 99 2 2
	run qda codebook show --counts --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "node,id,kind,status,segments,documents" ]
	[ "${lines[1]}" = "Trust,trust,theme,reviewed,2,2" ]
	[ "${lines[2]}" = "Taking the time,time,subtheme,candidate,1,1" ]
	[ "${lines[3]}" = "Weekly contact,weekly,code,candidate,1,1" ]
	[ "${lines[5]}" = "Listening,listening,code,candidate,1,1" ]
	[ "${lines[6]}" = "Barriers,barriers,theme,candidate,0,0" ]
}

@test "codebook show --format json" {
	qda codebook load good.yaml > /dev/null
	run qda codebook show --format json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"id": "trust-over-time"'* ]]
}

# ---- export ----

@test "codebook export yaml: load, export, load is a fixed point and export is stable" {
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	qda codebook export > a.yaml
	run qda codebook load a.yaml
	[ "$status" -eq 0 ]
	[ "$output" = "nothing changed: the codebook already matches a.yaml (version 1)" ]
	qda codebook export -o b.yaml
	cmp a.yaml b.yaml
	run qda codebook check a.yaml
	[ "$status" -eq 0 ]
}

@test "codebook export yaml: a fresh project loads the export to the same codebook" {
	qda codebook load "$CODEBOOKS/braun-clarke-template.yaml" > /dev/null
	qda codebook export > a.yaml
	export QDA_PROJECT=$BATS_TEST_TMPDIR/other.qda
	qda init "$QDA_PROJECT" > /dev/null
	qda codebook load a.yaml > /dev/null
	qda codebook export > b.yaml
	cmp a.yaml b.yaml
}

@test "codebook export yaml: names that read as null stay text" {
	qda codebook load good.yaml > /dev/null
	sqlite3 "$QDA_PROJECT" "UPDATE node SET name = 'null' WHERE key = 'barriers'"
	qda codebook export > a.yaml
	grep -q 'name: "null"' a.yaml
	run qda codebook check a.yaml
	[ "$status" -eq 0 ]
}

@test "codebook export csv: id,name,parent,level,status,definition" {
	qda codebook load good.yaml > /dev/null
	run qda codebook export --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,name,parent,level,status,definition" ]
	[ "${lines[1]}" = "trust,Trust,,theme,reviewed,Trust between patient and peer." ]
	[ "${lines[3]}" = "weekly,Weekly contact,time,code,candidate," ]
}

@test "codebook export taguette: tag,description" {
	qda codebook load good.yaml > /dev/null
	run qda codebook export --format taguette
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "tag,description" ]
	[ "${lines[1]}" = "Trust,Trust between patient and peer." ]
	[ "${#lines[@]}" -eq 8 ]
}

@test "codebook export md: a codebook table for an appendix" {
	qda codebook load good.yaml > /dev/null
	run qda codebook export --format md
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# Small test codebook" ]
	[ "${lines[2]}" = "| Name | Kind | Definition | Include | Exclude | Example |" ]
	[ "${lines[4]}" = "| **Trust** | theme | Trust between patient and peer. | time taken | clinician trust |  |" ]
}

@test "codebook export qdc: valid against the REFI-QDA Codebook.xsd" {
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	qda codebook export --format qdc -o cb.qdc
	run xmllint --noout --schema "$CB/Codebook.xsd" cb.qdc
	[ "$status" -eq 0 ]
	[ "$(grep -c '<Code ' cb.qdc)" -eq 44 ]
}

@test "codebook export qdc: loaded into an empty project, the same ids, names, kinds and parents" {
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	qda codebook export --format qdc -o cb.qdc
	qda init other.qda > /dev/null
	QDA_PROJECT=other.qda qda codebook load cb.qdc > /dev/null
	q="SELECT n.key, n.kind, n.name, coalesce(p.key, '') FROM node n LEFT JOIN node p ON p.id = n.parent_id ORDER BY n.key"
	[ "$(sqlite3 other.qda "$q")" = "$(sqlite3 "$QDA_PROJECT" "$q")" ]
	[ "$(sqlite3 other.qda "SELECT count(*) FROM node WHERE definition LIKE '%qda id:%'")" = "0" ]
	[ "$(sqlite3 other.qda "SELECT key FROM node WHERE name = 'Communication and interprofessional collaboration'")" = "communication-and-collaboration" ]
}

@test "codebook export: an unknown format is a usage error" {
	run qda codebook export --format docx
	[ "$status" -eq 2 ]
}

# ---- history, diff, orphans ----

@test "codebook history lists each version with coder and hash" {
	qda --coder ann codebook load good.yaml > /dev/null
	qda --coder bob codebook load good-v2.yaml > /dev/null
	run qda codebook history --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "version,created,coder,origin,changes,summary,hash" ]
	[[ "${lines[1]}" == 1,*,ann,load\ good.yaml,9,\"1\ title,\ 1\ description,\ 7\ added\",$(sha256sum good.yaml | cut -c1-64) ]]
	[[ "${lines[2]}" == 2,*,bob,load\ good-v2.yaml,6,* ]]
}

@test "codebook diff compares two versions, by default the last two" {
	qda codebook load good.yaml > /dev/null
	qda codebook load good-v2.yaml > /dev/null
	run qda codebook diff --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "renamed,trust,'Trust' -> 'Trust and time'" ]
	[ "${#lines[@]}" -eq 7 ]
	run qda codebook diff 2 1 --format csv
	[ "${lines[1]}" = "renamed,trust,'Trust and time' -> 'Trust'" ]
	[ "${lines[4]}" = "moved,trust-over-time,trust -> time" ]
	[ "${lines[5]}" = "added,cost-of-care,code 'Cost of care' under barriers" ]
	[ "${lines[6]}" = "removed,new-code,code 'A new code'" ]
	run qda codebook diff 1 --format csv
	[ "${#lines[@]}" -eq 7 ]
}

@test "codebook diff: an unknown version is exit 1, a bad one exit 2" {
	qda codebook load good.yaml > /dev/null
	run qda codebook diff 1 7
	[ "$status" -eq 1 ]
	[ "$output" = "qda codebook diff: error: no codebook version 7; 'qda codebook history' lists them" ]
	run qda codebook diff x
	[ "$status" -eq 2 ]
}

@test "codebook orphans: nodes with no coding on them or below" {
	qda codebook load good.yaml > /dev/null
	code_sql ann 1 weekly 52 99 2 2
	run qda codebook orphans --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,name,kind,parent" ]
	[ "${lines[1]}" = "trust-over-time,trust over time,code,time" ]
	[ "${lines[2]}" = "listening,Listening,code,trust" ]
	[ "${lines[3]}" = "barriers,Barriers,theme," ]
	[ "${lines[4]}" = "cost-of-care,Cost of care,code,barriers" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "codebook: every sub-verb answers --help" {
	for v in check load show export history diff orphans; do
		run qda codebook $v --help
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "usage: qda codebook $v"* ]]
	done
}

@test "a codebook saved with a BOM, CRLF and decomposed accents loads as its NFC twin" {
	printf '\xef\xbb\xbfcodebook: E\xcc\x81tude\r\nthemes:\r\n  - id: ecoute\r\n    name: E\xcc\x81coute\r\n    keywords: [e\xcc\x81cout*]\r\n' > nfd.yaml
	printf 'codebook: \xc3\x89tude\nthemes:\n  - id: ecoute\n    name: \xc3\x89coute\n    keywords: [\xc3\xa9cout*]\n' > nfc.yaml
	run qda codebook load nfd.yaml
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT hex(name) || ' ' || keywords FROM node WHERE key = 'ecoute'")" = "C389636F757465 [\"écout*\"]" ]
	run qda codebook load nfc.yaml
	[ "$status" -eq 0 ]
	[[ "$output" == "nothing changed: "* ]]
}

@test "an alias used as a key is reported, not followed" {
	printf 'codebook: T\nthemes:\n  - id: t1\n    *a : x\n' > alias-key.yaml
	run qda codebook check alias-key.yaml
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "qda codebook check: alias-key.yaml:4:5: error: alias '*a': aliases are not supported; write the value out" ]
	[ "${lines[2]}" = "qda codebook check: alias-key.yaml: 2 errors" ]
}

@test "codebook check: a codebook of exactly 64 MiB is read; one byte more is refused with the limit" {
	# a small codebook, then a comment that brings the file to 64 MiB (67108864 bytes)
	printf 'codebook: Big\nthemes:\n  - id: a\n    name: A\n' > big.yaml
	pad=$((67108864 - $(stat -c %s big.yaml) - 3))
	{ printf '# '; head -c "$pad" /dev/zero | tr '\0' 'x'; printf '\n'; } >> big.yaml
	[ "$(stat -c %s big.yaml)" -eq 67108864 ]
	run --separate-stderr qda codebook check big.yaml
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	printf 'x' >> big.yaml
	run --separate-stderr qda codebook check big.yaml
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda codebook check: big.yaml: error: the file is 67108865 bytes; qda reads files of this kind up to 64 MiB (67108864 bytes)" ]
}
