#!/bin/sh
# gen-codebook.sh FILE KEYWORDS — the bench's codebook: 5 themes > 20
# sub-themes > 200 codes; 11 codes carry the corpus's keywords (one each),
# also written one a line to KEYWORDS for grep -F.
LC_ALL=C awk -v kwfile="$2" 'BEGIN {
	nk = split("paire-aidante pair-aidance isolement précarité stigmatisation rétablissement peer-worker loneliness hardship prejudice recovery", kw)
	print "codebook: Bench codebook"
	print "themes:"
	c = 0
	for (t = 1; t <= 5; t++) {
		printf "  - id: theme%d\n    name: Theme %d\n    subthemes:\n", t, t
		for (s = 1; s <= 4; s++) {
			printf "      - id: sub%d-%d\n        name: Sub-theme %d.%d\n        codes:\n", t, s, t, s
			for (k = 1; k <= 10; k++) {
				c++
				printf "          - id: code%d\n            name: Code %d\n", c, c
				if (c <= nk)
					printf "            keywords: [\"%s\"]\n", kw[c]
			}
		}
	}
	for (i = 1; i <= nk; i++)
		print kw[i] > kwfile
}' > "$1"
