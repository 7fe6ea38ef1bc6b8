#!/bin/sh
# run.sh QDA — the benchmarks. Each figure is a ratio against a baseline run
# on the same machine in the same run, never a bare time: the machine's speed
# cancels out. Set BENCH_MB (default 100) to scale the import corpus.
set -e
qda=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_DIR:-$(mktemp -d)}
mb=${BENCH_MB:-100}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "bench: working in $work"

# 1. Import: qda import of the corpus vs the sqlite3 shell storing the same
#    files as raw text (the least any importer must do).
n=$((mb * 10))
sh "$here/gen-corpus.sh" "$work/corpus" "$n" 100
total=$(du -sm "$work/corpus" | cut -f1)
rm -f "$work/base.db" "$work/import.qda"
t0=$(now)
{
	echo "CREATE TABLE doc(name TEXT, text TEXT);"
	echo "BEGIN;"
	for f in "$work"/corpus/*.txt; do echo "INSERT INTO doc VALUES ('$f', readfile('$f'));"; done
	echo "COMMIT;"
} | sqlite3 "$work/base.db"
t1=$(now)
"$qda" init "$work/import.qda" > /dev/null
"$qda" -p "$work/import.qda" import "$work"/corpus/*.txt > /dev/null
t2=$(now)
base=$(secs "$t0" "$t1")
ours=$(secs "$t1" "$t2")
echo "import: $n files, ${total} MB: qda import ${ours} s; sqlite3 storing raw text ${base} s; ratio $(ratio "$ours" "$base")"

for extra in "$here"/bench-*.sh; do
	[ -f "$extra" ] && . "$extra"
done
[ -z "$BENCH_DIR" ] && rm -rf "$work"
exit 0
