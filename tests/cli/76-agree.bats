#!/usr/bin/env bats
# qda agree on hand-made projects (tests/fixtures/agree): NVivo's check
# vector, union roll-up, turn and document units, Krippendorff's published
# alpha examples, and the disagreements list. Binary char alpha by hand:
# both 3, ann only 3, ben only 9, neither 85 -> o11 6, o01 12, o00 170,
# D_o = 24/200, D_e = 2*182*18/(200*199), alpha = 0.271062.

load helper

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
	[ "${lines[0]}" = "code  document  units  a    b    both  neither  agreement  kappa  coded_agreement" ]
	[ "${lines[1]}" = "  k   D1         1000  150  100    50      800      85.00  0.318            25.00" ]
	[ "${lines[2]}" = "  k   (all)      1200  150  100    50     1000      87.50  0.333            25.00" ]
}

@test "agree: rows per code and document, the overall row on summed counts, a theme as the union" {
	load_fixture project
	run qda agree --coders alice,bob --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code,document,units,a,b,both,neither,agreement,kappa,coded_agreement" ]
	[ "${lines[1]}" = "t,D1,1000,160,170,50,720,77.0000,0.165457,17.8571" ]
	[ "${lines[2]}" = "t,D2,200,60,50,35,125,80.0000,0.500000,46.6667" ]
	[ "${lines[3]}" = "t,,1200,220,220,85,845,77.5000,0.248609,23.9437" ]
	[ "${lines[4]}" = "k,D1,1000,150,100,50,800,85.0000,0.318182,25.0000" ]
	[ "${lines[5]}" = "k,,1200,150,100,50,1000,87.5000,0.333333,25.0000" ]
	[ "${lines[6]}" = "m,D1,1000,10,70,0,920,92.0000,-0.017812,0.0000" ]
	[ "${lines[7]}" = "m,D2,200,60,50,35,125,80.0000,0.500000,46.6667" ]
	[ "${lines[8]}" = "m,,1200,70,120,35,1045,90.0000,0.318182,22.5806" ]
	[ "${lines[9]}" = "qda agree: warning: 1 document coded by only some of the coders is left out (--doc D compares one anyway)" ]
	[ "${#lines[@]}" -eq 10 ]
}

@test "agree: --doc compares a document one coder left blank" {
	load_fixture project
	run qda agree --coders alice,bob --code k --doc D3 --format tsv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "k	D3	100	10	0	0	90	90.0000	0.000000	0.0000" ]
	[ "${lines[2]}" = "k		100	10	0	0	90	90.0000	0.000000	0.0000" ]
}

@test "agree: --unit turn counts turns a coding of the code overlaps" {
	load_fixture project
	run qda agree --coders alice,bob --unit turn
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "t     D1           10  3  3     2        6      80.00  0.524            50.00" ]
	[ "${lines[3]}" = "  k   D1           10  2  1     1        8      90.00  0.615            50.00" ]
	[ "${lines[5]}" = "  m   D1           10  1  2     1        8      90.00  0.615            50.00" ]
	[ "${lines[6]}" = "  m   (all)        10  1  2     1        8      90.00  0.615            50.00" ]
}

@test "agree: --unit doc gives the overall rows only" {
	load_fixture project
	run qda agree --coders alice,bob --unit doc --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "t,,2,2,2,2,0,100.0000,1.000000,100.0000" ]
	[ "${lines[2]}" = "k,,2,1,1,1,1,100.0000,1.000000,100.0000" ]
	[ "${lines[3]}" = "m,,2,2,2,2,0,100.0000,1.000000,100.0000" ]
}

@test "agree: json is an array of objects keyed by the csv header" {
	load_fixture project
	run qda agree --coders alice,bob --code k --format json
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = '  {"code": "k", "document": "D1", "units": 1000, "a": 150, "b": 100, "both": 50, "neither": 800, "agreement": 85.0000, "kappa": 0.318182, "coded_agreement": 25.0000},' ]
	[ "${lines[2]}" = '  {"code": "k", "document": null, "units": 1200, "a": 150, "b": 100, "both": 50, "neither": 1000, "agreement": 87.5000, "kappa": 0.333333, "coded_agreement": 25.0000}' ]
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
	[ "${lines[0]}" = "code  values  units  pairable  observed  expected  alpha" ]
	[ "${lines[1]}" = "q          2     10        20    0.4000    0.4421  0.095" ]
}

@test "agree --stat alpha --domain: Krippendorff's nominal example with missing data gives 0.743" {
	load_fixture alpha-nominal
	run qda agree --stat alpha --coders ann,ben,cat,dan --domain v --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "code,values,units,pairable,observed,expected,alpha,multiple" ]
	[ "${lines[1]}" = "v,5,11,40,0.200000,0.779487,0.743421,0" ]
}

@test "agree --stat alpha --unit char: every character a unit" {
	load_fixture alpha-nominal
	run qda agree --stat alpha --coders ann,ben,cat,dan --domain v --unit char --format csv
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "v,5,110,400,0.200000,0.761905,0.737500,0" ]
}

@test "agree --stat alpha --unit char: binary, uncoded characters agree on absent" {
	load_fixture alpha-binary
	run qda agree --stat alpha --coders ann,ben --unit char --format csv
	[ "${lines[1]}" = "q,2,100,200,0.120000,0.164623,0.271062" ]
}

@test "agree --disagreements lists the stretches one coder coded, with lines and text" {
	load_fixture review
	run qda agree --coders alice,bob --disagreements --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "document,line_first,line_last,turn,start,end,code,coded_by,not_coded_by,text" ]
	[ "${lines[1]}" = "P1,1,1,,5,16,trust,bob,alice,I trust her" ]
	[ "${lines[2]}" = "P1,1,1,,17,25,listen,bob,alice,because " ]
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
	[ "${lines[2]}" = "P1,1,1,,17,25,trust,bob,alice,because " ]
	[ "${lines[3]}" = "P1,2,3,,38,64,trust,alice,bob,\"Ben: And the doctor?" ]
}
