#!/usr/bin/env bats
# qda map: the thematic map through Graphviz, on the counting project.

load helper
bats_require_minimum_version 1.5.0

setup_file() {
	sample_project "$BATS_FILE_TMPDIR/sample.qda"
}

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

@test "map edges follow the filters: alice's codings alone make a and b co-occur more" {
	# every coder: a has 2 passages (D1, D2), b 2 (D1, D3), one pair shares
	# characters (D1): c = 1/3. alice alone: a 1, b 2, n12 1: c = 1/2.
	run --separate-stderr qda map --format dot --level code --min-c 0.4
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(grep -c 'key=cooccur' <<< "$output")" -eq 0 ]
	run --separate-stderr qda map --format dot --level code --min-c 0.4 --coder alice
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(grep -c 'key=cooccur' <<< "$output")" -eq 1 ]
	[[ "$output" == *"a -- b	[key=cooccur"* ]]
	run --separate-stderr qda map --format dot --level code --min-c 0 --where role=clinician
	[ "$status" -eq 0 ]
	[ "$(grep -c 'key=cooccur' <<< "$output")" -eq 0 ]
}

@test "map with an unknown filter value is an error and draws nothing" {
	run --separate-stderr qda map --format dot --where role=nurse
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda map: error: no case has role=nurse ('qda cases' lists the values)" ]
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

# The sample project's map at threshold $1: the dot and the svg both whole
# (exit 0, nothing on stderr, the closing line last), with the tree's 9
# edges and $2 co-occurrence edges (the pairs of 'qda cooccur --level
# subtheme --measure c --pairs' whose c is at least $1).
map_of_sample() {
	export QDA_PROJECT=$BATS_FILE_TMPDIR/sample.qda
	run --separate-stderr qda map --format dot --min-c "$1"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[-1]}" = "}" ]
	[ "$(grep -c 'key=cooccur' <<< "$output")" -eq "$2" ]
	run --separate-stderr qda map --format svg --min-c "$1"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[-1]}" = "</svg>" ]
	[ "$(grep -c '<g id="edge' <<< "$output")" -eq $((9 + $2)) ]
	xmllint --noout - <<< "$output"
}

@test "map of the sample project at --min-c 0: 32 co-occurrence edges, dot and svg whole" {
	map_of_sample 0 32
}

@test "map of the sample project at --min-c 0.05: 22 co-occurrence edges, dot and svg whole" {
	map_of_sample 0.05 22
}

@test "map of the sample project at --min-c 0.1: 15 co-occurrence edges, dot and svg whole" {
	map_of_sample 0.1 15
}

@test "map of the sample project at --min-c 0.15: 8 co-occurrence edges, dot and svg whole" {
	map_of_sample 0.15 8
}

@test "map of the sample project at --min-c 0.2: 2 co-occurrence edges, dot and svg whole" {
	map_of_sample 0.2 2
}

@test "map of the sample project at --min-c 0.3: no co-occurrence edge, dot and svg whole" {
	map_of_sample 0.3 0
}

@test "map -o of the sample project writes the whole svg to the file and nothing on stdout" {
	export QDA_PROJECT=$BATS_FILE_TMPDIR/sample.qda
	run --separate-stderr qda map --min-c 0 -o map.svg
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(tail -n 1 map.svg)" = "</svg>" ]
	xmllint --noout map.svg
}

@test "map: a crash inside Graphviz is an error, nothing on stdout, and the -o file is left as it was" {
	export QDA_PROJECT=$BATS_FILE_TMPDIR/sample.qda
	printf 'an older map\n' > map.svg
	cp map.svg before.svg
	# QDA_TEST_MAP_CRASH makes the Graphviz child abort once it has drawn the map
	run --separate-stderr env QDA_TEST_MAP_CRASH=1 "$QDA" map -o map.svg
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda map: error: Graphviz crashed while drawing the map (Aborted); nothing was written" ]
	cmp map.svg before.svg
	run --separate-stderr env QDA_TEST_MAP_CRASH=1 "$QDA" map --format dot
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda map: error: Graphviz crashed while drawing the map (Aborted); nothing was written" ]
}
