#!/usr/bin/env bats
# Inputs read strictly and within bounds (issue 16): hostile .docx archives,
# each documented limit at the limit and one past it. Inputs are generated
# here, never checked in.

bats_require_minimum_version 1.5.0
load helper

setup() {
	new_project
	HOSTILE="$BATS_TEST_DIRNAME/../tools/make-hostile-docx.py"
}

@test "docx: a 250 MB document.xml in a 0.6 MB zip is refused before it is inflated" {
	python3 "$HOSTILE" bomb bomb.docx 250
	read -r size packed < <(python3 -c 'import zipfile; i = zipfile.ZipFile("bomb.docx").getinfo("word/document.xml"); print(i.file_size, i.compress_size)')
	[ "$size" -gt 250000000 ]
	[ "$packed" -lt 1000000 ]
	run --separate-stderr qda import bomb.docx
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "${stderr_lines[0]}" = "qda import: bomb.docx: error: word/document.xml expands to $size bytes, over 100 times its compressed size ($packed bytes): a zip bomb, not a Word document; nothing was imported" ]
	[ "$(count_rows document)" -eq 0 ]
}

@test "docx: a document.xml longer than its zip header says is refused" {
	python3 "$HOSTILE" lie lie.docx
	run --separate-stderr qda import lie.docx
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda import: lie.docx: error: word/document.xml holds more than the 1000 bytes its zip header declares: a damaged or hostile file; nothing was imported" ]
	[ "$(count_rows document)" -eq 0 ]
}

@test "docx: a CRC error is refused, not imported" {
	python3 "$HOSTILE" crc crc.docx
	run --separate-stderr qda import crc.docx
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda import: crc.docx: error: word/document.xml is damaged (CRC error); open it in Word and save it again" ]
	[ "$(count_rows document)" -eq 0 ]
}

@test "docx: elements nested 128 deep import, 129 deep are refused" {
	python3 "$HOSTILE" deep d128.docx 128
	python3 "$HOSTILE" deep d129.docx 129
	run --separate-stderr qda import d128.docx
	[ "$status" -eq 0 ]
	[ "$output" = "imported d128.docx as d128 (docx): 1 turn, 1 speaker, 2 words" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT text FROM document WHERE name = 'd128'")" = "Camille: profond" ]
	run --separate-stderr qda import d129.docx
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda import: d129.docx: error: word/document.xml:1: elements nested over 128 deep; qda takes Word documents nested at most 128 deep: open it in Word and save it again" ]
	[ "$(count_rows document)" -eq 1 ]
}

# A codebook of 100 themes of 999 codes each (100,000 nodes), the code on
# line $2 given the id of the first theme's first code.
big_codebook() {
	awk -v dup="$2" 'BEGIN {
		print "codebook: Generated"; print "themes:"; line = 2
		for (t = 1; t <= 100; t++) {
			printf "  - id: t%d\n    name: Theme %d\n    codes:\n", t, t; line += 3
			for (c = 1; c <= 999; c++) {
				id = (line + 1 == dup) ? "c1-1" : "c" t "-" c
				printf "      - id: %s\n        name: Code %d %d\n", id, t, c; line += 2
			}
		}
	}' > "$1"
}

@test "codebook check: 100,000 nodes pass, and a duplicate id among them is found where it is" {
	big_codebook big.yaml 0
	run --separate-stderr qda codebook check big.yaml
	[ "$status" -eq 0 ]
	[ "$output" = "big.yaml: ok: 100 themes, 0 sub-themes, 99900 codes" ]
	# line 199,803 holds the id of the last theme's 850th code (c100-850)
	big_codebook dup.yaml 199803
	[ "$(sed -n 199803p dup.yaml)" = "      - id: c1-1" ]
	run --separate-stderr qda codebook check dup.yaml
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "${stderr_lines[0]}" = "qda codebook check: dup.yaml:199803:13: error: duplicate id 'c1-1'; it is first used at line 6, column 13" ]
	[ "${stderr_lines[1]}" = "qda codebook check: dup.yaml: 1 error" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
}

@test "codebook: lists nested 128 deep are read, 129 deep refused with the limit named" {
	{ printf 'codebook: x\nthemes: '; printf '[%.0s' $(seq 127); printf ']%.0s' $(seq 127); echo; } > d128.yaml
	{ printf 'codebook: x\nthemes: '; printf '[%.0s' $(seq 128); printf ']%.0s' $(seq 128); echo; } > d129.yaml
	run --separate-stderr qda codebook check d128.yaml
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda codebook check: d128.yaml:2:10: error: an item of 'themes' must be a node (id:, name:, ...) or a code's name, not a list" ]
	[ "${stderr_lines[1]}" = "qda codebook check: d128.yaml: 1 error" ]
	run --separate-stderr qda codebook check d129.yaml
	[ "$status" -eq 1 ]
	[ "${stderr_lines[1]}" = "qda codebook check: d129.yaml:2:136: error: lists and mappings nested over 128 deep; qda takes codebooks nested at most 128 deep" ]
}

@test "import: a line of exactly 1 MiB is imported, one byte more is refused with the limit named" {
	head -c 1048576 /dev/zero | tr '\0' 'a' > at.txt
	printf '\n' >> at.txt
	run --separate-stderr qda import at.txt
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT length FROM document WHERE name = 'at'")" = "1048577" ]
	{ head -c 1048577 /dev/zero | tr '\0' 'b'; printf '\n'; } > past.txt
	run --separate-stderr qda import past.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda import: past.txt:1: error: line 1 is 1048577 bytes long; qda takes transcripts whose paragraphs are at most 1 MiB (1048576 bytes): is this a transcript? Split it into paragraphs
qda import: nothing was imported" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM document")" = "1" ]
}

# Sparse files: nothing is written to disk. At 512 MiB the size check lets the
# file through (a file of zeros is then refused for what it holds); one byte
# more is refused by its size before a byte is read.
@test "import: a 512 MiB file passes the size check, one byte more is refused by its size" {
	truncate -s 536870912 at.txt
	run --separate-stderr qda import at.txt
	[ "$status" -eq 1 ]
	[ "${stderr%%:*}" = "qda import" ]
	[[ "$stderr" != *"qda takes transcripts of at most 512 MiB"* ]]
	truncate -s 536870913 past.txt
	run --separate-stderr qda import past.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda import: past.txt: error: is 536870913 bytes; qda takes transcripts of at most 512 MiB (536870912 bytes): split the file, or import it as several documents
qda import: nothing was imported" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM document")" = "0" ]
}

# name N: N characters, each an accented letter (two bytes in UTF-8)
name() {
	printf 'é%.0s' $(seq "$1")
}

@test "names: a coder's name of 100 characters is taken, 101 are refused with the limit" {
	run --separate-stderr qda --coder "$(name 100)" memo add --journal "Premier jour."
	[ "$status" -eq 0 ]
	run --separate-stderr qda --coder "$(name 101)" memo add --journal "Deuxième jour."
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda memo add: error: coder name '$(name 101)' is longer than 100 characters; choose another (qda coders lists them)" ]
	[ "$(count_rows memo)" -eq 1 ]
}

@test "names: a document's and a case's name of 200 characters are taken, 201 are refused with the limit" {
	printf 'Camille: Bonjour.\n\nÉlodie: Oui.\n' > a.txt
	printf 'Camille: Bonsoir.\n\nÉlodie: Non.\n' > b.txt
	printf 'Camille: Au revoir.\n\nÉlodie: Peut-être.\n' > c.txt
	run --separate-stderr qda import --interviewer Camille --name "$(name 200)" a.txt
	[ "$status" -eq 0 ]
	run --separate-stderr qda import --interviewer Camille --name "$(name 201)" b.txt
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda import: b.txt: error: the document name '$(name 201)' is longer than 200 characters; import it under another with --name NAME" ]
	run --separate-stderr qda import --interviewer Camille --name B --case "$(name 201)" b.txt
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda import: b.txt: error: the case name '$(name 201)' is longer than 200 characters; give another with --case NAME" ]
	run --separate-stderr qda import --interviewer Camille --name C --case "$(name 199)x" c.txt
	[ "$status" -eq 0 ]
	[ "$(count_rows document)" -eq 2 ]
	[ "$(count_rows cases)" -eq 2 ]
}

@test "names: a codebook id of 100 characters and a name of 200 are read; one more is refused with the limit" {
	id100=$(printf 'a%.0s' $(seq 100))
	printf 'codebook: Limites\nthemes:\n  - id: %s\n    name: %s\n' "$id100" "$(name 200)" > ok.yaml
	run --separate-stderr qda codebook check ok.yaml
	[ "$status" -eq 0 ]
	printf 'codebook: Limites\nthemes:\n  - id: %sa\n    name: %s\n' "$id100" "$(name 201)" > long.yaml
	run --separate-stderr qda codebook check long.yaml
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda codebook check: long.yaml:3:9: error: the id has 101 characters; qda takes ids of at most 100: shorten it" ]
	[ "${stderr_lines[1]}" = "qda codebook check: long.yaml:4:11: error: the name has 201 characters; qda takes names of at most 200: shorten it (the definition holds the rest)" ]
}
