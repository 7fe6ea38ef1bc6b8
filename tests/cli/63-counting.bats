#!/usr/bin/env bats
# One counting rule everywhere (issue 11), on the hand-made project
# tests/fixtures/counting/rules.sql: interviewer material with the blank
# line between two interviewer turns, touching spans as one passage, near:N
# never lowering a count, empty measures for zero denominators, full
# precision in machine formats, and the shared filters (--coder, --no-auto,
# --review, --where KEY=V[,V]) in every counting command.

bats_require_minimum_version 1.5.0

load helper

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/rules.sql"
}

@test "a coding over two interviewer turns and the blank line between them is interviewer material" {
	run --separate-stderr qda freq --level code --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "Code a,a,code,t,0,0,0" ]
	run --separate-stderr qda freq --level code --format csv --include-interviewer
	[ "${lines[1]}" = "Code a,a,code,t,1,1,1" ]
	run --separate-stderr qda cooccur --level code --format csv
	[ "${lines[1]}" = "a,0,0,0,0,0,0,0,0,0" ]
	run --separate-stderr qda cooccur --level code --format csv --include-interviewer
	[ "${lines[1]}" = "a,1,0,0,0,0,0,0,0,0" ]
	run --separate-stderr qda codebook show --counts --format csv
	[ "${lines[2]}" = "Code a,a,code,candidate,0,0" ]
	run --separate-stderr qda codebook show --counts --include-interviewer --format csv
	[ "${lines[2]}" = "Code a,a,code,candidate,1,1" ]
}

@test "touching spans of one code are one passage: [50,60) and [60,70) count once" {
	run --separate-stderr qda freq --level code --format csv
	[ "${lines[2]}" = "Code b,b,code,t,1,1,1" ]
	run --separate-stderr qda cooccur --level code --format csv
	[ "${lines[2]}" = "b,0,1,0,0,0,0,0,0,0" ]
	run --separate-stderr qda matrix --rows b --cols role --count segments --format csv
	[ "${lines[1]}" = "Code b,1,1,1,0,1,0" ]
}

@test "cooccur counts pairs of passages: a wider window never lowers a count" {
	# c [0,10) d [5,15) c [15,25) d [20,30): two overlapping pairs, one touching
	run --separate-stderr qda cooccur --level code --pairs --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "c,d,2,2,2,1,0.3333333333333333," ]
	run --separate-stderr qda cooccur --level code --pairs --format csv --scope near:0
	[ "${lines[1]}" = "c,d,3,2,2,3,0.3333333333333333,inflated" ]
	# e [0,10) f [14,20) e [25,35) f [39,45): gaps 4, 5 and 4
	run --separate-stderr qda cooccur --level code --pairs --format csv --scope near:4
	[ "${lines[2]}" = "e,f,2,2,2,1,0," ]
	run --separate-stderr qda cooccur --level code --pairs --format csv --scope near:5
	[ "${lines[2]}" = "e,f,3,2,2,3,0,inflated" ]
	run --separate-stderr qda cooccur --level code --pairs --format csv --scope near:3
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = "c,d,3,2,2,3,0.3333333333333333,inflated" ]
}

@test "a measure with a zero denominator is empty, null in JSON, not 0.000" {
	run --separate-stderr qda cooccur --level code --measure c --format csv
	[ "${lines[7]}" = "g,,0,0,0,0,0,,,0" ]
	run --separate-stderr qda cooccur --level code --measure jaccard --format json
	[ "$(echo "$output" | jq -c '.[7] | [.g, .h, .c]')" = "[null,null,0]" ]
	run --separate-stderr qda cooccur --level code --measure c
	[ "${lines[7]}" = "g            0.000  0.000  0.000  0.000  0.000                0.000" ]
}

@test "machine formats carry full precision, text rounds" {
	run --separate-stderr qda cooccur --level code --measure jaccard --format json
	[ "$(echo "$output" | jq -c '.[2].d')" = "0.3333333333333333" ]
	run --separate-stderr qda cooccur --level code --measure jaccard --format tsv
	[ "$(echo "${lines[3]}" | cut -f5)" = "0.3333333333333333" ]
	run --separate-stderr qda cooccur --level code --measure jaccard
	[ "$(echo "${lines[3]}" | tr -s ' ' | cut -d' ' -f4)" = "0.333" ]
}

@test "--no-auto and --review choose which codings count, in freq, cooccur and matrix" {
	run --separate-stderr qda freq --level code --format csv
	[ "${lines[9]}" = "Code r,r,code,u,4,1,1" ]
	run --separate-stderr qda freq --level code --format csv --no-auto
	[ "${lines[9]}" = "Code r,r,code,u,3,1,1" ]
	run --separate-stderr qda freq --level code --format csv --review accepted
	[ "${lines[9]}" = "Code r,r,code,u,2,1,1" ]
	[ "${lines[2]}" = "Code b,b,code,t,0,0,0" ]
	run --separate-stderr qda freq --level code --format csv --review not-disputed
	[ "${lines[9]}" = "Code r,r,code,u,3,1,1" ]
	run --separate-stderr qda cooccur --level code --format csv --no-auto --review not-disputed
	[ "${lines[9]}" = "r,0,0,0,0,0,0,0,0,2" ]
	run --separate-stderr qda matrix --rows r --cols role --count segments --format csv --no-auto
	[ "${lines[1]}" = "Code r,3,1,1,3,0,0" ]
	run --separate-stderr qda freq --review bad
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda freq: error: --review is accepted, not-disputed or any, not 'bad'" ]
}

@test "matrix honours --coder" {
	run --separate-stderr qda --coder bob matrix --rows codes --cols role --format csv
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "Code c,0,0,0,0,1,0,1,0,1" ]
	[ "${lines[5]}" = "Code e,2,1,1,0,1,0,1,1,1" ]
	[ "${lines[9]}" = "Code r,2,1,1,1,1,0,1,0,1" ]
	run --separate-stderr qda --coder bob matrix --rows c,e --cols d,f --format csv
	[ "${lines[1]}" = "c,0,0" ]
}

@test "--where takes a list of values and checks them as it checks keys" {
	run --separate-stderr qda freq --level code --format csv --where role=patient,relative
	[ "$status" -eq 0 ]
	[ "${lines[5]}" = "Code e,e,code,u,2,1,1" ]
	[ "${lines[9]}" = "Code r,r,code,u,0,0,0" ]
	run --separate-stderr qda freq --level code --format csv --where role=patient
	[ "${lines[5]}" = "Code e,e,code,u,0,0,0" ]
	run --separate-stderr qda freq --where role=patinet
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda freq: error: no case has role=patinet; did you mean 'patient'? ('qda cases' lists the values)" ]
	run --separate-stderr qda cooccur --where role=clinician,patinet
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda cooccur: error: no case has role=patinet; did you mean 'patient'? ('qda cases' lists the values)" ]
	run --separate-stderr qda matrix --rows codes --cols role --where rol=patient
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda matrix: error: no case has an attribute 'rol'; did you mean 'role'? ('qda cases' lists them)" ]
	run --separate-stderr qda freq --where role
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda freq: error: --where wants KEY=VALUE[,VALUE...], not 'role'" ]
}

@test "codebook show --counts counts as freq does, with the same filters" {
	run --separate-stderr qda codebook show --counts --format csv --no-auto
	[ "$status" -eq 0 ]
	[ "${lines[11]}" = "Code r,r,code,candidate,3,1" ]
	run --separate-stderr qda --coder alice codebook show --counts --format csv
	[ "${lines[11]}" = "Code r,r,code,candidate,2,1" ]
}
