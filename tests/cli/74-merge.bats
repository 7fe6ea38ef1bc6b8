#!/usr/bin/env bats
# qda merge: a co-coder who worked on a copy of the project comes back.

load helper

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
	cp "$QDA_PROJECT" copy.qda
	sqlite3 copy.qda "INSERT INTO coder(name) VALUES ('carol');
		INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)
		SELECT 1, 3, id, 0, 12, 1, 1 FROM coder WHERE name = 'carol'"
}

@test "merge brings the co-coder's codings, and twice adds nothing" {
	run qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "merged copy.qda: 4 documents matched" ]
	[ "${lines[1]}" = "  codings: 1 added, 8 already here, 0 skipped" ]
	[ "${lines[2]}" = "  coders added: 1; codes added: 0; reviews: 0; memos: 0" ]
	run qda merge copy.qda
	[ "${lines[1]}" = "  codings: 0 added, 9 already here, 0 skipped" ]
	[ "$(count_rows coding)" -eq 9 ]
}

@test "merge reports a document with the same name and other text" {
	sqlite3 copy.qda "UPDATE document_all SET text = 'autre', text_hash = 'other' WHERE name = 'D1'"
	run qda merge copy.qda
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qda merge: copy.qda:D1: warning: a document named 'D1' is here with different text; its 5 codings were not merged (import the other version under another name with --name to compare)" ]
	[ "${lines[2]}" = "  codings: 0 added, 4 already here, 5 skipped" ]
}

@test "merge refuses a file that is not a project" {
	echo "hello" > notes.qda
	run qda merge notes.qda
	[ "$status" -eq 1 ]
	[[ "$output" == "qda merge: notes.qda: error: cannot open it: "* || "$output" == "qda merge: notes.qda: error: is not a qda project" ]]
	[ "$(count_rows coding)" -eq 8 ]
}

@test "merge refuses the project itself" {
	run qda merge "$QDA_PROJECT"
	[ "$status" -eq 1 ]
	[ "$output" = "qda merge: $QDA_PROJECT: error: is this project itself; give the co-coder's copy" ]
}
