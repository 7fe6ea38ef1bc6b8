#!/usr/bin/env bats
# qda retrieve on the hand-made coding project (tests/fixtures/coding):
# themes with their descendants, --and, --not, --where, --coder, context,
# quotes for a paper (md), csv and json with exact values.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$FIXTURES/coding/project.sql" | sqlite3 "$QDA_PROJECT"
	export QDA_CODER=ana
	qda code P01 --lines 2-3 trust > /dev/null                            # 1
	qda code P01 --quote "prend le temps de m’écouter" time > /dev/null   # 2: [71, 98)
	qda code P01 --lines 5 doctor > /dev/null                             # 3
	qda code P02 --lines 2-3 trust > /dev/null                            # 4
	qda code P02 --quote "le temps que je n’ai pas" time > /dev/null      # 5: [74, 98)
	qda --coder bea code P01 --lines 3 listening > /dev/null              # 6
}

@test "retrieve a theme gives the codings of all its descendants, by document and position" {
	run qda retrieve relationship --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text" ]
	run qda retrieve relationship --format json
	[ "${lines[1]}" = '  {"coding_id": 1, "document": "P01", "case": "P01", "speaker": "Lucie", "line_first": 2, "line_last": 3, "start": 52, "end": 143, "code": "trust", "coder": "ana", "attributes": "gender=female; role=patient", "memo": null, "text": "Lucie: Ça va. Elle prend le temps de m’écouter,\nvraiment le temps. 😀 Je lui fais confiance."},' ]
	[ "${lines[2]}" = '  {"coding_id": 2, "document": "P01", "case": "P01", "speaker": "Lucie", "line_first": 2, "line_last": 2, "start": 71, "end": 98, "code": "time", "coder": "ana", "attributes": "gender=female; role=patient", "memo": null, "text": "prend le temps de m’écouter"},' ]
	[ "${lines[3]}" = '  {"coding_id": 6, "document": "P01", "case": "P01", "speaker": "Lucie", "line_first": 3, "line_last": 3, "start": 100, "end": 143, "code": "listening", "coder": "bea", "attributes": "gender=female; role=patient", "memo": null, "text": "vraiment le temps. 😀 Je lui fais confiance."},' ]
	[ "${lines[4]}" = '  {"coding_id": 4, "document": "P02", "case": "P02", "speaker": "Dr Martin", "line_first": 2, "line_last": 3, "start": 56, "end": 130, "code": "trust", "coder": "ana", "attributes": "gender=male; role=clinician", "memo": null, "text": "Dr Martin: Elle a le temps que je n’ai pas.\nJe lui fais confiance pour ça."},' ]
	[ "${lines[5]}" = '  {"coding_id": 5, "document": "P02", "case": "P02", "speaker": "Dr Martin", "line_first": 2, "line_last": 2, "start": 74, "end": 98, "code": "time", "coder": "ana", "attributes": "gender=male; role=clinician", "memo": null, "text": "le temps que je n’ai pas"}' ]
	[ "${lines[6]}" = "]" ]
	[ "${#lines[@]}" -eq 7 ]
}

@test "retrieve a sub-theme leaves out its siblings" {
	run qda retrieve trust-building --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c ',ana,')" -eq 4 ]
	[[ "$output" != *listening* ]]
}

@test "retrieve prints a readable block per extract" {
	run qda retrieve time doctor
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "P01 (gender=female, role=patient) lines 2-2 · Lucie · coder ana · time" ]
	[ "${lines[1]}" = "    prend le temps de m’écouter" ]
	[ "${lines[2]}" = "P01 (gender=female, role=patient) lines 5-5 · Lucie · coder ana · doctor" ]
	[ "${lines[3]}" = "    Lucie: Le médecin était démuni, il ne savait plus quoi proposer." ]
	[ "${lines[4]}" = "P02 (gender=male, role=clinician) lines 2-2 · Dr Martin · coder ana · time" ]
	[ "${lines[5]}" = "    le temps que je n’ai pas" ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "retrieve --and keeps the extracts overlapping a coding of the other code" {
	run qda retrieve trust --and listening --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = '1,P01,P01,Lucie,2,3,52,143,trust,ana,gender=female; role=patient,,"Lucie: Ça va. Elle prend le temps de m’écouter,' ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "retrieve --and with a theme counts its descendants" {
	run qda retrieve doctor listening --and relationship --format json
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == '  {"coding_id": 6, '* ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "retrieve --not drops the extracts overlapping a coding of the other code" {
	run qda retrieve trust --not listening --format csv
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == 4,P02,P02,Dr\ Martin,2,3,56,130,trust,* ]]
	[ "${#lines[@]}" -eq 3 ]
	# the codings of the --not code go too, also when they are the theme's own
	run qda retrieve trust-building --not time --format csv
	[ "$output" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text" ]
	run qda retrieve trust --not trust --format json
	[ "$output" = "[]" ]
	run qda retrieve trust --and trust --format json
	[[ "${lines[1]}" == '  {"coding_id": 1, '* ]]
	[[ "${lines[2]}" == '  {"coding_id": 4, '* ]]
	[ "${#lines[@]}" -eq 4 ]
}

@test "retrieve --where keeps the cases with that attribute" {
	run qda retrieve relationship --where role=clinician --format csv
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == 4,P02,* ]]
	[[ "${lines[3]}" == 5,P02,* ]]
	[ "${#lines[@]}" -eq 4 ]
	run qda retrieve relationship --where role=patient --where gender=male --format csv
	[ "$output" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text" ]
}

@test "retrieve --where wants KEY=VALUE" {
	run qda retrieve trust --where role
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda retrieve: error: --where wants KEY=VALUE[,VALUE...], not 'role'" ]
}

@test "retrieve --coder keeps one coder's codings" {
	run qda retrieve relationship --coder bea --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "6,P01,P01,Lucie,3,3,100,143,listening,bea,gender=female; role=patient,,vraiment le temps. 😀 Je lui fais confiance." ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "retrieve --coder applies to --and as well" {
	run qda retrieve trust --and listening --coder ana --format csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
}

@test "retrieve --context N adds N whole lines before and after" {
	run qda retrieve time --doc P01 --context 1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "P01 (gender=female, role=patient) lines 2-2 · Lucie · coder ana · time" ]
	[ "${lines[1]}" = "  ┆ Camille: Bonjour Lucie, comment ça va aujourd’hui ?" ]
	[ "${lines[2]}" = "    prend le temps de m’écouter" ]
	[ "${lines[3]}" = "  ┆ vraiment le temps. 😀 Je lui fais confiance." ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "retrieve --context stops at the ends of the document" {
	run qda retrieve doctor --context 3 --format json
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == *'"context_before": "Lucie: Ça va. Elle prend le temps de m’écouter,\nvraiment le temps. 😀 Je lui fais confiance.\nCamille: Et le médecin, il prend le temps ?", "context_after": ""}' ]]
}

@test "retrieve --context-turns adds the lines of the turns around" {
	run qda retrieve time --doc P01 --context-turns 1 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text,context_before,context_after" ]
	[ "${lines[1]}" = "2,P01,P01,Lucie,2,2,71,98,time,ana,gender=female; role=patient,,prend le temps de m’écouter,\"Camille: Bonjour Lucie, comment ça va aujourd’hui ?\",\"vraiment le temps. 😀 Je lui fais confiance." ]
	[ "${lines[2]}" = "Camille: Et le médecin, il prend le temps ?\"" ]
}

@test "retrieve --format md gives quotes ready for a paper" {
	run qda retrieve trust --format md
	[ "$status" -eq 0 ]
	[ "$output" = "> Ça va. Elle prend le temps de m’écouter,
> vraiment le temps. 😀 Je lui fais confiance.
>
> — Lucie (P01, patient), lines 2-3

> Elle a le temps que je n’ai pas.
> Je lui fais confiance pour ça.
>
> — Dr Martin (P02, clinician), lines 2-3" ]
}

@test "retrieve --format md names one line as 'line'" {
	run qda retrieve time --doc P02 --format md
	[ "$output" = "> le temps que je n’ai pas
>
> — Dr Martin (P02, clinician), line 2" ]
}

@test "retrieve --format md keeps the labels of an extract over several speakers and names the case" {
	qda code P01 --lines 1-2 doctor > /dev/null
	run qda retrieve doctor --doc P01 --format md
	[ "$status" -eq 0 ]
	[ "$output" = "> Camille: Bonjour Lucie, comment ça va aujourd’hui ?
> Lucie: Ça va. Elle prend le temps de m’écouter,
>
> — P01 (patient), lines 1-2

> Le médecin était démuni, il ne savait plus quoi proposer.
>
> — Lucie (P01, patient), line 5" ]
}

@test "retrieve --limit stops after N extracts" {
	run qda retrieve relationship --limit 2 --format json
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == '  {"coding_id": 1, '* ]]
	[[ "${lines[2]}" == '  {"coding_id": 2, '* ]]
	[ "${#lines[@]}" -eq 4 ]
}

@test "retrieve with no match says so on stderr and exits 0" {
	run qda retrieve trust --not time
	[ "$status" -eq 0 ]
	[ "$output" = "qda retrieve: no coded extracts match" ]
}

@test "retrieve an unknown code suggests the nearest ids" {
	run qda retrieve trus
	[ "$status" -eq 1 ]
	[ "$output" = "qda retrieve: error: unknown code 'trus'; did you mean 'trust' or 'trust-building'? (see qda codebook show)" ]
}

@test "retrieve extracts with an emoji and accents come out whole at code-point positions" {
	qda code P01 --chars 119-142 time > /dev/null
	run qda retrieve time --doc P01 --format csv
	[ "${lines[2]}" = "7,P01,P01,Lucie,3,3,119,142,time,ana,gender=female; role=patient,,😀 Je lui fais confiance" ]
}

@test "retrieve --where with an attribute no case has says so and suggests the nearest" {
	run qda retrieve trust --where rol=patient
	[ "$status" -eq 1 ]
	[ "$output" = "qda retrieve: error: no case has an attribute 'rol'; did you mean 'role'? ('qda cases' lists them)" ]
}

# The project of tests/fixtures/counting/passages.sql, in place of setup's.
passages_project() {
	export QDA_PROJECT="$BATS_TEST_TMPDIR/passages.qda"
	qda init "$QDA_PROJECT" > /dev/null
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/passages.sql"
}

@test "retrieve leaves out a coding lying wholly in an interviewer turn" {
	qda code P01 --lines 1 doctor > /dev/null
	run --separate-stderr qda retrieve doctor --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text
3,P01,P01,Lucie,5,5,188,252,doctor,ana,gender=female; role=patient,,\"Lucie: Le médecin était démuni, il ne savait plus quoi proposer.\"" ]
	[ "$stderr" = "" ]
	run qda retrieve doctor --include-interviewer --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "7,P01,P01,Camille,1,1,0,51,doctor,ana,gender=female; role=patient,,\"Camille: Bonjour Lucie, comment ça va aujourd’hui ?\"" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "retrieve: a coding over two interviewer turns and the blank line between them is interviewer material" {
	passages_project
	run --separate-stderr qda retrieve t --format csv
	[ "$status" -eq 0 ]
	assert_golden retrieve-interviewer.csv
	run --separate-stderr qda retrieve t --include-interviewer --format csv
	[ "$status" -eq 0 ]
	# bats leaves the blank line out of lines
	[ "${lines[1]}" = "1,D1,C1,I,1,3,0,34,a,alice,role=patient,,\"I: Question one?" ]
	[ "${lines[2]}" = "I: Question two?\"" ]
	[ "${lines[7]}" = "8,D1,C1,I,6,6,71,83,b,alice,role=patient,,I: And then?" ]
	[ "${#lines[@]}" -eq 10 ]
	[[ "$output" == *$'Question one?\n\nI: Question two?'* ]]
}

@test "codings and show --memos still list the codings in interviewer material" {
	passages_project
	run qda codings --code t --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '^[0-9]')" -eq 8 ]
	[[ "$output" == *$'\n'1,D1,* ]]
	[[ "$output" == *$'\n'8,D1,* ]]
	qda --coder alice memo add --coding 8 asked again > /dev/null
	run qda show D1 --memos
	[ "$status" -eq 0 ]
	[[ "$output" == *"asked again"* ]]
}

@test "retrieve --no-auto leaves out automatic codings" {
	passages_project
	run qda retrieve c --format csv
	[ "${#lines[@]}" -eq 2 ]
	run qda retrieve c --no-auto --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text" ]
}

@test "retrieve --review keeps the codings of that review state" {
	passages_project
	sqlite3 "$QDA_PROJECT" "UPDATE coding_all SET state = 'accepted' WHERE id = 2; UPDATE coding_all SET state = 'revised' WHERE id = 9; UPDATE coding_all SET state = 'disputed' WHERE id = 3"
	run qda retrieve t --review accepted --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1 | tr '\n' ' ')" = "coding_id 2 9 " ]
	run qda retrieve t --review not-disputed --format csv
	[ "$(printf '%s\n' "$output" | cut -d, -f1 | tr '\n' ' ')" = "coding_id 2 4 5 7 9 " ]
	run qda retrieve t --review any --format csv
	[ "${#lines[@]}" -eq 7 ]
	run --separate-stderr qda retrieve t --review maybe
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda retrieve: error: --review is accepted, not-disputed or any, not 'maybe'
Try 'qda retrieve --help'." ]
}

@test "retrieve --where KEY=V1,V2 keeps the cases with one of the values" {
	passages_project
	run qda retrieve t --where role=clinician --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1 | tr '\n' ' ')" = "coding_id 9 " ]
	run qda retrieve t --where role=clinician,patient --format csv
	[ "$(printf '%s\n' "$output" | cut -d, -f1 | tr '\n' ' ')" = "coding_id 2 3 4 5 7 9 " ]
}

@test "retrieve --where with a value no case has suggests the nearest" {
	passages_project
	run --separate-stderr qda retrieve t --where role=patien
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda retrieve: error: no case has role=patien; did you mean 'patient'? ('qda cases' lists the values)" ]
}

@test "retrieve takes the global --coder, before the command too" {
	passages_project
	run qda --coder bob retrieve t --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1 | tr '\n' ' ')" = "coding_id 3 5 7 " ]
	run qda retrieve t --coder bob --passages --format csv
	[ "${lines[1]}" = "D1,C1,P,4,4,38,48,b,bob,1,role=patient,Alpha beta" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "retrieve --passages gives each coded passage once, with its codes and coders (csv)" {
	passages_project
	run --separate-stderr qda retrieve t --passages --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	assert_golden retrieve-passages.csv
}

@test "retrieve --passages --include-interviewer (json)" {
	passages_project
	run --separate-stderr qda retrieve t --passages --include-interviewer --format json
	[ "$status" -eq 0 ]
	assert_golden retrieve-passages-interviewer.json
	printf '%s\n' "$output" | jq -e 'length == 6 and .[1].codings == 3'
}

@test "retrieve --passages in text lists the codes and coders of each passage" {
	passages_project
	run --separate-stderr qda retrieve s c --passages --doc D1
	[ "$status" -eq 0 ]
	[ "$output" = "D1 (C1; role=patient) lines 4-4 · P · a; b; c · 3 codings by alice; bob
    Alpha beta gamma.

D1 (C1; role=patient) lines 5-5 · P · a · 1 coding by bob
    Delta

D1 (C1; role=patient) lines 7-7 · P · a · 1 coding by bob
    Zeta eta." ]
}

@test "retrieve --passages in md quotes each passage once with its codes" {
	passages_project
	run qda retrieve t --passages --format md --limit 1
	[ "$status" -eq 0 ]
	[ "$output" = "> Alpha beta gamma.
>
> — P (C1, patient), line 4

*Codes:* a; b; c (3 codings by alice; bob)" ]
}

@test "retrieve --passages joins only the codes asked for" {
	passages_project
	# uu covers line 5 [56, 70) but is not asked: "Delta" stays [56, 61)
	run qda retrieve a --passages --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "D1,C1,P,4,4,38,43,a,alice,1,role=patient,Alpha" ]
	[ "${lines[2]}" = "D1,C1,P,5,5,56,61,a,bob,1,role=patient,Delta" ]
	[ "${lines[3]}" = "D1,C1,P,7,7,87,96,a,bob,1,role=patient,Zeta eta." ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "retrieve --passages --and keeps whole passages meeting a coding of the code" {
	passages_project
	run qda retrieve t --passages --and b --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "D1,C1,P,4,4,38,55,a; b; c,alice; bob,3,role=patient,Alpha beta gamma." ]
	[ "${lines[2]}" = "D2,C2,Q,2,2,19,27,b,alice,1,role=clinician,it helps" ]
	[ "${#lines[@]}" -eq 3 ]
	run qda retrieve t --passages --and uu --format csv
	[ "${lines[1]}" = "D1,C1,P,5,5,56,61,a,bob,1,role=patient,Delta" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "retrieve --passages --not drops whole passages meeting a coding of the code" {
	passages_project
	run qda retrieve t --passages --not b --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "D1,C1,P,5,5,56,61,a,bob,1,role=patient,Delta" ]
	[ "${lines[2]}" = "D1,C1,P,7,7,87,96,a,bob,1,role=patient,Zeta eta." ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "retrieve --passages --limit counts passages" {
	passages_project
	run qda retrieve t --passages --limit 2 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "D1,C1,P,5,5,56,61,a,bob,1,role=patient,Delta" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "retrieve --passages --context adds whole lines around the passage" {
	passages_project
	run qda retrieve t --passages --context 1 --limit 1 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "document,case,speaker,line_first,line_last,start,end,codes,coders,codings,attributes,text,context_before,context_after" ]
	[ "${lines[1]}" = "D1,C1,P,4,4,38,55,a; b; c,alice; bob,3,role=patient,Alpha beta gamma.,I: Question two?,Delta epsilon." ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "retrieve --passages with no match gives the header and says so in text" {
	passages_project
	run qda retrieve t --passages --not t --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "document,case,speaker,line_first,line_last,start,end,codes,coders,codings,attributes,text" ]
	run --separate-stderr qda retrieve t --passages --not t
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda retrieve: no coded passages match" ]
}

@test "retrieve --help states the counting rules" {
	run qda retrieve --help
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n(which holds for the codings of --and and --not too). Codings lying wholly in interviewer\nmaterial (the turns of speakers marked with import --interviewer, each with the blank lines\nafter it up to the next turn) are left out unless --include-interviewer; a coding reaching\n'* ]]
	[[ "$output" == *$'\n--passages gives each coded passage once: a maximal run of text coded with any of the\nCODEs, overlapping and touching codings joined'* ]]
	[[ "$output" == *"      --include-interviewer   count codings lying in interviewer turns too"* ]]
}

@test "retrieve --times gives the cue time of each extract from a .vtt document, empty elsewhere" {
	sample_project "$BATS_TEST_TMPDIR/s.qda"
	export QDA_PROJECT="$BATS_TEST_TMPDIR/s.qda"
	run --separate-stderr qda retrieve no-rush --doc C02 --times --limit 1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "C02 ("*") lines 8-8 · Dr Benoît Lefèvre · at 0:02:50 · coder camille · no-rush" ]]
	run --separate-stderr qda retrieve no-rush --doc C02 --times --limit 1 --format csv
	[ "$(printf '%s\n' "$output" | head -1 | awk -F, '{print $NF}')" = "time" ]
	[ "$(printf '%s\n' "$output" | sed -n 2p | awk -F, '{print $NF}')" = "0:02:50" ]
	run --separate-stderr qda retrieve no-rush --doc C02 --times --limit 1 --format md
	[ "${lines[-1]}" = "> — Dr Benoît Lefèvre (C02, clinician), line 8, at 0:02:50" ]
	# a .txt document has no cue times: the column is empty
	run --separate-stderr qda retrieve listening-space --doc P01 --times --limit 1 --format csv
	[ "$(printf '%s\n' "$output" | sed -n 2p | awk -F, '{print $NF}')" = "" ]
	run --separate-stderr qda retrieve no-rush --doc C02 --limit 1 --format csv
	[ "$(printf '%s\n' "$output" | head -1 | awk -F, '{print $NF}')" = "text" ]
}

@test "retrieve --context N counts lines of text, not the blank lines of a double-spaced transcript" {
	export QDA_PROJECT="$BATS_TEST_TMPDIR/ds.qda"
	qda init "$QDA_PROJECT" > /dev/null
	printf 'Inès: Première question ?\n\nLéa: Première réponse.\n\nInès: Deuxième question ?\n\nLéa: Deuxième réponse.\n\nInès: Merci.\n' > d.txt
	qda import d.txt > /dev/null
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	QDA_CODER=ines qda code d --lines 5 listening-space > /dev/null
	run --separate-stderr qda retrieve listening-space --context 1 --format json
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$output" | jq -c '.[0].context_before')" = '"Léa: Première réponse.\n"' ]
	[ "$(printf '%s' "$output" | jq -c '.[0].context_after')" = '"\nLéa: Deuxième réponse."' ]
}
