#!/bin/sh
# demo.sh QDA — the main job on the sample corpus: a new project, the 18
# interviews imported with their case attributes, then the document table.
# Each step that exists is run; later steps extend it as features land.
set -e
qda=$1
dir=build/demo
mkdir -p "$dir"
rm -f "$dir/demo.qda" "$dir/demo.qda-wal" "$dir/demo.qda-shm"
export QDA_PROJECT="$dir/demo.qda"
export QDA_CODER=demo
step() { printf '\n$ %s\n' "$*" >&2; "$@"; }

step "$qda" init "$QDA_PROJECT" > /dev/null
step "$qda" import --interviewer Camille --interviewer S01 corpus-sample/*.txt corpus-sample/*.md corpus-sample/*.vtt corpus-sample/*.docx > /dev/null
step "$qda" case import corpus-sample/attributes.csv > /dev/null
step "$qda" docs
if [ -f tests/tools/demo-more.sh ]; then
	. tests/tools/demo-more.sh
fi
echo >&2
echo "The demo project is $QDA_PROJECT; try: QDA_PROJECT=$QDA_PROJECT $qda search ecoute" >&2
