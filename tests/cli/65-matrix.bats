#!/usr/bin/env bats
# qda matrix on the counting project: by attribute, by case, code by code.

load helper

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

@test "matrix themes by role counts cases out of each group" {
	run qda matrix --rows themes --cols role --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "name,segments,documents,cases,clinician,clinician_n,patient,patient_n" ]
	[ "${lines[1]}" = "Theme T,4,3,2,0,1,2,2" ]
	[ "${lines[2]}" = "Theme U,1,1,1,1,1,0,2" ]
}

@test "matrix codes by cases counts segments per case" {
	run qda matrix --rows codes --cols cases --count segments --format csv
	[ "${lines[0]}" = "name,segments,documents,cases,C1,C2,C3" ]
	[ "${lines[1]}" = "Code a,2,2,1,2,0,0" ]
	[ "${lines[2]}" = "Code b,2,2,2,1,1,0" ]
}

@test "matrix code by code counts passages coded with both, themes rolled up" {
	run qda matrix --rows a,b,t --cols b,c --format csv
	[ "${lines[0]}" = "code,b,c" ]
	[ "${lines[1]}" = "a,1,0" ]
	[ "${lines[3]}" = "t,2,1" ]
}

@test "matrix with columns that are neither attribute nor code is an error" {
	run qda matrix --cols age
	[ "$status" -eq 1 ]
	[ "$output" = "qda matrix: error: --cols: 'age' is neither a case attribute nor a code; 'qda cases' shows the attributes, 'qda codebook show' the codes" ]
}
