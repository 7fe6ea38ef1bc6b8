#!/usr/bin/env bats
# qda show's codes margin on the hand-made coding project
# (tests/fixtures/coding): every coder's codes, one coder's (blind coding),
# none; csv gains a codes column only when the document has codings.

load helper

setup() {
	new_project
	cat "$FIXTURES/coding/docs.sql" "$FIXTURES/coding/project.sql" | sqlite3 "$QDA_PROJECT"
	export QDA_CODER=ana
	qda code P01 --lines 2-3 trust > /dev/null
	qda code P01 --quote "prend le temps de m’écouter" time > /dev/null
	qda code P01 --lines 5 doctor > /dev/null
	qda --coder bea code P01 --lines 3 listening > /dev/null
	qda --coder bea code P01 --lines 2 trust > /dev/null
}

@test "show follows each coded line with its codes, in codebook order, aligned" {
	run qda show P01
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "    1 T1    Camille: Bonjour Lucie, comment ça va aujourd’hui ?" ]
	[ "${lines[1]}" = "    2 T2    Lucie: Ça va. Elle prend le temps de m’écouter,                   | trust, time" ]
	[ "${lines[2]}" = "    3       vraiment le temps. 😀 Je lui fais confiance.                      | trust, listening" ]
	[ "${lines[3]}" = "    4 T3    Camille: Et le médecin, il prend le temps ?" ]
	[ "${lines[4]}" = "    5 T4    Lucie: Le médecin était démuni, il ne savait plus quoi proposer.  | doctor" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "show --lines aligns the margin on the lines shown" {
	run qda show P01 --lines 2-3
	[ "${lines[0]}" = "    2 T2    Lucie: Ça va. Elle prend le temps de m’écouter,  | trust, time" ]
	[ "${lines[1]}" = "    3       vraiment le temps. 😀 Je lui fais confiance.     | trust, listening" ]
}

@test "show --coder shows one coder's codes only" {
	run qda show P01 --coder bea
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "    2 T2    Lucie: Ça va. Elle prend le temps de m’écouter,  | trust" ]
	[ "${lines[2]}" = "    3       vraiment le temps. 😀 Je lui fais confiance.     | listening" ]
	[ "${lines[4]}" = "    5 T4    Lucie: Le médecin était démuni, il ne savait plus quoi proposer." ]
}

@test "show --coder of a coder with no codings yet shows no margin" {
	run qda show P01 --coder zoe --lines 2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "qda show: warning: no coder 'zoe' yet: the margin stays empty until they code ('qda codings' lists the coders' codings)" ]
	[ "${lines[1]}" = "    2 T2    Lucie: Ça va. Elle prend le temps de m’écouter," ]
}

@test "show --no-codes hides the margin" {
	run qda show P01 --no-codes --lines 5
	[ "$status" -eq 0 ]
	[ "$output" = "    5 T4    Lucie: Le médecin était démuni, il ne savait plus quoi proposer." ]
	run qda show P01 --no-codes --lines 5 --format csv
	[ "${lines[0]}" = "line,turn,speaker,start,end,text" ]
	[ "${lines[1]}" = '5,4,Lucie,188,252,"Lucie: Le médecin était démuni, il ne savait plus quoi proposer."' ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "show --format csv has a codes column with each line's codes" {
	run qda show P01 --lines 1-3 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "line,turn,speaker,start,end,text,codes" ]
	[ "${lines[1]}" = '1,1,Camille,0,51,"Camille: Bonjour Lucie, comment ça va aujourd’hui ?",' ]
	[ "${lines[2]}" = '2,2,Lucie,52,99,"Lucie: Ça va. Elle prend le temps de m’écouter,","trust, time"' ]
	[ "${lines[3]}" = '3,2,Lucie,100,143,vraiment le temps. 😀 Je lui fais confiance.,"trust, listening"' ]
}

@test "show of a document without codings has no margin and an empty codes column" {
	run qda show P02 --format csv
	[ "${lines[0]}" = "line,turn,speaker,start,end,text,codes" ]
	[ "${lines[3]}" = "3,2,Dr Martin,100,130,Je lui fais confiance pour ça.," ]
	run qda show P02 --lines 3
	[ "$output" = "    3       Je lui fais confiance pour ça." ]
}

@test "show --coder with --no-codes is a usage error" {
	run qda show P01 --coder ana --no-codes
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda show: error: --coder chooses whose codes the margin shows; it goes without --no-codes" ]
}

@test "show of an unknown document keeps its message" {
	run qda show P9
	[ "$status" -eq 1 ]
	[ "$output" = "qda show: error: no document 'P9'; 'qda docs' lists them" ]
}
