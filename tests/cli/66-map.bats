#!/usr/bin/env bats
# qda map: the thematic map through Graphviz, on the counting project.

load helper

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

@test "map --format dot has the tree and a co-occurrence edge above the threshold" {
	run qda map --format dot --level code --min-c 0.3
	[ "$status" -eq 0 ]
	[[ "$output" == *"t -- s"* ]]
	[[ "$output" == *"s -- a"* ]]
	[[ "$output" == *"a -- b	[key=cooccur"* ]]
	run qda map --format dot --level code --min-c 0.5
	[[ "$output" != *"key=cooccur"* ]]
}

@test "map --format svg is well-formed" {
	qda map -o map.svg
	run xmllint --noout map.svg
	[ "$status" -eq 0 ]
	grep -q '<title>thematic_map</title>' map.svg
}

@test "map --min-c out of range is a usage error" {
	run qda map --min-c 2
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda map: error: --min-c wants a number from 0 to 1, not '2'" ]
}
