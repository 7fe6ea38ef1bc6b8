#!/usr/bin/env bats
# qda code, uncode and codings on the hand-made coding project
# (tests/fixtures/coding): exact positions in code points for every span
# form, on text with accents and an emoji, NFD input, batch coding from CSV.
#
# P01 line 2 is [52, 99) "Lucie: Ça va. Elle prend le temps de m’écouter,",
# line 3 is [100, 143) "vraiment le temps. 😀 Je lui fais confiance."

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$FIXTURES/coding/project.sql" | sqlite3 "$QDA_PROJECT"
	export QDA_CODER=ana
}

# ---- span forms ----

@test "code --lines runs from the start of the first line to the end of the last, its LF excluded" {
	run qda code P01 --lines 2-3 trust
	[ "$status" -eq 0 ]
	[ "$output" = "coded P01 lines 2-3 [52, 143) as trust (coding 1)" ]
	run sqlite3 "$QDA_PROJECT" "SELECT doc_id, node_id, start, end, line_first, line_last, method FROM coding"
	[ "$output" = "1|3|52|143|2|3|manual" ]
}

@test "code --lines A is one line" {
	run qda code P02 --lines 3 trust
	[ "$status" -eq 0 ]
	[ "$output" = "coded P02 lines 3-3 [100, 130) as trust (coding 1)" ]
}

@test "code --turns covers the whole turn, speaker label included" {
	run qda code P01 --turns 2 time
	[ "$status" -eq 0 ]
	[ "$output" = "coded P01 lines 2-3 [52, 143) as time (coding 1)" ]
	run qda code P01 --turns 3-4 doctor
	[ "$output" = "coded P01 lines 4-5 [144, 252) as doctor (coding 2)" ]
}

@test "code --chars counts code points, not bytes, after accents and the emoji" {
	run qda code P01 --chars 119-120 trust
	[ "$status" -eq 0 ]
	[ "$output" = "coded P01 lines 3-3 [119, 120) as trust (coding 1)" ]
	run qda codings --format csv
	[ "${lines[1]}" = "1,P01,3-3,119,120,trust,ana,manual,,,😀" ]
}

@test "code --chars A-B excludes B" {
	qda code P01 --chars 80-85 time
	run sqlite3 "$QDA_PROJECT" "SELECT substr(text, 81, 5) FROM document WHERE name = 'P01'"
	[ "$output" = "temps" ]
	run qda codings --format csv
	[ "${lines[1]}" = "1,P01,2-2,80,85,time,ana,manual,,,temps" ]
}

@test "code --quote finds the exact place in code points" {
	run qda code P01 --quote "😀 Je lui fais confiance" trust
	[ "$status" -eq 0 ]
	[ "$output" = "coded P01 lines 3-3 [119, 142) as trust (coding 1)" ]
}

@test "code --quote matches across a line break" {
	run qda code P01 --quote "de m’écouter, vraiment le temps" listening time
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "coded P01 lines 2-3 [86, 117) as listening (coding 1)" ]
	[ "${lines[1]}" = "coded P01 lines 2-3 [86, 117) as time (coding 2)" ]
	run qda codings --code listening --format csv
	[ "${lines[1]}" = '1,P01,2-3,86,117,listening,ana,manual,,,"de m’écouter,' ]
	[ "${lines[2]}" = 'vraiment le temps"' ]
}

@test "code --quote: any run of whitespace matches any other, ends trimmed" {
	run qda code P01 --quote "  m’écouter,
	   vraiment  " listening
	[ "$status" -eq 0 ]
	[ "$output" = "coded P01 lines 2-3 [89, 108) as listening (coding 1)" ]
}

@test "code --quote in NFD matches the NFC text" {
	# "médecin était" with combining acute accents (e + U+0301)
	run qda code P01 --quote "$(printf 'me\xcc\x81decin e\xcc\x81tait')" doctor
	[ "$status" -eq 0 ]
	[ "$output" = "coded P01 lines 5-5 [198, 211) as doctor (coding 1)" ]
	run qda codings --format csv
	[ "${lines[1]}" = "1,P01,5-5,198,211,doctor,ana,manual,,,médecin était" ]
}

@test "code --quote refuses an ambiguous quote and shows every candidate" {
	run qda code P01 --quote "le temps" trust
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = 'qda code: P01: error: the quote "le temps" occurs 3 times; make it longer or use --lines:' ]
	[ "${lines[1]}" = "  line 2: …ucie: Ça va. Elle prend [le temps] de m’écouter," ]
	[ "${lines[2]}" = "  line 3: vraiment [le temps]. 😀 Je lui fais confianc…" ]
	[ "${lines[3]}" = "  line 4: …Et le médecin, il prend [le temps] ?" ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --quote refuses a missing quote and points to the line ignoring case and accents" {
	run qda code P01 --quote "MEDECIN ETAIT" doctor
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: P01: error: the quote \"MEDECIN ETAIT\" was not found as written (with ’ ‘ as ', “ ” « » as \", no-break spaces and runs of spaces as one space); ignoring case and accents it is at line 5; check it with 'qda show P01 --lines 5'" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --quote refuses a missing quote and shows where its beginning is" {
	run qda code P01 --quote "il prend le truc" doctor
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: P01: error: the quote \"il prend le truc\" was not found as written (with ’ ‘ as ', “ ” « » as \", no-break spaces and runs of spaces as one space); its beginning \"il prend le\" is at line 4; check it with 'qda show P01 --lines 4'" ]
}

@test "code --quote with no trace of the quote says to read the document" {
	run qda code P02 --quote "rien du tout" trust
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: P02: error: the quote \"rien du tout\" was not found as written (with ’ ‘ as ', “ ” « » as \", no-break spaces and runs of spaces as one space); check it with 'qda show P02'" ]
}

@test "code refuses spans past the end of the document" {
	run qda code P02 --lines 2-4 trust
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: error: P02 has 3 lines; line 4 is past its end" ]
	run qda code P02 --turns 3 trust
	[ "$output" = "qda code: error: P02 has 2 turns; turn 3 is past its end" ]
	run qda code P02 --chars 100-132 trust
	[ "$output" = "qda code: error: [100, 132) is past the end of P02 (131 characters)" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code refuses a malformed span as a usage error" {
	run qda code P01 --lines 3-2 trust
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda code: error: --lines wants A-B with 1 <= A <= B (or one line A), not '3-2'" ]
	[ "${lines[1]}" = "Try 'qda code --help'." ]
	run qda code P01 --chars 5-5 trust
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda code: error: --chars wants A-B with 0 <= A < B (code points, the end excluded), not '5-5'" ]
	[ "${lines[1]}" = "Try 'qda code --help'." ]
	run qda code P01 --lines 1 --quote Bonjour trust
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda code: error: give one of --lines, --turns, --chars or --quote" ]
	[ "${lines[1]}" = "Try 'qda code --help'." ]
}

@test "code with several codes makes one coding each" {
	run qda code P02 --lines 2-3 trust time --memo "delegated trust"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "coded P02 lines 2-3 [56, 130) as trust (coding 1)" ]
	[ "${lines[1]}" = "coded P02 lines 2-3 [56, 130) as time (coding 2)" ]
	run sqlite3 "$QDA_PROJECT" "SELECT group_concat(memo, '|') FROM coding"
	[ "$output" = "delegated trust|delegated trust" ]
}

# ---- codes ----

@test "code refuses an unknown code with the nearest ids, and writes nothing" {
	run qda code P01 --lines 2 trust trus
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: error: unknown code 'trus'; did you mean 'trust' or 'trust-building'? (see qda codebook show)" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code refuses a retired code" {
	run qda code P01 --lines 2 old-code
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: error: code 'old-code' is retired from the codebook (merged or removed) and takes no new codings; see qda codebook show" ]
}

@test "code --new --under adds an in-vivo code named by the text" {
	run qda code P02 --lines 3 --new --under trust-building "Confiance déléguée"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "added in-vivo code 'confiance-deleguee' under 'trust-building'" ]
	[ "${lines[1]}" = "coded P02 lines 3-3 [100, 130) as confiance-deleguee (coding 1)" ]
	run sqlite3 "$QDA_PROJECT" "SELECT n.key, p.key, n.kind, n.name, n.in_vivo, n.position FROM node n JOIN node p ON p.id = n.parent_id WHERE n.key = 'confiance-deleguee'"
	[ "$output" = "confiance-deleguee|trust-building|code|Confiance déléguée|1|2" ]
}

@test "code --new with a known code codes it and adds nothing" {
	run qda code P02 --lines 3 --new --under relationship trust
	[ "$status" -eq 0 ]
	[ "$output" = "coded P02 lines 3-3 [100, 130) as trust (coding 1)" ]
	[ "$(count_rows node)" -eq 8 ]
}

@test "code --new needs --under, a theme or sub-theme" {
	run qda code P02 --lines 3 --new "Autre chose"
	[ "$status" -eq 2 ]
	[ "$output" = "qda code: error: --new needs --under PARENT: the theme or sub-theme the new code belongs to" ]
	run qda code P02 --lines 3 --new --under trust "Autre chose"
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: error: 'trust' is a code; put the new code under a theme or sub-theme" ]
	[ "$(count_rows node)" -eq 8 ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --under without --new is a usage error" {
	run qda code P02 --lines 3 --under care trust
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda code: error: --under goes with --new" ]
	[ "${lines[1]}" = "Try 'qda code --help'." ]
}

@test "the same coder coding the same span with the same code twice is one coding" {
	qda code P01 --lines 2-3 trust
	run qda code P01 --turns 2 trust
	[ "$status" -eq 0 ]
	[ "$output" = "already coded P01 lines 2-3 [52, 143) as trust (coding 1)" ]
	[ "$(count_rows coding)" -eq 1 ]
	QDA_CODER=bea run qda code P01 --lines 2-3 trust
	[ "$output" = "coded P01 lines 2-3 [52, 143) as trust (coding 2)" ]
	[ "$(count_rows coding)" -eq 2 ]
}

@test "code without a coder stops with a clear message" {
	unset QDA_CODER
	run qda code P01 --lines 2 trust
	[ "$status" -eq 2 ]
	[ "$output" = "qda code: error: no coder: say who you are with --coder NAME or export QDA_CODER=NAME" ]
	[ "$(count_rows coding)" -eq 0 ]
	[ "$(count_rows coder)" -eq 0 ]
}

@test "code --coder names the coder, created on first use" {
	unset QDA_CODER
	run qda --coder bea code P01 --lines 2 trust
	[ "$status" -eq 0 ]
	run sqlite3 "$QDA_PROJECT" "SELECT k.name FROM coding c JOIN coder k ON k.id = c.coder_id"
	[ "$output" = "bea" ]
}

@test "code on an unknown document suggests the nearest names" {
	run qda code P1 --lines 2 trust
	[ "$status" -eq 1 ]
	[[ "$output" == "qda code: error: no document 'P1'"* ]]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "a coding is in the audit trail" {
	qda code P01 --lines 2 trust
	run sqlite3 "$QDA_PROJECT" "SELECT summary FROM log WHERE summary LIKE 'coded%'"
	[ "$output" = "coded P01 lines 2-2 [52, 99): 1 coding added (1)" ]
}

# ---- batch coding from CSV ----

@test "code --from codes every row of a good file, each under its coder" {
	cat > good.csv <<-'EOF'
	document,unit,from,to,code,coder,memo
	P01,line,1,1,listening,bea,
	P02,turn,2,2,trust,bea,a memo
	P01,char,119,120,time,ana,
	P01,lines,2,3,trust,ana,
	EOF
	run qda code --from good.csv
	[ "$status" -eq 0 ]
	[ "$output" = "good.csv: 4 codings added, 0 already present" ]
	run qda codings --format csv
	[ "${lines[0]}" = "id,document,lines,start,end,code,coder,method,rule,memo,text" ]
	[ "${lines[1]}" = "1,P01,1-1,0,51,listening,bea,import,,,Camille: Bonjour Lucie, comment ça va aujourd’hui ?" ] || [ "${lines[1]}" = '1,P01,1-1,0,51,listening,bea,import,,,"Camille: Bonjour Lucie, comment ça va aujourd’hui ?"' ]
	[ "${lines[2]}" = '4,P01,2-3,52,143,trust,ana,import,,,"Lucie: Ça va. Elle prend le temps de m’écouter,' ]
	[ "${lines[4]}" = "3,P01,3-3,119,120,time,ana,import,,,😀" ]
	run sqlite3 "$QDA_PROJECT" "SELECT memo FROM coding WHERE memo IS NOT NULL"
	[ "$output" = "a memo" ]
	run sqlite3 "$QDA_PROJECT" "SELECT name FROM coder ORDER BY name"
	[ "$output" = "ana
bea" ]
}

@test "code --from takes the ' off a cell that qda's CSV writer neutralised for spreadsheets, as review import does" {
	cat > neutral.csv <<-'EOF'
	document,unit,from,to,code,coder,memo
	P01,line,1,1,listening,'@bea,'=SUM(A1)
	P01,line,2,2,listening,bea,''-really
	P01,line,3,3,listening,bea,'plain
	P02,turn,2,2,trust,bea,"'	tab"
	EOF
	run --separate-stderr qda code --from neutral.csv
	[ "$status" -eq 0 ]
	[ "$output" = "neutral.csv: 4 codings added, 0 already present" ]
	run sqlite3 "$QDA_PROJECT" "SELECT k.name || '|' || c.memo FROM coding c JOIN coder k ON k.id = c.coder_id ORDER BY c.id"
	[ "$output" = "@bea|=SUM(A1)
bea|'-really
bea|'plain
bea|	tab" ]
}

@test "code --from counts rows already coded as present, a second run adds nothing" {
	printf 'document,unit,from,to,code,coder\nP01,line,2,3,trust,ana\nP01,turn,2,2,trust,ana\n' > twice.csv
	run qda code --from twice.csv
	[ "$status" -eq 0 ]
	[ "$output" = "twice.csv: 1 coding added, 1 already present" ]
	run qda code --from twice.csv
	[ "$output" = "twice.csv: 0 codings added, 2 already present" ]
	[ "$(count_rows coding)" -eq 1 ]
}

@test "code --from writes many rows at a time: codings already there, or twice in the file, are counted present and use up no id" {
	{
		echo "document,unit,from,to,code,coder,memo"
		for i in $(seq 0 69); do echo "P01,char,$i,$((i + 1)),trust,ana,m$i"; done
		for i in $(seq 0 69); do echo "P01,char,$i,$((i + 1)),trust,ana,again"; done
		for i in $(seq 70 79); do echo "P01,char,$i,$((i + 1)),trust,ana,m$i"; done
	} > many.csv
	run --separate-stderr qda code --from many.csv
	[ "$status" -eq 0 ]
	[ "$output" = "many.csv: 80 codings added, 70 already present" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*), min(id), max(id) FROM coding WHERE memo = 'm' || start")" = "80|1|80" ]
	run --separate-stderr qda code --from many.csv
	[ "$output" = "many.csv: 0 codings added, 150 already present" ]
	[ "$(count_rows coding)" -eq 80 ]
}

@test "code --from accepts columns in any order, a BOM and CRLF line ends" {
	printf '\xef\xbb\xbfcoder,code,document,unit,from,to\r\nbea,doctor,P01,turn,4,4\r\n' > crlf.csv
	run qda code --from crlf.csv
	[ "$status" -eq 0 ]
	[ "$output" = "crlf.csv: 1 coding added, 0 already present" ]
	run sqlite3 "$QDA_PROJECT" "SELECT start, end FROM coding"
	[ "$output" = "188|252" ]
}

@test "code --from reports every bad row with its number and reason, and writes nothing" {
	cat > bad.csv <<-'EOF'
	document,unit,from,to,code,coder
	P01,line,1,1,listening,bea
	P9,line,1,1,trust,bea
	P01,word,1,2,trust,bea
	P01,line,x,2,trust,bea
	P01,line,3,2,trust,bea
	P02,line,1,9,trust,bea
	P01,line,1,1,trus,bea
	P01,line,1,1,trust,
	P01,char,5,5,trust,bea
	P01,line,1,1,old-code,bea
	P02,turn,2,2,time,bea
	EOF
	run qda code --from bad.csv
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda code: bad.csv:3: error: no document 'P9'; see qda docs" ]
	[ "${lines[1]}" = "qda code: bad.csv:4: error: unit 'word' is not line, turn or char" ]
	[ "${lines[2]}" = "qda code: bad.csv:5: error: from 'x' is not a whole number" ]
	[ "${lines[3]}" = "qda code: bad.csv:6: error: from 3 is after to 2" ]
	[ "${lines[4]}" = "qda code: bad.csv:7: error: P02 has 3 lines; line 9 is past its end" ]
	[ "${lines[5]}" = "qda code: bad.csv:8: error: unknown code 'trus'; did you mean 'trust' or 'trust-building'? (see qda codebook show)" ]
	[ "${lines[6]}" = "qda code: bad.csv:9: error: the coder is empty; name who coded the row" ]
	[ "${lines[7]}" = "qda code: bad.csv:10: error: [5, 5) is empty; the end is excluded, so code [5, 6) for one character" ]
	[ "${lines[8]}" = "qda code: bad.csv:11: error: code 'old-code' is retired from the codebook (merged or removed) and takes no new codings; see qda codebook show" ]
	[ "${lines[9]}" = "qda code: bad.csv: error: 9 bad rows; nothing was written: correct them and run again" ]
	[ "${#lines[@]}" -eq 10 ]
	[ "$(count_rows coding)" -eq 0 ]
	[ "$(count_rows coder)" -eq 0 ]
}

@test "a coding survives a re-import being refused" {
	qda code P01 --lines 2 trust
	printf 'document,unit,from,to,code,coder\nP01,line,2,2,trust,ana\nP01,line,9,9,trust,ana\n' > re.csv
	run qda code --from re.csv
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda code: re.csv:3: error: P01 has 5 lines; line 9 is past its end" ]
	run qda codings --format csv
	[ "${lines[1]}" = "1,P01,2-2,52,99,trust,ana,manual,,,\"Lucie: Ça va. Elle prend le temps de m’écouter,\"" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "code --from needs a header naming the columns" {
	: > empty.csv
	run qda code --from empty.csv
	[ "$status" -eq 1 ]
	[ "$output" = "qda code: empty.csv: error: the file is empty; it needs a header row document,unit,from,to,code,coder[,memo]" ]
}

# ---- batch coding: the CSV read strictly ----

@test "code --from refuses a row with more fields than the header at its first extra field, and writes nothing" {
	printf 'document,unit,from,to,code,coder,memo\nP01,line,1,1,listening,bea,she listens, really\nP01,line,2,2,trust,bea,\n' > wide.csv
	run --separate-stderr qda code --from wide.csv
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda code: wide.csv:2:40: error: row has 8 fields but the header has 7; quote a field that contains a comma
qda code: wide.csv: error: 1 bad row; nothing was written: correct it and run again" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --from names a file separated by semicolons and reads it with --delimiter ';'" {
	printf 'document;unit;from;to;code;coder;memo\nP01;line;1;1;listening;bea;oui, vraiment\n' > semi.csv
	run --separate-stderr qda code --from semi.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: semi.csv:1:1: error: this file is separated by ';' (as French Excel writes CSV); pass --delimiter ';' or export with commas" ]
	[ "$(count_rows coding)" -eq 0 ]
	run --separate-stderr qda code --from semi.csv --delimiter ';'
	[ "$status" -eq 0 ]
	[ "$output" = "semi.csv: 1 coding added, 0 already present" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT memo FROM coding")" = "oui, vraiment" ]
}

@test "code --from names a file separated by tabs and reads it with --delimiter tab" {
	printf 'document\tunit\tfrom\tto\tcode\tcoder\nP01\tline\t1\t1\tlistening\tbea\n' > tabs.csv
	run --separate-stderr qda code --from tabs.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: tabs.csv:1:1: error: this file is separated by tabs; pass --delimiter tab or export with commas" ]
	run --separate-stderr qda code --from tabs.csv --delimiter tab
	[ "$status" -eq 0 ]
	[ "$output" = "tabs.csv: 1 coding added, 0 already present" ]
}

@test "code --from with --delimiter ';' names a file separated by commas" {
	printf 'document,unit,from,to,code,coder\nP01,line,1,1,listening,bea\n' > commas.csv
	run --separate-stderr qda code --from commas.csv --delimiter ';'
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: commas.csv:1:1: error: this file is separated by ','; leave out --delimiter ';' (a comma is the default)" ]
}

@test "code --delimiter takes a comma, a semicolon or tab, and goes with --from" {
	run --separate-stderr qda code --from x.csv --delimiter '|'
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda code: error: --delimiter wants ',', ';' or tab, not '|'" ]
	run --separate-stderr qda code P01 --lines 1 trust --delimiter ';'
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda code: error: --delimiter goes with --from FILE.csv" ]
}

@test "code --from: an unclosed quote is an error at the quote, not a memo that swallows the next rows" {
	printf 'document,unit,from,to,code,coder,memo\nP01,line,1,1,listening,bea,"she listens\nP01,line,2,2,trust,bea,\nP02,turn,2,2,trust,bea,\n' > open.csv
	run --separate-stderr qda code --from open.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: open.csv:2:28: error: this quoted field is never closed; add the closing \" (a \" inside a quoted field is written \"\")" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --from: a quote left open that a later quote closes is located at the opening quote" {
	printf 'document,unit,from,to,code,coder,memo\nP01,line,1,1,listening,bea,"she listens\nP01,line,2,2,trust,bea,"trust, at last"\n' > open2.csv
	run --separate-stderr qda code --from open2.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: open2.csv:2:28: error: this quoted field runs on to line 3, where a quote ends it before other text; add the closing \" where the field ends (a \" inside a quoted field is written \"\")" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --from: a quote inside an unquoted field is malformed CSV at the quote" {
	printf 'document,unit,from,to,code,coder,memo\nP01,line,1,1,listening,bea,she said "yes"\n' > stray.csv
	run --separate-stderr qda code --from stray.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: stray.csv:2:37: error: malformed CSV: a quote inside a field that does not start with one; put the whole field in quotes and write each \" in it as \"\"" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --from: a memo over several lines is kept with LF, and later rows are named by their line" {
	printf 'document,unit,from,to,code,coder,memo\r\nP01,line,1,1,listening,bea,"first line\r\nsecond, line"\r\nP01,line,2,2,trust,bea,\r\n' > ml.csv
	run --separate-stderr qda code --from ml.csv
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT memo = 'first line' || char(10) || 'second, line' FROM coding WHERE memo IS NOT NULL")" = "1" ]
	printf 'document,unit,from,to,code,coder,memo\nP01,line,1,1,listening,bea,"first line\nsecond line"\nP01,line,9,9,trust,bea,\n' > ml2.csv
	run --separate-stderr qda code --from ml2.csv
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "qda code: ml2.csv:4: error: P01 has 5 lines; line 9 is past its end" ]
}

@test "code --from refuses invalid UTF-8 at its line and column" {
	printf 'document,unit,from,to,code,coder,memo\nP01,line,1,1,listening,bea,caf\xe9\n' > latin.csv
	run --separate-stderr qda code --from latin.csv
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda code: latin.csv:2:31: error: invalid UTF-8 at byte 68 (byte 0xE9); the file is in another encoding: save it as \"CSV UTF-8\" from the spreadsheet" ]
	[ "$(count_rows coding)" -eq 0 ]
}

@test "code --from takes no document or span" {
	run qda code P01 --from x.csv
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda code: error: --from FILE.csv takes no document, span, code or other option" ]
	[ "${lines[1]}" = "Try 'qda code --help'." ]
}

# ---- uncode ----

@test "uncode removes codings by id and says what went" {
	qda code P01 --lines 2-3 trust time > /dev/null
	run qda uncode 1
	[ "$status" -eq 0 ]
	[ "$output" = "removed coding 1: P01 lines 2-3 [52, 143) trust (ana, manual)" ]
	run sqlite3 "$QDA_PROJECT" "SELECT id FROM coding"
	[ "$output" = "2" ]
}

@test "uncode with an unknown id removes nothing" {
	qda code P01 --lines 2-3 trust time > /dev/null
	run qda uncode 1 99
	[ "$status" -eq 1 ]
	[ "$output" = "qda uncode: error: no coding 99; nothing was removed ('qda codings' lists them)" ]
	[ "$(count_rows coding)" -eq 2 ]
}

@test "uncode --doc --code removes one code's codings in one document, of one coder" {
	qda code P01 --lines 2 trust > /dev/null
	qda code P01 --lines 3 trust > /dev/null
	qda --coder bea code P01 --lines 2 trust > /dev/null
	qda code P02 --lines 2 trust > /dev/null
	run qda uncode --doc P01 --code trust --coder ana
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "removed coding 1: P01 lines 2-2 [52, 99) trust (ana, manual)" ]
	[ "${lines[1]}" = "removed coding 2: P01 lines 3-3 [100, 143) trust (ana, manual)" ]
	[ "${#lines[@]}" -eq 2 ]
	run sqlite3 "$QDA_PROJECT" "SELECT id FROM coding ORDER BY id"
	[ "$output" = "3
4" ]
}

@test "uncode of a non-number is a usage error" {
	run qda uncode abc
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda uncode: error: 'abc' is not a coding id (a whole number)" ]
	[ "${lines[1]}" = "Try 'qda uncode --help'." ]
}

# ---- codings ----

codings_setup() {
	qda code P01 --lines 2-3 trust > /dev/null
	qda code P01 --quote "😀" time > /dev/null
	qda --coder bea code P02 --lines 3 trust > /dev/null
	qda --coder bea code P01 --lines 5 doctor > /dev/null
}

@test "codings lists every coding in text, the text cut to 60 columns" {
	codings_setup
	run qda codings
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id  document  lines  start  end  code    coder  method  memo  text" ]
	[ "${lines[1]}" = " 1  P01       2-3       52  143  trust   ana    manual        Lucie: Ça va. Elle prend le temps de m’écouter, vraiment le…" ]
	[ "${lines[2]}" = " 2  P01       3-3      119  120  time    ana    manual        😀" ]
	[ "${lines[3]}" = " 4  P01       5-5      188  252  doctor  bea    manual        Lucie: Le médecin était démuni, il ne savait plus quoi prop…" ]
	[ "${lines[4]}" = " 3  P02       3-3      100  130  trust   bea    manual        Je lui fais confiance pour ça." ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "codings --format csv has the whole text" {
	codings_setup
	run qda codings --format csv --coder bea
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,document,lines,start,end,code,coder,method,rule,memo,text" ]
	[ "${lines[1]}" = '4,P01,5-5,188,252,doctor,bea,manual,,,"Lucie: Le médecin était démuni, il ne savait plus quoi proposer."' ]
	[ "${lines[2]}" = "3,P02,3-3,100,130,trust,bea,manual,,,Je lui fais confiance pour ça." ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "codings --format json is an array keyed by the csv headers" {
	codings_setup
	run qda codings --format json --doc P01 --code trust-building
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[" ]
	[ "${lines[1]}" = '  {"id": 1, "document": "P01", "lines": "2-3", "start": 52, "end": 143, "code": "trust", "coder": "ana", "method": "manual", "rule": null, "memo": null, "text": "Lucie: Ça va. Elle prend le temps de m’écouter,\nvraiment le temps. 😀 Je lui fais confiance."},' ]
	[ "${lines[2]}" = '  {"id": 2, "document": "P01", "lines": "3-3", "start": 119, "end": 120, "code": "time", "coder": "ana", "method": "manual", "rule": null, "memo": null, "text": "😀"}' ]
	[ "${lines[3]}" = "]" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "codings --code includes a theme's descendants" {
	codings_setup
	run qda codings --code relationship --format json
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[1]}" == '  {"id": 1, '* ]]
	[[ "${lines[2]}" == '  {"id": 2, '* ]]
	[[ "${lines[3]}" == '  {"id": 3, '* ]]
	run qda codings --code care --format csv
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == 4,P01,5-5,188,252,doctor,* ]]
}

@test "codings with none prints the header only (csv) and an empty table (json)" {
	run qda codings --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "id,document,lines,start,end,code,coder,method,rule,memo,text" ]
	run qda codings --format json
	[ "$output" = "[]" ]
}

@test "codings --coder with an unknown coder says so" {
	run qda codings --coder zoe
	[ "$status" -eq 1 ]
	[[ "$output" == "qda codings: error: "*zoe* ]]
}
