#!/usr/bin/env bats
# qda user: the accounts of a team's qda serve — a name (the coder), a role,
# a password kept only as an argon2id hash, read from stdin or a prompt.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
}

@test "user add: a password from standard input makes an account; only its argon2id hash is kept" {
	run --separate-stderr qda user add ana --role coder <<< 'un mot de passe'
	[ "$status" -eq 0 ]
	[ "$output" = "added account ana (coder)" ]
	[ "$stderr" = "" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT name || ' ' || role || ' ' || substr(hash, 1, 12) FROM user")" = 'ana coder $argon2id$v=' ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM user WHERE hash LIKE '%mot de passe%'")" = "0" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM log WHERE command LIKE '%mot de passe%' OR summary LIKE '%mot de passe%'")" = "0" ]
}

@test "user add: the change is logged without the password" {
	qda user add bea --role reviewer <<< 'relecture-2024' > /dev/null
	run --separate-stderr qda log --format csv
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | sed -n 2p | cut -d, -f4,5)" = "qda user add bea --role reviewer,account bea added (reviewer)" ]
}

@test "user list: name, role and creation date in every format" {
	qda user add bea --role reviewer <<< 'relecture-2024' > /dev/null
	qda user add Ana --role coder <<< 'un mot de passe' > /dev/null
	run --separate-stderr qda user list --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "name,role,created" ]
	[[ "${lines[1]}" == Ana,coder,20??-??-??T??:??:??Z ]]
	[[ "${lines[2]}" == bea,reviewer,20??-??-??T??:??:??Z ]]
	[ "${#lines[@]}" -eq 3 ]
	run --separate-stderr qda user list --format json
	[ "$(echo "$output" | jq -r 'map(.name + ":" + .role) | join(" ")')" = "Ana:coder bea:reviewer" ]
}

@test "user list: no account yet is an empty table" {
	run --separate-stderr qda user list --format csv
	[ "$status" -eq 0 ]
	[ "$output" = "name,role,created" ]
}

@test "user add: a password shorter than 8 characters is refused, nothing added" {
	run --separate-stderr qda user add ana --role coder <<< 'court'
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda user add: error: the password is shorter than 8 characters; choose a longer one" ]
	[ "$(count_rows user)" = "0" ]
}

@test "user add: no password on standard input is refused" {
	run --separate-stderr qda user add ana --role coder < /dev/null
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda user add: error: no password on standard input; give it as its first line, or run the command at a terminal to be asked" ]
	[ "$(count_rows user)" = "0" ]
}

@test "user add: a password with a NUL byte is refused" {
	run --separate-stderr qda user add ana --role coder < <(printf 'abcd\0efghijk\n')
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda user add: error: the password read from standard input holds a NUL byte" ]
	[ "$(count_rows user)" = "0" ]
}

@test "user add: a name taken is refused before the password is read" {
	qda user add ana --role coder <<< 'un mot de passe' > /dev/null
	run --separate-stderr qda user add ana --role reviewer < /dev/null
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda user add: error: there is already an account 'ana' (coder); remove it first ('qda user remove ana') or choose another name" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT role FROM user")" = "coder" ]
}

@test "user add: the name follows the coder rule" {
	run --separate-stderr qda user add 'ana,bea' --role coder <<< 'un mot de passe'
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda user add: error: account name 'ana,bea' has a comma, which separates names in --coders A,B; an account's name is the coder its work is recorded as" ]
}

@test "user add: a role is required, and only coder or reviewer" {
	run --separate-stderr qda user add ana <<< 'un mot de passe'
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda user add: error: say what the account may do: --role coder or --role reviewer" ]
	run --separate-stderr qda user add ana --role admin <<< 'un mot de passe'
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda user add: error: --role wants coder or reviewer, not 'admin'" ]
	[ "$(count_rows user)" = "0" ]
}

@test "user remove: the account goes, the coder and their work stay" {
	qda user add ana --role coder <<< 'un mot de passe' > /dev/null
	qda --coder ana memo add "a thought" > /dev/null
	run --separate-stderr qda user remove ana
	[ "$status" -eq 0 ]
	[ "$output" = "removed account ana" ]
	[ "$(count_rows user)" = "0" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM coder WHERE name = 'ana'")" = "1" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT m.text FROM memo m JOIN coder c ON c.id = m.coder_id WHERE c.name = 'ana'")" = "a thought" ]
}

@test "user remove: an unknown account is refused" {
	run --separate-stderr qda user remove zed
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda user remove: error: no account 'zed'; 'qda user list' lists them" ]
}

@test "user password: a new hash replaces the old one" {
	qda user add ana --role coder <<< 'un mot de passe' > /dev/null
	before=$(sqlite3 "$QDA_PROJECT" "SELECT hash FROM user")
	run --separate-stderr qda user password ana <<< 'un autre mot de passe'
	[ "$status" -eq 0 ]
	[ "$output" = "new password for ana" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT hash FROM user")" != "$before" ]
	run --separate-stderr qda user password zed <<< 'un autre mot de passe'
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda user password: error: no account 'zed'; 'qda user list' lists them" ]
}

@test "user: every verb answers --help" {
	for v in add list password remove; do
		run --separate-stderr qda user "$v" --help
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "usage: qda user $v"* ]]
	done
}
