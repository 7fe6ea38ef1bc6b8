#!/usr/bin/env bats
# qda translate CODING --lang L: quotes in the paper's language; retrieve
# --lang shows them, marked as translations.

load helper
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$FIXTURES/migrate/v3.qda" project.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/project.qda"
	unset QDA_CODER
}

@test "translate: stores a coding's translation by its translator, and logs it" {
	run --separate-stderr qda --coder camille translate 68 --lang en "She takes the time to listen"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "coding 68 translated into en by camille" ]
	[ "$(sqlite3 project.qda "SELECT t.coding_id || '|' || t.lang || '|' || k.name || '|' || t.text FROM translation t JOIN coder k ON k.id = t.coder_id")" = "68|en|camille|She takes the time to listen" ]
	[ "$(sqlite3 project.qda "SELECT summary FROM log ORDER BY id DESC LIMIT 1")" = "coding 68 translated into en by camille" ]
}

@test "translate: again replaces it, one per coding and language; undo brings it back" {
	qda --coder camille translate 68 --lang en first > /dev/null
	run --separate-stderr qda --coder yanis translate 68 --lang en second
	[ "$output" = "coding 68 translated into en by yanis (replacing the earlier translation)" ]
	qda --coder camille translate 68 --lang de dritte > /dev/null
	[ "$(sqlite3 project.qda "SELECT group_concat(lang || ':' || text, ' ') FROM (SELECT * FROM translation ORDER BY lang)")" = "de:dritte en:second" ]
	qda --coder yanis undo > /dev/null
	[ "$(sqlite3 project.qda "SELECT text FROM translation WHERE lang = 'en'")" = "first" ]
}

@test "translate: without text, in \$EDITOR; - reads stdin" {
	printf '#!/bin/sh\nprintf "From the editor\\n" > "$1.new"; cat "$1" >> "$1.new"; mv "$1.new" "$1"\n' > ed.sh
	chmod +x ed.sh
	run --separate-stderr env EDITOR="$PWD/ed.sh" VISUAL= QDA_CODER=camille "$QDA" translate 68 --lang en
	[ "$status" -eq 0 ]
	echo "From stdin" | qda --coder camille translate 100 --lang en - > /dev/null
	[ "$(sqlite3 project.qda "SELECT group_concat(text, '|') FROM (SELECT text FROM translation ORDER BY coding_id)")" = "From the editor|From stdin" ]
}

@test "translate: an unknown coding, a bad language, no --lang or no coder are refused" {
	run --separate-stderr qda --coder camille translate 9999 --lang en x
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda translate: error: no coding 9999; see qda codings" ]
	run --separate-stderr qda --coder camille translate 68 --lang EN x
	[ "$status" -eq 2 ]
	[ "$stderr" = "qda translate: error: --lang wants a language tag in lower case (en, fr, pt-br), not 'EN'" ]
	run --separate-stderr qda --coder camille translate 68 x
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda translate: error: say the language of the translation with --lang L (en, fr...)" ]
	run --separate-stderr qda translate 68 --lang en x
	[ "$status" -eq 2 ]
	[ "$(sqlite3 project.qda "SELECT count(*) FROM translation")" = "0" ]
}

@test "retrieve --lang: the translation instead of the text, marked, in text" {
	qda --coder yanis translate 68 --lang en "She takes the time to listen" > /dev/null
	run --separate-stderr qda retrieve complex-social-situations --doc C01 --coder camille --lang en
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "    She takes the time to listen" ]
	[ "${lines[2]}" = "    [translated from fr by yanis]" ]
}

@test "retrieve --lang in md: the translation, its attribution marked with the source language and translator" {
	qda --coder yanis translate 68 --lang en "She takes the time to listen" > /dev/null
	run --separate-stderr qda retrieve complex-social-situations --doc C01 --coder camille --lang en --format md
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = $'> She takes the time to listen\n>\n> — S02 (C01, clinician), line 3 (translated from fr by yanis)\n\n*Memo:* A clear exemplar' ]
}

@test "retrieve --lang in md: the source language is the document's; an extract without a translation is left unmarked" {
	# R01 was imported with --lang en
	qda --coder camille translate 66 --lang fr "Elle avance" > /dev/null
	run --separate-stderr qda retrieve taking-steps --doc R01 --lang fr --format md
	[ "$status" -eq 0 ]
	[ "$(grep -c '^> — ' <<< "$output")" -eq 4 ]
	[ "$(grep -c 'translated' <<< "$output")" -eq 1 ]
	grep -qxF '> Elle avance' <<< "$output"
	[ "$(grep -A2 -xF '> Elle avance' <<< "$output" | tail -1)" = "> — Martine (R01, relative), line 31 (translated from en by camille)" ]
}

@test "retrieve --lang --originals in md: each original in a footnote after the extracts, numbered in order" {
	orig1=$(qda retrieve renewed-hope --doc R01 --coder camille --format md | sed -n '1s/^> //p')
	orig2=$(qda retrieve renewed-hope --doc R01 --coder yanis --format md | sed -n '1s/^> //p')
	[ -n "$orig1" ]
	qda --coder camille translate 64 --lang fr "De l'espoir" > /dev/null
	qda --coder yanis translate 132 --lang fr "De l'espoir, encore" > /dev/null
	run --separate-stderr qda retrieve renewed-hope --doc R01 --lang fr --originals --format md
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "> De l'espoir
>
> — Martine (R01, relative), line 31 (translated from en by camille)[^1]

> De l'espoir, encore
>
> — Martine (R01, relative), line 31 (translated from en by yanis)[^2]

[^1]: $orig1
[^2]: $orig2" ]
}

@test "retrieve --lang --originals in text: the translation marked with its note's number, the originals numbered after the extracts" {
	qda --coder yanis translate 68 --lang en "She takes the time to listen" > /dev/null
	text=$(qda retrieve complex-social-situations --doc C01 --coder camille --format json | jq -r '.[0].text')
	run --separate-stderr qda retrieve complex-social-situations --doc C01 --coder camille --lang en --originals
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "    She takes the time to listen" ]
	[ "${lines[2]}" = "    [translated from fr by yanis] [1]" ]
	[ "${lines[3]}" = "  memo: A clear exemplar" ]
	[ "${lines[4]}" = "Originals:" ]
	[ "${lines[5]}" = "[1] $text" ]
	[ "${#lines[@]}" -eq 6 ]
	[[ "$output" == *$'\n  memo: A clear exemplar\n\nOriginals:\n[1] '"$text" ]]
}

@test "retrieve --lang --originals in csv and json: an original column last, empty (JSON null) where there is no translation" {
	qda --coder camille translate 68 --lang en "She takes the time to listen" > /dev/null
	run --separate-stderr qda retrieve complex-social-situations --limit 2 --lang en --originals --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0] | .text + "|" + .translated' <<< "$output")" = "She takes the time to listen|yes" ]
	[ "$(jq -r '.[0].original' <<< "$output")" = "$(qda retrieve complex-social-situations --limit 1 --format json | jq -r '.[0].text')" ]
	[ "$(jq '.[1].original' <<< "$output")" = "null" ]
	run --separate-stderr qda retrieve complex-social-situations --limit 2 --lang en --originals --format csv
	[ "${lines[0]}" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text,translated,original" ]
	[[ "${lines[2]}" == *",no," ]]
}

@test "retrieve: --originals without --lang, or a --lang that is no language tag, is a usage error" {
	run --separate-stderr qda retrieve complex-social-situations --originals
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "${stderr%%$'\n'*}" = "qda retrieve: error: --originals goes with --lang L: the originals of the quotes translated into L" ]
	run --separate-stderr qda retrieve complex-social-situations --lang English
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda retrieve: error: --lang wants a language tag in lower case (en, fr, pt-br), not 'English'" ]
}

@test "retrieve --lang: a translated column in csv and json; without --lang no column" {
	qda --coder camille translate 68 --lang en "She takes the time to listen" > /dev/null
	run --separate-stderr qda retrieve complex-social-situations --limit 2 --lang en --format csv
	[ "${lines[0]}" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text,translated" ]
	[[ "${lines[1]}" == 68,C01,*",She takes the time to listen,yes" ]]
	[[ "${lines[2]}" == *",no" ]]
	run --separate-stderr qda retrieve complex-social-situations --limit 2 --lang en --format json
	[ "$(echo "$output" | jq -r '[.[] | .translated] | join(" ")')" = "yes no" ]
	run --separate-stderr qda retrieve complex-social-situations --doc C01 --format csv
	[ "${lines[0]}" = "coding_id,document,case,speaker,line_first,line_last,start,end,code,coder,attributes,memo,text" ]
}

@test "translate: the translations dump and come back with init --from" {
	qda --coder camille translate 68 --lang en "She takes the time to listen" > /dev/null
	qda --coder camille summary set P01 intervention "At an impasse" > /dev/null
	qda --coder camille read P01 > /dev/null
	qda dump d1 > /dev/null
	[ "$(wc -l < d1/translations.csv) $(wc -l < d1/summaries.csv) $(wc -l < d1/reads.csv)" = "2 2 2" ]
	run --separate-stderr qda init --from d1 rebuilt.qda
	[ "$status" -eq 0 ]
	[ "$(sqlite3 rebuilt.qda "SELECT text FROM translation") $(sqlite3 rebuilt.qda "SELECT text FROM summary")" = "She takes the time to listen At an impasse" ]
	qda -p rebuilt.qda dump d2 > /dev/null
	diff -r d1 d2
}
