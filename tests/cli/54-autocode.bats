#!/usr/bin/env bats
# qda autocode: keywords (case- and accent-insensitive, wildcards, across
# line breaks), patterns as written, speakers; units; interviewer turns left
# out; dry runs that write nothing; errors. On the hand-made coding project
# with keywords and a third document P03 (accents, an emoji sequence).

load helper

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$FIXTURES/coding/project.sql" "$FIXTURES/autocode/project.sql" | sqlite3 "$QDA_PROJECT"
	export QDA_CODER=alice
}

# The codings as "doc:start-end:code:rule" lines, in document and position order.
codings() {
	sqlite3 "$QDA_PROJECT" "SELECT d.name || ':' || c.start || '-' || c.end || ':' || n.key || ':' || c.rule
	  FROM coding c JOIN document d ON d.id = c.doc_id JOIN node n ON n.id = c.node_id
	  ORDER BY d.name, c.start, n.key"
}

@test "autocode: écout* finds ÉCOUTE, écoute, écouté and écoutait at their code points, past an emoji sequence" {
	run qda autocode --keywords --code listening --doc P03
	[ "$status" -eq 0 ]
	run codings
	[ "${lines[0]}" = "P03:6-12:listening:keyword:écout*" ]
	[ "${lines[1]}" = "P03:16-22:listening:keyword:écout*" ]
	[ "${lines[2]}" = "P03:26-32:listening:keyword:écout*" ]
	[ "${lines[3]}" = "P03:38-46:listening:keyword:écout*" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "autocode: a keyword without * matches whole words only, whatever the case and accents" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET keywords = '[\"ECOUTE\"]' WHERE key = 'listening'"
	run qda autocode --keywords --code listening --format csv --dry-run
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d, -f1,5,7,8 | tail -n +2 | tr '\n' ' ')" = "P03,listening,6,12 P03,listening,16,22 P03,listening,26,32 " ]
}

@test "autocode: the words of a keyword match across a line break, apostrophes alike" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET keywords = '[\"m''écouter, vraiment\"]' WHERE key = 'time'"
	qda autocode --keywords --code time
	[ "$(codings)" = "P01:89-108:time:keyword:m'écouter, vraiment" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT line_first || '-' || line_last FROM coding")" = "2-3" ]
}

@test "autocode: interviewer turns are left out unless --include-interviewer" {
	qda autocode --keywords --code listening --doc P03
	[ "$(count_rows "coding WHERE start >= 60")" -eq 0 ]
	qda autocode --keywords --code listening --doc P03 --include-interviewer
	[ "$(codings | tail -1)" = "P03:74-81:listening:keyword:écout*" ]
	[ "$(count_rows coding)" -eq 5 ]
}

@test "autocode: writes auto codings with their rule, coder and lines, and a summary per code" {
	run qda autocode --keywords
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code       rules  hits  codings  added  present" ]
	[ "${lines[1]}" = "trust          3     6        3      3        0" ]
	[ "${lines[2]}" = "time           2     3        3      3        0" ]
	[ "${lines[3]}" = "listening      1     5        5      5        0" ]
	[ "${lines[4]}" = "doctor         1     1        1      1        0" ]
	[ "${lines[5]}" = "12 codings added, 0 already present (coder alice)" ]
	[ "$(count_rows "coding WHERE method = 'auto' AND coder_id = (SELECT id FROM coder WHERE name = 'alice')")" -eq 12 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT start || '-' || end || ' ' || line_first || ' ' || rule FROM coding WHERE doc_id = 1 AND node_id = 7")" = "198-205 5 keyword:MEDECIN" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "autocode keywords: 12 codings added, 0 already present" ]
}

@test "autocode: a retired code's keywords are not used" {
	qda autocode --keywords
	[ "$(count_rows "coding WHERE node_id = 8")" -eq 0 ]
}

@test "autocode: a keyword and a pattern hitting the same text make one coding naming both rules" {
	qda autocode --keywords --code trust
	[ "$(codings)" = "P01:133-142:trust:keyword:confiance; pattern:(?i)\bconfian\w*
P02:112-121:trust:keyword:confiance; pattern:(?i)\bconfian\w*
P03:49-58:trust:keyword:confiance; pattern:(?i)\bconfian\w*" ]
}

@test "autocode: running it again adds nothing and counts what is already there" {
	qda autocode --keywords > /dev/null
	run qda autocode --keywords
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "trust          3     6        3      0        3" ]
	[ "${lines[5]}" = "0 codings added, 12 already present (coder alice)" ]
	[ "$(count_rows coding)" -eq 12 ]
}

@test "autocode: --dry-run shows the hits in context and changes nothing" {
	before_log=$(count_rows log)
	run qda autocode --keywords --code listening --dry-run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "P01:2 (Lucie) listening  … va. Elle prend le temps de m’[écouter],  {keyword:écout*}" ]
	[ "${lines[4]}" = "P03:1 (Inès) listening  …COUTE et écoute. L’écouté 👩‍⚕️ [écoutait] ? Confiance.  {keyword:écout*}" ]
	[ "${lines[5]}" = "code       rules  hits  codings  added  present" ]
	[ "${lines[6]}" = "listening      1     5        5      5        0" ]
	[ "${lines[7]}" = "dry run: 5 codings would be added, 0 already present; nothing written" ]
	[ "$(count_rows coding)" -eq 0 ]
	[ "$(count_rows coder)" -eq 0 ]
	[ "$(count_rows log)" -eq "$before_log" ]
}

@test "autocode: --dry-run needs no coder and marks codings already present" {
	qda autocode --keywords --code doctor > /dev/null
	unset QDA_CODER
	run qda autocode --keywords --code doctor --dry-run --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "P01,5,5,Lucie,doctor,keyword:MEDECIN,198,205,1,198,205,\"Lucie: Le \",médecin,\" était démuni, il ne savait plus quoi proposer.\",new," ]
	run qda autocode --keywords --code doctor --dry-run --format csv --coder alice
	[ "${lines[1]}" = "P01,5,5,Lucie,doctor,keyword:MEDECIN,198,205,1,198,205,\"Lucie: Le \",médecin,\" était démuni, il ne savait plus quoi proposer.\",present," ]
}

@test "autocode: --unit sentence extends to the sentence, not past a line break or a speaker label" {
	run qda autocode --keywords --unit sentence --format csv
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d, -f1,5,7,8,9 | tail -n +2 | tr '\n' ' ')" = "P01,time,66,99,1 P01,listening,66,99,1 P01,time,100,118,1 P01,trust,119,143,2 P01,doctor,195,252,1 P02,time,67,99,1 P02,trust,100,130,2 P03,listening,6,23,2 P03,listening,24,48,2 P03,trust,49,59,2 " ]
}

@test "autocode: --unit turn codes the whole turn once per code" {
	qda autocode --keywords --code time --unit turn
	[ "$(codings)" = "P01:52-143:time:keyword:pren* le temps; keyword:temps
P02:56-130:time:keyword:temps" ]
}

@test "autocode: --speaker codes every turn of a speaker" {
	run qda autocode --speaker lucie --code trust
	[ "$status" -eq 0 ]
	[ "$(codings)" = "P01:52-143:trust:speaker:Lucie
P01:188-252:trust:speaker:Lucie" ]
}

@test "autocode: an unknown speaker is refused with the nearest name" {
	run qda autocode --speaker Lucy --code trust
	[ "$status" -eq 1 ]
	[ "$output" = "qda autocode: error: no speaker 'Lucy'; did you mean 'Lucie'? (see qda speakers DOC)" ]
}

@test "autocode: --pattern is used as written, case-sensitive" {
	qda autocode --pattern '\bConfiance\b' --code trust
	[ "$(codings)" = 'P03:49-58:trust:pattern:\bConfiance\b' ]
	qda autocode --pattern '(?i)\bconfiance\b' --code trust --doc P01
	[ "$(count_rows coding)" -eq 2 ]
}

@test "autocode: an invalid pattern is refused with its offset and nothing is written" {
	run qda autocode --pattern 'conf(iance' --code trust
	[ "$status" -eq 1 ]
	[ "$output" = "qda autocode: error: invalid pattern 'conf(iance' at offset 10: missing closing parenthesis" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "autocode: an invalid codebook pattern names its code" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET patterns = '[\"[a-\"]' WHERE key = 'doctor'"
	run qda autocode --keywords
	[ "$status" -eq 1 ]
	[ "$output" = "qda autocode: error: code 'doctor': invalid pattern '[a-' at offset 3: missing terminating ] for character class; fix it in the codebook and load it again" ]
}

@test "autocode: without a coder it stops with a usage error" {
	unset QDA_CODER
	run qda autocode --keywords
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda autocode: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "autocode: an unknown code is refused with the nearest id" {
	run qda autocode --pattern x --code trusst
	[ "$status" -eq 1 ]
	[[ "$output" == *"did you mean 'trust'"* ]]
}

@test "autocode: a codebook without keywords says what to do" {
	sqlite3 "$QDA_PROJECT" "UPDATE node SET keywords = NULL, patterns = NULL"
	run qda autocode --keywords
	[ "$status" -eq 1 ]
	[ "$output" = "qda autocode: error: no code in the codebook has keywords or patterns; add keywords: [...] to the codes and load the codebook again, or use --pattern REGEX --code CODE" ]
}

@test "autocode: usage errors exit 2" {
	run qda autocode
	[ "$status" -eq 2 ]
	run qda autocode --keywords --pattern x --code trust
	[ "$status" -eq 2 ]
	run qda autocode --pattern x
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda autocode: error: which code? --pattern takes --code CODE" ]
	run qda autocode --keywords --unit paragraph
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda autocode: error: --unit is match, sentence or turn, not 'paragraph'" ]
}

@test "autocode: an NFD transcript with emoji is matched at the code points of its stored NFC text" {
	printf 'Nora: J’ai besoin d’e\xcc\x81coute 😀😀 E\xcc\x81COUTE\xcc\x81E, e\xcc\x81coutons.\n' > N01.txt
	qda import N01.txt > /dev/null
	run qda autocode --keywords --code listening --doc N01 --format csv --dry-run
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d, -f7,8 | tail -n +2 | tr '\n' ' ')" = "20,26 30,37 39,47 " ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT substr(text, 21, 6) || '|' || substr(text, 31, 7) FROM document WHERE name = 'N01'")" = "écoute|ÉCOUTÉE" ]
}

@test "autocode: --format json lists the codings written" {
	run qda autocode --keywords --code doctor --format json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"code": "doctor"'* || "$output" == *'"code":"doctor"'* ]]
	[[ "$output" == *'"status": "added"'* || "$output" == *'"status":"added"'* ]]
}

@test "codings --auto lists the automatic codings with the rule that made them" {
	qda autocode --keywords --code listening --doc P03 > /dev/null
	run qda codings --auto --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,document,lines,start,end,code,coder,method,rule,memo,text" ]
	[[ "${lines[1]}" == *",P03,"*",6,12,listening,alice,auto,keyword:écout*,"* ]]
	[ "${#lines[@]}" -eq 5 ]
}
