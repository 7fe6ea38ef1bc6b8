#!/usr/bin/env bats
# Transcripts as the tools write them (issue 13): Teams' legacy timings with
# negative components, noScribe cues that end before they start, SRT cues
# whose text has blank lines, and an interview guide's numbered questions
# that are not speakers. Fixtures in tests/fixtures/transcripts (ours).

bats_require_minimum_version 1.5.0

load helper

T=$BATS_TEST_DIRNAME/../fixtures/transcripts

setup() {
	new_project
}

@test "Teams' legacy timings with negative components are kept as given, with a warning naming the line" {
	run --separate-stderr qda import "$T/teams-legacy.vtt"
	[ "$status" -eq 0 ]
	[ "$output" = "imported $T/teams-legacy.vtt as teams-legacy (vtt): 2 turns, 2 speakers, 14 words" ]
	[ "$stderr" = "qda import: $T/teams-legacy.vtt:4: warning: cue timing '0:0:-2.-150 --> 0:0:4.300' makes no sense (a negative time); kept as given" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT group_concat(time_start || '-' || time_end, ' ') FROM turn")" = "-2150-4300 4500-9100" ]
	run qda show teams-legacy
	[ "${lines[0]}" = "    1 T1    Inès Moreau: Bonjour, on commence quand vous voulez." ]
}

@test "a noScribe cue that ends before it starts is kept with a warning" {
	run --separate-stderr qda import "$T/noscribe.vtt"
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda import: $T/noscribe.vtt:6: warning: cue timing '00:00:05.000 --> 00:00:04.200' makes no sense (it ends before it starts); kept as given" ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT time_start || '-' || time_end FROM turn WHERE n = 2")" = "5000-4200" ]
	run qda show noscribe
	[ "${lines[1]}" = "    2 T2    Hugo: En mars, je crois." ]
}

@test "an SRT cue whose text has blank lines keeps its paragraphs in its turn" {
	run --separate-stderr qda import "$T/paragraphs.srt"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "imported $T/paragraphs.srt as paragraphs (srt): 3 turns, 2 speakers, 30 words" ]
	run qda show paragraphs
	[ "${lines[1]}" = "    2 T2    Hugo: Au début, je ne voulais pas y aller." ]
	[ "${lines[2]}" = "    3       Puis ma sœur a insisté, et j’y suis allé." ]
	[ "${lines[3]}" = "    4       Maintenant j’y vais chaque semaine." ]
	[ "${lines[4]}" = "    5 T3    Inès: Merci Hugo." ]
	[ "$(sqlite3 "$QDA_PROJECT" "SELECT time_start || '-' || time_end || ' ' || line_first || '-' || line_last FROM turn WHERE n = 2")" = "3500-20000 2-4" ]
}

@test "a timing line that does not parse is still refused, at its line" {
	printf '1\n00:00:01,000 --> 00:00:03,000\nInès: Bonjour.\n\n2\n00:00:xx,000 --> 00:00:04,000\nHugo: Oui.\n' > bad.srt
	run --separate-stderr qda import bad.srt
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda import: bad.srt:6: error: bad cue timing '00:00:xx,000 --> 00:00:04,000'; a cue's timing line reads 00:01:02,500 --> 00:01:05,000
qda import: nothing was imported" ]
}

@test "a numbered question of the interview guide is not a speaker called 4" {
	run --separate-stderr qda import "$T/numbered-guide.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "imported $T/numbered-guide.txt as numbered-guide (txt): 4 turns, 2 speakers, 35 words" ]
	run --separate-stderr qda speakers numbered-guide --format csv
	[ "$output" = "speaker,role,turns,first_turn
Inès,participant,1,1
Hugo,participant,3,2" ]
}

@test "a label found once in a long document is listed as possibly not a speaker" {
	run --separate-stderr qda import "$T/one-off-label.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "imported $T/one-off-label.txt as one-off-label (txt): 28 turns, 3 speakers, 186 words
  possibly not speakers (one turn each in 28): 'Marc'; check with qda speakers one-off-label" ]
	# a short document names no one
	run --separate-stderr qda import "$T/noscribe.vtt"
	[ "${lines[0]}" = "imported $T/noscribe.vtt as noscribe (vtt): 3 turns, 2 speakers, 12 words" ]
	[ "${#lines[@]}" -eq 1 ]
}
