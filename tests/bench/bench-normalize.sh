#!/bin/sh
# bench-normalize.sh QDA — Unicode normalisation stays linear: importing a
# line of 80,000 combining marks of two classes (which NFC must reorder)
# against a line of 80,000 plain letters. The ratio must stay under 5 (it
# was about 200 when utf8proc sorted the run with a bubble sort). Runs alone
# or sourced by run.sh (which sets $qda and $work).
set -e
qda=${qda:-$(cd "$(dirname "$1")" && pwd)/$(basename "$1")}
work=${work:-$(mktemp -d)}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

python3 -c '
import sys
open(sys.argv[1] + "/marks.txt", "w").write("Camille: a" + "\u0301\u0316" * 40000 + "\n")
open(sys.argv[1] + "/letters.txt", "w").write("Camille: " + "a" * 80001 + "\n")' "$work"
for f in letters marks; do
	rm -f "$work/nfc-$f.qda"
	"$qda" init "$work/nfc-$f.qda" > /dev/null
done
t0=$(now); "$qda" -p "$work/nfc-letters.qda" import "$work/letters.txt" > /dev/null; t1=$(now)
"$qda" -p "$work/nfc-marks.qda" import "$work/marks.txt" > /dev/null; t2=$(now)
base=$(secs "$t0" "$t1"); marks=$(secs "$t1" "$t2")
ratio=$(awk -v a="$marks" -v b="$base" 'BEGIN { printf "%.1f", a / b }')
echo "normalise: 80,000 combining marks ${marks} s; 80,000 letters ${base} s; ratio ${ratio}"
awk -v r="$ratio" 'BEGIN { exit !(r < 5) }' || { echo "normalise: over 5 times plain letters" >&2; exit 1; }
