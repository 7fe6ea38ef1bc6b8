#!/usr/bin/env bats
# qda words: word frequencies, exact or by stem, over documents, a group or a
# code's passages; the stop lists and the project's changes to them.
# Fixtures: tests/fixtures/search (lea and hugo in French, sam in English).

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	export QDA_CODER=camille
	qda import --interviewer Camille --interviewer Interviewer \
		"$FIXTURES/search/lea.txt" "$FIXTURES/search/hugo.md" "$FIXTURES/search/sam.txt" > /dev/null
	qda case import "$FIXTURES/search/cases.csv" > /dev/null
}

@test "words: the most frequent words, stop words, labels and the interviewer left out" {
	run --separate-stderr qda words --top 6
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "word      count  documents  weighted_pct  forms" ]
	[ "${lines[1]}" = "temps         7          2          6.73  temps" ]
	[ "${lines[2]}" = "time          3          1          2.88  time" ]
	[ "${lines[3]}" = "listened      2          1          1.92  listened" ]
	[ "${lines[4]}" = "prendre       2          2          1.92  prendre" ]
	[ "${lines[5]}" = "écoute        2          2          1.92  écoute" ]
	[ "${lines[6]}" = "écoutée       2          1          1.92  écoutée" ]
	[ "${#lines[@]}" -eq 7 ]
}

@test "words --stem groups the forms of one stem in each document's language" {
	run --separate-stderr qda words --stem --top 3 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "word,count,documents,weighted_pct,forms" ]
	[ "${lines[1]}" = "temps,7,2,6.730769230769231,temps" ]
	[ "${lines[2]}" = "écoute,7,2,6.730769230769231,\"écoute, écoutée, écoutais, écouter, écoutez\"" ]
	[ "${lines[3]}" = "listened,4,1,3.8461538461538463,\"listened, listen, listening\"" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "words --format json is an array with the CSV's keys" {
	run --separate-stderr qda words --stem --top 2 --format json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.[1] | "\(.word) \(.count) \(.documents) \(.forms)"')" = "écoute 7 2 écoute, écoutée, écoutais, écouter, écoutez" ]
}

@test "words CODE counts the words of the code's passages, descendants included" {
	printf 'codebook: t\nthemes:\n  - id: listening\n    name: Listening\n    codes:\n      - id: heard\n        name: Being heard\n' > cb.yaml
	qda codebook load cb.yaml > /dev/null
	qda code lea --quote '"prendre le temps"' heard > /dev/null
	qda code hugo --quote "n'écoute pas" heard > /dev/null
	qda code hugo --quote "n'écoute pas toujours" listening > /dev/null
	# 7 words in the passages: « prendre le temps », n'écoute pas toujours (two codings, one passage)
	run --separate-stderr qda words listening --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | tr '\n' ' ')" = "word,count,documents,weighted_pct,forms prendre,1,1,14.285714285714286,prendre temps,1,1,14.285714285714286,temps toujours,1,1,14.285714285714286,toujours écoute,1,1,14.285714285714286,écoute " ]
	run --separate-stderr qda words listening --coder nobody
	[ "$status" -eq 1 ]
}

@test "words: --include-interviewer counts the interviewer's words; --doc one document" {
	run --separate-stderr qda words --doc sam --top 3 --format csv
	[ "$(printf '%s\n' "${lines[@]}" | cut -d, -f1,2 | tr '\n' ' ')" = "word,count time,3 listened,2 anyone,1 " ]
	run --separate-stderr qda words --doc sam --include-interviewer --top 3 --format csv
	[ "$(printf '%s\n' "${lines[@]}" | cut -d, -f1,2 | tr '\n' ' ')" = "word,count time,3 listened,2 trust,2 " ]
}

@test "words --where counts a group of cases" {
	run --separate-stderr qda words --where group=relative --top 1 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "time,3,1,9.67741935483871,time" ]
}

@test "words --min-length leaves short words out" {
	run --separate-stderr qda words --min-length 7 --top 0 --format csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | tr '\n' ' ')" = "listened prendre écoutée confiance listening médecin répondre soigner toujours trusting vraiment écoutais écouter écoutez " ]
}

@test "words --stop add, remove and list change the project's stop list" {
	run --separate-stderr qda words --stop add Temps
	[ "$status" -eq 0 ]
	[ "$output" = "1 stop word added" ]
	run --separate-stderr qda words --stop add temps
	[ "$output" = "0 stop words added" ]
	run --separate-stderr qda words --top 1 --format csv
	[ "${lines[1]}" = "time,3,1,2.8846153846153846,time" ]
	run --separate-stderr qda words --stop remove temps pour
	[ "$output" = "2 stop words removed" ]
	run --separate-stderr qda words --stop list --format csv
	[ "${lines[0]}" = "word,list" ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^pour,')" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^the,en$')" -eq 1 ]
	run --separate-stderr qda words --top 1 --format csv
	[ "${lines[1]}" = "temps,7,2,6.730769230769231,temps" ]
	run --separate-stderr qda words --stop drop x
	[ "$status" -eq 2 ]
}

@test "words --format svg draws a bar chart" {
	run --separate-stderr qda words --top 3 --format svg
	[ "$status" -eq 0 ]
	[[ "${lines[2]}" == "<title>Word frequencies</title>" ]]
	echo "$output" | xmllint --noout -
	[ "$(echo "$output" | grep -c '>temps<')" -eq 1 ]
}
