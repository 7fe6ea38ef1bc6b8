#!/usr/bin/env bats
# qda status: the six phases and the next step.

load helper

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
	[ "${lines[2]}" = "[x] 2. Generating initial codes         4 codes; 8 codings (0 automatic) by 2 coders; 4 of 4 documents coded" ]
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
