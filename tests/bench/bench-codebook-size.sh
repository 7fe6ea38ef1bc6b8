#!/bin/sh
# bench-codebook-size.sh QDA — 'codebook check' stays linear in the nodes:
# 100,000 nodes against 10,000 (the ratio of a linear check is about 10; it
# was about 100 when duplicate ids were looked for node by node). Runs alone
# or sourced by run.sh (which sets $qda and $work).
set -e
qda=${qda:-$(cd "$(dirname "$1")" && pwd)/$(basename "$1")}
work=${work:-$(mktemp -d)}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
gen() {
	awk -v themes="$1" 'BEGIN {
		print "codebook: Generated"; print "themes:"
		for (t = 1; t <= themes; t++) {
			printf "  - id: t%d\n    name: Theme %d\n    codes:\n", t, t
			for (c = 1; c <= 999; c++) printf "      - id: c%d-%d\n        name: Code %d %d\n", t, c, t, c
		}
	}' > "$2"
}
gen 10 "$work/cb10k.yaml"
gen 100 "$work/cb100k.yaml"
t0=$(now); "$qda" codebook check "$work/cb10k.yaml" > /dev/null; t1=$(now)
"$qda" codebook check "$work/cb100k.yaml" > /dev/null; t2=$(now)
small=$(secs "$t0" "$t1"); big=$(secs "$t1" "$t2")
ratio=$(awk -v a="$big" -v b="$small" 'BEGIN { printf "%.1f", a / b }')
echo "codebook check: 100,000 nodes ${big} s; 10,000 nodes ${small} s; ratio ${ratio} (linear: 10)"
awk -v r="$ratio" 'BEGIN { exit !(r < 25) }' || { echo "codebook check: not linear in the nodes" >&2; exit 1; }
