#!/usr/bin/env bats
# qda status: the six phases and the next step.

load helper
bats_require_minimum_version 1.5.0

@test "status on a new project says to import transcripts" {
	new_project
	run qda status
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "[ ] 1. Familiarisation                  0 documents (0 words), 0 cases; 0 memos, 0 journal entries" ]
	[ "${lines[7]}" = "Next: import your transcripts: qda import FILE..." ]
}

@test "status on a coded project points to the review" {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
	run qda status
	[ "${lines[2]}" = "[x] 2. Generating initial codes         4 codes; 8 codings (0 automatic) by 2 coders, 7 counted; 4 of 4 documents coded" ]
	[ "${lines[3]}" = "[x] 3. Searching for themes             2 themes and 1 sub-theme in codebook version 0; 2 themes with passages" ]
	[ "${lines[7]}" = "Next: have the codings reviewed: qda review --reviewer NAME, or qda review export -o sheet.csv" ]
}

@test "status --format csv gives one row per phase and the next step" {
	new_project
	run qda status --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "phase,name,done,detail" ]
	[ "${lines[1]}" = "1,Familiarisation,no,\"0 documents (0 words), 0 cases; 0 memos, 0 journal entries\"" ]
	[ "${lines[7]}" = ",next,,import your transcripts: qda import FILE..." ]
	[ "${#lines[@]}" -eq 8 ]
}

@test "status counts codings and themes under the filters, the record counts unchanged" {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
	sqlite3 "$QDA_PROJECT" "UPDATE coding_all SET state = 'accepted' WHERE id IN (1, 2, 3, 6, 7, 8);
		UPDATE coding_all SET method = 'auto' WHERE id = 7"
	run --separate-stderr qda status --no-auto --review accepted --where role=patient
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[2]}" = "[x] 2. Generating initial codes         4 codes; 8 codings (1 automatic) by 2 coders, 4 counted; 4 of 4 documents coded" ]
	[ "${lines[3]}" = "[x] 3. Searching for themes             2 themes and 1 sub-theme in codebook version 0; 1 theme with passages" ]
	run --separate-stderr qda status --include-interviewer --format csv
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = '2,Generating initial codes,yes,"4 codes; 8 codings (1 automatic) by 2 coders, 8 counted; 4 of 4 documents coded"' ]
	run --separate-stderr qda status --coder bob --where role=clinician
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "[x] 2. Generating initial codes         4 codes; 8 codings (1 automatic) by 2 coders, 0 counted; 4 of 4 documents coded" ]
	[ "${lines[3]}" = "[x] 3. Searching for themes             2 themes and 1 sub-theme in codebook version 0; 0 themes with passages" ]
}

@test "status with an unknown filter value is an error, a bad --review a usage error" {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
	run --separate-stderr qda status --where role=nurse
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda status: error: no case has role=nurse ('qda cases' lists the values)" ]
	run --separate-stderr qda status --review maybe
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "${stderr_lines[0]}" = "qda status: error: --review is accepted, not-disputed or any, not 'maybe'" ]
}

@test "status counts in the singular when there is one" {
	new_project
	printf 'Inès: Bonjour.\n' > one.txt
	qda import one.txt > /dev/null
	QDA_CODER=ines qda memo add --journal "Premier entretien." > /dev/null
	QDA_CODER=ines qda memo add --doc one "Court." > /dev/null
	run --separate-stderr qda status
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "[x] 1. Familiarisation                  1 document (2 words), 1 case; 1 memo, 1 journal entry" ]
	[ "${lines[2]}" = "[ ] 2. Generating initial codes         0 codes; 0 codings (0 automatic) by 0 coders, 0 counted; 0 of 1 document coded" ]
}
