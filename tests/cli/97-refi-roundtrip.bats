#!/usr/bin/env bats
# The REFI-QDA round trip (issue 12): the sample project, with a memo of
# each kind, exported with qda export and imported with qda import into an
# empty project, gives the same documents, codebook, codings, cases,
# attributes and memos — each compared by one query on both files.

load helper
bats_require_minimum_version 1.5.0

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	unset QDA_CODER
	sample_project a.qda || return 1
	export QDA_PROJECT=a.qda
	QDA_CODER=camille "$QDA" memo add --doc P01 "Recorded at the practice." > /dev/null &&
		QDA_CODER=camille "$QDA" memo add --journal "Second reading: listening comes up everywhere." > /dev/null &&
		QDA_CODER=camille "$QDA" memo add --code listening-space "Close to being believed?" > /dev/null &&
		QDA_CODER=yanis "$QDA" memo add --coding 5 "Time as the peer's gift." > /dev/null &&
		"$QDA" export a.qdpx > /dev/null &&
		"$QDA" init b.qda > /dev/null &&
		QDA_PROJECT=b.qda "$QDA" import a.qdpx > import.out 2> import.err
}

setup() {
	cd "$BATS_FILE_TMPDIR" || return 1
	unset QDA_CODER QDA_PROJECT
}

# same QUERY: the query's rows are the same in a.qda and b.qda, and there are
# rows; the rows of a.qda in $output.
same() {
	local a b
	a=$(sqlite3 a.qda "$1") && b=$(sqlite3 b.qda "$1") || return 1
	if [ "$a" != "$b" ]; then
		diff <(echo "$a") <(echo "$b") | head -n 20
		return 1
	fi
	[ -n "$a" ] || return 1
	output=$a
}

@test "roundtrip: the import brings everything in, with nothing skipped and nothing said on stderr" {
	[ "$(cat import.err)" = "" ]
	[ "$(cat import.out)" = "item       count  status    detail
documents     18  imported  
codes         44  imported  
codings      488  imported  
cases         18  imported  
variables     82  imported  case attribute values
memos        102  imported  
users          2  imported  as coders" ]
}

@test "roundtrip: documents: names, text hashes and texts" {
	same "SELECT name, text_hash, text FROM document ORDER BY name"
	[ "$(sqlite3 b.qda "SELECT count(*) FROM document")" = "18" ]
}

@test "roundtrip: codebook: ids, names, kinds, parents, order, definitions, colours, include and exclude" {
	same "SELECT n.key, n.name, n.kind, coalesce(p.key, '-'), n.position, coalesce(n.definition, '-'),
	      coalesce(n.color, '-'), coalesce(n.include, '-'), coalesce(n.exclude, '-')
	      FROM node n LEFT JOIN node p ON p.id = n.parent_id ORDER BY n.key"
	[ "$(sqlite3 b.qda "SELECT count(*) FROM node")" = "44" ]
	# an id that is not the slug of its name came back from its 'qda id:' line, and the line went
	[ "$(sqlite3 b.qda "SELECT name FROM node WHERE key = 'communication-and-collaboration'")" = "Communication and interprofessional collaboration" ]
	[ "$(sqlite3 b.qda "SELECT count(*) FROM node WHERE definition LIKE '%qda id:%'")" = "0" ]
}

@test "roundtrip: codings: document, code, coder, start, end and the coding's own memo" {
	same "SELECT d.name, n.key, k.name, c.start, c.end, coalesce(c.memo, '-')
	      FROM coding c JOIN document d ON d.id = c.doc_id JOIN node n ON n.id = c.node_id
	      JOIN coder k ON k.id = c.coder_id ORDER BY 1, 2, 3, 4, 5"
	[ "$(sqlite3 b.qda "SELECT count(*) FROM coding")" = "488" ]
	[ "$(sqlite3 b.qda "SELECT count(*) FROM coding WHERE memo IS NOT NULL")" = "98" ]
}

@test "roundtrip: cases and their attributes" {
	same "SELECT name, coalesce(description, '-') FROM cases ORDER BY name"
	[ "$(sqlite3 b.qda "SELECT count(*) FROM cases")" = "18" ]
	same "SELECT s.name, a.key, a.value FROM attribute a JOIN cases s ON s.id = a.case_id ORDER BY 1, 2"
	[ "$(sqlite3 b.qda "SELECT count(*) FROM attribute")" = "82" ]
	same "SELECT d.name, coalesce(s.name, '-') FROM document d LEFT JOIN cases s ON s.id = d.case_id ORDER BY 1"
}

@test "roundtrip: memos: kind, target, coder, title, time and text" {
	same "SELECT m.target_kind,
	      coalesce(d.name, n.key, cd.name || ' ' || c.start || '-' || c.end || ' ' || cn.key || ' ' || ck.name,
	               s.name, '-'),
	      coalesce(k.name, '-'), coalesce(m.title, '-'), m.created, m.text
	      FROM memo m LEFT JOIN document d ON d.id = m.doc_id LEFT JOIN node n ON n.id = m.node_id
	      LEFT JOIN coding c ON c.id = m.coding_id LEFT JOIN document cd ON cd.id = c.doc_id
	      LEFT JOIN node cn ON cn.id = c.node_id LEFT JOIN coder ck ON ck.id = c.coder_id
	      LEFT JOIN cases s ON s.id = m.case_id LEFT JOIN coder k ON k.id = m.coder_id ORDER BY 1, 2, 3, 6"
	[ "$(echo "$output" | cut -d'|' -f1-4,6)" = "coding|P01 1609-2172 taking-the-time camille|yanis|-|Time as the peer's gift.
document|P01|camille|-|Recorded at the practice.
journal|-|camille|-|Second reading: listening comes up everywhere.
node|listening-space|camille|-|Close to being believed?" ]
}

@test "roundtrip: importing the same file again adds nothing" {
	cp b.qda again.qda
	run --separate-stderr env QDA_PROJECT=again.qda "$QDA" import a.qdpx
	[ "$status" -eq 0 ]
	for t in document node coding cases attribute memo; do
		[ "$(sqlite3 again.qda "SELECT count(*) FROM $t")" = "$(sqlite3 b.qda "SELECT count(*) FROM $t")" ]
	done
}

# What differs when the imported project is exported again: the project's
# name and creation; the GUIDs qda derives from the project's GUID (of
# Variables, Codings and Links), so a selection's GUID too (the import gives
# a coding the GUID of its Coding element); the times of documents and
# codings (the import's); the order of the Notes (the import makes memos as
# it meets their NoteRefs), and a coding memo's name, which says the
# coding's id. Everything else is the same, the same lines.
@test "roundtrip: exported again, project.qde is the same but for names, derived GUIDs, times and the Notes' order" {
	QDA_PROJECT=b.qda "$QDA" export b.qdpx > /dev/null
	strip() {
		unzip -p "$1" project.qde | sed -E 's/ (guid|targetGUID|creationDateTime|name)="[^"]*"//g' | sort
	}
	[ "$(strip a.qdpx)" = "$(strip b.qdpx)" ]
	[ "$(unzip -p a.qdpx project.qde | wc -l)" = "$(unzip -p b.qdpx project.qde | wc -l)" ]
	# names: only the project's and the coding memo's differ
	names() { unzip -p "$1" project.qde | grep -o ' name="[^"]*"' | sort; }
	[ "$(diff <(names a.qdpx) <(names b.qdpx) | grep -c '^[<>]')" = "4" ]
	# the GUIDs of users, codes, documents, cases and memos are the same
	guids() { unzip -p "$1" project.qde | grep -E '<(User|Code|TextSource|Case|Note) ' | grep -o ' guid="[^"]*"' | sort; }
	[ "$(guids a.qdpx)" = "$(guids b.qdpx)" ]
	[ "$(guids a.qdpx | wc -l)" = "86" ]
}
