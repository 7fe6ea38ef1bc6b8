#!/usr/bin/env bats
# qda show wraps long lines to the terminal's width (--width N here), the
# codes margin beside the wrapped text and never cutting a code id (issue 13).

bats_require_minimum_version 1.5.0

load helper

setup() {
	new_project
	printf 'Inès: Alors, pour commencer, est-ce que vous pouvez me raconter comment vous avez rencontré le groupe de parole ?\n\nLéa: Oui.\n' > d.txt
	qda import d.txt > /dev/null
	qda codebook load "$CODEBOOKS/peer-support-primary-care.yaml" > /dev/null
	QDA_CODER=ines qda code d --lines 1 referral-at-impasse complex-social-situations > /dev/null
}

@test "show --width wraps at spaces, the margin beside the rows, a long code id kept whole" {
	run --separate-stderr qda show d --width 70
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "    1 T1    Inès: Alors, pour commencer,   | referral-at-impasse," ]
	[ "${lines[1]}" = "            est-ce que vous pouvez me      | complex-social-situations" ]
	[ "${lines[2]}" = "            raconter comment vous avez" ]
	[ "${lines[3]}" = "            rencontré le groupe de" ]
	# no break before a question mark set off by a space
	[ "${lines[4]}" = "            parole ?" ]
	[ "${lines[5]}" = "    2       " ]
	[ "${lines[6]}" = "    3 T2    Léa: Oui." ]
}

@test "show --width 0 and a pipe never wrap; csv is never wrapped" {
	run --separate-stderr qda show d --width 0
	[ "${lines[0]}" = "    1 T1    Inès: Alors, pour commencer, est-ce que vous pouvez me raconter comment vous avez rencontré le groupe de parole ?  | referral-at-impasse, complex-social-situations" ]
	run --separate-stderr qda show d
	[ "${#lines[@]}" -eq 3 ]
	run --separate-stderr qda show d --width 40 --format csv
	[ "${#lines[@]}" -eq 4 ]
}

@test "show wraps to the terminal's width when stdout is one" {
	run script -qec "stty cols 60; $QDA show d" /dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "    1 T1    Inès: Alors, pour    | referral-at-impasse,"$'\r' ]
	[ "${lines[1]}" = "            commencer, est-ce    | complex-social-situations"$'\r' ]
	[ "${lines[6]}" = "            groupe de parole ?"$'\r' ]
}

@test "log keeps rows to the width, cutting the command and summary; csv keeps them whole" {
	run --separate-stderr qda log --width 80
	[ "$status" -eq 0 ]
	for l in "${lines[@]}"; do
		[ "$(printf '%s' "$l" | wc -m)" -le 80 ]
	done
	[[ "${lines[1]}" == *"  ines   qda code d --l…  coded d lines …  "* ]]
	run --separate-stderr qda log --format csv
	[[ "${lines[1]}" == *"qda code d --lines 1 referral-at-impasse complex-social-situations"* ]]
	run --separate-stderr qda log --width 0
	[[ "${lines[1]}" == *"qda code d --lines 1 referral-at-impasse complex-social-situations"* ]]
}
