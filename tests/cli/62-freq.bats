#!/usr/bin/env bats
# qda freq on the hand-made counting project (tests/fixtures/counting):
# exact segments, documents and cases, union roll-up, groups by attribute.

load helper

setup() {
	new_project
	sqlite3 "$QDA_PROJECT" < "$FIXTURES/counting/project.sql"
}

@test "freq prints the tree with union roll-up" {
	run qda freq
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "node        id  kind      parent  segments  documents  cases" ]
	[ "${lines[1]}" = "Theme T     t   theme                    4          3      2" ]
	[ "${lines[2]}" = "  Sub S     s   subtheme  t              3          3      2" ]
	[ "${lines[3]}" = "    Code a  a   code      s              2          2      1" ]
	[ "${lines[4]}" = "    Code b  b   code      s              2          2      2" ]
	[ "${lines[5]}" = "  Code c    c   code      t              1          1      1" ]
	[ "${lines[6]}" = "Theme U     u   theme                    1          1      1" ]
}

@test "freq --by role shows cases coded out of each group's size" {
	run qda freq --level theme --by role
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "node     id  kind   parent  segments  documents  cases  clinician (n=1)  patient (n=2)" ]
	[ "${lines[1]}" = "Theme T  t   theme                 4          3      2              0/1            2/2" ]
	[ "${lines[2]}" = "Theme U  u   theme                 1          1      1              1/1            0/2" ]
}

@test "freq csv has a count, size and percent column per group" {
	run qda freq --level code --by role --percent --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "name,id,kind,parent,segments,documents,cases,clinician,clinician_n,clinician_pct,patient,patient_n,patient_pct" ]
	[ "${lines[1]}" = "Code a,a,code,s,2,2,1,0,1,0,1,2,50" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "freq --coder counts one coder's codings only" {
	run qda freq --level theme --coder bob --format tsv
	[ "${lines[1]}" = "Theme T	t	theme		2	2	2" ]
	[ "${lines[2]}" = "Theme U	u	theme		0	0	0" ]
}

@test "freq leaves out interviewer-only codings unless asked" {
	run qda freq --level code --format csv
	[ "${lines[3]}" = "Code c,c,code,t,1,1,1" ]
	run qda freq --level code --format csv --include-interviewer
	[ "${lines[3]}" = "Code c,c,code,t,2,1,1" ]
}

@test "freq --where keeps the cases with an attribute value" {
	run qda freq --level theme --where role=clinician --format csv
	[ "${lines[1]}" = "Theme T,t,theme,,0,0,0" ]
	[ "${lines[2]}" = "Theme U,u,theme,,1,1,1" ]
}

@test "freq --format latex is a booktabs table" {
	run qda freq --level theme --by role --percent --format latex
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '\begin{tabular}{lrrrrr}' ]
	[ "${lines[1]}" = '\toprule' ]
	[ "${lines[2]}" = 'Theme & segments & documents & cases & clinician (n=1) & patient (n=2) \\' ]
	[ "${lines[4]}" = 'Theme T & 4 & 3 & 2 & 0/1 (0\%) & 2/2 (100\%) \\' ]
	[ "${lines[7]}" = '\end{tabular}' ]
}

@test "freq latex compiles with pdflatex when a TeX is installed" {
	command -v pdflatex > /dev/null || skip "no TeX installed (pdflatex)"
	qda freq --level theme --by role --percent --format latex -o table.tex
	printf '\\documentclass{article}\\usepackage{booktabs}\\begin{document}\\input{table.tex}\\end{document}\n' > doc.tex
	run pdflatex -interaction=nonstopmode -halt-on-error doc.tex
	[ "$status" -eq 0 ]
	[ -s doc.pdf ]
}

@test "freq --format svg is a well-formed bar chart with a bar per group" {
	qda freq --level theme --by role --format svg -o freq.svg
	run xmllint --noout freq.svg
	[ "$status" -eq 0 ]
	[ "$(grep -c '<rect x=' freq.svg)" -eq 6 ] # 2 legend keys, 2 themes x 2 groups
	grep -q '<title>Theme T — patient (n=2): 2</title>' freq.svg
}

@test "freq with a bad --count is a usage error" {
	run qda freq --count people
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "qda freq: error: --count is segments, documents, cases or words, not 'people'" ]
}

@test "freq --by an attribute no case has is an error, not a column of unset values" {
	run qda freq --by nosuch
	[ "$status" -eq 1 ]
	[ "$output" = "qda freq: error: no case has an attribute 'nosuch' ('qda cases' lists them)" ]
}

@test "freq --count segments --percent gives each group's share of the node's segments" {
	run qda freq --level theme --by role --count segments --percent --format csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "name,id,kind,parent,segments,documents,cases,clinician,clinician_pct,patient,patient_pct" ]
	[ "${lines[1]}" = "Theme T,t,theme,,4,3,2,0,0,4,100" ]
	[ "${lines[2]}" = "Theme U,u,theme,,1,1,1,1,100,0,0" ]
}
