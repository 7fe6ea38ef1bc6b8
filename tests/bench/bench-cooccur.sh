# bench-cooccur.sh — sourced by run.sh: the full co-occurrence matrix of 200
# codes over 1,000,000 codings, qda's sweep over sorted spans against a naive
# SQL self-join run by the sqlite3 shell on the same file.
# the project of gen-codings.sql, shared with the agree and retrieve benches
if [ ! -f "$work/scale.qda" ]; then
	"$qda" init "$work/scale.qda" > /dev/null
	sqlite3 "$work/scale.qda" < "$here/gen-codings.sql" > /dev/null
fi
codings=$(sqlite3 "$work/scale.qda" "SELECT count(*) FROM coding")
t0=$(now)
"$qda" -p "$work/scale.qda" cooccur --level code --format csv > "$work/cooccur.csv"
t1=$(now)
sqlite3 "$work/scale.qda" "SELECT a.node_id, b.node_id, count(*) FROM coding a JOIN coding b
	ON b.doc_id = a.doc_id AND a.node_id < b.node_id AND b.start < a.end AND a.start < b.end
	GROUP BY 1, 2" > "$work/selfjoin.txt"
t2=$(now)
ours=$(secs "$t0" "$t1")
base=$(secs "$t1" "$t2")
echo "cooccur: $codings codings, 200 codes: qda cooccur ${ours} s; sqlite3 self-join ${base} s; qda takes $(ratio "$ours" "$base") of the baseline's time"
