#!/bin/sh
# gen-corpus.sh DIR N KB — write N transcripts of about KB kilobytes each in
# DIR, with two speakers, French accents and paragraphs, from a few
# sentences of our own, varied by a counter so no two files are equal.
dir=$1
n=$2
kb=$3
mkdir -p "$dir"
awk -v dir="$dir" -v n="$n" -v kb="$kb" 'BEGIN {
	s[0] = "elle prend le temps de m’écouter, sans regarder l’heure, et ça change tout";
	s[1] = "au début je ne savais pas trop ce qu’elle faisait là, ni si elle était soignante";
	s[2] = "on a fait les papiers ensemble, la banque alimentaire, puis l’association pour le logement";
	s[3] = "la confiance s’est construite petit à petit, semaine après semaine";
	s[4] = "le médecin était un peu démuni, il ne savait plus quoi proposer";
	s[5] = "she listened to me for an hour and I felt believed for the first time";
	for (f = 1; f <= n; f++) {
		file = sprintf("%s/doc%05d.txt", dir, f);
		size = 0; turn = 0;
		while (size < kb * 1024) {
			who = (turn % 2) ? "Participant" : "Camille";
			line = who ": ";
			for (k = 0; k < 6; k++)
				line = line s[(f + turn + k) % 6] " (" f "." turn "." k "). ";
			print line "\n" > file;
			size += length(line) + 2;
			turn++;
		}
		close(file);
	}
}'
