#!/usr/bin/env bats
# qda agree on hand-made projects (tests/fixtures/agree): NVivo's check
# vector, union roll-up, turn and document units, Krippendorff's published
# alpha examples, and the disagreements list. Binary char alpha by hand:
# both 3, ann only 3, ben only 9, neither 85 -> o11 6, o01 12, o00 170,
# D_o = 24/200, D_e = 2*182*18/(200*199), alpha = 0.271062.

load helper
bats_require_minimum_version 1.5.0

setup() {
	new_project
}

load_fixture() {
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/agree/$1.sql"
}

@test "agree: NVivo's check vector gives 85.00 % and kappa 0.318" {
	load_fixture project
	run qda agree --coders alice,bob --code k
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code  document  units  a    b    both  neither  agreement  kappa  kappa_weighted  coded_agreement  n_units  warning" ]
	[ "${lines[1]}" = "  k   D1         1000  150  100    50      800      85.00  0.318                            25.00     1000  " ]
	[ "${lines[2]}" = "  k   (all)      1200  150  100    50     1000      87.50  0.333           0.318            25.00     1200  " ]
}

@test "agree: rows per code and document, the overall row on summed counts, a theme as the union" {
	load_fixture project
	run qda agree --coders alice,bob --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code,document,units,a,b,both,neither,agreement,kappa,kappa_weighted,coded_agreement,n_units,warning" ]
	[ "${lines[1]}" = "t,D1,1000,160,170,50,720,77,0.16545718432510886,,17.857142857142858,1000," ]
	[ "${lines[2]}" = "t,D2,200,60,50,35,125,80,0.5,,46.666666666666664,200," ]
	[ "${lines[3]}" = "t,,1200,220,220,85,845,77.5,0.24860853432282004,0.22121432027092405,23.943661971830984,1200," ]
	[ "${lines[4]}" = "k,D1,1000,150,100,50,800,85,0.3181818181818182,,25,1000," ]
	[ "${lines[5]}" = "k,,1200,150,100,50,1000,87.5,0.3333333333333333,0.3181818181818182,25,1200," ]
	[ "${lines[6]}" = "m,D1,1000,10,70,0,920,92,-0.017811704834605598,,0,1000," ]
	[ "${lines[7]}" = "m,D2,200,60,50,35,125,80,0.5,,46.666666666666664,200," ]
	[ "${lines[8]}" = "m,,1200,70,120,35,1045,90,0.3181818181818182,0.068490245971162,22.580645161290324,1200," ]
	[ "${lines[9]}" = "qda agree: warning: 1 document coded by only some of the coders is left out (--doc D compares one anyway)" ]
	[ "${#lines[@]}" -eq 10 ]
}

@test "agree: --doc compares a document one coder left blank" {
	load_fixture project
	run qda agree --coders alice,bob --code k --doc D3 --format tsv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k	D3	100	10	0	0	90	90	0		0	100	" ]
	[ "${lines[2]}" = "k		100	10	0	0	90	90	0	0	0	100	" ]
}

@test "agree: --unit turn counts turns a coding of the code overlaps" {
	load_fixture project
	run qda agree --coders alice,bob --unit turn
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "t     D1           10  3  3     2        6      80.00  0.524                            50.00       10  " ]
	[ "${lines[3]}" = "  k   D1           10  2  1     1        8      90.00  0.615                            50.00       10  " ]
	[ "${lines[5]}" = "  m   D1           10  1  2     1        8      90.00  0.615                            50.00       10  " ]
	[ "${lines[6]}" = "  m   (all)        10  1  2     1        8      90.00  0.615           0.615            50.00       10  " ]
}

@test "agree: --unit doc gives the overall rows only" {
	load_fixture project
	run qda agree --coders alice,bob --unit doc --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "t,,2,2,2,2,0,100,1,,100,2,fewer than 10 units" ]
	[ "${lines[2]}" = "k,,2,1,1,1,1,100,1,,100,2,fewer than 10 units" ]
	[ "${lines[3]}" = "m,,2,2,2,2,0,100,1,,100,2,fewer than 10 units" ]
}

@test "agree: json is an array of objects keyed by the csv header" {
	load_fixture project
	run qda agree --coders alice,bob --code k --format json
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = '  {"code": "k", "document": "D1", "units": 1000, "a": 150, "b": 100, "both": 50, "neither": 800, "agreement": 85, "kappa": 0.3181818181818182, "kappa_weighted": null, "coded_agreement": 25, "n_units": 1000, "warning": null},' ]
	[ "${lines[2]}" = '  {"code": "k", "document": null, "units": 1200, "a": 150, "b": 100, "both": 50, "neither": 1000, "agreement": 87.5, "kappa": 0.3333333333333333, "kappa_weighted": 0.3181818181818182, "coded_agreement": 25, "n_units": 1200, "warning": null}' ]
}

@test "agree: an unknown coder is an error naming the known coders" {
	load_fixture project
	run qda agree --coders alice,zoe
	[ "$status" -eq 1 ]
	[ "$output" = "qda agree: error: no coder 'zoe' in this project; the coders are alice, bob, carol" ]
}

@test "agree: nothing to compare when the coders share no document" {
	load_fixture project
	run qda agree --coders alice,carol
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "qda agree: error: nothing to compare: no document was coded by alice,carol" ]
}

@test "agree: usage errors exit 2" {
	load_fixture project
	run qda agree
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda agree: error: --coders A,B names the coders to compare" ]
	run qda agree --coders alice,bob,carol
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda agree: error: kappa compares two coders, not 3; --stat alpha takes two or more" ]
	run qda agree --coders alice,bob --unit line
	[ "$status" -eq 2 ]
	run qda agree --coders alice,bob --domain t
	[ "$status" -eq 2 ]
	run qda agree --coders alice
	[ "$status" -eq 2 ]
}

@test "agree --help explains the definitions" {
	run qda agree --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"EF = a*b/N + (N-a)(N-b)/N"* ]]
	[[ "$output" == *"--disagreements"* ]]
}

@test "agree --stat alpha: Krippendorff's binary example gives 0.095" {
	load_fixture alpha-binary
	run qda agree --stat alpha --coders ann,ben
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code  stat    values  units  pairable  observed  expected  alpha  multiple  n_units  warning" ]
	[ "${lines[1]}" = "q     binary       2     10        20    0.4000    0.4421  0.095                 10  " ]
}

@test "agree --stat alpha --domain --nominal: Krippendorff's nominal example with missing data gives 0.743" {
	load_fixture alpha-nominal
	run qda agree --stat alpha --coders ann,ben,cat,dan --domain v --nominal --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code,stat,values,units,pairable,observed,expected,alpha,multiple,n_units,warning" ]
	[ "${lines[1]}" = "v,nominal,5,11,40,0.19999999999999993,0.7794871794871796,0.7434210526315791,0,11," ]
}

@test "agree --stat alpha --domain --nominal --unit char: every character a unit" {
	load_fixture alpha-nominal
	run qda agree --stat alpha --coders ann,ben,cat,dan --domain v --nominal --unit char --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "v,nominal,5,110,400,0.19999999999999996,0.7619047619047619,0.7375,0,110," ]
}

@test "agree --stat alpha --unit char --binary: binary, uncoded characters agree on absent" {
	load_fixture alpha-binary
	run qda agree --stat alpha --coders ann,ben --unit char --binary --format csv
	[ "${lines[1]}" = "q,binary,2,100,200,0.12,0.16462311557788945,0.2710622710622711,,100," ]
}

@test "agree --disagreements lists the stretches one coder coded, with lines and text" {
	load_fixture review
	run qda agree --coders alice,bob --disagreements --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "document,line_first,line_last,turn,start,end,code,coded_by,not_coded_by,text" ]
	[ "${lines[1]}" = "P1,1,1,,5,16,trust,bob,alice,I trust her" ]
	[ "${lines[2]}" = "P1,1,1,,17,25,listen,bob,alice,\"because \"" ]
	[ "${lines[3]}" = "P1,2,3,,38,64,time,alice,bob,\"Ben: And the doctor?" ]
	[ "${lines[4]}" = "Ana: \"" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "agree --disagreements in text shows lines as a range and line breaks as /" {
	load_fixture review
	run qda agree --coders alice,bob --disagreements
	[ "${lines[0]}" = "document  lines  turn  code    coded_by  not_coded_by  text" ]
	[ "${lines[3]}" = "P1        2-3          time    alice     bob           Ben: And the doctor? / Ana: " ]
}

@test "agree --disagreements --unit turn lists the turns" {
	load_fixture review
	run qda agree --coders alice,bob --disagreements --unit turn --format csv
	[ "${lines[1]}" = "P1,1,1,1,0,38,trust,bob,alice,Ana: I trust her because she listens." ]
	[ "${lines[2]}" = "P1,2,2,2,38,59,time,alice,bob,Ben: And the doctor?" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "agree --disagreements --code rolls a theme up" {
	load_fixture review
	run qda agree --coders alice,bob --disagreements --code trust --format csv
	[ "${lines[2]}" = "P1,1,1,,17,25,trust,bob,alice,\"because \"" ]
	[ "${lines[3]}" = "P1,2,3,,38,64,trust,alice,bob,\"Ben: And the doctor?" ]
}

@test "agree: codings wholly in interviewer material are left out, and so are its characters" {
	load_fixture interviewer
	run --separate-stderr qda agree --coders alice,bob --code k --doc D --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k,D,70,30,40,25,25,71.42857142857143,0.44,,55.55555555555556,70," ]
}

@test "agree: --include-interviewer counts interviewer material as before" {
	load_fixture interviewer
	run --separate-stderr qda agree --coders alice,bob --code k --doc D --include-interviewer --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k,D,100,45,60,35,30,65,0.3137254901960784,,50,100," ]
}

@test "agree --unit turn: interviewer turns are not units" {
	load_fixture interviewer
	run --separate-stderr qda agree --coders alice,bob --code k --doc D --unit turn --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k,D,2,2,2,2,0,100,1,,100,2,fewer than 10 units" ]
	run --separate-stderr qda agree --coders alice,bob --code k --doc D --unit turn --include-interviewer --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k,D,4,4,3,3,0,75,0,,75,4,fewer than 10 units" ]
}

@test "agree: --no-auto and --review choose the codings compared" {
	load_fixture interviewer
	run --separate-stderr qda agree --coders alice,bob --code m --doc D --format csv
	[ "${lines[1]}" = "m,D,70,15,20,15,50,92.85714285714286,0.8108108108108109,,75,70," ]
	run --separate-stderr qda agree --coders alice,bob --code m --doc D --no-auto --format csv
	[ "${lines[1]}" = "m,D,70,5,20,5,50,78.57142857142857,0.3225806451612903,,25,70," ]
	run --separate-stderr qda agree --coders alice,bob --code m --doc D --review not-disputed --format csv
	[ "${lines[1]}" = "m,D,70,15,10,5,50,78.57142857142857,0.27586206896551724,,25,70," ]
	run --separate-stderr qda agree --coders alice,bob --code m --doc D --review accepted --format csv
	[ "${lines[1]}" = "m,D,70,5,5,5,65,100,1,,100,70," ]
	run --separate-stderr qda agree --coders alice,bob --code m --review maybe
	[ "$status" -eq 2 ]
}

@test "agree: --where compares the documents of matching cases only" {
	load_fixture interviewer
	run --separate-stderr qda agree --coders alice,bob --code k --where role=doctor --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k,E,50,10,5,5,40,90,0.6153846153846154,,50,50," ]
	[ "${lines[2]}" = "k,,50,10,5,5,40,90,0.6153846153846154,0.6153846153846154,50,50," ]
	[ "${#lines[@]}" -eq 3 ]
	run --separate-stderr qda agree --coders alice,bob --code k --where role=nures
	[ "$status" -eq 1 ]
	[ "$stderr" = "qda agree: error: no case has role=nures; did you mean 'nurse'? ('qda cases' lists the values)" ]
}

@test "agree: overall rows carry the pooled kappa and the size-weighted mean of the documents' kappas" {
	load_fixture project
	run --separate-stderr qda agree --coders alice,bob --format csv
	[ "$status" -eq 0 ]
	# t: (1000 * 0.165457 + 200 * 0.5) / 1200; k: D1 only (D2 has no k)
	[ "${lines[3]}" = "t,,1200,220,220,85,845,77.5,0.24860853432282004,0.22121432027092405,23.943661971830984,1200," ]
	[ "${lines[5]}" = "k,,1200,150,100,50,1000,87.5,0.3333333333333333,0.3181818181818182,25,1200," ]
	[ "$stderr" = "qda agree: warning: 1 document coded by only some of the coders is left out (--doc D compares one anyway)" ]
}

@test "agree --empty-as-agreement: a document neither coder used the code in weighs in as kappa 1" {
	load_fixture project
	run --separate-stderr qda agree --coders alice,bob --code k --empty-as-agreement --format csv
	[ "$status" -eq 0 ]
	# (1000 * 0.318182 + 200 * 1) / 1200
	[ "${lines[2]}" = "k,,1200,150,100,50,1000,87.5,0.3333333333333333,0.4318181818181819,25,1200," ]
}

@test "agree: a figure on fewer than 10 units carries the warning in every format" {
	load_fixture project
	run --separate-stderr qda agree --coders alice,bob --code k --unit doc --format tsv
	[ "${lines[1]}" = "k		2	1	1	1	1	100	1		100	2	fewer than 10 units" ]
	run --separate-stderr qda agree --coders alice,bob --code k --unit doc --format json
	[ "${lines[1]}" = '  {"code": "k", "document": null, "units": 2, "a": 1, "b": 1, "both": 1, "neither": 1, "agreement": 100, "kappa": 1, "kappa_weighted": null, "coded_agreement": 100, "n_units": 2, "warning": "fewer than 10 units"}' ]
	echo "$output" | jq -e . > /dev/null
	run --separate-stderr qda agree --coders alice,bob --code k --unit doc --format md
	[ "${lines[2]}" = "| k | (all) | 2 | 1 | 1 | 1 | 1 | 100.00 | 1.000 | n/a | 100.00 | 2 | fewer than 10 units |" ]
	run --separate-stderr qda agree --coders alice,bob --code k --unit doc
	[ "${lines[1]}" = "  k   (all)         2  1  1     1        1     100.00  1.000             n/a           100.00        2  fewer than 10 units" ]
}

@test "agree --stat alpha --unit char: Krippendorff's alpha-u over the continuum of characters" {
	load_fixture alpha-binary
	run --separate-stderr qda agree --stat alpha --coders ann,ben --unit char --format csv
	[ "$status" -eq 0 ]
	# units: ann [12,15) [82,85), ben [2,5) [12,15) [22,25) [52,55) on 100
	# characters; D_o = 2 * (4 * 3^2) / (2 * 100^2) = 0.0036
	[ "${lines[1]}" = "q,alpha-u,2,100,,0.0036,0.004659490996881601,0.22738341968911913,,6,fewer than 10 units" ]
}

@test "agree --stat alpha --domain: binary alpha per child and their mean" {
	load_fixture project
	run --separate-stderr qda agree --stat alpha --coders alice,bob --domain t --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k,binary,2,10,20,0.1,0.26842105263157895,0.6274509803921569,,10," ]
	[ "${lines[2]}" = "m,binary,2,10,20,0.1,0.26842105263157895,0.6274509803921569,,10," ]
	[ "${lines[3]}" = "t,mean,2,,,,,0.6274509803921569,,10," ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "agree --domain --nominal warns when more than a tenth of the units are dropped" {
	load_fixture project
	run --separate-stderr qda agree --stat alpha --coders alice,bob --domain t --nominal --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "t,nominal,2,2,4,0,0.6666666666666666,1,0,2,fewer than 10 units" ]
	[ "${stderr_lines[0]}" = "qda agree: warning: the nominal alpha of 't' rests on 2 of 10 units: 8 are dropped (a coder gave several of its children 0 times, taken as missing; units with fewer than two values drop out); leave out --nominal for the binary alpha per child" ]
}

@test "agree: --nominal wants --domain, --binary wants alpha at the char unit" {
	load_fixture project
	run --separate-stderr qda agree --stat alpha --coders alice,bob --nominal
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "qda agree: error: --nominal goes with --domain THEME" ]
	run --separate-stderr qda agree --stat alpha --coders alice,bob --binary
	[ "$status" -eq 2 ]
}
