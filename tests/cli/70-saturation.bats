#!/usr/bin/env bats
# qda saturation: the new codes per document and Guest, Namey & Chen's
# (2020) base / run / threshold verdict, on the hand-made project of
# tests/fixtures/saturation (its comment lists each document's codes) and on
# the sample project.
#
# The fixture in import order (document id), codes by document, the distinct
# codes so far, and the runs of 2 after the base of 4 (Kim..Joe: a b c d e f g,
# 7 codes):
#   1 Kim a b c  3 | 2 Ali d  4 | 3 Bea e f  6 | 4 Joe g  7 (base: 7)
#   5 Eve h  8 | 6 Dan x  9 -> run Eve+Dan 2/7 = 28.571428571428573%
#   7 Ida -  9 -> run Dan+Ida 1/7 = 14.285714285714286%
#   8 Cy  -  9 -> run Ida+Cy  0/7 = 0%  <= 5%: reached at 8, 6+2
# Gus (no coding) and Hal (one coding, inside an interviewer turn) are left out.

load helper
bats_require_minimum_version 1.5.0

setup_file() {
	sample_project "$BATS_FILE_TMPDIR/sample.qda"
}

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/saturation/project.sql"
}

@test "saturation: help states how it is computed, edge cases included" {
	run --separate-stderr qda saturation --help
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == *"and run_pct = 100 x run_new / B. Saturation is reached at the first N where run_pct <= t,"* ]]
	[[ "$output" == *"information)' (Guest et al. write it (N-r)+r). No such N: not reached. Fewer than b + r"* ]]
	[[ "$output" == *"documents: not assessed (no run after the base). B = 0 (the base holds no code): not"* ]]
}

@test "saturation: import order, text: new codes per document, runs, the verdict and who is left out" {
	run --separate-stderr qda saturation
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "position  document  case  key  new_codes  new      cumulative  run_new  run_pct  saturation
       1  Kim       P01   1            3  a; b; c           3                    
       2  Ali       P02   2            1  d                 4                    
       3  Bea       P03   3            2  e; f              6                    
       4  Joe       P04   4            1  g                 7                    
       5  Eve       P05   5            1  h                 8                    
       6  Dan       P06   6            1  x                 9        2     28.6  
       7  Ida       P07   7            0                    9        1     14.3  
       8  Cy        P08   8            0                    9        0      0.0  reached

Saturation reached at document 8 (after the base of 4 and a run of 2, 0% new information): the run of documents 7-8 brought 0 new codes against 7 in the base, at or under the threshold of 5%; in Guest, Namey & Chen's notation 6+2.
2 documents with no coding counted are left out." ]
}

@test "saturation: csv carries run_pct at full precision, empty before base + run, reached on row N" {
	run --separate-stderr qda saturation --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "position,document,case,key,new_codes,new,cumulative,run_new,run_pct,saturation" ]
	[ "${lines[1]}" = "1,Kim,P01,1,3,a; b; c,3,,," ]
	[ "${lines[5]}" = "5,Eve,P05,5,1,h,8,,," ]
	[ "${lines[6]}" = "6,Dan,P06,6,1,x,9,2,28.571428571428573," ]
	[ "${lines[7]}" = "7,Ida,P07,7,0,,9,1,14.285714285714286," ]
	[ "${lines[8]}" = "8,Cy,P08,8,0,,9,0,0,reached" ]
	[ "${#lines[@]}" -eq 9 ]
}

@test "saturation: json is a plain array of the rows; null before base + run" {
	run --separate-stderr qda saturation --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r 'length' <<< "$output")" = 8 ]
	[ "$(jq -c '.[4] | [.run_new, .run_pct, .saturation]' <<< "$output")" = "[null,null,null]" ]
	[ "$(jq -c '.[5] | [.new, .cumulative, .run_new, .run_pct]' <<< "$output")" = '["x",9,2,28.571428571428573]' ]
	[ "$(jq -r 'map(select(.saturation == "reached")) | .[0].position' <<< "$output")" = 8 ]
}

@test "saturation: md has the table then the verdict as a paragraph" {
	run --separate-stderr qda saturation --format md
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "| ---: | --- | --- | --- | ---: | --- | ---: | ---: | ---: | --- |" ]
	[ "${lines[7]}" = "| 6 | Dan | P06 | 6 | 1 | x | 9 | 2 | 28.6 |  |" ]
	[ "${lines[10]}" = "Saturation reached at document 8 (after the base of 4 and a run of 2, 0% new information): the run of documents 7-8 brought 0 new codes against 7 in the base, at or under the threshold of 5%; in Guest, Namey & Chen's notation 6+2." ]
	[ "${lines[11]}" = "2 documents with no coding counted are left out." ]
}

@test "saturation: the threshold holds at equality (base 2: 4 codes; run 6-7 brings 1, 25%)" {
	run --separate-stderr qda saturation --base 2 --threshold 25% --format csv
	[ "$status" -eq 0 ]
	[ "${lines[4]}" = "4,Joe,P04,4,1,g,7,3,75," ]
	[ "${lines[7]}" = "7,Ida,P07,7,0,,9,1,25,reached" ]
	run --separate-stderr qda saturation --base 2 --threshold 24.9
	[ "$status" -eq 0 ]
	[ "${lines[9]}" = "Saturation reached at document 8 (after the base of 2 and a run of 2, 0% new information): the run of documents 7-8 brought 0 new codes against 4 in the base, at or under the threshold of 24.9%; in Guest, Namey & Chen's notation 6+2." ]
}

@test "saturation: run of 1 reaches at 7 (Ida brings nothing: 0 of 7)" {
	run --separate-stderr qda saturation --run 1 --format csv
	[ "$status" -eq 0 ]
	[ "${lines[5]}" = "5,Eve,P05,5,1,h,8,1,14.285714285714286," ]
	[ "${lines[7]}" = "7,Ida,P07,7,0,,9,0,0,reached" ]
}

# By interview date (reverse id order): Cy c e 2, Ida x 3, Dan b 4, Eve h 5
# (base: 5), Joe a g 7, Bea f 8 (run 3/5 = 60%), Ali d 9 (2/5 = 40%),
# Kim - 9 (1/5 = 20%): not reached.
@test "saturation: ordered by a date attribute (as text), not reached" {
	run --separate-stderr qda saturation --order interviewed
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[1]}" = "       1  Cy        P08   2024-03-01          2  c; e           2                    " ]
	[ "${lines[6]}" = "       6  Bea       P03   2024-03-06          1  f              8        3     60.0  " ]
	[ "${lines[8]}" = "       8  Kim       P01   2024-03-08          0                 9        1     20.0  " ]
	[ "${lines[9]}" = "Saturation not reached: no run of 2 documents after the base of 4 brought 5% new information or less; the last run, documents 7-8, brought 1 new code against 5 in the base (20%)." ]
}

# wave sorts as numbers: Eve 1, Bea 2, Kim 3, Ida 9, Ali 10, Cy 11, Dan 20,
# then Joe (no wave). Eve h 1, Bea e f 3, Kim a b c 6, Ida x 7 (base: 7),
# Ali d 8, Cy - 8 (run 1/7), Dan - 8 (run 0/7: reached at 7), Joe g 9.
@test "saturation: a numeric attribute sorts as numbers; a case without it goes last, with a warning" {
	run --separate-stderr qda saturation --order wave --format csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "qda saturation: warning: 1 document's case has no 'wave' attribute: placed last, by name; give it one with 'qda case set CASE wave=VALUE'" ]
	[ "$(cut -d, -f2,4 <<< "$output" | tr '\n' ' ')" = "document,key Eve,1 Bea,2 Kim,3 Ida,9 Ali,10 Cy,11 Dan,20 Joe, " ]
	[ "${lines[7]}" = "7,Dan,P06,20,0,,8,0,0,reached" ]
}

@test "saturation: attr:NAME names an attribute; ties by document name" {
	run --separate-stderr qda saturation --order attr:site --format csv
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f2,4 <<< "$output" | tr '\n' ' ')" = "document,key Ali,A Bea,A Cy,A Eve,A Joe,A Kim,A Dan,B Ida,B " ]
}

# Ali 01-05, Kim 01-10 (bob's coding of 03-01 does not move it), Bea 01-20,
# Eve and Joe both 02-01 09:00 (by name), Dan, Ida, Cy.
@test "saturation: ordered by the date of each document's first coding" {
	run --separate-stderr qda saturation --order date --format csv
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f2,4 <<< "$output" | tr '\n' ' ')" = "document,key Ali,2024-01-05T09:00:00Z Kim,2024-01-10T10:00:00Z Bea,2024-01-20T09:00:00Z Eve,2024-02-01T09:00:00Z Joe,2024-02-01T09:00:00Z Dan,2024-02-10T09:00:00Z Ida,2024-02-15T09:00:00Z Cy,2024-02-20T09:00:00Z " ]
	[ "${lines[8]}" = "8,Cy,P08,2024-02-20T09:00:00Z,0,,9,0,0,reached" ]
}

# Sub-themes: Kim s1, Ali s2, Bea s3 (base: 3), then none; Ida's x lies
# under a theme, in no sub-theme.
@test "saturation: at sub-theme level" {
	run --separate-stderr qda saturation --level subtheme --format csv
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f2,6 <<< "$output" | tr '\n' ' ')" = "document,new Kim,s1 Ali,s2 Bea,s3 Joe, Eve, Dan, Ida, Cy, " ]
	[ "${lines[6]}" = "6,Dan,P06,6,0,,3,0,0,reached" ]
}

@test "saturation: fewer documents than base + run is not assessed" {
	run --separate-stderr qda saturation --where site=B
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "       1  Dan       P06   6            2  b; x           2                    " ]
	[ "${lines[3]}" = "Saturation not assessed: 2 documents coded, fewer than the base of 4 and a run of 2 (6)." ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "saturation: a base holding no code is not assessed, run_pct empty" {
	run --separate-stderr qda saturation --where site=B --level subtheme --base 1 --run 1 --order interviewed --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,Ida,P07,2024-03-02,0,,0,,," ]
	[ "${lines[2]}" = "2,Dan,P06,2024-03-03,1,s1,1,1,," ]
	run --separate-stderr qda saturation --where site=B --level subtheme --base 1 --run 1 --order interviewed
	[ "${lines[3]}" = "Saturation not assessed: the base of 1 document holds no sub-theme, so new information has no denominator." ]
}

@test "saturation: the counting filters hold: an interviewer-only coding with --include-interviewer, one coder" {
	run --separate-stderr qda saturation --include-interviewer --format csv
	[ "$status" -eq 0 ]
	[ "${lines[9]}" = "9,Hal,P10,10,1,y,10,1,14.285714285714286," ]
	run --separate-stderr qda saturation --include-interviewer
	[ "${lines[11]}" = "1 document with no coding counted is left out." ]
	run --separate-stderr qda saturation --coder bob --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,Kim,P01,1,1,a,1,,," ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "saturation: bad options are usage errors (2); an unknown attribute is bad input (1)" {
	run --separate-stderr qda saturation --level theme
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda saturation: error: --level is code or subtheme, not 'theme'" ]
	run --separate-stderr qda saturation --run 0
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda saturation: error: --run is a number of documents, at least 1, not 0" ]
	run --separate-stderr qda saturation --threshold 101
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda saturation: error: --threshold is a percentage from 0 to 100 (e.g. 5 or 2.5%), not '101'" ]
	run --separate-stderr qda saturation --order wav
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "qda saturation: error: no case has an attribute 'wav'; did you mean 'wave'? ('qda cases' lists them)" ]
}

@test "saturation: svg draws bars, the cumulative line and the saturation mark at document 8" {
	run --separate-stderr qda saturation --format svg
	[ "$status" -eq 0 ]
	xmllint --noout - <<< "$output"
	[ "$(grep -o '<rect x=[^>]*><title>[^<]*' <<< "$output" | sed 's/.*<title>//' | tr '\n' '|')" = "Kim: 3 new|Ali: 1 new|Bea: 2 new|Joe: 1 new|Eve: 1 new|Dan: 1 new|Ida: 0 new|Cy: 0 new|" ]
	[ "$(grep -o '<circle [^>]*><title>[^<]*' <<< "$output" | sed 's/.*<title>//' | tr '\n' '|')" = "Kim: 3 in all|Ali: 4 in all|Bea: 6 in all|Joe: 7 in all|Eve: 8 in all|Dan: 9 in all|Ida: 9 in all|Cy: 9 in all|" ]
	# the eighth position's centre: 56 + 7.5 x 28
	[[ "$output" == *'<line class="saturation" x1="266.0" y1="48.0" x2="266.0" y2="288.0"'* ]]
	run --separate-stderr qda saturation --format svg --order interviewed
	[[ "$output" != *'class="saturation"'* ]]
}

# The sample project, in import order (C01 C03 C05 C07 C09 C10 P01 P03 P05
# P06 R01 C04 C02 C06 C08 P02 R02 P04: txt, md, vtt, docx). The codes' first
# documents, counted with SQL apart: C01 17, C03 4, C05 3, C07 3, C10 1,
# P01 3, P05 1 (32 codes). Base 27; run C09+C10 = 1, 1/27 = 3.7%: reached at 6.
@test "saturation: the sample project, import order, codes" {
	run --separate-stderr qda -p "$BATS_FILE_TMPDIR/sample.qda" saturation --format csv
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f2,5,7 <<< "$output" | head -10 | tr '\n' ' ')" = "document,new_codes,cumulative C01,17,17 C03,4,21 C05,3,24 C07,3,27 C09,0,27 C10,1,28 P01,3,31 P03,0,31 P05,1,32 " ]
	[ "${lines[6]}" = "6,C10,C10,6,1,help-with-paperwork,28,1,3.7037037037037037,reached" ]
	[ "${lines[18]}" = "18,P04,P04,18,0,,32,0,0," ]
	run --separate-stderr qda -p "$BATS_FILE_TMPDIR/sample.qda" saturation
	[ "${lines[19]}" = "Saturation reached at document 6 (after the base of 4 and a run of 2, 3.7% new information): the run of documents 5-6 brought 1 new code against 27 in the base, at or under the threshold of 5%; in Guest, Namey & Chen's notation 4+2." ]
}

# By role (clinicians C01..C10, then patients, relatives, by name): base
# C01-C04 holds 24 codes; C05 brings 2, C06 1 (run 3/24 = 12.5%), C07 0
# (run 1/24 = 4.17%): reached at 7. Sub-themes: all 9 in the base (C01 6,
# C03 2, C05 1), none after: reached at 6 with 0%.
@test "saturation: the sample project by role, and at sub-theme level" {
	run --separate-stderr qda -p "$BATS_FILE_TMPDIR/sample.qda" saturation --order role --format csv
	[ "$status" -eq 0 ]
	[ "${lines[4]}" = "4,C04,C04,clinician,0,,24,,," ]
	[ "$(cut -d, -f2,8- <<< "${lines[6]}")" = "C06,3,12.5," ]
	[ "$(cut -d, -f2,8- <<< "${lines[7]}")" = "C07,1,4.166666666666667,reached" ]
	run --separate-stderr qda -p "$BATS_FILE_TMPDIR/sample.qda" saturation --level subtheme
	[ "$status" -eq 0 ]
	[ "${lines[19]}" = "Saturation reached at document 6 (after the base of 4 and a run of 2, 0% new information): the run of documents 5-6 brought 0 new sub-themes against 9 in the base, at or under the threshold of 5%; in Guest, Namey & Chen's notation 4+2." ]
}
