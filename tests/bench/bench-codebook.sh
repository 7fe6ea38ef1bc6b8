#!/bin/sh
# bench-codebook.sh QDA — run by run.sh (not at the small scale): a generated 2,000-node codebook (20 themes, 180
# sub-themes, 1,800 codes, each with a definition, keywords and a pattern):
# check, first load, reload (unchanged) and export, each of which must take
# under a second. Runs alone or sourced by run.sh (which sets $qda and $work).
set -e
qda=${qda:-$(cd "$(dirname "$1")" && pwd)/$(basename "$1")}
work=${work:-$(mktemp -d)}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

cb="$work/big-codebook.yaml"
awk 'BEGIN {
	print "codebook: Generated codebook of 2,000 nodes"
	print "description: For the load benchmark."
	print "themes:"
	for (t = 1; t <= 20; t++) {
		printf "  - id: theme-%d\n    name: Theme %d\n    status: reviewed\n", t, t
		printf "    definition: What participants say about matter %d, in their own words.\n", t
		printf "    keywords: [matter%d*, \"sujet %d\"]\n    color: \"#4e79a7\"\n    subthemes:\n", t, t
		for (s = 1; s <= 9; s++) {
			printf "      - id: sub-%d-%d\n        name: Sub-theme %d.%d\n        codes:\n", t, s, t, s
			for (c = 1; c <= 10; c++) {
				printf "          - id: code-%d-%d-%d\n            name: Code %d.%d.%d\n", t, s, c, t, s, c
				printf "            definition: An initial code about aspect %d of %d.%d.\n", c, t, s
				printf "            keywords: [aspect%d, \"facet %d\"]\n", c, c
				printf "            patterns: [\x27\\baspect%d(s|es)?\\b\x27]\n", c
			}
		}
	}
}' > "$cb"
nodes=$(grep -c '^ *- id:' "$cb")
rm -f "$work/cb.qda"
"$qda" init "$work/cb.qda" > /dev/null

t0=$(now); "$qda" codebook check "$cb" > /dev/null; t1=$(now)
"$qda" -p "$work/cb.qda" codebook load "$cb" > /dev/null; t2=$(now)
"$qda" -p "$work/cb.qda" codebook load "$cb" > /dev/null; t3=$(now)
"$qda" -p "$work/cb.qda" codebook export -o "$work/big-export.yaml"; t4=$(now)
check=$(secs "$t0" "$t1"); load=$(secs "$t1" "$t2"); reload=$(secs "$t2" "$t3"); export=$(secs "$t3" "$t4")
echo "codebook: $nodes nodes: check ${check} s, load ${load} s, reload ${reload} s, export ${export} s"
fail=0
for v in "$check" "$load" "$reload" "$export"; do
	awk -v v="$v" 'BEGIN { exit !(v < 1.0) }' || fail=1
done
[ "$fail" -eq 0 ] || { echo "codebook: over one second" >&2; exit 1; }
