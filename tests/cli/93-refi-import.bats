#!/usr/bin/env bats
# qda import FILE.qdpx and qda codebook load FILE.qdc: REFI-QDA projects and
# codebooks from NVivo, ATLAS.ti, MAXQDA, QualCoder. The .qdpx archives are
# built here from the hand-made files of tests/fixtures/refi.

bats_require_minimum_version 1.5.0

load helper

REFI=$BATS_TEST_DIRNAME/../fixtures/refi

setup() {
	new_project
}

# qdpx DIR OUT: zip the files of a fixture directory into OUT.
qdpx() {
	(cd "$REFI/$1" && zip -qr -X "$BATS_TEST_TMPDIR/$2" .)
}

# evil OUT NAME... : an archive holding a valid project.qde and, for each
# NAME, an entry of that name; "link:NAME" makes a symbolic link entry,
# "bomb:NAME" 20 MiB of zeros.
evil() {
	python3 - "$BATS_TEST_TMPDIR/$1" "$REFI/guess/project.qde" "${@:2}" <<'EOF'
import sys, zipfile, stat
out, qde, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.write(qde, 'project.qde')
    for n in names:
        if n.startswith('link:'):
            i = zipfile.ZipInfo(n[5:])
            i.create_system = 3
            i.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(i, '/etc/passwd')
        elif n.startswith('bomb:'):
            z.writestr(n[5:], b'\0' * (20 << 20))
        else:
            z.writestr(n, 'x')
EOF
}

# ---- NVivo: UTF-16 positions, CRLF, a BOM, emoji ----

@test "import qdpx: NVivo's UTF-16 positions over CRLF and emoji land on the exact words" {
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	run --separate-stderr qda codings --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,document,lines,start,end,code,coder,method,rule,memo,text" ]
	[ "${lines[1]}" = "1,P01,2-2,73,84,feeling-heard,Camille,import,,,being heard" ]
	[ "${lines[2]}" = "2,P01,2-2,73,84,feeling-heard,Yanis,import,,,being heard" ]
	[ "${lines[3]}" = "3,P01,2-2,90,113,taking-time,Yanis,import,,Time is the peer's gift.,took the time to listen" ]
	[ "${lines[4]}" = "4,P01,4-4,155,177,trust,Camille,import,,Trust came with the weeks.,trusted her completely" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "import qdpx: the report says what came in and what was left out, and why" {
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "item,count,status,detail" ]
	[ "${lines[1]}" = "documents,1,imported," ]
	[ "${lines[2]}" = "codes,4,imported," ]
	[ "${lines[3]}" = "codings,4,imported," ]
	[ "${lines[4]}" = "cases,1,imported," ]
	[ "${lines[5]}" = "variables,2,imported,case attribute values" ]
	[ "${lines[6]}" = "memos,5,imported," ]
	[ "${lines[7]}" = "users,2,imported,as coders" ]
	[ "${lines[8]}" = "sources,1,skipped,PDF source with 1 selection: qda holds text transcripts only" ]
	[ "${lines[9]}" = "selections,1,skipped,\"P01: selection 5e100000-0000-4000-8000-000000000004 [400, 410) not placed: it lies past the end of the text (utf16 units: 186)\"" ]
	[ "${lines[10]}" = "links,1,skipped,qda keeps no links between objects (only a note's link to what it is about becomes a memo)" ]
	[ "${lines[11]}" = "sets,1,skipped,qda has no sets; code a set's members with a theme instead" ]
	[ "${lines[12]}" = "graphs,1,skipped,qda draws no graphs (see qda map)" ]
	[ "${#lines[@]}" -eq 13 ]
}

@test "import qdpx: the JSON report is one document with the CSV's keys" {
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e 'length == 12 and .[2].item == "codings" and .[2].count == 4 and .[8].status == "skipped"'
}

@test "import qdpx: GUIDs of users, codes, documents, codings, cases and notes are kept" {
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT guid FROM coder WHERE name = 'Camille'")" = "a1b2c3d4-0000-4000-8000-000000000001" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT guid FROM node WHERE key = 'feeling-heard'")" = "c0de0000-0000-4000-8000-000000000002" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT guid FROM document WHERE name = 'P01'")" = "50c00000-0000-4000-8000-000000000001" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(guid, ' ') FROM (SELECT guid FROM coding ORDER BY id)")" = "c0d10000-0000-4000-8000-000000000001 c0d10000-0000-4000-8000-000000000002 c0d10000-0000-4000-8000-000000000003 c0d10000-0000-4000-8000-000000000004" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT guid FROM cases WHERE name = 'Participant 01'")" = "ca5e0000-0000-4000-8000-000000000001" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT guid FROM memo WHERE text = 'Trust builds slowly.'")" = "207e0000-0000-4000-8000-000000000003" ]
}

@test "import qdpx: cases, variables and memos go where the project put them" {
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx
	[ "$status" -eq 0 ]
	run --separate-stderr qda cases --format csv
	[ "$output" = "$(printf 'case,documents,age,role\nParticipant 01,1,54,patient')" ]
	run --separate-stderr qda memo list --format csv
	[ "$status" -eq 0 ]
	# the Note named "Journal" is a journal entry (the name refi_export.c gives one)
	[ "$(echo "$output" | cut -d, -f1-4,6- | tr '\n' '|')" = "id,kind,target,coder,text|1,coding,3,Yanis,Time is the peer's gift.|2,document,P01,Camille,\"Recorded at the practice, 40 minutes.\"|3,code,trust,Camille,Trust builds slowly.|4,journal,,,First reading done.|" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT description FROM cases WHERE name = 'Participant 01'")" = "Recruited through the practice." ]
}

@test "import qdpx: the code tree, colours and descriptions come in as a codebook version" {
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx
	[ "$status" -eq 0 ]
	run --separate-stderr qda codebook history --format csv
	[ "$(echo "$output" | cut -d, -f1,4 | tail -n 1)" = "1,import nvivo.qdpx" ]
	run --separate-stderr qda codebook show --format csv
	[ "${lines[1]}" = "Experiences of care,experiences-of-care,theme,candidate" ]
	[ "${lines[2]}" = "Feeling heard,feeling-heard,code,candidate" ]
	[ "${lines[3]}" = "Taking time,taking-time,code,candidate" ]
	[ "${lines[4]}" = "Trust,trust,theme,candidate" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT definition || '|' || include || '|' || exclude FROM node WHERE key = 'feeling-heard'")" = "Being listened to.|[\"felt heard\", \"listened to\"]|[\"clinician's own listening\"]" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT color FROM node WHERE key = 'trust'")" = "#E15759" ]
}

@test "import qdpx: importing the same project again adds nothing" {
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx
	[ "$status" -eq 0 ]
	run --separate-stderr qda import nvivo.qdpx --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "documents,0,imported," ]
	[ "${lines[2]}" = "documents,1,matched,the same text was here already" ]
	[ "${lines[3]}" = "codes,0,imported," ]
	[ "${lines[4]}" = "codes,4,matched,by GUID or id" ]
	[ "${lines[5]}" = "codings,0,imported," ]
	[ "${lines[6]}" = "codings,4,matched,the same coder had coded the same span" ]
	[ "$(count_rows coding)" -eq 4 ]
	[ "$(count_rows memo)" -eq 4 ]
	[ "$(count_rows document)" -eq 1 ]
	[ "$(count_rows codebook_version)" -eq 1 ]
}

@test "import qdpx: a different document of the same name is skipped with its codings, the rest comes in" {
	printf 'P01: another text entirely.\n' > P01.txt
	qda import P01.txt > /dev/null
	qdpx nvivo nvivo.qdpx
	run --separate-stderr qda import nvivo.qdpx --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "documents,0,imported," ]
	[ "$(echo "$output" | grep '^documents,1,skipped')" = "documents,1,skipped,P01: a different document of that name is here; its 4 selections are not imported (rename it with 'qda doc rename' and import again)" ]
	[ "$(count_rows coding)" -eq 0 ]
}

# ---- ATLAS.ti: leniency ----

@test "import qdpx: ATLAS.ti's CRLF counted as one, another .qde name, sources/ and a 1.6 namespace" {
	qdpx atlas atlas.qdpx
	run --separate-stderr qda import atlas.qdpx
	[ "$status" -eq 0 ]
	run --separate-stderr qda codings --format csv
	[ "${lines[1]}" = "1,R02,2-2,28,49,cost,Ana,import,,Fares came up twice.,bus fare was too much" ]
	[ "${lines[2]}" = "2,R02,3-3,72,80,distance,Ana,import,,,far away" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "import qdpx: a hierarchy spelled in names becomes the code tree" {
	qdpx atlas atlas.qdpx
	run --separate-stderr qda import atlas.qdpx
	[ "$status" -eq 0 ]
	run --separate-stderr qda codebook show --format csv
	[ "$output" = "$(printf 'node,id,kind,status\nBarriers,barriers,theme,candidate\nCost,cost,code,candidate\nDistance,distance,code,candidate')" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT guid || ' ' || color FROM node WHERE key = 'barriers'")" = "b0de0000-0000-4000-8000-000000000003 #59A14F" ]
}

@test "import qdpx: variables on a source and on an unnamed case with one source are the document's case attributes" {
	qdpx atlas atlas.qdpx
	run --separate-stderr qda import atlas.qdpx
	[ "$status" -eq 0 ]
	run --separate-stderr qda cases --format csv
	[ "$output" = "$(printf 'case,documents,group,rural\nR02,1,relative,true')" ]
}

@test "import qdpx: positions that fit another reading better are read so, and the report says it" {
	qdpx guess guess.qdpx
	run --separate-stderr qda import guess.qdpx --format csv
	[ "$status" -eq 0 ]
	[ "${lines[8]}" = "positions,1,utf16,\"P03: positions read as UTF-16 code units, CRLF as two, not code points, CRLF as two as the origin 'QualCoder 3.5' suggests: 2 of 2 selections start and end on word boundaries so, 0 the other way\"" ]
	run --separate-stderr qda codings --format csv
	[ "${lines[1]}" = "1,P03,2-2,40,56,emotion,Lea,import,,,and then I cried" ]
	[ "${lines[2]}" = "2,P03,2-2,59,64,emotion,Lea,import,,,a lot" ]
}

# ---- untrusted archives ----

@test "import qdpx: an entry leading out of the archive is refused, nothing written" {
	evil slip.qdpx Sources/../../evil.txt
	run --separate-stderr qda import slip.qdpx
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "$(printf "qda import: slip.qdpx: error: entry 'Sources/../../evil.txt' refused: it leads out of the archive ('..'); nothing was imported\nqda import: nothing was imported")" ]
	[ "$(count_rows document)" -eq 0 ]
	[ "$(count_rows node)" -eq 0 ]
	[ "$(count_rows coder)" -eq 0 ]
}

@test "import qdpx: an absolute path entry is refused" {
	evil abs.qdpx /tmp/evil.txt
	run --separate-stderr qda import abs.qdpx
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "qda import: abs.qdpx: error: entry '/tmp/evil.txt' refused: an absolute path; nothing was imported" ]
}

@test "import qdpx: a symbolic link entry is refused" {
	evil link.qdpx link:Sources/p03.txt
	run --separate-stderr qda import link.qdpx
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "qda import: link.qdpx: error: entry 'Sources/p03.txt' refused: a symbolic link; nothing was imported" ]
	[ "$(count_rows document)" -eq 0 ]
}

@test "import qdpx: a zip bomb is refused with the entry named" {
	evil bomb.qdpx bomb:Sources/zeros.txt
	run --separate-stderr qda import bomb.qdpx
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "qda import: bomb.qdpx: error: entry 'Sources/zeros.txt' refused: it expands to 20971520 bytes, over 100 times its compressed size (a zip bomb?); nothing was imported" ]
	[ "$(count_rows document)" -eq 0 ]
}

@test "import qdpx: malformed XML is reported at FILE.qdpx:ENTRY:LINE:COL with libxml2's message" {
	mkdir bad
	printf '<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0">\n  <Users>\n</Project>\n' > bad/project.qde
	(cd bad && zip -qr -X ../bad.qdpx .)
	run --separate-stderr qda import bad.qdpx
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "$(printf 'qda import: bad.qdpx:project.qde:4:11: error: Opening and ending tag mismatch: Users line 3 and Project; nothing was imported\nqda import: nothing was imported')" ]
}

@test "import qdpx: a DOCTYPE is refused: no DTD is loaded, no entity expanded" {
	mkdir dtd
	printf '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<Project name="&b;"/>\n' > dtd/project.qde
	(cd dtd && zip -qr -X ../dtd.qdpx .)
	run --separate-stderr qda import dtd.qdpx
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "qda import: dtd.qdpx:project.qde:2:1: error: a DOCTYPE is not allowed here: qda loads no DTD and expands no entity; nothing was imported" ]
}

@test "import qdpx: an archive with no .qde, or with two, is refused" {
	mkdir none two
	printf 'x' > none/readme.txt
	(cd none && zip -qr -X ../none.qdpx .)
	cp "$REFI/guess/project.qde" two/a.qde
	cp "$REFI/guess/project.qde" two/b.qde
	(cd two && zip -qr -X ../two.qdpx a.qde b.qde)
	run --separate-stderr qda import none.qdpx
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "qda import: none.qdpx: error: no .qde project file in the archive; a REFI-QDA project (.qdpx) holds one (project.qde)" ]
	run --separate-stderr qda import two.qdpx
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "qda import: two.qdpx: error: 2 .qde files in the archive (a.qde, b.qde); a REFI-QDA project holds exactly one" ]
}

@test "import qdpx: a .qdpx goes alone, without the transcript options" {
	qdpx guess guess.qdpx
	printf 'P: x\n' > a.txt
	run --separate-stderr qda import guess.qdpx a.txt
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda import: error: import a REFI-QDA project (guess.qdpx) on its own, not with other files" ]
	run --separate-stderr qda import guess.qdpx --case X
	[ "$status" -eq 2 ]
	[ "$(count_rows document)" -eq 0 ]
}

# ---- .qdc codebooks ----

@test "codebook load x.qdc: nodes, colours, descriptions, hierarchy; export yaml gives the expected file" {
	run --separate-stderr qda codebook load "$REFI/qdc/codebook.qdc"
	[ "$status" -eq 0 ]
	run --separate-stderr qda codebook export --format yaml
	[ "$status" -eq 0 ]
	assert_golden refi-qdc-load.yaml
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT guid FROM node WHERE key = 'relationships'")" = "d0000000-0000-4000-8000-00000000000a" ]
}

@test "codebook load: a codebook exported as .qdc loads back unchanged, in this project and into a new one" {
	qda codebook load "$CODEBOOKS/braun-clarke-template.yaml" > /dev/null
	qda codebook export --format qdc > cb.qdc
	run --separate-stderr qda codebook load cb.qdc
	[ "$status" -eq 0 ]
	[ "$output" = "nothing changed: the codebook already matches cb.qdc (version 1)" ]
	qda codebook export --format qdc > cb2.qdc
	export QDA_PROJECT=$BATS_TEST_TMPDIR/other.qda
	qda init "$QDA_PROJECT" > /dev/null
	run --separate-stderr qda codebook load cb.qdc
	[ "$status" -eq 0 ]
	qda codebook export --format qdc > cb3.qdc
	# the same codes, GUIDs, colours and descriptions; only the origin line may differ
	[ "$(grep -v origin cb2.qdc)" = "$(grep -v origin cb3.qdc)" ]
}

@test "codebook check x.qdc: malformed XML is reported at its line and column" {
	printf '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>\n<Code name="a" guid="x">\n</CodeBook>\n' > bad.qdc
	run --separate-stderr qda codebook check bad.qdc
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "qda codebook check: bad.qdc:3:12: error: Opening and ending tag mismatch: Code line 2 and CodeBook" ]
}
