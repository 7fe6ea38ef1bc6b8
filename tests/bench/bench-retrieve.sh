# bench-retrieve.sh — sourced by run.sh: qda retrieve over 1,000,000 codings
# (the project of gen-codings.sql, made by bench-cooccur.sh or here): the
# first page of a theme (target: under 50 ms) and a full dump of the theme's
# 200,000 extracts, each against the sqlite3 shell selecting the same rows
# with their text cut out by substr() on the same file.
if [ ! -f "$work/scale.qda" ]; then
	"$qda" init "$work/scale.qda" > /dev/null
	sqlite3 "$work/scale.qda" < "$here/gen-codings.sql" > /dev/null
fi
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
codings=$(sqlite3 "$work/scale.qda" "SELECT count(*) FROM coding")
# the same rows as qda retrieve theme1: the theme and its descendants, by
# document name and position, with the coded text
base_sql="WITH RECURSIVE sub(id) AS (SELECT id FROM node WHERE key = 'theme1'
	UNION SELECT node.id FROM node JOIN sub ON node.parent_id = sub.id)
	SELECT c.id, d.name, c.start, c.end, n.key, k.name, substr(d.text, c.start + 1, c.end - c.start)
	FROM document d JOIN coding c ON c.doc_id = d.id JOIN node n ON n.id = c.node_id
	JOIN coder k ON k.id = c.coder_id WHERE c.node_id IN sub ORDER BY d.name, c.start, c.end, c.id"

# warm the page cache the same way for both
cat "$work/scale.qda" > /dev/null
t0=$(now)
"$qda" -p "$work/scale.qda" retrieve theme1 --limit 20 > "$work/page.txt"
t1=$(now)
sqlite3 "$work/scale.qda" "$base_sql LIMIT 20" > "$work/page-base.txt"
t2=$(now)
ours=$(ms "$t0" "$t1")
base=$(ms "$t1" "$t2")
verdict=$(awk -v a="$ours" 'BEGIN { print (a < 50) ? "under" : "OVER" }')
echo "retrieve first page: $codings codings: qda retrieve theme1 --limit 20 ${ours} ms ($verdict the 50 ms target); sqlite3 LIMIT 20 ${base} ms; ratio $(ratio "$ours" "$base")"

t0=$(now)
"$qda" -p "$work/scale.qda" retrieve theme1 --format csv > "$work/dump.csv"
t1=$(now)
sqlite3 -csv "$work/scale.qda" "$base_sql" > "$work/dump-base.csv"
t2=$(now)
extracts=$(($(wc -l < "$work/dump-base.csv")))
ours=$(secs "$t0" "$t1")
base=$(secs "$t1" "$t2")
echo "retrieve full dump: $extracts extracts of theme1: qda retrieve --format csv ${ours} s; sqlite3 with substr ${base} s; qda takes $(ratio "$ours" "$base") of the baseline's time"
