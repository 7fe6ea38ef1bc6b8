#!/usr/bin/env bats
# The project survives what happens to a long command: killed with SIGKILL
# part way (import, code --from), run beside another writer, or stopped by a
# full disk. Each time the file passes SQLite's integrity check and qda
# check, and holds all of the command's work or none of it (issue 16).

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	export QDA_CODER=camille
}

# corpus DIR N [PREFIX]: N transcripts of about 60 KB each (PREFIX001.txt,
# T by default), two speakers, accents, each text its own.
corpus() {
	mkdir -p "$1"
	awk -v dir="$1" -v n="$2" -v p="${3:-T}" 'BEGIN {
		for (d = 1; d <= n; d++) {
			f = sprintf("%s/%s%03d.txt", dir, p, d)
			printf "Camille: Entretien %s%03d.\n\n", p, d > f
			for (t = 1; t <= 120; t++) {
				if (t % 2) printf "Camille: Et comment cela s’est-il passé la semaine %d ?\n\n", t >> f
				else {
					printf "Élodie: " >> f
					for (w = 0; w < 45; w++) printf "j’ai été écoutée vraiment, à fond %d. ", (d * t + w) % 97 >> f
					printf "\n\n" >> f
				}
			}
			close(f)
		}
	}'
}

# kill_part_way PID: SIGKILL once the command has opened the project and
# worked a moment; prints "killed" when it was still running then.
kill_part_way() {
	for _ in $(seq 100); do
		[ -e "$QDA_PROJECT-wal" ] && break
		sleep 0.05
	done
	sleep 0.5
	if kill -KILL "$1" 2> /dev/null; then echo killed; fi
	wait "$1" 2> /dev/null || true
}

# at_once "ARGS 1" "ARGS 2": two qda commands started together; both must
# succeed with nothing on stderr (the second waits for the first's lock).
at_once() {
	local one two s1=0 s2=0
	eval "\"\$QDA\" $1" > one.out 2> one.err &
	one=$!
	eval "\"\$QDA\" $2" > two.out 2> two.err &
	two=$!
	wait "$one" || s1=$?
	wait "$two" || s2=$?
	[ "$s1" -eq 0 ]
	[ "$s2" -eq 0 ]
	[ ! -s one.err ]
	[ ! -s two.err ]
}

# The project is whole: SQLite's check, then qda's own.
project_whole() {
	[ "$(sqlite3 "$QDA_PROJECT" 'PRAGMA integrity_check')" = "ok" ]
	run --separate-stderr qda check
	[ "$status" -eq 0 ]
}

@test "durability: import killed with SIGKILL part way leaves every document or none, and a whole project" {
	corpus docs 150
	qda import --interviewer Camille docs/T001.txt > /dev/null
	"$QDA" import --interviewer Camille docs/T0[0-9][0-9].txt docs/T1*.txt > /dev/null 2>&1 &
	pid=$!
	how=$(kill_part_way "$pid")
	project_whole
	n=$(count_rows document)
	# T001 was there already: 1 before, 150 after
	if [ "$how" = killed ]; then [ "$n" -eq 1 ] || [ "$n" -eq 150 ]; else [ "$n" -eq 150 ]; fi
	[ "$(count_rows 'line WHERE doc_id NOT IN (SELECT id FROM document_all)')" -eq 0 ]
	[ "$(count_rows 'turn WHERE doc_id NOT IN (SELECT id FROM document_all)')" -eq 0 ]
	# the import runs again to its end
	run --separate-stderr qda import --interviewer Camille docs/*.txt
	[ "$status" -eq 0 ]
	[ "$(count_rows document)" -eq 150 ]
	project_whole
}

@test "durability: code --from killed with SIGKILL part way leaves every coding or none, and a whole project" {
	corpus docs 2
	qda import --interviewer Camille docs/T001.txt docs/T002.txt > /dev/null
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	len=$(sqlite3 "$QDA_PROJECT" "SELECT length FROM document WHERE name = 'T001'")
	# 60,000 distinct spans of 50 to 250 characters over four codes
	awk -v len="$len" 'BEGIN {
		print "document,unit,from,to,code,coder"
		split("listening-space no-rush trust-over-weeks complex-social-situations", code, " ")
		for (i = 0; i < 60000; i++) {
			s = (i * 7919) % (len - 300); e = s + 50 + i % 200
			printf "T001,char,%d,%d,%s,yanis\n", s, e, code[1 + i % 4]
		}
	}' > many.csv
	[ "$(sort -u many.csv | wc -l)" -eq 60001 ]
	qda code T002 --lines 1 no-rush > /dev/null
	"$QDA" code --from many.csv > /dev/null 2>&1 &
	pid=$!
	how=$(kill_part_way "$pid")
	project_whole
	n=$(count_rows coding)
	if [ "$how" = killed ]; then [ "$n" -eq 1 ] || [ "$n" -eq 60001 ]; else [ "$n" -eq 60001 ]; fi
	run --separate-stderr qda code --from many.csv
	[ "$status" -eq 0 ]
	[ "$(count_rows coding)" -eq 60001 ]
	project_whole
}

@test "durability: two writers at once both land, nothing lost" {
	corpus a 20
	corpus b 20 B
	at_once "import --interviewer Camille a/*.txt" "import --interviewer Camille b/*.txt"
	[ "$(count_rows document)" -eq 40 ]
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	# two coders' sheets, at once
	for who in camille yanis; do
		awk -v who="$who" 'BEGIN { print "document,unit,from,to,code,coder"
			for (d = 1; d <= 20; d++) for (i = 0; i < 200; i++)
				printf "T%03d,char,%d,%d,no-rush,%s\n", d, i * 40, i * 40 + 30, who }' > "$who.csv"
	done
	at_once "code --from camille.csv" "code --from yanis.csv"
	[ "$(count_rows coding)" -eq 8000 ]
	[ "$(count_rows "coding c JOIN coder k ON k.id = c.coder_id WHERE k.name = 'yanis'")" -eq 4000 ]
	project_whole
}

@test "durability: a full disk stops import with a clear error, and the project is as it was" {
	corpus docs 40
	qda import --interviewer Camille docs/T001.txt > /dev/null
	sqlite3 "$QDA_PROJECT" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
	before=$(sqlite3 "$QDA_PROJECT" 'SELECT count(*), sum(length) FROM document')
	# files may grow to 1 MiB past the project's size: the import's 2.4 MB does not fit
	limit=$(( $(stat -c %s "$QDA_PROJECT") / 1024 + 1024 ))
	run --separate-stderr bash -c "ulimit -f $limit; exec \"$QDA\" import --interviewer Camille docs/*.txt"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda import: error: could not write the project: the disk is full, or a file-size limit was reached; nothing was changed: free some space and run the command again" ]
	[ "$(sqlite3 "$QDA_PROJECT" 'SELECT count(*), sum(length) FROM document')" = "$before" ]
	project_whole
}
