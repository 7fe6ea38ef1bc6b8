#!/bin/sh
# run.sh QDA [small|medium|large] — the benchmarks of issue 15. Each
# operation is timed beside an anchor (the least a tool must do for the same
# result: sqlite3, grep, a per-character reference) on the same data in the
# same run, several times (median and spread); the ratio is what carries over
# to another machine. Each runs at two corpus sizes 10x apart and the growth
# exponent log(t2/t1)/log(10) is printed; above 1.3 fails the bench (exit 1)
# unless the scale is small, where timings are noise. Results agree between
# qda and the anchor where they are comparable, or the bench fails: the small
# scale is the smoke test of make check. Results append to
# build/bench/results.csv. BENCH_DIR keeps the work directory; BENCH_REPS
# sets the runs per operation; BENCH_ONLY="op op..." times only those
# operations (the others that later ones depend on, import and code-from,
# run once untimed; the codebook's bench is left out).
set -e
qda=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scale=${2:-${SCALE:-medium}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case $scale in
small)  n1=1;   reps=1; kb=20 ;;
medium) n1=10;  reps=3; kb=100 ;;
large)  n1=100; reps=3; kb=100 ;;
*) echo "bench: SCALE is small, medium or large, not '$scale'" >&2; exit 2 ;;
esac
reps=${BENCH_REPS:-$reps}
n2=$((n1 * 10))
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work" "$root/build/bench"
csv=$root/build/bench/results.csv
[ -f "$csv" ] || echo "date,machine,commit,scale,docs,op,seconds,spread,anchor_seconds,anchor_spread,ratio,rss_kb,anchor_rss_kb" > "$csv"
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine="$(hostname) $(nproc) cores"
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
failed=0
export LC_ALL=C.UTF-8 QDA_CODER=bench

# every run on the same core, the first this process may use: the two cores
# of a virtual machine may run at different speeds (seen here: 1.5x), and a
# ratio is only fair when both sides ran on the same one
pin=
if command -v taskset > /dev/null 2>&1; then
	cpu=$(taskset -cp $$ 2>/dev/null | sed 's/.*: *//; s/[-,].*//')
	[ -n "$cpu" ] && pin="taskset -c $cpu"
fi

cc -O2 -o "$work/timeit" "$here/timeit.c"
cc -O3 -o "$work/agree-ref" "$here/agree-ref.c" $(pkg-config --cflags --libs sqlite3)
cc -O3 -o "$work/import-floor" "$here/import-floor.c" $(pkg-config --cflags --libs sqlite3)

# median and spread (max - min) of the first column; max of the second
stats() { sort -n "$1" | awk '{ t[NR] = $1; if ($2 > r) r = $2 } END {
	m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
	printf "%.3f %.3f %d\n", m, t[NR] - t[1], r }'; }

# measure OP PREP CMD — run PREP then CMD (shell text, in $d) $reps times;
# sets med, spread, rss. A failing CMD fails the bench.
measure() {
	rm -f "$d/t.out"
	i=0
	while [ $i -lt $reps ]; do
		(cd "$d" && eval "$2") > /dev/null
		if ! (cd "$d" && "$work/timeit" "$d/t.out" $pin sh -c "$3") > "$d/$1.stdout" 2> "$d/$1.stderr"; then
			echo "bench: $1 failed: $3" >&2
			sed 5q "$d/$1.stderr" >&2
			failed=1
		fi
		i=$((i + 1))
	done
	set -- $(stats "$d/t.out")
	med=$1 spread=$2 rss=$3
}

# wanted NAME — is NAME among the operations to time (all unless BENCH_ONLY)?
wanted() {
	[ -z "$BENCH_ONLY" ] && return 0
	case " $BENCH_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# op NAME PREP CMD ANCHOR_PREP ANCHOR — one row: qda beside its anchor. An
# operation left out by BENCH_ONLY is skipped, or run once untimed when a
# later one needs what it makes.
op() {
	skipped=
	if ! wanted "$1"; then
		skipped=1
		case $1 in import | code-from)
			(cd "$d" && eval "$2" && eval "$3") > /dev/null ;;
		esac
		return 0
	fi
	measure "$1" "$2" "$3"
	qm=$med qs=$spread qr=$rss
	measure "$1.anchor" "$4" "$5"
	ratio=$(awk -v a="$qm" -v b="$med" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '%-16s %5d docs  qda %8.3f s ±%.3f  %7d KB   anchor %8.3f s ±%.3f  %7d KB   ratio %6.2f\n' \
		"$1" "$docs" "$qm" "$qs" "$qr" "$med" "$spread" "$rss" "$ratio"
	echo "$date,$machine,$commit,$scale,$docs,$1,$qm,$qs,$med,$spread,$ratio,$qr,$rss" >> "$csv"
	echo "$1 $qm" >> "$work/times.$docs"
}

# agree_on WHAT A B — a check that qda and its anchor agree
agree_on() {
	if [ "$2" = "$3" ]; then echo "  agrees: $1: $2"
	else echo "  DIFFERS: $1: qda $2, anchor $3" >&2; failed=1; fi
}

# agree_cut OP WHAT — qda agree's overall rows (OP.stdout) beside the
# reference's rows (OP.anchor.stdout), as the same five columns, compared
agree_cut() {
	awk -F, 'NR > 1 && $2 == "" { print $1 "," $3 "," $4 "," $5 "," $6 }' "$d/$1.stdout" | sort > "$d/$1.ours.cut"
	awk -F, 'NR > 1 { print $1 "," $2 "," $3 "," $4 "," $5 }' "$d/$1.anchor.stdout" | sort > "$d/$1.ref.cut"
	agree_on "$2" "$(md5sum < "$d/$1.ours.cut")" "$(md5sum < "$d/$1.ref.cut")"
}

# growth NAME T1 T2 — the exponent of T1 -> T2 (10x the size); above 1.3
# fails the bench, unless the scale is small or T2 under 0.2 s (noise)
growth() {
	verdict=$(awk -v a="$2" -v b="$3" -v s="$scale" 'BEGIN {
		e = (a > 0 && b > 0) ? log(b / a) / log(10) : 0
		printf "%.2f %s", e, (s != "small" && b >= 0.2 && e > 1.3) ? "FAIL" : "ok" }')
	printf '%-16s %8.3f s -> %8.3f s  exponent %s\n' "$1" "$2" "$3" "$verdict"
	case $verdict in *FAIL) failed=1 ;; esac
}

# gen_codings PER — a CSV of PER codings per document of $d/proj.qda: two
# coders, 200 codes, 50 to 500 characters, seeded
gen_codings() {
	sqlite3 -separator ' ' "$d/proj.qda" 'SELECT name, length FROM document ORDER BY name' | awk -v per="$1" 'BEGIN {
		x = 7; print "document,unit,from,to,code,coder" }
		function rnd(k) { x = (x * 16807) % 2147483647; return x % k }
		{ for (i = 0; i < per; i++) { len = 50 + rnd(451); s = rnd($2 - len)
			printf "%s,char,%d,%d,code%d,%s\n", $1, s, s + len, 1 + rnd(200), i % 2 ? "bob" : "alice" } }'
}

run_size() {
	docs=$1
	d=$work/$docs
	mkdir -p "$d"
	rm -f "$work/times.$docs"
	sh "$here/gen-corpus.sh" "$d/corpus" "$docs" 42 "$kb"
	sh "$here/gen-codebook.sh" "$d/codebook.yaml" "$d/keywords.txt"
	{
		echo "CREATE VIRTUAL TABLE doc USING fts5(name, text);"
		echo "BEGIN;"
		for f in "$d"/corpus/*.txt; do echo "INSERT INTO doc VALUES ('$f', readfile('$f'));"; done
		echo "COMMIT;"
	} > "$d/import.sql"
	mb=$(du -sm "$d/corpus" | cut -f1)
	echo "== $docs documents, $mb MB"

	op import "rm -f imp.qda && '$qda' init imp.qda" "'$qda' -p imp.qda import corpus/*.txt --interviewer Camille" \
		"rm -f base.db" "sqlite3 base.db < import.sql"
	[ -n "$skipped" ] || agree_on "documents" "$(sqlite3 "$d/imp.qda" 'SELECT count(*) FROM document')" "$(sqlite3 "$d/base.db" 'SELECT count(*) FROM doc')"
	# import's floor: the same documents, lines and line index written by
	# plain statements into a qda project, with no text processing; the
	# anchor above stores one FTS5 row per document and no line at all
	op import-floor "rm -f imp.qda && '$qda' init imp.qda" "'$qda' -p imp.qda import corpus/*.txt --interviewer Camille" \
		"rm -f floor.qda && '$qda' init floor.qda" "'$work/import-floor' floor.qda corpus/*.txt"
	[ -n "$skipped" ] || agree_on "documents (floor)" "$(sqlite3 "$d/imp.qda" 'SELECT count(*) FROM document')" "$(sqlite3 "$d/floor.qda" 'SELECT count(*) FROM document')"
	cp "$d/imp.qda" "$d/proj.qda"
	"$qda" -p "$d/proj.qda" codebook load "$d/codebook.yaml" > /dev/null

	op autocode "cp proj.qda ac.qda" "'$qda' -p ac.qda autocode --keywords --include-interviewer" \
		":" "grep -o -i -F -f keywords.txt corpus/*.txt"
	[ -n "$skipped" ] || agree_on "keyword codings" "$(sqlite3 "$d/ac.qda" 'SELECT count(*) FROM coding')" "$(wc -l < "$d/autocode.anchor.stdout")"

	# 10 codings per KB (1,000 per document of 100 KB), two coders, 200
	# codes, 50 to 500 characters
	gen_codings $((kb * 10)) > "$d/codings.csv"
	op code-from "cp proj.qda cf.qda" "'$qda' -p cf.qda code --from codings.csv" \
		"rm -f csv.db" "sqlite3 csv.db '.import --csv codings.csv c'"
	[ -n "$skipped" ] || agree_on "codings" "$(sqlite3 "$d/cf.qda" 'SELECT count(*) FROM coding')" "$(sqlite3 "$d/csv.db" 'SELECT count(*) FROM (SELECT DISTINCT * FROM c)')"
	cp "$d/cf.qda" "$d/coded.qda"

	# code --from's floor: the sqlite3 shell writing the same rows into
	# qda's own table, with its indexes and foreign keys and time-ordered
	# GUIDs as qda makes them (no line numbers, no checks, no undo record):
	# what any tool keeping this schema pays
	cat > "$d/floor.sql" <<-'SQL'
	PRAGMA foreign_keys = ON;
	PRAGMA cache_size = -65536;
	.import --csv codings.csv c
	BEGIN;
	INSERT OR IGNORE INTO coder(name) SELECT DISTINCT coder FROM c;
	INSERT OR IGNORE INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last, guid)
	  SELECT d.id, n.id, k.id, c."from", c."to", 1, 1, printf('%012x-7000-8000-%012d', 1764806400000, c.rowid)
	  FROM c JOIN document d ON d.name = c.document JOIN node n ON n.key = c.code JOIN coder k ON k.name = c.coder;
	DROP TABLE c;
	COMMIT;
	SQL
	op code-from-floor "cp proj.qda cf.qda" "'$qda' -p cf.qda code --from codings.csv" \
		"cp proj.qda floor.qda" "sqlite3 floor.qda < floor.sql"
	[ -n "$skipped" ] || agree_on "codings (floor)" "$(sqlite3 "$d/cf.qda" 'SELECT count(*) FROM coding')" "$(sqlite3 "$d/floor.qda" 'SELECT count(*) FROM coding')"

	op freq-words ":" "'$qda' -p coded.qda freq --level all --count words --format csv" \
		":" "'$qda' -p coded.qda freq --level all --format csv"
	[ -n "$skipped" ] || agree_on "freq rows" "$(wc -l < "$d/freq-words.stdout")" "$(wc -l < "$d/freq-words.anchor.stdout")"

	op report-md ":" "'$qda' -p coded.qda report --format md" ":" "'$qda' -p coded.qda freq --level all --format csv"
	# a quote per theme and document, at most 3 per theme, from 5 themes
	[ -n "$skipped" ] || agree_on "report quotes" "$(grep -c '^> — ' "$d/report-md.stdout" || :)" "$((5 * (docs < 3 ? docs : 3)))"

	op search ":" "'$qda' -p coded.qda search '\"en fait\"' --limit 20 --format csv" \
		":" "sqlite3 coded.qda \"SELECT l.doc_id, d.name, l.n FROM line_fts JOIN line l ON l.id = line_fts.rowid JOIN document d ON d.id = l.doc_id WHERE line_fts MATCH '\\\"en fait\\\"' ORDER BY d.name, l.n LIMIT 20\""
	[ -n "$skipped" ] || agree_on "search rows" "$(($(wc -l < "$d/search.stdout") - 1))" "$(wc -l < "$d/search.anchor.stdout")"

	# the whole list, every hit with its keyword in context, streamed
	op search-all ":" "'$qda' -p coded.qda search '\"en fait\"' --format csv" \
		":" "sqlite3 coded.qda \"SELECT l.doc_id, d.name, l.n FROM line_fts JOIN line l ON l.id = line_fts.rowid JOIN document d ON d.id = l.doc_id WHERE line_fts MATCH '\\\"en fait\\\"' ORDER BY d.name, l.n\""
	[ -n "$skipped" ] || agree_on "search lines" "$(tail -n +2 "$d/search-all.stdout" | cut -d, -f1,3 | uniq | wc -l)" "$(wc -l < "$d/search-all.anchor.stdout")"

	op cooccur ":" "'$qda' -p coded.qda cooccur --level code --format csv" \
		":" "sqlite3 coded.qda 'SELECT a.node_id, b.node_id, count(*) FROM coding a JOIN coding b ON b.doc_id = a.doc_id AND a.node_id < b.node_id AND b.start < a.end AND a.start < b.end GROUP BY 1, 2'"
	[ -n "$skipped" ] || agree_on "cooccur ran" "$([ -s "$d/cooccur.stdout" ] && echo yes)" "$([ -s "$d/cooccur.anchor.stdout" ] && echo yes)"

	op agree-char ":" "'$qda' -p coded.qda agree --coders alice,bob --include-interviewer --format csv" ":" "'$work/agree-ref' coded.qda alice bob"
	[ -n "$skipped" ] || agree_cut agree-char "agreement counts (md5)"

	# the per-character Python reference (the approach open tools take),
	# beside qda agree; at the smaller size only, as it takes 200 times as
	# long (a few minutes for 1,000 documents)
	if [ "$docs" -eq "$n1" ]; then
	op agree-python ":" "'$qda' -p coded.qda agree --coders alice,bob --include-interviewer --format csv" ":" "python3 '$here/agree-ref.py' coded.qda alice bob"
	[ -n "$skipped" ] || agree_cut agree-python "agreement counts, python (md5)"
	fi

	if wanted review-import || wanted review-import-floor; then
	"$qda" -p "$d/coded.qda" review export --no-bom -o "$d/sheet0.csv"
	python3 -c 'import csv, sys
r = csv.reader(open(sys.argv[1], newline="")); w = csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n")
h = next(r); w.writerow(h); v = h.index("verdict")
for i, row in enumerate(r):
	if i % 2 == 0: row[v] = "accept"
	w.writerow(row)' "$d/sheet0.csv" "$d/sheet.csv"
	fi
	op review-import "cp coded.qda rv.qda" "'$qda' -p rv.qda review import sheet.csv --reviewer rev" \
		"rm -f sheet.db" "sqlite3 sheet.db '.import --csv sheet.csv s'"
	[ -n "$skipped" ] || agree_on "verdicts" "$(sqlite3 "$d/rv.qda" 'SELECT count(*) FROM review')" "$(sqlite3 "$d/sheet.db" "SELECT count(*) FROM s WHERE verdict <> ''")"

	# review import's floor: the sqlite3 shell reading the same sheet and
	# writing the same verdicts and states into qda's tables, with
	# time-ordered GUIDs as qda makes them (no checks, no undo record)
	cat > "$d/rfloor.sql" <<-'SQL'
	PRAGMA foreign_keys = ON;
	PRAGMA cache_size = -65536;
	.import --csv sheet.csv s
	BEGIN;
	INSERT INTO coder(name) VALUES ('rev');
	INSERT INTO review(coding_id, reviewer_id, verdict, guid)
	  SELECT CAST(s.id AS INTEGER), (SELECT id FROM coder WHERE name = 'rev'), s.verdict, printf('%012x-7000-8000-%012d', 1764806400000, s.rowid)
	  FROM s WHERE s.verdict <> '';
	UPDATE coding_all SET state = 'accepted' WHERE id IN (SELECT CAST(id AS INTEGER) FROM s WHERE verdict = 'accept');
	DROP TABLE s;
	COMMIT;
	SQL
	op review-import-floor "cp coded.qda rv.qda" "'$qda' -p rv.qda review import sheet.csv --reviewer rev" \
		"cp coded.qda rvf.qda" "sqlite3 rvf.qda < rfloor.sql"
	[ -n "$skipped" ] || agree_on "verdicts (floor)" "$(sqlite3 "$d/rv.qda" 'SELECT count(*) FROM review')" "$(sqlite3 "$d/rvf.qda" 'SELECT count(*) FROM review')"

	op retrieve-page ":" "'$qda' -p coded.qda retrieve theme1 --limit 20 --format csv" \
		":" "sqlite3 coded.qda \"WITH RECURSIVE sub(id) AS (SELECT id FROM node WHERE key = 'theme1' UNION SELECT node.id FROM node JOIN sub ON node.parent_id = sub.id) SELECT c.id, d.name, c.start, c.end, substr(d.text, c.start + 1, c.end - c.start) FROM document d JOIN coding c ON c.doc_id = d.id WHERE c.node_id IN sub ORDER BY d.name, c.start, c.end, c.id LIMIT 20\""
}

echo "bench: scale $scale, $reps runs each, in $work${pin:+, every run on core $cpu}"
run_size "$n1"
run_size "$n2"

echo "== growth, $n1 to $n2 documents (exponent of the time; 1 is linear, above 1.3 fails)"
[ -f "$work/times.$n1" ] && while read -r name t1; do
	t2=$(awk -v n="$name" '$1 == n { print $2 }' "$work/times.$n2")
	[ -n "$t2" ] || continue # timed at the smaller size only
	growth "$name" "$t1" "$t2"
done < "$work/times.$n1"

# Growth in codings per document: the smaller corpus coded 10 times as
# densely (the same number of codings as the larger one, on a tenth of the
# text), each reading command timed again; its exponent against the normal
# density fails the bench above 1.3 as the other growth does.
d=$work/$n1
docs=$n1
dense_ops=
for name in freq-words report-md cooccur agree-char retrieve-page; do
	wanted "$name" && grep -q "^$name " "$work/times.$n1" 2>/dev/null && dense_ops="$dense_ops $name"
done
if [ -n "$dense_ops" ]; then
	echo "== growth, $((kb * 10)) to $((kb * 100)) codings a document, $n1 documents (1 is linear, above 1.3 fails)"
	gen_codings $((kb * 100)) > "$d/codings-dense.csv"
	cp "$d/proj.qda" "$d/dense.qda"
	"$qda" -p "$d/dense.qda" code --from "$d/codings-dense.csv" > /dev/null
	for name in $dense_ops; do
		case $name in
		freq-words) cmd="freq --level all --count words --format csv" ;;
		report-md) cmd="report --format md" ;;
		cooccur) cmd="cooccur --level code --format csv" ;;
		agree-char) cmd="agree --coders alice,bob --include-interviewer --format csv" ;;
		retrieve-page) cmd="retrieve theme1 --limit 20 --format csv" ;;
		esac
		measure "$name.dense" ":" "'$qda' -p dense.qda $cmd"
		echo "$date,$machine,$commit,$scale,$docs,$name.dense,$med,$spread,,,,$rss," >> "$csv"
		growth "$name" "$(awk -v n="$name" '$1 == n { print $2 }' "$work/times.$n1")" "$med"
	done
fi

# the codebook's own bench (2,000 nodes, each step under a second), not
# under the sanitizers of the smoke test
if [ "$scale" != small ] && [ -z "$BENCH_ONLY" ] && ! sh "$here/bench-codebook.sh" "$qda"; then failed=1; fi
[ -n "$BENCH_DIR" ] || rm -rf "$work"
if [ "$failed" -ne 0 ]; then echo "bench: FAILED"; exit 1; fi
echo "bench: ok"
