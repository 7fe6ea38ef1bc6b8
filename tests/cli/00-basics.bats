#!/usr/bin/env bats
# The command table, --help everywhere, project discovery, exit statuses.

load helper
bats_require_minimum_version 1.5.0

@test "every command in 'qda help' answers --help with a usage line and exit 0" {
	run qda help
	[ "$status" -eq 0 ]
	cmds=$(printf '%s\n' "$output" | awk '/^commands:/{f=1; next} f && /^  [a-z]/{print $1}')
	[ -n "$cmds" ]
	for c in $cmds; do
		run qda "$c" --help
		if [ "$status" -ne 0 ] || [[ "$output" != usage:\ qda\ $c* ]]; then
			echo "qda $c --help: status $status: $output"
			return 1
		fi
	done
}

@test "every command in 'qda help' has an entry in the man page" {
	man=$BATS_TEST_DIRNAME/../../man/qda.1
	run qda help
	[ "$status" -eq 0 ]
	cmds=$(printf '%s\n' "$output" | awk '/^commands:/{f=1; next} f && /^  [a-z]/{print $1}')
	[ -n "$cmds" ]
	for c in $cmds; do
		if ! grep -qE "^\.It Cm $c( |\$)|, Cm $c( |\$)" "$man"; then
			echo "man/qda.1 has no entry for qda $c"
			return 1
		fi
	done
}

@test "init creates a project readable by its owner only" {
	cd "$BATS_TEST_TMPDIR"
	run qda init
	[ "$status" -eq 0 ]
	[ "$output" = "Created project.qda (schema 6). Next: qda import FILE..." ]
	[ "$(stat -c %a project.qda)" = "600" ]
}

@test "init refuses to overwrite an existing project" {
	cd "$BATS_TEST_TMPDIR"
	qda init p.qda
	run qda init p.qda
	[ "$status" -eq 1 ]
	[ "$output" = "qda init: error: p.qda already exists; use another name or remove it first" ]
}

@test "a project named like a URI (file:...) is that file" {
	cd "$BATS_TEST_TMPDIR"
	run qda init 'file:p.qda?mode=ro'
	[ "$status" -eq 0 ]
	[ "$output" = "Created file:p.qda?mode=ro (schema 6). Next: qda import FILE..." ]
	run qda -p 'file:p.qda?mode=ro' log --format csv
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == 1,*,,qda\ init\ file:p.qda\?mode=ro,project\ created, ]]
	[ ! -e p.qda ]
}

@test "the project is found in a parent directory, as git finds .git" {
	cd "$BATS_TEST_TMPDIR"
	unset QDA_PROJECT
	qda init
	mkdir -p a/b
	cd a/b
	run qda log --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,at,coder,command,summary,undone_by" ]
	[[ "${lines[1]}" == 1,*,,qda\ init,project\ created, ]]
}

@test "no project anywhere is a clear error with exit 1" {
	cd "$BATS_TEST_TMPDIR"
	unset QDA_PROJECT
	run qda docs
	[ "$status" -eq 1 ]
	[[ "$output" == "qda docs: error: no project here: no project.qda in this directory or a parent; create one with 'qda init', or name it with -p FILE or \$QDA_PROJECT" ]]
}

@test "-p names a project that does not exist: exit 1 and a hint" {
	cd "$BATS_TEST_TMPDIR"
	run qda -p nowhere.qda docs
	[ "$status" -eq 1 ]
	[ "$output" = "qda docs: error: nowhere.qda: no such project; create one with 'qda init' or name it with -p" ]
}

@test "an unknown option is a usage error with exit 2" {
	new_project
	run qda log --bogus
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda log: error: unknown option '--bogus'" ]
	[ "${lines[1]}" = "Try 'qda log --help'." ]
}

@test "an unknown command is a usage error with exit 2" {
	run qda frobnicate
	[ "$status" -eq 2 ]
	[ "$output" = "qda: error: 'frobnicate' is not a qda command; 'qda help' lists them" ]
}

@test "an unknown --format is a usage error naming the formats" {
	new_project
	run qda log --format xml
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda log: error: unknown format 'xml'; use one of: text, csv, tsv, json, md" ]
}

@test "a file that is not a project is refused" {
	cd "$BATS_TEST_TMPDIR"
	echo "hello" > notes.qda
	run qda -p notes.qda log
	[ "$status" -eq 1 ]
	[[ "$output" == *"notes.qda is not a qda project"* ]]
}

@test "log records each change with its command line" {
	new_project
	run qda log --format tsv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == *"	qda init $QDA_PROJECT	project created	" ]]
}

@test "a mistyped option or verb gets the nearest one suggested" {
	run qda freq --lvel theme
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda freq: error: unknown option '--lvel'; did you mean '--level'?" ]
	run qda cooccur --pair
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda cooccur: error: unknown option '--pair'; did you mean '--pairs'?" ]
	run qda theme renam a b
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda theme: error: unknown verb 'renam'; did you mean 'rename'? The verbs are: rename, define, status, move, merge, split" ]
	run qda imprt
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda: error: 'imprt' is not a qda command; did you mean 'import'? ('qda help' lists them)" ]
}

@test "qda help COMMAND VERB shows the verb's own help" {
	run qda help theme merge
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: qda theme merge ID... --into TARGET [--name NAME]" ]
	run qda help codebook load
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: qda codebook load"* ]]
}

@test "long work shows its progress on a terminal's stderr, and nothing when stderr is not a terminal" {
	new_project
	printf 'Inès: un deux trois quatre cinq six sept huit neuf dix onze douze.\n' > d.txt
	qda import d.txt > /dev/null
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	{ echo "document,unit,from,to,code,coder"; for i in $(seq 0 599); do echo "d,char,$((i % 20)),$((i % 20 + 1 + i / 20)),listening-space,ines"; done; } > many.csv
	run script -qec "QDA_PROGRESS_DELAY=0 $QDA code --from many.csv" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\r'"coding 256/600 (43%)"* ]]
	[[ "$output" == *"many.csv: 600 codings added, 0 already present"* ]]
	run --separate-stderr env QDA_PROGRESS_DELAY=0 "$QDA" code --from many.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
}

@test "import of several files shows its progress on a terminal, count, total and share" {
	new_project
	run script -qec "QDA_PROGRESS_DELAY=0 $QDA import $CORPUS/C01.txt $CORPUS/C03.txt" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\r'"importing 0/2 (0%)"$'\033[K'* ]]
	[[ "$output" == *"2 documents imported"* ]]
}

@test "agree over a project shows its progress on a terminal" {
	sample_project "$BATS_TEST_TMPDIR/s.qda"
	run script -qec "QDA_PROGRESS_DELAY=0 $QDA -p $BATS_TEST_TMPDIR/s.qda agree --coders camille,yanis --format csv" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == $'\r'"comparing documents 0/18 (0%)"* ]]
}
