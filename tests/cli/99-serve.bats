#!/usr/bin/env bats
# qda serve: the project in a browser. The HTTP rules (a one-time token or an
# account's login, a session cookie, a CSRF token on every write, nothing
# without a session), every API route against the CLI listing it mirrors,
# stale pages refused, two writers at once, and stopping cleanly. Driven with
# curl as a browser would.

load helper
bats_require_minimum_version 1.5.0

setup_file() {
	sample_project "$BATS_FILE_TMPDIR/sample.qda"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	unset QDA_CODER
	cp "$BATS_FILE_TMPDIR/sample.qda" project.qda
	export QDA_PROJECT="$BATS_TEST_TMPDIR/project.qda"
	# Graphviz and fontconfig keep process-lifetime caches (as make check says)
	export LSAN_OPTIONS="suppressions=$BATS_TEST_DIRNAME/../tools/lsan.supp:print_suppressions=0"
	SERVER_PID=
}

teardown() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2> /dev/null; then
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID" || true
	fi
}

# start_server ARGS...: qda serve in the background on a free port; sets URL
# (the first line it prints), BASE (http://HOST:PORT) and SERVER_PID.
start_server() {
	"$QDA" serve --port 0 "$@" > server.out 2> server.err &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[ -s server.out ] && break
		kill -0 "$SERVER_PID" 2> /dev/null || break
		sleep 0.1
	done
	URL=$(head -n 1 server.out)
	BASE=$(echo "$URL" | sed -E 's,^(http://[^/]+)/.*,\1,')
	[ -n "$URL" ]
}

# A local server for ana, its token exchanged for a session in jar; CSRF set.
local_session() {
	start_server --coder ana
	curl -s -o /dev/null -c jar "$URL"
	CSRF=$(curl -s -b jar "$BASE/api/session" | jq -r '.[0].csrf')
	[ "${#CSRF}" -eq 64 ]
}

# A team's server with accounts ana (coder) and marie (reviewer).
team_server() {
	qda user add ana --role coder <<< 'ana-password' > /dev/null
	qda user add marie --role reviewer <<< 'marie-password' > /dev/null
	start_server --listen 127.0.0.1
}

# login NAME PASSWORD JAR: a session in JAR; CSRF set.
login() {
	curl -s -o /dev/null -c "$3" -d "name=$1" -d "password=$2" "$BASE/login"
	CSRF=$(curl -s -b "$3" "$BASE/api/session" | jq -r '.[0].csrf')
	[ "${#CSRF}" -eq 64 ]
}

# status_of CURL-ARGS...: the HTTP status only
status_of() {
	curl -s -o /dev/null -w '%{http_code}' "$@"
}

doc_version() {
	curl -s -b jar "$BASE/api/document?name=$1" | jq -r '.document[0].version'
}

@test "serve: without a coder it says who to name, and serves nothing" {
	run --separate-stderr qda serve --port 0
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda serve: error: no coder: say who works in the browser with --coder NAME or export QDA_CODER=NAME" ]
}

@test "serve --listen: a project without accounts is refused" {
	run --separate-stderr qda serve --listen 127.0.0.1 --port 0
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda serve: error: --listen serves a team, and this project has no account: add one per person with 'qda user add NAME --role coder|reviewer' (or serve only this machine: qda serve without --listen)" ]
}

@test "serve: a bad port is a usage error" {
	run --separate-stderr qda --coder ana serve --port 70000
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "qda serve: error: --port wants a number from 0 to 65535, not 70000" ]
}

@test "serve: prints a 127.0.0.1 address with a one-time token of 64 hex digits" {
	start_server --coder ana
	[[ "$URL" =~ ^http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{64}$ ]]
	[[ "$(cat server.err)" == "qda serve: serving $QDA_PROJECT to ana on this machine only; open the address above (its token works once); Ctrl-C stops" ]]
}

@test "serve: nothing is served without a session: API, pages, scripts, writes" {
	start_server --coder ana
	[ "$(status_of "$BASE/api/documents")" = "401" ]
	[ "$(curl -s "$BASE/api/documents" | jq -r '.[0].error')" = "no session: open the address qda serve printed, with its token" ]
	[ "$(status_of "$BASE/")" = "401" ]
	[ "$(status_of "$BASE/doc?name=P01")" = "401" ]
	[ "$(status_of "$BASE/static/app.js")" = "401" ]
	[ "$(status_of -d doc=P01 -d start=0 -d end=3 -d code=no-rush "$BASE/api/codings")" = "401" ]
	[ "$(status_of "$BASE/?token=0000000000000000000000000000000000000000000000000000000000000000")" = "401" ]
	[ "$(status_of -b 'qda_session_1=x' "$BASE/api/session")" = "401" ]
}

@test "serve: the token gives one browser an HttpOnly SameSite=Strict session cookie, once" {
	start_server --coder ana
	run curl -s -i -c jar "$URL"
	[[ "${lines[0]}" == "HTTP/1.1 303 See Other"* ]]
	[[ "$output" == *$'\r\nLocation: /\r\n'* ]]
	[[ "$output" =~ Set-Cookie:\ qda_session_[0-9]+=[0-9a-f]{64}\;\ Path=/\;\ HttpOnly\;\ SameSite=Strict ]]
	[ "$(curl -s -b jar "$BASE/api/session" | jq -c '.[0] | [.user, .role, .project]')" = '["ana","reviewer","project.qda"]' ]
	# the same address a second time (another browser, or someone who saw it) gets nothing
	[ "$(status_of "$URL")" = "401" ]
	[ "$(curl -s "$URL" | grep -c 'This link has been used')" = "1" ]
}

@test "serve: every answer forbids framing, sniffing, caching and scripts from elsewhere" {
	local_session
	run curl -s -D - -o /dev/null -b jar "$BASE/api/documents"
	[[ "$output" == *$'Content-Security-Policy: default-src \'none\'; script-src \'self\'; style-src \'self\' \'unsafe-inline\'; img-src \'self\' data:; connect-src \'self\'; form-action \'self\'; frame-ancestors \'none\'; base-uri \'none\'\r'* ]]
	[[ "$output" == *$'X-Frame-Options: DENY\r'* ]]
	[[ "$output" == *$'X-Content-Type-Options: nosniff\r'* ]]
	[[ "$output" == *$'Cache-Control: no-store\r'* ]]
	[[ "$output" == *$'Referrer-Policy: same-origin\r'* ]]
}

@test "serve: a write without the CSRF token, or with a wrong one, is refused with 403 and changes nothing" {
	local_session
	v=$(doc_version P01)
	before=$(count_rows coding_all)
	run curl -s -w '\n%{http_code}' -b jar -d doc=P01 -d start=0 -d end=3 -d code=no-rush -d "version=$v" "$BASE/api/codings"
	[ "${lines[-1]}" = "403" ]
	[ "$(echo "${lines[@]:0:${#lines[@]}-1}" | jq -r '.[0].error')" = "the request has no valid X-CSRF-Token header; reload the page" ]
	[ "$(status_of -b jar -H "X-CSRF-Token: ${CSRF%?}0" -d doc=P01 -d start=0 -d end=3 -d code=no-rush -d "version=$v" "$BASE/api/codings")" = "403" ]
	[ "$(status_of -b jar -H "X-CSRF-Token: $CSRF" -X DELETE "$BASE/api/codings?id=1&version=x")" != "403" ]
	[ "$(count_rows coding_all)" = "$before" ]
}

@test "serve: a write whose Origin is another site is refused even with the token" {
	local_session
	v=$(doc_version P01)
	[ "$(status_of -b jar -H "X-CSRF-Token: $CSRF" -H 'Origin: http://evil.example' -d doc=P01 -d start=0 -d end=3 -d code=no-rush -d "version=$v" "$BASE/api/codings")" = "403" ]
	[ "$(status_of -b jar -H "X-CSRF-Token: $CSRF" -H "Origin: $BASE" -d doc=P01 -d start=0 -d end=3 -d code=no-rush -d "version=$v" "$BASE/api/codings")" = "201" ]
}

@test "serve: a second serve on the same port says so, exit 1" {
	start_server --coder ana
	port=${BASE##*:}
	run --separate-stderr qda --coder bea serve --port "$port"
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda serve: error: port $port of 127.0.0.1 is in use (another qda serve, or another program); stop it, or choose another port with --port N (--port 0 picks a free one)" ]
	# the first one still answers
	[ "$(status_of "$BASE/api/session")" = "401" ]
}

@test "serve: SIGTERM and SIGINT stop it cleanly, exit 0" {
	start_server --coder ana
	kill -TERM "$SERVER_PID"
	rc=0
	wait "$SERVER_PID" || rc=$?
	[ "$rc" -eq 0 ]
	[ "$(tail -n 1 server.err)" = "qda serve: stopped (terminated)" ]
	start_server --coder ana
	kill -INT "$SERVER_PID"
	rc=0
	wait "$SERVER_PID" || rc=$?
	[ "$rc" -eq 0 ]
	[ "$(tail -n 1 server.err)" = "qda serve: stopped (interrupted)" ]
	[ "$(status_of "$BASE/api/session")" = "000" ]
}

@test "serve --listen: pages send to the login form; a wrong password is refused (401) the same for an unknown name" {
	team_server
	[[ "$URL" =~ ^http://127\.0\.0\.1:[0-9]+/$ ]]
	[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$BASE/doc?name=P01")" = "303 $BASE/login" ]
	[ "$(status_of "$BASE/api/documents")" = "401" ]
	[ "$(status_of "$BASE/login")" = "200" ]
	[ "$(status_of "$BASE/static/style.css")" = "200" ]
	[ "$(status_of "$BASE/static/app.js")" = "401" ]
	[ "$(status_of -d name=ana -d password=wrong-password "$BASE/login")" = "401" ]
	[ "$(status_of -d name=zed -d password=wrong-password "$BASE/login")" = "401" ]
	[ "$(curl -s -d name=zed -d password=x "$BASE/login" | grep -c 'wrong name or password')" = "1" ]
	run curl -s -i -d name=ana -d password=ana-password "$BASE/login"
	[[ "${lines[0]}" == "HTTP/1.1 303 See Other"* ]]
	[[ "$output" =~ Set-Cookie:\ qda_session_[0-9]+=[0-9a-f]{64}\;\ Path=/\;\ HttpOnly\;\ SameSite=Strict ]]
}

@test "serve --listen: the login form escapes the name it shows again" {
	team_server
	run curl -s -d 'name=<img src=x onerror=alert(1)>' -d password=x "$BASE/login"
	[[ "$output" == *'value="&lt;img src=x onerror=alert(1)&gt;"'* ]]
	[[ "$output" != *'<img src=x'* ]]
}

@test "serve --listen: each person works as their account; a removed account is out at its next request" {
	team_server
	login ana ana-password ana.jar
	[ "$(curl -s -b ana.jar "$BASE/api/session" | jq -c '.[0] | [.user, .role]')" = '["ana","coder"]' ]
	qda user remove ana > /dev/null
	[ "$(status_of -b ana.jar "$BASE/api/session")" = "401" ]
}

@test "serve --listen: a coder's account cannot record a verdict (403); a reviewer's can" {
	team_server
	login ana ana-password ana.jar
	ana_csrf=$CSRF
	v=$(curl -s -b ana.jar "$BASE/api/codings?doc=P01" | jq -r '.[0].version')
	id=$(curl -s -b ana.jar "$BASE/api/codings?doc=P01" | jq -r '.[0].id')
	run curl -s -b ana.jar -H "X-CSRF-Token: $ana_csrf" -d "coding=$id" -d verdict=accept -d "version=$v" "$BASE/api/review"
	[ "$(echo "$output" | jq -c '.[0]')" = '{"status":403,"error":"ana'"'"'s account is a coder'"'"'s; a reviewer'"'"'s account records verdicts (qda user add NAME --role reviewer)"}' ]
	login marie marie-password marie.jar
	[ "$(status_of -b marie.jar -H "X-CSRF-Token: $CSRF" -d "coding=$id" -d verdict=accept -d "version=$v" "$BASE/api/review")" = "201" ]
}

@test "api: documents has qda docs's columns, then whether I read it and the codings" {
	local_session
	qda --coder ana read P01 > /dev/null
	run curl -s -b jar "$BASE/api/documents"
	[ "$(echo "$output" | jq -S 'map(del(.read, .codings, .mine))')" = "$(qda docs --format json | jq -S .)" ]
	[ "$(echo "$output" | jq -c '.[] | select(.name == "P01") | [.read, .codings, .mine]')" = '["yes",49,0]' ]
	[ "$(echo "$output" | jq -c '.[] | select(.name == "P02") | [.read, .mine]')" = '["no",0]' ]
}

@test "api: a document has its text, version, lines, turns, speakers and codings as qda codings lists them" {
	local_session
	run curl -s -b jar "$BASE/api/document?name=P01"
	[ "$(echo "$output" | jq -r '.document[0].text')" = "$(sqlite3 "$QDA_PROJECT" "SELECT text FROM document WHERE name = 'P01'")" ]
	[ "$(echo "$output" | jq -r '.document[0].version')" = "$(sqlite3 "$QDA_PROJECT" "SELECT text_hash FROM document WHERE name = 'P01'")" ]
	[ "$(echo "$output" | jq '.lines | length')" = "$(sqlite3 "$QDA_PROJECT" "SELECT lines FROM document WHERE name = 'P01'")" ]
	[ "$(echo "$output" | jq -c '.lines[5] | [.line, .start, .turn, .speaker, .turn_start]')" = '[6,210,2,"Lucie","yes"]' ]
	[ "$(echo "$output" | jq '.turns | length')" = "19" ]
	[ "$(echo "$output" | jq -c '.turns[1] | [.turn, .speaker, .start, .line_first]')" = '[2,"Lucie",210,6]' ]
	[ "$(echo "$output" | jq -c '[.speakers[] | [.speaker, .role]]')" = '[["Camille","interviewer"],["Lucie","participant"]]' ]
	[ "$(echo "$output" | jq -S '.codings | map(del(.state, .version))')" = "$(qda codings --doc P01 --format json | jq -S .)" ]
	[ "$(echo "$output" | jq -r '.codings[0].version')" = "3.210.951.proposed.0.0" ]
}

@test "api: an unknown document is 404 with the nearest names" {
	local_session
	run curl -s -w '\n%{http_code}' -b jar "$BASE/api/document?name=P0l"
	[ "${lines[-1]}" = "404" ]
	[[ "$(echo "${lines[@]:0:${#lines[@]}-1}" | jq -r '.[0].error')" == "no document 'P0l'"* ]]
}

@test "api: the codebook has codebook show --counts's columns, then definitions, include and exclude" {
	local_session
	run curl -s -b jar "$BASE/api/codebook"
	[ "$(echo "$output" | jq -S 'map({node, id, kind, status, segments, documents})')" = "$(qda codebook show --counts --format json | jq -S .)" ]
	[ "$(echo "$output" | jq -c '.[] | select(.id == "listening-space") | [.parent, .depth]')" = '["intervention",2]' ]
	[[ "$(echo "$output" | jq -r '.[] | select(.id == "listening-space") | .color')" =~ ^#[0-9a-f]{6}$ ]]
	[[ "$(echo "$output" | jq -r '.[] | select(.id == "listening-space") | .definition')" == "The peer support worker offers a kind of listening"* ]]
	[ "$(echo "$output" | jq -r '.[] | select(.id == "intervention") | .include' | grep -c '; ')" = "1" ]
	[ "$(echo "$output" | jq -r '.[] | select(.id == "intervention") | .exclude')" != "" ]
}

@test "api: retrieve is qda retrieve's json, with the same filters" {
	local_session
	[ "$(curl -s -b jar "$BASE/api/retrieve?code=listening-space" | jq -S .)" = "$(qda retrieve listening-space --format json | jq -S .)" ]
	[ "$(curl -s -b jar "$BASE/api/retrieve?code=listening-space&coder=yanis&where=role=patient&context=1" | jq -S .)" = "$(qda --coder yanis retrieve listening-space --where role=patient --context 1 --format json | jq -S .)" ]
	[ "$(status_of -b jar "$BASE/api/retrieve?code=listening-spaec")" = "404" ]
}

@test "api: codings lists with the filters of qda codings" {
	local_session
	[ "$(curl -s -b jar "$BASE/api/codings?code=listening-space&coder=yanis" | jq -S 'map(del(.state, .version))')" = "$(qda codings --code listening-space --coder yanis --format json | jq -S .)" ]
}

@test "api: code a span with accents and an emoji at exact code points; qda codings shows the same text" {
	printf 'Élodie: Là, j’ai été écoutée 😊 vraiment, à fond.\nCamille: D’accord.\n' > E01.txt
	qda import E01.txt > /dev/null
	local_session
	v=$(doc_version E01)
	# "écoutée 😊 vraiment" starts at code point 21 and ends before 39 (the emoji is one code point)
	run curl -s -w '\n%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" -d doc=E01 -d start=21 -d end=39 -d code=listening-space -d "version=$v" "$BASE/api/codings"
	[ "${lines[-1]}" = "201" ]
	[ "$(echo "${lines[@]:0:${#lines[@]}-1}" | jq -c '.[0] | [.start, .end, .lines, .code, .created, .text]')" = '[21,39,"1-1","listening-space","yes","écoutée 😊 vraiment"]' ]
	[ "$(qda codings --doc E01 --format json | jq -c '.[0] | [.start, .end, .coder, .method, .text]')" = '[21,39,"ana","manual","écoutée 😊 vraiment"]' ]
	[ "$(qda log --format csv | sed -n 2p | cut -d, -f3,4)" = "ana,qda code E01 --chars 21-39 listening-space" ]
}

@test "api: code with new and under adds an in-vivo code, as code --new --under" {
	local_session
	v=$(doc_version P01)
	run curl -s -b jar -H "X-CSRF-Token: $CSRF" -d doc=P01 -d start=210 -d end=220 -d 'code=le docteur Morel' -d new=1 -d under=intervention -d "version=$v" "$BASE/api/codings"
	[ "$(echo "$output" | jq -c '.[0] | [.code, .created, .node_created]')" = '["le-docteur-morel","yes","yes"]' ]
	[ "$(qda codebook show --format csv | grep -c ',le-docteur-morel,code,')" = "1" ]
}

@test "api: a code that does not exist is 404 with the nearest ids; nothing is written" {
	local_session
	v=$(doc_version P01)
	before=$(count_rows log)
	run curl -s -w '\n%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" -d doc=P01 -d start=0 -d end=3 -d code=listening-spaec -d "version=$v" "$BASE/api/codings"
	[ "${lines[-1]}" = "404" ]
	[ "$(count_rows log)" = "$before" ]
}

@test "api: coding from a page older than the document's text is refused with 409" {
	local_session
	run curl -s -w '\n%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" -d doc=P01 -d start=0 -d end=3 -d code=no-rush -d version=0123 "$BASE/api/codings"
	[ "${lines[-1]}" = "409" ]
	[ "$(echo "${lines[@]:0:${#lines[@]}-1}" | jq -r '.[0].error')" = "the document P01 has changed since this page was loaded; reload the page and select the passage again" ]
}

@test "api: remove one's own coding (kept as removed); another's is refused with 403" {
	local_session
	v=$(doc_version P01)
	id=$(curl -s -b jar -H "X-CSRF-Token: $CSRF" -d doc=P01 -d start=0 -d end=3 -d code=no-rush -d "version=$v" "$BASE/api/codings" | jq -r '.[0].id')
	cv=$(curl -s -b jar "$BASE/api/codings?doc=P01&coder=ana" | jq -r '.[0].version')
	[ "$(curl -s -b jar -H "X-CSRF-Token: $CSRF" -X DELETE "$BASE/api/codings?id=$id&version=$cv" | jq -c '.[0]')" = "{\"id\":$id,\"removed\":1}" ]
	[ "$(qda codings --removed --doc P01 --format json | jq -c '.[] | [.id, .removed_by, .removed_why]')" = "[$id,\"ana\",\"uncode\"]" ]
	run curl -s -w '\n%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" -X DELETE "$BASE/api/codings?id=1&version=3.210.951.proposed.0.0"
	[ "${lines[-1]}" = "403" ]
	[ "$(qda codings --removed --format csv | wc -l)" = "2" ]
}

@test "api: a memo on a coding, as memo add --coding; memos lists it" {
	local_session
	cv=$(curl -s -b jar "$BASE/api/codings?doc=P01" | jq -r '.[0].version')
	run curl -s -w '\n%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" --data-urlencode 'text=Une note à relire' -d coding=1 -d "version=$cv" "$BASE/api/memos"
	[ "${lines[-1]}" = "201" ]
	[ "$(curl -s -b jar "$BASE/api/memos?coding=1" | jq -S .)" = "$(qda memo list --format json | jq -S .)" ]
	[ "$(qda memo list --format json | jq -c '.[0] | [.kind, .target, .coder, .text]')" = '["coding","1","ana","Une note à relire"]' ]
}

@test "api: the review queue, a dispute recorded as qda review does; status and disputes as the CLI lists them" {
	local_session
	run curl -s -b jar "$BASE/api/review/queue?code=listening-space&limit=2"
	[ "$(echo "$output" | jq length)" = "2" ]
	[ "$(echo "$output" | jq -r '.[0] | keys_unsorted | join(",")')" = "id,document,case,lines,speaker,extract,code,code_name,definition,coder,method,state,verdict,comment,suggested_code,include,exclude,context_before,context_after,start,end,version" ]
	id=$(echo "$output" | jq -r '.[0].id')
	v=$(echo "$output" | jq -r '.[0].version')
	run curl -s -b jar -H "X-CSRF-Token: $CSRF" -d "coding=$id" -d verdict=dispute --data-urlencode 'comment=pas de l’écoute ici' -d "version=$v" "$BASE/api/review"
	[ "$(echo "$output" | jq -c '.[0] | [.verdict, .recorded, .state]')" = '["dispute","yes","disputed"]' ]
	[ "$(qda review status --disputes --format json | jq -c '.[0] | [.coding, .reviewer, .comment]')" = "[$id,\"ana\",\"pas de l’écoute ici\"]" ]
	[ "$(curl -s -b jar "$BASE/api/disputes" | jq -S .)" = "$(qda review status --disputes --format json | jq -S .)" ]
	[ "$(curl -s -b jar "$BASE/api/review/status" | jq -S .)" = "$(qda review status --format json | jq -S .)" ]
	# the queue of ana no longer holds it
	[ "$(curl -s -b jar "$BASE/api/review/queue?code=listening-space&limit=1" | jq -r '.[0].id')" != "$id" ]
}

@test "api: a suggestion names a code; a verdict from a stale page is refused with 409" {
	local_session
	v=$(curl -s -b jar "$BASE/api/codings?doc=P01" | jq -r '.[0].version')
	[ "$(status_of -b jar -H "X-CSRF-Token: $CSRF" -d coding=1 -d verdict=suggest -d suggested=no-rush -d "version=$v" "$BASE/api/review")" = "201" ]
	run curl -s -w '\n%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" -d coding=1 -d verdict=accept -d "version=$v" "$BASE/api/review"
	[ "${lines[-1]}" = "409" ]
	[ "$(echo "${lines[@]:0:${#lines[@]}-1}" | jq -r '.[0].error')" = "coding 1 has changed since this page was loaded (another person removed, reviewed or revised it); reload the page and try again" ]
	[ "$(qda review status --disputes --format json | jq -c '.[0] | [.coding, .suggested]')" = '[1,"no-rush"]' ]
}

@test "api: freq, cooccur and agree are the CLI's json; freq, cooccur and the map also as SVG" {
	local_session
	[ "$(curl -s -b jar "$BASE/api/freq?by=role" | jq -S .)" = "$(qda freq --by role --format json | jq -S .)" ]
	[ "$(curl -s -b jar "$BASE/api/freq?by=role&count=documents&level=subtheme" | jq -S .)" = "$(qda freq --by role --count documents --level subtheme --format json | jq -S .)" ]
	[ "$(curl -s -b jar "$BASE/api/cooccur" | jq -S .)" = "$(qda cooccur --format json | jq -S .)" ]
	[ "$(curl -s -b jar "$BASE/api/agree?coders=camille,yanis" | jq -S .)" = "$(qda agree --coders camille,yanis --format json | jq -S .)" ]
	for p in "freq?by=role&format=svg" "cooccur?format=svg" "map"; do
		[ "$(curl -s -o out.svg -w '%{http_code} %{content_type}' -b jar "$BASE/api/$p")" = "200 image/svg+xml" ]
		xmllint --noout out.svg
	done
	[ "$(curl -s -b jar "$BASE/api/attributes" | jq -r 'map(.key) | join(" ")')" = "age_group gender language profession role" ]
	[ "$(curl -s -b jar "$BASE/api/coders" | jq -S .)" = "$(qda coders --format json | jq -S .)" ]
}

@test "api: an unknown route is 404, a known one with another method 405" {
	local_session
	[ "$(status_of -b jar "$BASE/api/nothing")" = "404" ]
	[ "$(status_of -b jar -X PUT -H "X-CSRF-Token: $CSRF" "$BASE/api/codings")" = "405" ]
}

@test "serve: two coders coding at once lose no write" {
	team_server
	qda user add bea --role coder <<< 'bea-password' > /dev/null
	login ana ana-password ana.jar
	ana_csrf=$CSRF
	login bea bea-password bea.jar
	bea_csrf=$CSRF
	v=$(curl -s -b ana.jar "$BASE/api/document?name=P02" | jq -r '.document[0].version')
	before=$(count_rows coding)
	pids=()
	for who in ana bea; do
		csrf=ana_csrf
		[ "$who" = bea ] && csrf=bea_csrf
		(
			for i in $(seq 0 14); do
				curl -s -o /dev/null -w '%{http_code}\n' -b "$who.jar" -H "X-CSRF-Token: ${!csrf}" \
					-d doc=P02 -d "start=$((i * 10))" -d "end=$((i * 10 + 5))" -d code=no-rush -d "version=$v" \
					"$BASE/api/codings"
			done > "$who.codes"
		) &
		pids+=($!)
	done
	wait "${pids[@]}"
	[ "$(sort -u ana.codes)" = "201" ]
	[ "$(sort -u bea.codes)" = "201" ]
	[ "$(count_rows coding)" = "$((before + 30))" ]
	[ "$(qda codings --doc P02 --coder ana --format csv | grep -c ',no-rush,ana,manual,')" = "15" ]
	[ "$(qda codings --doc P02 --coder bea --format csv | grep -c ',no-rush,bea,manual,')" = "15" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM log WHERE command LIKE 'qda code P02 --chars %'")" = "30" ]
}

@test "serve: a coding made in the browser is the coder's change in the log, and qda undo takes it back" {
	local_session
	v=$(doc_version P01)
	id=$(curl -s -b jar -H "X-CSRF-Token: $CSRF" -d doc=P01 -d start=0 -d end=3 -d code=no-rush -d "version=$v" "$BASE/api/codings" | jq -r '.[0].id')
	[ "$(qda log --format json | jq -c '.[0] | [.coder, .command, .summary]')" = "[\"ana\",\"qda code P01 --chars 0-3 no-rush\",\"coded P01 lines 1-1 [0, 3): 1 coding added ($id)\"]" ]
	run --separate-stderr qda --coder ana undo
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT count(*) FROM coding_all WHERE id = $id")" = "0" ]
}
