#!/usr/bin/env bats
# qda cooccur on the hand-made counting project: the matrix, pairs with the
# c-coefficient, unit scopes, the heat map.

load helper

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

@test "cooccur counts overlapping passages once, codes on the diagonal" {
	run qda cooccur --level code --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code,a,b,c,uu" ]
	[ "${lines[1]}" = "a,2,1,0,0" ]
	[ "${lines[2]}" = "b,1,2,0,0" ]
	[ "${lines[3]}" = "c,0,0,1,0" ]
	[ "${lines[4]}" = "uu,0,0,0,1" ]
}

@test "cooccur --pairs lists n12, n1, n2, the c-coefficient and Jaccard" {
	run qda cooccur --level code --pairs --format csv
	[ "${lines[0]}" = "code_a,code_b,n12,n1,n2,c,jaccard,flag" ]
	[ "${lines[1]}" = "a,b,1,2,2,0.3333333333333333,0.125," ]
	[ "${#lines[@]}" -eq 2 ]
	run qda cooccur --level code --pairs
	[ "$(echo "${lines[1]}" | tr -s ' ')" = "a b 1 2 2 0.333 0.125 " ]
}

@test "cooccur --scope doc and case count units holding both codes" {
	run qda cooccur --level code --scope doc --format csv
	[ "${lines[1]}" = "a,2,1,1,0" ]
	run qda cooccur --level code --scope case --format csv
	[ "${lines[1]}" = "a,1,1,1,0" ]
}

@test "cooccur --scope near:N joins codings within N characters" {
	run qda cooccur --level code --scope near:40 --format csv
	[ "${lines[1]}" = "a,2,1,1,0" ]
	run qda cooccur --level code --scope near:39 --format csv
	[ "${lines[1]}" = "a,2,1,0,0" ]
}

@test "cooccur --measure c marks skewed pairs in text" {
	run qda cooccur --level code --measure c
	[ "${lines[0]}" = "code  a      b      c      uu" ]
	[ "${lines[1]}" = "a            0.333  0.000  0.000" ]
}

@test "cooccur --format svg is a well-formed heat map" {
	qda cooccur --level code --format svg -o heat.svg
	run xmllint --noout heat.svg
	[ "$status" -eq 0 ]
	[ "$(grep -c '<rect x=' heat.svg)" -eq 16 ]
}

@test "cooccur with a bad scope is a usage error" {
	run qda cooccur --scope paragraph
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda cooccur: error: --scope is overlap, near:N, turn, doc or case, not 'paragraph'" ]
}
