#!/usr/bin/env bats
# qda export FILE.qdpx: the project as REFI-QDA (Project.xsd) — valid, stable
# (same GUIDs, same bytes), positions in code points that slice the exported
# texts to the coded text, memos as Notes, no empty wrapper, no basePath,
# written whole.

load helper
bats_require_minimum_version 1.5.0

XSD=$BATS_TEST_DIRNAME/../fixtures/refi-qda/Project.xsd

setup_file() {
	sample_project "$BATS_FILE_TMPDIR/sample.qda"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	unset QDA_CODER
	cp "$BATS_FILE_TMPDIR/sample.qda" sample.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/sample.qda"
}

# project.qde of a .qdpx, re-indented (one element a line) for line tools.
qde() {
	unzip -p "$1" project.qde | xmllint --format -
}

# XPath over project.qde (the default namespace ignored): xpath FILE EXPR
xpath() {
	unzip -p "$1" project.qde | xmllint --xpath "$2" -
}

# Every PlainTextSelection of a .qdpx as DOCGUID|GUID|START|END, in file order.
selections() {
	qde "$1" | awk -F'"' '
		function attr(name,   i) { for (i = 1; i < NF; i += 2) if ($i ~ (" " name "=$")) return $(i + 1); return "" }
		/<TextSource / { doc = attr("guid") }
		/<PlainTextSelection / { print doc "|" attr("guid") "|" attr("startPosition") "|" attr("endPosition") }'
}

# The wrappers Project.xsd requires to hold at least one element, written empty.
empty_wrappers() {
	qde "$1" | grep -cE '<(Users|CodeBook|Codes|Variables|Cases|Sources|Notes|Links|Sets|Graphs)( [^>]*)?/>' || true
}

@test "export: --help gives the usage, exit 0" {
	run --separate-stderr qda export --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: qda export FILE.qdpx [--format qdpx]" ]
	[ "$stderr" = "" ]
}

@test "export: the sample project validates against Project.xsd, with what it holds said" {
	run --separate-stderr qda export out.qdpx
	[ "$status" -eq 0 ]
	[ "$output" = "exported out.qdpx: 18 documents, 488 codings, 44 codes, 18 cases, 5 variables, 0 notes, 2 users" ]
	[ "$stderr" = "" ]
	unzip -p out.qdpx project.qde > project.qde
	run xmllint --noout --schema "$XSD" project.qde
	[ "$status" -eq 0 ]
	[ "$output" = "project.qde validates" ]
	# the zip: project.qde, the sources folder, one text per document
	[ "$(unzip -Z1 out.qdpx | grep -c '^sources/.*\.txt$')" -eq 18 ]
	[ "$(unzip -Z1 out.qdpx | grep -c '^project\.qde$')" -eq 1 ]
	[ "$(xpath out.qdpx 'count(//*[local-name()="PlainTextSelection"])')" = "488" ]
	[ "$(xpath out.qdpx 'count(//*[local-name()="Code"])')" = "44" ]
}

@test "export: the project's own GUIDs, for coders, codes, documents, cases and codings" {
	qda export out.qdpx > /dev/null
	[ "$(qde out.qdpx | awk -F'"' '/<User /{print $2}')" = "$(sqlite3 sample.qda 'SELECT guid FROM coder ORDER BY id')" ]
	[ "$(qde out.qdpx | awk -F'"' '/<TextSource /{print $2}')" = "$(sqlite3 sample.qda 'SELECT guid FROM document ORDER BY id')" ]
	[ "$(qde out.qdpx | awk -F'"' '/<Case /{print $2}')" = "$(sqlite3 sample.qda 'SELECT guid FROM cases ORDER BY id')" ]
	[ "$(qde out.qdpx | awk -F'"' '/<Code /{print $2}' | sort)" = "$(sqlite3 sample.qda 'SELECT guid FROM node WHERE retired = 0' | sort)" ]
	[ "$(selections out.qdpx | cut -d'|' -f2 | sort)" = "$(sqlite3 sample.qda 'SELECT guid FROM coding' | sort)" ]
}

@test "export: exporting twice gives the same bytes (project.qde and the whole zip)" {
	qda export one.qdpx > /dev/null
	sleep 1
	qda export two.qdpx > /dev/null
	cmp <(unzip -p one.qdpx project.qde) <(unzip -p two.qdpx project.qde)
	cmp one.qdpx two.qdpx
}

@test "export: every selection, sliced in code points from its exported text, is the coded text" {
	qda export out.qdpx > /dev/null
	mkdir x && (cd x && unzip -q ../out.qdpx)
	selections out.qdpx > sel.txt
	[ "$(wc -l < sel.txt)" -eq 488 ]
	qda codings --format json > codings.json
	run sqlite3 sample.qda <<'SQL'
CREATE TEMP TABLE sel(doc TEXT, guid TEXT, start INTEGER, end INTEGER);
.mode list
.separator |
.import sel.txt sel
CREATE TEMP TABLE listed AS SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.text') AS text
  FROM json_each(CAST(readfile('codings.json') AS TEXT));
SELECT count(*), sum(l.text = substr(CAST(readfile('x/sources/' || s.doc || '.txt') AS TEXT), s.start + 1, s.end - s.start)),
       sum(c.doc_id = d.id AND c.start = s.start AND c.end = s.end)
  FROM sel s JOIN coding c ON c.guid = s.guid JOIN listed l ON l.id = c.id JOIN document d ON d.guid = s.doc;
SQL
	[ "$status" -eq 0 ]
	[ "$output" = "488|488|488" ]
}

@test "export: every exported text is the stored text, byte for byte: UTF-8, no BOM, LF only" {
	qda export out.qdpx > /dev/null
	mkdir x && (cd x && unzip -q ../out.qdpx)
	sqlite3 sample.qda "SELECT writefile('stored-' || guid || '.txt', CAST(text AS BLOB)) FROM document" > /dev/null
	n=0
	for f in x/sources/*.txt; do
		cmp "$f" "stored-$(basename "$f")"
		[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" != "efbbbf" ]
		n=$((n + 1))
	done
	[ "$n" -eq 18 ]
	[ "$(cat x/sources/*.txt | tr -cd '\r' | wc -c)" -eq 0 ]
}

@test "export: every reference points into the file (users, codes, variables, sources)" {
	qda export out.qdpx > /dev/null
	qde out.qdpx > p.qde
	users=$(awk -F'"' '/<User /{print $2}' p.qde | sort -u)
	[ "$(grep -o 'creatingUser="[^"]*"' p.qde | cut -d'"' -f2 | sort -u | comm -23 - <(echo "$users"))" = "" ]
	[ "$(grep -c 'creatingUser="' p.qde)" -eq 976 ]
	codes=$(grep -o '<Code guid="[^"]*"' p.qde | cut -d'"' -f2 | sort -u)
	[ "$(grep -o '<CodeRef targetGUID="[^"]*"' p.qde | cut -d'"' -f2 | sort -u | comm -23 - <(echo "$codes"))" = "" ]
	vars=$(grep -o '<Variable guid="[^"]*"' p.qde | cut -d'"' -f2 | sort -u)
	[ "$(grep -o '<VariableRef targetGUID="[^"]*"' p.qde | cut -d'"' -f2 | sort -u | comm -23 - <(echo "$vars"))" = "" ]
	sources=$(grep -o '<TextSource guid="[^"]*"' p.qde | cut -d'"' -f2 | sort -u)
	[ "$(grep -o '<SourceRef targetGUID="[^"]*"' p.qde | cut -d'"' -f2 | sort -u | comm -23 - <(echo "$sources"))" = "" ]
	[ "$(grep -c '<SourceRef ' p.qde)" -eq 18 ]
	# QualCoder's reading: plainTextPath internal://GUID.txt, the file in sources/ (lower case)
	for g in $sources; do
		grep -q "plainTextPath=\"internal://$g.txt\"" p.qde
		unzip -Z1 out.qdpx "sources/$g.txt" > /dev/null
	done
}

@test "export: no empty wrapper element and no basePath" {
	qda export out.qdpx > /dev/null
	[ "$(empty_wrappers out.qdpx)" -eq 0 ]
	[ "$(qde out.qdpx | grep -c basePath)" -eq 0 ]
	# the wrappers that have content are there
	[ "$(qde out.qdpx | grep -cE '^  <(Users|CodeBook|Variables|Cases|Sources)>$')" -eq 5 ]
	[ "$(qde out.qdpx | grep -cE '<(Notes|Links|Sets|Graphs)')" -eq 0 ]
}

@test "export: a project with nothing in it validates, with no wrapper at all" {
	qda init empty.qda > /dev/null
	run --separate-stderr qda -p empty.qda export empty.qdpx
	[ "$status" -eq 0 ]
	[ "$output" = "exported empty.qdpx: 0 documents, 0 codings, 0 codes, 0 cases, 0 variables, 0 notes, 0 users" ]
	unzip -p empty.qdpx project.qde > project.qde
	run xmllint --noout --schema "$XSD" project.qde
	[ "$output" = "project.qde validates" ]
	[ "$(empty_wrappers empty.qdpx)" -eq 0 ]
	[ "$(qde empty.qdpx | grep -c '<Project .*name="empty" origin="qda [0-9]')" -eq 1 ]
	[ "$(qde empty.qdpx | wc -l)" -eq 2 ]
}

# A hand-made project: French accents, an emoji, a word written decomposed
# (NFD) in the file, and one coding of [22, 32) = "émue 😀 par".
accents_project() {
	qda init accents.qda > /dev/null
	export QDA_PROJECT="$BATS_TEST_TMPDIR/accents.qda" QDA_CODER=élodie
	printf '\xc3\x89lodie: J'"'"'ai e\xcc\x81te\xcc\x81 tr\xc3\xa8s \xc3\xa9mue \xf0\x9f\x98\x80 par l'"'"'\xc3\xa9coute.\nCamille: Et apr\xc3\xa8s ?\n' > entretien.txt
	qda import entretien.txt > /dev/null
	printf 'codebook: C\nthemes:\n  - id: emotion\n    name: Émotion\n' > cb.yaml
	qda codebook load cb.yaml > /dev/null
	qda code entretien --chars 22-32 emotion > /dev/null
}

@test "export: positions are code points, exactly, through accents and an emoji" {
	accents_project
	run --separate-stderr qda export accents.qdpx
	[ "$status" -eq 0 ]
	[ "$output" = "exported accents.qdpx: 1 documents, 1 codings, 1 codes, 1 cases, 0 variables, 0 notes, 1 users" ]
	[ "$(selections accents.qdpx | cut -d'|' -f3,4)" = "22|32" ]
	doc=$(sqlite3 accents.qda "SELECT guid FROM document")
	unzip -p accents.qdpx "sources/$doc.txt" > text.txt
	# the exported text: NFC (the decomposed word composed), 63 code points, 73 bytes
	[ "$(wc -c < text.txt)" -eq 73 ]
	[ "$(grep -c "$(printf 'e\xcc\x81')" text.txt)" -eq 0 ]
	[ "$(head -n 1 text.txt)" = "Élodie: J'ai été très émue 😀 par l'écoute." ]
	[ "$(sqlite3 :memory: "SELECT length(CAST(readfile('text.txt') AS TEXT)), substr(CAST(readfile('text.txt') AS TEXT), 23, 10)")" = "63|émue 😀 par" ]
	[ "$(qda codings --format json | jq -r '.[0].text')" = "émue 😀 par" ]
	unzip -p accents.qdpx project.qde > project.qde
	run xmllint --noout --schema "$XSD" project.qde
	[ "$output" = "project.qde validates" ]
	[ "$(qde accents.qdpx | grep -c 'name="élodie"')" -eq 1 ]
}

@test "export: memos are Notes, each referred to from what it annotates, its text in sources/" {
	accents_project
	cid=$(sqlite3 accents.qda "SELECT id FROM coding")
	qda memo add "Premier mémo du projet" > /dev/null
	qda memo add --journal "Journal : je me sens proche 😀" > /dev/null
	qda memo add --doc entretien "Entretien calme" > /dev/null
	qda memo add --code emotion "Émotion : à définir" > /dev/null
	qda memo add --coding "$cid" "Passage fort" > /dev/null
	qda memo add --case entretien "Participante de la première vague" > /dev/null
	run --separate-stderr qda export memos.qdpx
	[ "$status" -eq 0 ]
	[ "$output" = "exported memos.qdpx: 1 documents, 1 codings, 1 codes, 1 cases, 0 variables, 6 notes, 1 users" ]
	unzip -p memos.qdpx project.qde > project.qde
	run xmllint --noout --schema "$XSD" project.qde
	[ "$output" = "project.qde validates" ]
	guid() { sqlite3 accents.qda "SELECT guid FROM memo WHERE target_kind = '$1'"; }
	[ "$(xpath memos.qdpx 'count(/*/*[local-name()="Notes"]/*[local-name()="Note"])')" = "6" ]
	# project and journal: the project's NoteRefs; document: the TextSource's; code: the Code's;
	# coding: its Coding's; case (a Case has no NoteRef): a Link from the Note to the case
	[ "$(xpath memos.qdpx 'string(/*/*[local-name()="NoteRef"][1]/@targetGUID)')" = "$(guid project)" ]
	[ "$(xpath memos.qdpx 'string(/*/*[local-name()="NoteRef"][2]/@targetGUID)')" = "$(guid journal)" ]
	[ "$(xpath memos.qdpx 'string(//*[local-name()="TextSource"]/*[local-name()="NoteRef"]/@targetGUID)')" = "$(guid document)" ]
	[ "$(xpath memos.qdpx 'string(//*[local-name()="Code"]/*[local-name()="NoteRef"]/@targetGUID)')" = "$(guid node)" ]
	[ "$(xpath memos.qdpx 'string(//*[local-name()="Coding"]/*[local-name()="NoteRef"]/@targetGUID)')" = "$(guid coding)" ]
	[ "$(xpath memos.qdpx 'string(//*[local-name()="Link"]/@originGUID)')" = "$(guid case)" ]
	[ "$(xpath memos.qdpx 'string(//*[local-name()="Link"]/@targetGUID)')" = "$(sqlite3 accents.qda 'SELECT guid FROM cases')" ]
	[ "$(xpath memos.qdpx 'count(//*[local-name()="NoteRef"])')" = "5" ]
	# each Note: its text in sources/GUID.txt, byte for byte; a name; the coder
	for kind in project journal document node coding case; do
		g=$(guid "$kind")
		[ "$(xpath memos.qdpx "string(//*[local-name()=\"Note\"][@guid=\"$g\"]/@plainTextPath)")" = "internal://$g.txt" ]
		[ "$(unzip -p memos.qdpx "sources/$g.txt")" = "$(sqlite3 accents.qda "SELECT text FROM memo WHERE guid = '$g'")" ]
	done
	[ "$(xpath memos.qdpx "string(//*[local-name()=\"Note\"][@guid=\"$(guid journal)\"]/@name)")" = "Journal, $(sqlite3 accents.qda "SELECT created FROM memo WHERE target_kind = 'journal'")" ]
	[ "$(xpath memos.qdpx "string(//*[local-name()=\"Note\"][@guid=\"$(guid document)\"]/@name)")" = "Memo on document entretien, $(sqlite3 accents.qda "SELECT created FROM memo WHERE target_kind = 'document'")" ]
	[ "$(xpath memos.qdpx 'count(//*[local-name()="Note"][@creatingUser])')" = "6" ]
	[ "$(empty_wrappers memos.qdpx)" -eq 0 ]
}

@test "export: a code's id that is not the slug of its name is the last line of its Description" {
	qda export out.qdpx > /dev/null
	desc() { xpath out.qdpx "string(//*[local-name()=\"Code\"][@name=\"$1\"]/*[local-name()=\"Description\"])"; }
	[ "$(desc 'Communication and interprofessional collaboration')" = "Exchanges between the peer and the clinicians, case discussions, shared meetings and a sense of working together across professions.
qda id: communication-and-collaboration" ]
	# being-believed is the slug of 'Being believed': no line
	[ "$(desc 'Being believed')" = "The patient's account is taken at face value rather than doubted or reinterpreted as a symptom." ]
	# 24 of the 44 codes
	[ "$(xpath out.qdpx 'count(//*[local-name()="Description"][contains(., "qda id: ")])')" = "24" ]
}

@test "export: a coding's own memo (code --memo) is its selection's Description" {
	accents_project
	qda code entretien --chars 0-6 emotion --memo "la narratrice" > /dev/null
	qda export out.qdpx > /dev/null
	[ "$(xpath out.qdpx 'string(//*[local-name()="PlainTextSelection"][@startPosition="0"]/*[local-name()="Description"])')" = "la narratrice" ]
	[ "$(xpath out.qdpx 'count(//*[local-name()="Description"])')" = "1" ]
}

@test "export: removed codings and documents stay out" {
	accents_project
	qda code entretien --chars 0-6 emotion > /dev/null
	id=$(sqlite3 accents.qda "SELECT id FROM coding WHERE start = 0")
	qda uncode "$id" > /dev/null
	qda export out.qdpx > /dev/null
	[ "$(selections out.qdpx | cut -d'|' -f3,4)" = "22|32" ]
	printf 'Autre: texte\n' > autre.txt
	qda import autre.txt > /dev/null
	qda doc remove autre > /dev/null
	run --separate-stderr qda export out.qdpx
	[ "$output" = "exported out.qdpx: 1 documents, 1 codings, 1 codes, 2 cases, 0 variables, 0 notes, 1 users" ]
	[ "$(unzip -Z1 out.qdpx | grep -c '^sources/.*\.txt$')" -eq 1 ]
}

@test "export: an existing file is replaced whole, keeping its mode; a new one is mode 600" {
	printf 'old\n' > out.qdpx
	chmod 640 out.qdpx
	run --separate-stderr qda export out.qdpx
	[ "$status" -eq 0 ]
	[ "$(stat -c %a out.qdpx)" = "640" ]
	[ "$(unzip -Z1 out.qdpx | head -n 1)" = "sources/" ]
	qda export new.qdpx > /dev/null
	[ "$(stat -c %a new.qdpx)" = "600" ]
	[ "$(find . -name '.*.qda-tmp*')" = "" ]
}

@test "export: a target that cannot be written is an error, exit 1, nothing left" {
	run --separate-stderr qda export nosuch/out.qdpx
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda export: error: cannot write nosuch/out.qdpx: No such file or directory" ]
	mkdir out.qdpx
	run --separate-stderr qda export out.qdpx
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda export: error: cannot write out.qdpx: Is a directory" ]
	[ "$(find . -name '.*.qda-tmp*')" = "" ]
}

@test "export: an export that fails leaves an existing file as it was" {
	printf 'the export of last week\n' > out.qdpx
	cp out.qdpx before
	sqlite3 sample.qda "DROP VIEW document; CREATE VIEW document AS SELECT 1 AS x"
	run --separate-stderr qda export out.qdpx
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda export: error: prepare: database error: no such column: guid" ]
	cmp out.qdpx before
	[ "$(find . -name '.*.qda-tmp*')" = "" ]
}

@test "export: usage errors exit 2 (no file, two files, another format, -o, the project itself)" {
	run --separate-stderr qda export
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda export: error: give the file to write (qda export FILE.qdpx)" ]
	run --separate-stderr qda export a.qdpx b.qdpx
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda export: error: give one file to write" ]
	run --separate-stderr qda export out.qdpx --format csv
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda export: error: unknown format 'csv'; use qdpx" ]
	run --separate-stderr qda export -o out.qdpx
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda export: error: give the file to write as the argument (qda export FILE.qdpx), not with -o" ]
	run --separate-stderr qda export sample.qda
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda export: error: sample.qda is the project file; choose another output file" ]
	[ "$(sqlite3 sample.qda 'SELECT count(*) FROM coding')" -eq 488 ]
	run --separate-stderr qda export out.qdpx --format qdpx
	[ "$status" -eq 0 ]
	[ ! -e a.qdpx ] && [ ! -e b.qdpx ]
}

@test "export: codings of a retired code stay out, with a warning" {
	accents_project
	printf 'codebook: C\nthemes:\n  - id: emotion\n    name: Émotion\n  - id: doubt\n    name: Doute\n' > cb2.yaml
	qda codebook load cb2.yaml > /dev/null
	qda code entretien --chars 0-6 doubt > /dev/null
	qda codebook load --retire cb.yaml > /dev/null
	[ "$(sqlite3 accents.qda "SELECT retired FROM node WHERE key = 'doubt'")" -eq 1 ]
	run --separate-stderr qda export out.qdpx
	[ "$status" -eq 0 ]
	[ "$output" = "exported out.qdpx: 1 documents, 1 codings, 1 codes, 1 cases, 0 variables, 0 notes, 1 users" ]
	[ "$stderr" = "qda export: warning: 1 codings of retired codes were left out (the codebook no longer has their codes)" ]
	[ "$(selections out.qdpx | cut -d'|' -f3,4)" = "22|32" ]
	unzip -p out.qdpx project.qde > project.qde
	run xmllint --noout --schema "$XSD" project.qde
	[ "$output" = "project.qde validates" ]
}

@test "export: case attributes are Variables, Integer when every value is a plain integer" {
	accents_project
	qda case set entretien age=34 groupe=patients code=007 > /dev/null
	qda export out.qdpx > /dev/null
	qde out.qdpx > p.qde
	[ "$(grep -o '<Variable [^>]*' p.qde | sed 's/guid="[^"]*" //')" = "$(printf '%s\n' '<Variable name="age" typeOfVariable="Integer"/' '<Variable name="code" typeOfVariable="Text"/' '<Variable name="groupe" typeOfVariable="Text"/')" ]
	[ "$(xpath out.qdpx 'string(//*[local-name()="Case"]/*[local-name()="VariableValue"][1]/*[local-name()="IntegerValue"])')" = "34" ]
	[ "$(xpath out.qdpx 'string(//*[local-name()="Case"]/*[local-name()="VariableValue"][2]/*[local-name()="TextValue"])')" = "007" ]
	unzip -p out.qdpx project.qde > project.qde
	run xmllint --noout --schema "$XSD" project.qde
	[ "$output" = "project.qde validates" ]
}
