#!/usr/bin/env bats
# Search and quotes that understand French and English: typographic
# apostrophes and quotes, no-break spaces, phrases, stems in each document's
# language, the hit count, and restrictions by speaker, case attribute and
# code. Fixtures: tests/fixtures/search (three short interviews written for
# these tests: lea and hugo in French, sam in English by its case attribute).

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	export QDA_CODER=camille
	qda import --interviewer Camille --interviewer Interviewer \
		"$FIXTURES/search/lea.txt" "$FIXTURES/search/hugo.md" "$FIXTURES/search/sam.txt" > /dev/null
	qda case import "$FIXTURES/search/cases.csv" > /dev/null
}

codebook() {
	printf 'codebook: t\nthemes:\n  - id: listening\n    name: Listening\n    codes:\n      - id: heard\n        name: Being heard\n' > cb.yaml
	qda codebook load cb.yaml > /dev/null
}

@test "code --quote: a straight apostrophe finds the typographic one" {
	codebook
	run --separate-stderr qda code lea --quote "d'avoir tort" heard
	[ "$status" -eq 0 ]
	[ "$output" = "coded lea lines 4-4 [184, 196) as heard (coding 1)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT substr(text, 185, 12) FROM document WHERE name = 'lea'")" = "d’avoir tort" ]
}

@test "code --quote: straight quotes and spaces find « » with no-break spaces inside" {
	codebook
	run --separate-stderr qda code lea --quote '"prendre le temps"' heard
	[ "$status" -eq 0 ]
	[ "$output" = "coded lea lines 4-4 [216, 236) as heard (coding 1)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT substr(text, 217, 20) FROM document WHERE name = 'lea'")" = "$(printf '«\u00a0prendre le temps\u00a0»')" ]
}

@test "code --quote: a typographic apostrophe typed finds a straight one in the text" {
	codebook
	run --separate-stderr qda code hugo --quote "n’écoute pas" heard
	[ "$status" -eq 0 ]
	[ "$output" = "coded hugo lines 3-3 [136, 148) as heard (coding 1)" ]
}

@test "code --quote: a quote not found says what was tried and where it is ignoring case" {
	codebook
	run --separate-stderr qda code lea --quote "D'AVOIR TORT" heard
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda code: lea: error: the quote \"D'AVOIR TORT\" was not found as written (with ’ ‘ as ', “ ” « » as \", no-break spaces and runs of spaces as one space); ignoring case and accents it is at line 4; check it with 'qda show lea --lines 4'" ]
}

@test "search: a straight apostrophe finds the typographic one, and the reverse" {
	run --separate-stderr qda search "d'avoir" --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 1 hit in 1 document" ]
	[ "${lines[1]}" = "$(printf 'lea,lea,4,4,Léa,184,191,"Léa: On s’écoute l’une l’autre. J’ai eu peur ",d’avoir," tort, mais elle m’a dit «\u00a0prendre le temps\u00a0», c’est tout\u202f!",')" ]
	run --separate-stderr qda search "n’écoute" --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 1 hit in 1 document" ]
	[ "${lines[1]}" = "hugo,hugo,3,3,Hugo,136,144,\"Hugo: Le médecin \",n'écoute,\" pas toujours, il n'a pas le temps.\"," ]
}

@test "search: a phrase in quotes, across « » and no-break spaces; the count ends the text output" {
	run --separate-stderr qda search '"prendre le temps"'
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "hugo:2 (Hugo)  Hugo: Je l'écoutais sans [prendre le temps] de répondre. Écoutez, le temps passe vi…" ]
	[ "${lines[1]}" = "$(printf 'lea:4 (Léa)  … peur d’avoir tort, mais elle m’a dit «\u00a0[prendre le temps]\u00a0», c’est tout\u202f!')" ]
	[ "${lines[2]}" = "2 hits in 2 documents" ]
}

@test "search: one hit in one document is said in the singular" {
	run --separate-stderr qda search soigner
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1 hit in 1 document" ]
}

@test "search: machine formats keep the count off stdout" {
	run --separate-stderr qda search temps --format json
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 7 hits in 2 documents" ]
	[ "$(echo "$output" | jq length)" = "7" ]
}

@test "search --stem: ecoute finds écoutée, écoute, écouter, écoutais, écoutez in French documents" {
	q=ecoute
	run --separate-stderr qda search --stem ecoute --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 7 hits in 2 documents" ]
	[ "$(qda search --stem $q --format json | jq -r '.[] | "\(.document),\(.line),\(.match)"' | tr '\n' ' ')" = "hugo,2,écoutais hugo,2,Écoutez hugo,3,écoute lea,2,écoutée lea,2,écoutée lea,4,écoute lea,5,Écouter " ]
}

@test "search --stem: without it, ecoute finds the exact word only" {
	run --separate-stderr qda search ecoute --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 2 hits in 2 documents" ]
}

@test "search --stem: English stems in a document whose case says language=English" {
	q=listen
	run --separate-stderr qda search --stem listen --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 4 hits in 1 document" ]
	[ "$(qda search --stem $q --format json | jq -r '.[] | "\(.document),\(.line),\(.match)"' | tr '\n' ' ')" = "sam,2,listened sam,2,listened sam,2,Listening sam,4,listen " ]
}

@test "search --stem: a document's language comes from import --lang before its case" {
	qda doc remove sam > /dev/null
	cp "$FIXTURES/search/sam.txt" sam2.txt
	qda import --lang fr --interviewer Interviewer sam2.txt > /dev/null
	qda case set sam2 language=English > /dev/null
	# French stemming leaves listened and listening apart from listen
	run --separate-stderr qda search --stem listen --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 1 hit in 1 document" ]
	[ "$(qda search --stem listen --format json | jq -r '.[] | "\(.document),\(.match)"')" = "sam2,listen" ]
}

@test "search --stem: the project's language is for documents that do not say theirs" {
	rm -f "$QDA_PROJECT"
	qda init --lang en "$QDA_PROJECT" > /dev/null
	qda import --interviewer Interviewer "$FIXTURES/search/sam.txt" > /dev/null
	run --separate-stderr qda search --stem trusted --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 3 hits in 1 document" ]
}

@test "search --stem: several words must all be on the line" {
	q="ecouter temps"
	run --separate-stderr qda search --stem ecouter temps --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 14 hits in 2 documents" ]
	[ "$(qda search --stem $q --format json | jq -r '.[] | "\(.document),\(.line),\(.match)"' | tr '\n' ' ')" = "hugo,2,écoutais hugo,2,temps hugo,2,Écoutez hugo,2,temps hugo,3,écoute hugo,3,temps lea,2,écoutée lea,2,écoutée lea,2,temps lea,4,écoute lea,4,temps lea,5,Écouter lea,5,temps lea,5,temps " ]
}

@test "search --stem refuses phrases and operators with a hint" {
	run --separate-stderr qda search --stem '"prendre le temps"'
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda search: error: query '\"prendre le temps\"': --stem takes words, not \"phrases\" or prefixes*; search them without --stem" ]
	run --separate-stderr qda search --stem ecoute OR temps
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda search: error: query 'ecoute OR temps': --stem finds lines holding every word; leave out OR" ]
}

@test "search --speaker keeps one speaker's turns" {
	run --separate-stderr qda search temps --speaker Hugo --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 3 hits in 1 document" ]
	run --separate-stderr qda search time --speaker Interviewer
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: no match for time" ]
	run --separate-stderr qda search temps --speaker Nobody
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda search: error: no speaker 'Nobody' in any document; 'qda speakers' lists them" ]
}

@test "search --where keeps the documents of cases with those values" {
	run --separate-stderr qda search --stem listen ecoute --where group=patient --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: no match for listen ecoute" ]
	run --separate-stderr qda search --stem trust --where group=relative --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 3 hits in 1 document" ]
	run --separate-stderr qda search temps --where group=patients
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda search: error: no case has group=patients; did you mean 'patient'? ('qda cases' lists the values)" ]
}

@test "search --code keeps the hits inside codings of the code or its descendants" {
	codebook
	qda code hugo --lines 2 heard > /dev/null
	qda --coder yanis code lea --lines 5 listening > /dev/null
	run --separate-stderr qda search temps --code listening --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda search: 4 hits in 2 documents" ]
	[ "$(qda search temps --code listening --format json | jq -r '.[] | "\(.document),\(.line)"' | tr '\n' ' ')" = "hugo,2 hugo,2 lea,5 lea,5 " ]
	run --separate-stderr qda --coder yanis search temps --code listening --format csv
	[ "$stderr" = "qda search: 2 hits in 1 document" ]
	run --separate-stderr qda search temps --no-auto
	[ "$status" -eq 2 ]
}
