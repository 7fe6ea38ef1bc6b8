#!/usr/bin/env bats
# Files qda writes (-o FILE): written whole through a temporary file beside
# the target, or not at all; new files private (mode 600); never over the
# project itself.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

# No temporary file of qda's is left in the test's folder.
no_temporary_file() {
	[ "$(find . -name '.*.qda-tmp*')" = "" ]
}

@test "files: -o writes what stdout would show, and nothing on stdout" {
	qda docs --format csv > expected.csv
	run --separate-stderr qda docs --format csv -o docs.csv
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	cmp docs.csv expected.csv
	no_temporary_file
}

@test "files: a new -o file is mode 600" {
	run qda docs -o docs.txt
	[ "$status" -eq 0 ]
	[ "$(stat -c %a docs.txt)" = "600" ]
}

@test "files: an -o file replaced keeps its mode" {
	printf 'old\n' > docs.txt
	chmod 640 docs.txt
	run qda docs -o docs.txt
	[ "$status" -eq 0 ]
	[ "$(stat -c %a docs.txt)" = "640" ]
	[ "$(cat docs.txt)" = "$(qda docs)" ]
}

@test "files: a command that fails leaves an existing -o file as it was, byte for byte" {
	printf 'the extracts of last week\n' > out.txt
	cp out.txt before.txt
	run --separate-stderr qda retrieve nosuch -o out.txt
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda retrieve: error: unknown code 'nosuch'; 'qda codebook show' lists the codes" ]
	cmp out.txt before.txt
	run --separate-stderr qda codings --format csv --code nosuch -o out.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda codings: error: unknown code 'nosuch'; 'qda codebook show' lists the codes" ]
	cmp out.txt before.txt
	run --separate-stderr qda freq --by nosuch -o out.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda freq: error: no case has an attribute 'nosuch' ('qda cases' lists them)" ]
	cmp out.txt before.txt
	no_temporary_file
}

@test "files: a command that fails writes no new -o file" {
	run --separate-stderr qda retrieve nosuch -o out.txt
	[ "$status" -eq 1 ]
	[ ! -e out.txt ]
	no_temporary_file
}

@test "files: -o the project file is refused, and the project still opens" {
	cp project.qda before.qda
	run --separate-stderr qda codings --format csv -o project.qda
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda codings: error: -o project.qda is the project file; choose another output file" ]
	cmp project.qda before.qda
	run --separate-stderr qda -o ./project.qda docs
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda docs: error: -o ./project.qda is the project file; choose another output file" ]
	run --separate-stderr qda -p project.qda codebook export --format yaml -o "$PWD/project.qda"
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda codebook export: error: -o $PWD/project.qda is the project file; choose another output file" ]
	cmp project.qda before.qda
	run qda docs --format csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "files: -o the project's write-ahead log or shared memory is refused" {
	before=$(cksum < project.qda)
	run --separate-stderr qda docs -o project.qda-wal
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda docs: error: -o project.qda-wal is part of the project file; choose another output file" ]
	run --separate-stderr qda docs -o project.qda-shm
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda docs: error: -o project.qda-shm is part of the project file; choose another output file" ]
	# nothing was written into the log (qda's own reading leaves it empty)
	[ ! -s project.qda-wal ]
	[ "$(cksum < project.qda)" = "$before" ]
	run qda docs --format csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "files: -o another project is refused" {
	cp project.qda other.qda
	run --separate-stderr qda docs -o other.qda
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda docs: error: -o other.qda is an SQLite database, perhaps another project; choose another output file" ]
	cmp project.qda other.qda
}

@test "files: -o a symbolic link is refused without --force; the link and its target stay as they were" {
	mkdir real
	printf 'old\n' > real/docs.txt
	ln -s real/docs.txt link.txt
	run --separate-stderr qda docs -o link.txt
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda docs: error: link.txt is a symbolic link (to real/docs.txt); qda does not write through links: name the file itself, or add --force to write the file it points to" ]
	[ -L link.txt ]
	[ "$(cat real/docs.txt)" = "old" ]
	no_temporary_file
}

@test "files: -o a dangling symbolic link is refused without --force and creates nothing" {
	ln -s /tmp/qda-nowhere-$$/x.txt link.txt
	run --separate-stderr qda codings --format csv -o link.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda codings: error: link.txt is a symbolic link (to /tmp/qda-nowhere-$$/x.txt); qda does not write through links: name the file itself, or add --force to write the file it points to" ]
	[ ! -e /tmp/qda-nowhere-$$ ]
	[ -L link.txt ]
}

@test "files: --force (before or after the command) writes the file a symbolic link points to, and the link stays" {
	mkdir real
	printf 'old\n' > real/docs.txt
	ln -s real/docs.txt link.txt
	run --separate-stderr qda --force docs -o link.txt
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ -L link.txt ]
	[ "$(cat real/docs.txt)" = "$(qda docs)" ]
	printf 'old\n' > real/docs.txt
	run --separate-stderr qda docs --format csv -o link.txt --force
	[ "$status" -eq 0 ]
	[ -L link.txt ]
	[ "$(cat real/docs.txt)" = "$(qda docs --format csv)" ]
	no_temporary_file
}

@test "files: dump refuses to write through a symbolic link in its folder" {
	run qda dump d
	[ "$status" -eq 0 ]
	printf 'secret\n' > elsewhere.txt
	rm d/codebook.yaml
	ln -s ../elsewhere.txt d/codebook.yaml
	run --separate-stderr qda dump d
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda dump: error: d/codebook.yaml is a symbolic link (to ../elsewhere.txt); qda does not write through links: name the file itself, or add --force to write the file it points to" ]
	[ "$(cat elsewhere.txt)" = "secret" ]
}

@test "files: every file holding interview text is created mode 600" {
	qda codebook export --format yaml > /dev/null
	run qda codings --format csv -o codings.csv
	[ "$status" -eq 0 ]
	run qda retrieve a -o retrieve.txt
	[ "$status" -eq 0 ]
	run qda report --format html -o report.html
	[ "$status" -eq 0 ]
	run qda report -o report.md
	[ "$status" -eq 0 ]
	run qda review export -o sheet.csv
	[ "$status" -eq 0 ]
	run qda show D4 -o show.txt
	[ "$status" -eq 0 ]
	run qda search deux -o search.txt
	[ "$status" -eq 0 ]
	for f in codings.csv retrieve.txt report.html report.md sheet.csv show.txt search.txt; do
		[ "$(stat -c %a $f)" = "600" ] || { echo "$f: $(stat -c %a $f)"; return 1; }
	done
	[ -s retrieve.txt ] && [ -s sheet.csv ] && [ -s report.html ]
	run qda dump d
	[ "$status" -eq 0 ]
	[ "$(stat -c %a d)" = "700" ]
	[ "$(find d -type f | wc -l)" -gt 3 ]
	[ "$(find d -type f ! -perm 600 | wc -l)" -eq 0 ]
	[ "$(find d -type d ! -perm 700 | wc -l)" -eq 0 ]
}

@test "files: -o an SQLite database that is not a project is refused too" {
	sqlite3 notes.db 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
	cp notes.db before.db
	run --separate-stderr qda report --format html -o notes.db
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda report: error: -o notes.db is an SQLite database, perhaps another project; choose another output file" ]
	cmp notes.db before.db
}

@test "files: a failing review export or report leaves an existing -o file as it was" {
	printf 'last week\n' > out.csv
	cp out.csv before.csv
	run --separate-stderr qda review export --code nosuch -o out.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda review export: error: unknown code 'nosuch'; 'qda codebook show' lists the codes" ]
	cmp out.csv before.csv
	run --separate-stderr qda report --format pdf -o out.csv
	[ "$status" -eq 2 ]
	cmp out.csv before.csv
	no_temporary_file
}

@test "files: -o a named pipe writes into the pipe" {
	mkfifo pipe
	cat pipe > got.txt 3>&- &
	run qda docs -o pipe
	[ "$status" -eq 0 ]
	wait
	[ -p pipe ]
	[ "$(cat got.txt)" = "$(qda docs)" ]
}

@test "files: -o in a folder that does not exist is an error" {
	run --separate-stderr qda docs -o nowhere/docs.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda docs: error: cannot write nowhere/docs.txt: No such file or directory" ]
}

@test "files: a command killed while it writes leaves the -o file as it was and no temporary file" {
	printf 'keep\n' > out.txt
	cp out.txt before.txt
	# Another process holds the project's write lock, so that autocode waits
	# (up to 5 s) with its output open; it is killed while it waits.
	printf 'BEGIN IMMEDIATE;\n.system sleep 8\nCOMMIT;\n' | sqlite3 project.qda > /dev/null 2>&1 3>&- &
	locker=$!
	for _ in $(seq 50); do
		sqlite3 project.qda 'BEGIN IMMEDIATE; ROLLBACK;' > /dev/null 2>&1 || break
		sleep 0.1
	done
	"$QDA" autocode --pattern un --code a --coder alice -o out.txt > /dev/null 2>&1 3>&- &
	pid=$!
	for _ in $(seq 50); do
		[ "$(find . -name '.*.qda-tmp*')" != "" ] && break
		sleep 0.1
	done
	[ "$(find . -name '.out.txt.qda-tmp*')" != "" ]
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	kill "$locker" 2> /dev/null || true
	wait "$locker" || true
	[ "$status" -eq 143 ]
	cmp out.txt before.txt
	no_temporary_file
}

@test "files: -o /dev/stdout writes into the stream the shell opened, appending as >> asks" {
	printf 'first line\n' > log.txt
	run --separate-stderr env QDA="$QDA" sh -c '"$QDA" docs -o /dev/stdout >> log.txt'
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(head -n 1 log.txt)" = "first line" ]
	[ "$(tail -n +2 log.txt)" = "$(qda docs)" ]
}

@test "files: -o /dev/null is written to, not replaced" {
	run --separate-stderr qda docs -o /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ -c /dev/null ]
}
