#!/bin/sh
# gen-corpus.sh DIR N [SEED [KB]] — write N interview transcripts of about
# KB (default 100) kilobytes each in DIR (doc00001.txt ...): an interviewer (Camille) asking short
# questions, a participant answering at length, three in four in French
# (accents, elisions with ’), one in four in English, from word lists of our
# own drawn by a seeded Park-Miller generator, so the same N and SEED give
# the same bytes with any awk. Every answer holds "en fait" (French) or "in
# fact" (English) for the search bench; the codebook keywords of
# gen-codebook.sh occur at realistic rates.
dir=$1
n=$2
seed=${3:-42}
kb=${4:-100}
mkdir -p "$dir"
LC_ALL=C awk -v dir="$dir" -v n="$n" -v seed="$seed" -v kb="$kb" '
function rnd(k) { x = (x * 16807) % 2147483647; return x % k }
function pick(list, cnt) { return list[1 + rnd(cnt)] }
function sentence(fr, len,    s, i, w) {
	s = ""
	for (i = 0; i < len; i++) {
		r = rnd(100)
		if (r < 2) w = fr ? pick(fkw, nfkw) : pick(ekw, nekw)
		else if (r < 45) w = fr ? pick(ffn, nffn) : pick(efn, nefn)
		else if (r < 65) w = fr ? pick(fvb, nfvb) : pick(evb, nevb)
		else w = fr ? pick(fnn, nfnn) : pick(enn, nenn)
		s = s (i ? " " : "") w
		if (i > 2 && i < len - 2 && rnd(12) == 0) s = s ","
	}
	return toupper(substr(s, 1, 1)) substr(s, 2) (rnd(8) == 0 ? " ?" : ".")
}
BEGIN {
	x = seed + 1
	nffn = split("le la les un une des du de à et mais donc que qui ce cette il elle on nous vous ils elles je tu pas ne plus très aussi alors puis avec pour dans sur sous chez sans comme quand où tout tous même encore déjà là ça c’est j’ai qu’on d’abord l’équipe n’est", ffn)
	nfvb = split("écouter parler venir prendre faire dire savoir pouvoir vouloir aller comprendre expliquer accompagner attendre rappeler orienter soigner proposer aider rassurer répondre demander trouver laisser changer vivre sentir", fvb)
	nfnn = split("médecin infirmière patiente patient famille rendez-vous cabinet maison santé quartier semaine journée année mois heure temps moment travail logement papiers banque association mairie pharmacie hôpital urgences traitement médicament ordonnance douleur fatigue sommeil anxiété tristesse colère peur honte confiance écoute parole regard question réponse dossier courrier téléphone voiture bus enfant fille fils mari femme mère père sœur frère voisin ami collègue secrétaire accueil salle attente consultation visite soin suivi projet idée souvenir histoire expérience difficulté problème solution besoin envie droit aide argent loyer facture dette emploi chômage retraite école formation", fnn)
	nfkw = split("paire-aidante pair-aidance isolement précarité stigmatisation rétablissement", fkw)
	nefn = split("the a an and but so that who this it she he we you they I not very also then with for in on at from like when where all even still just there", efn)
	nevb = split("listen talk come take make say know can want go understand explain support wait call refer care offer help reassure answer ask find leave change live feel", evb)
	nenn = split("doctor nurse patient family appointment practice clinic health neighbourhood week day year month hour time work housing paperwork bank charity council pharmacy hospital treatment medication prescription pain tiredness sleep anxiety sadness anger fear shame trust listening question answer file letter phone car bus child daughter son husband wife mother father sister brother neighbour friend colleague receptionist waiting visit care plan idea memory story experience difficulty problem need wish right money rent bill debt job school training café résumé naïve", enn)
	nekw = split("peer-worker loneliness hardship prejudice recovery", ekw)
	for (f = 1; f <= n; f++) {
		file = sprintf("%s/doc%05d.txt", dir, f)
		fr = (f % 4) != 0
		size = 0
		while (size < kb * 1000) {
			q = sentence(fr, 8 + rnd(15))
			line = "Camille: " q
			print line "\n" > file
			size += length(line) + 2
			a = "Participant: " (fr ? "Alors en fait, " : "Well in fact, ")
			k = 1 + rnd(6)
			for (j = 0; j < k; j++)
				a = a (j ? " " : "") sentence(fr, 6 + rnd(25))
			print a "\n" > file
			size += length(a) + 2
		}
		close(file)
	}
}'
