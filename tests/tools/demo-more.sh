# demo-more.sh — sourced by demo.sh once the corpus is imported: the codebook,
# the two coders' codings, a retrieval of one theme, the theme frequency
# table by role, and the HTML report.
step "$qda" codebook load codebooks/peer-support-primary-care.yaml > /dev/null
for f in corpus-sample/codings-*.csv; do
	[ -f "$f" ] && step "$qda" code --from "$f" > /dev/null
done
step "$qda" retrieve listening-space --limit 3
step "$qda" report -o "$dir/demo-report.html" > /dev/null
echo "wrote $dir/demo-report.html" >&2
step "$qda" freq --level theme --by role --percent
