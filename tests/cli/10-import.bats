#!/usr/bin/env bats
# qda import: every format's speakers and turns, normalisation, and bad
# input refused with nothing imported.

load helper

setup() {
	new_project
	IMP="$FIXTURES/import"
}

turns_of() {
	sqlite3 -separator '|' "$QDA_PROJECT" "SELECT t.n, coalesce(s.name, ''), t.start, t.end, t.line_first, t.line_last,
	  coalesce(t.time_start, ''), coalesce(t.time_end, '') FROM turn t JOIN document d ON d.id = t.doc_id
	  LEFT JOIN speaker s ON s.id = t.speaker_id WHERE d.name = '$1' ORDER BY t.n"
}

@test "Zoom WebVTT: Name: cues, one speaker's cues merged, timings kept per turn" {
	run qda import "$IMP/zoom.vtt" --interviewer Camille
	[ "$status" -eq 0 ]
	[ "$output" = "imported $IMP/zoom.vtt as zoom (vtt): 4 turns, 2 speakers, 23 words" ]
	run turns_of zoom
	[ "${lines[0]}" = "1|Camille Roussel|0|39|1|1|1000|4500" ]
	[ "${lines[1]}" = "2|Jeanne|40|112|2|2|5000|11900" ]
	[ "${lines[3]}" = "4|Jeanne|137|163|4|4|14500|17250" ]
	[ "${#lines[@]}" -eq 4 ]
	run qda show zoom --lines 2
	[ "$output" = "    2 T2    Jeanne: Oui. Je voulais parler de Sandrine. Elle m’a écoutée & comprise." ]
	run qda speakers zoom --format csv
	[ "${lines[1]}" = "Camille Roussel,interviewer,2,1" ]
	[ "${lines[2]}" = "Jeanne,participant,2,2" ]
}

@test "Teams WebVTT: voice tags across lines, GUID cue ids, unpadded hours" {
	run qda import "$IMP/teams.vtt"
	[ "$status" -eq 0 ]
	run turns_of teams
	[ "${lines[0]}" = "1|Camille Roussel|0|45|1|1|2100|5400" ]
	[ "${lines[1]}" = "2|Dr Benoît Lefèvre|46|137|2|2|6000|12000" ]
	[ "${lines[2]}" = "3|Camille Roussel|138|164|3|3|12500|14000" ]
	[ "${#lines[@]}" -eq 3 ]
	run qda show teams --lines 2
	[ "$output" = "    2 T2    Dr Benoît Lefèvre: Je suis médecin généraliste depuis douze ans. Ici, à la maison de santé." ]
}

@test "SRT: numbered cues, comma milliseconds, text over two lines" {
	run qda import "$IMP/sub.srt"
	[ "$status" -eq 0 ]
	run turns_of sub
	[ "${lines[1]}" = "2|Paul|28|61|2|2|3500|6000" ]
	[ "${#lines[@]}" -eq 3 ]
	run qda show sub --lines 2
	[ "$output" = "    2 T2    Paul: Je réponds sur deux lignes." ]
}

@test "Markdown: **Name:**, **Name :** and **Name**: labels; the title is no turn" {
	run qda import "$IMP/bold.md"
	[ "$status" -eq 0 ]
	run turns_of bold
	[ "${lines[0]}" = "1|Camille|17|68|3|3||" ]
	[ "${lines[1]}" = "2|Élodie|70|141|5|6||" ]
	[ "${lines[2]}" = "3|Camille|143|170|8|8||" ]
	[ "${lines[3]}" = "4|Élodie|172|213|10|10||" ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT format FROM document")" = "md" ]
}

@test "[Name] labels; a bracketed timestamp is not a speaker" {
	run qda import "$IMP/brackets.txt"
	[ "$status" -eq 0 ]
	run qda speakers brackets --format csv
	[ "${lines[1]}" = "Camille,participant,2,1" ]
	[ "${lines[2]}" = "Nadia,participant,2,2" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "S01: [hh:mm:ss] labels keep the inline time as the turn's start; a colon inside a turn is text" {
	run qda import "$IMP/inline-time.txt" --interviewer S01
	[ "$status" -eq 0 ]
	run turns_of inline-time
	[ "${lines[0]}" = "1|S01|0|53|1|1|5000|" ]
	[ "${lines[2]}" = "3|S01|100|130|5|5|72000|" ]
	[ "${lines[3]}" = "4|S02|132|219|7|8|75000|" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "a no-break space or a space before the colon is tolerated" {
	run qda import "$IMP/nbsp.txt"
	[ "$status" -eq 0 ]
	run qda speakers nbsp --format csv
	[ "${lines[1]}" = "Camille,participant,2,1" ]
	[ "${lines[2]}" = "Tom,participant,2,2" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "header lines (Fichier audio :, Date :) are not turns, nor a header-like line inside a turn" {
	run qda import "$IMP/header.txt"
	[ "$status" -eq 0 ]
	run turns_of header
	[ "${lines[0]}" = "1|Camille|79|102|5|5||" ]
	[ "${lines[1]}" = "2|Lucie|104|153|7|8||" ]
	[ "${lines[2]}" = "3|Camille|155|172|10|10||" ]
	[ "${#lines[@]}" -eq 3 ]
	run qda show header --lines 1-2
	[ "${lines[1]}" = "    2       Fichier audio : P01_2026-03-12.m4a" ]
}

@test "Word .docx: one line per paragraph, runs joined" {
	run qda import "$IMP/word.docx"
	[ "$status" -eq 0 ]
	[ "$output" = "imported $IMP/word.docx as word (docx): 4 turns, 2 speakers, 17 words" ]
	run qda show word --lines 4
	[ "$output" = "    4 T4    Sophie: Elle prend le temps." ]
}

@test "BOM, CRLF and NFD are normalised: the same text imported again is skipped" {
	printf 'Camille: \xc3\xa9coute ?\nL\xc3\xa9a: Oui.\n' > a.txt
	printf '\xef\xbb\xbfCamille: e\xcc\x81coute ?\r\nLe\xcc\x81a: Oui.\r\n' > b.txt
	run qda import a.txt
	[ "$status" -eq 0 ]
	run qda import b.txt
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "skipped b.txt: the same text is already document a" ]
	[ "$(count_rows document)" -eq 1 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT hex(text) FROM document")" = "43616D696C6C653A20C3A9636F757465203F0A4CC3A9613A204F75692E0A" ]
}

@test "a different file with a taken name is refused unless renamed with --name" {
	printf 'Camille: Bonjour.\nLucie: Oui.\n' > P01.txt
	qda import P01.txt > /dev/null
	mkdir v2 && printf 'Camille: Bonsoir.\nLucie: Non.\n' > v2/P01.txt
	run qda import v2/P01.txt
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "qda import: v2/P01.txt: error: a different document is already named 'P01' (P01.txt, imported "*"); import this one under another name with --name NAME" ]]
	run qda import v2/P01.txt --name P01-v2 --case P01
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(x, ',') FROM (SELECT d.name || '=' || c.name AS x FROM document d JOIN cases c ON c.id = d.case_id ORDER BY d.name)")" = "P01=P01,P01-v2=P01" ]
}

@test "invalid UTF-8 is refused with its byte offset, line and column and a hint; --encoding converts" {
	printf 'Camille: Bonjour.\nL\xe9a: caf\xe9.\n' > latin.txt
	run qda import latin.txt
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda import: latin.txt:2:2: error: invalid UTF-8 at byte 19 (byte 0xE9); the file is in another encoding: give it, e.g. --encoding cp1252 (Windows) or --encoding latin1" ]
	[ "$(count_rows document)" -eq 0 ]
	run qda import latin.txt --encoding latin1
	[ "$status" -eq 0 ]
	run qda speakers latin --format csv
	[ "${lines[2]}" = "Léa,participant,1,2" ]
	run qda import latin.txt --encoding klingon
	[ "$status" -eq 2 ]
}

@test "one bad file among several: nothing is imported and the error names the file" {
	printf 'Camille: Bonjour.\nLucie: Oui.\n' > good.txt
	: > empty.txt
	run qda import good.txt empty.txt
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda import: empty.txt: error: is empty: there is no text to import" ]
	[ "${lines[1]}" = "qda import: nothing was imported" ]
	[ "$(count_rows document)" -eq 0 ]
	[ "$(count_rows cases)" -eq 0 ]
	[ "$(count_rows line)" -eq 0 ]
}

@test "a .vtt with a broken timing line names its line" {
	run qda import "$IMP/broken.vtt"
	[ "$status" -eq 1 ]
	[ "$output" = "qda import: $IMP/broken.vtt:8: error: bad cue timing '00:00:05.000 -> 00:00:08.000'; a cue's timing line reads 00:01:02.500 --> 00:01:05.000
qda import: nothing was imported" ]
	printf 'Camille: pas du VTT\n' > fake.vtt
	run qda import fake.vtt
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "qda import: fake.vtt:1: error: not a WebVTT file: its first line must be WEBVTT;"* ]]
}

@test "a missing file, a directory and a 50 MB single line are refused" {
	run qda import nowhere.txt
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda import: nowhere.txt: error: cannot read it: No such file or directory; check the path" ]
	mkdir interviews
	run qda import interviews
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda import: interviews: error: is a directory; give the files in it (e.g. interviews/*)" ]
	head -c 52428800 /dev/zero | tr '\0' 'a' > huge.txt
	run qda import huge.txt
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda import: huge.txt:1: error: line 1 is 52428800 bytes long; qda takes transcripts whose paragraphs are at most 1 MiB (1048576 bytes): is this a transcript? Split it into paragraphs" ]
	[ "$(count_rows document)" -eq 0 ]
}

@test "a CSV among the files is skipped with a warning; --case and --attr set the case" {
	printf 'Camille: Bonjour.\nLucie: Oui.\n' > P01.txt
	printf 'case,role\nP01,patient\n' > attributes.csv
	run qda import P01.txt attributes.csv --case P01 --attr role=patient --attr gender=female
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qda import: warning: attributes.csv: skipped: a CSV file is not a transcript (case attributes: qda case import attributes.csv)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(key || '=' || value) FROM (SELECT * FROM attribute ORDER BY key)")" = "gender=female,role=patient" ]
}

@test "an unknown extension asks for --format; --format txt reads it" {
	printf 'Camille: Bonjour.\nLucie: Oui.\n' > notes.transcript
	run qda import notes.transcript
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "qda import: notes.transcript: error: not a transcript format qda knows"* ]]
	run qda import notes.transcript --format txt
	[ "$status" -eq 0 ]
	run qda import notes.transcript --format pdf
	[ "$status" -eq 2 ]
}

@test "--interviewer that never speaks is warned about" {
	printf 'Camille: Bonjour.\nLucie: Oui.\n' > P01.txt
	run qda import P01.txt --interviewer Claire
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qda import: P01: warning: no interviewer: Claire never speaks here (its speakers: Camille, Lucie); add --interviewer NAME" ]
}

@test "the import is in the audit trail" {
	printf 'Camille: Bonjour.\nLucie: Oui.\n' > P01.txt
	qda import P01.txt > /dev/null
	run sqlite3 "$QDA_PROJECT" "SELECT summary FROM log ORDER BY id DESC LIMIT 1"
	[ "$output" = "1 document imported (2 turns, 4 words), 0 skipped" ]
}

@test "a UTF-16 file with its byte-order mark (Notepad's Unicode) is read without --encoding" {
	printf '\xff\xfeC\x00a\x00m\x00:\x00 \x00\xe9\x00t\x00\xe9\x00\n\x00L\x00\xe9\x00a\x00:\x00 \x00o\x00u\x00i\x00\n\x00' > w.txt
	run qda import w.txt
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT text FROM document")" = "Cam: été
Léa: oui" ]
}

@test "Otter.ai and Word transcripts: a 'Name  0:03' line names the speaker and the time of the text below" {
	run qda import "$IMP/otter.txt"
	[ "$status" -eq 0 ]
	run turns_of otter
	[ "${lines[0]}" = "1|Camille Roussel|0|43|1|2|2000|" ]
	[ "${lines[1]}" = "2|Lucie|45|92|4|6|15000|" ]
	[ "${lines[2]}" = "3|Camille Roussel|94|125|8|9|3723000|" ]
	[ "${#lines[@]}" -eq 3 ]
	printf 'Camille: On se voit quand ?\n\nLucie: Mardi.\nRendez-vous à 14:30\n\nRendez-vous à 14:30\n\nCamille: Bien.\n' > rdv.txt
	run qda import rdv.txt
	[ "$output" = "imported rdv.txt as rdv (txt): 3 turns, 2 speakers, 15 words" ]
}

@test "Zoom names typed in lower case are speakers in a .vtt" {
	run qda import "$IMP/lowercase.vtt"
	[ "$status" -eq 0 ]
	run qda speakers lowercase --format csv
	[ "${lines[1]}" = "camille roussel,participant,1,1" ]
	[ "${lines[2]}" = "marc,participant,1,2" ]
}

@test "a hostile .docx (elements nested a million deep, entity expansion) is refused, not followed" {
	run qda import "$IMP/deep.docx"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda import: $IMP/deep.docx: error: word/document.xml expands to 11000139 bytes, over 100 times its compressed size (16159 bytes): a zip bomb, not a Word document; nothing was imported" ]
	run qda import "$IMP/entities.docx"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "qda import: $IMP/entities.docx: error: not a Word document: its word/document.xml declares a DTD" ]
	[ "$(count_rows document)" -eq 0 ]
}

@test "a .vtt or .srt without a final line break ends where the file ends" {
	printf 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nA: hi' > eof.vtt
	run qda import eof.vtt
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT hex(text) FROM document")" = "413A2068690A" ]
	printf '1\n00:00:01,000 --> 00:00:02,000\nA: hi' > eof.srt
	run qda import eof.srt
	[ "${lines[0]}" = "skipped eof.srt: the same text is already document eof" ]
}

@test "control characters (NUL, ^A) become spaces with a warning; a form feed a line break" {
	printf 'Camille: a\0b\001c\nL\xc3\xa9a: page\fdeux\n' > ctl.txt
	run qda import ctl.txt
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qda import: ctl.txt:1:11: warning: 3 control characters (the first here) replaced by a space (a form feed by a line break)" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT text FROM document")" = "Camille: a b c
Léa: page
deux" ]
}

@test "thousands of speakers import in one pass (no search per line)" {
	for i in $(seq 1 5000); do printf 'Speaker %d: hello\n\n' "$i"; done > many.txt
	run qda import many.txt
	[ "$status" -eq 0 ]
	[ "$output" = "imported many.txt as many (txt): 5000 turns, 5000 speakers, 15000 words" ]
}
