#!/usr/bin/env bats
# qda retrieve on the hand-made coding project (tests/fixtures/coding):
# themes with their descendants, --and, --not, --where, --coder, context,
# quotes for a paper (md), csv and json with exact values.

load helper

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
	[ "${lines[0]}" = "qda retrieve: error: --where wants KEY=VALUE, not 'role'" ]
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
