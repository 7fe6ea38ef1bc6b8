# bench-agree.sh — sourced by run.sh: character-level agreement (kappa) of
# two coders over 100 MB of text (1,000 documents) and 1,000,000 codings,
# qda agree's interval arithmetic over sorted spans against agree-ref, the
# per-character reference (tests/bench/agree-ref.c); both must give the same
# counts per code. Target: qda agree under 2 s.
if [ ! -f "$work/scale.qda" ]; then
	"$qda" init "$work/scale.qda" > /dev/null
	sqlite3 "$work/scale.qda" < "$here/gen-codings.sql" > /dev/null
fi
cc -O3 -o "$work/agree-ref" "$here/agree-ref.c" $(pkg-config --cflags --libs sqlite3)
codings=$(sqlite3 "$work/scale.qda" "SELECT count(*) FROM coding")
t0=$(now)
"$qda" -p "$work/scale.qda" agree --coders alice,bob --format csv > "$work/agree.csv"
t1=$(now)
"$work/agree-ref" "$work/scale.qda" alice bob > "$work/agree-ref.csv"
t2=$(now)
ours=$(secs "$t0" "$t1")
base=$(secs "$t1" "$t2")
# the overall rows (empty document): code, units, a, b, both
awk -F, 'NR > 1 && $2 == "" { print $1 "," $3 "," $4 "," $5 "," $6 }' "$work/agree.csv" | sort > "$work/agree-ours.cut"
awk -F, 'NR > 1 { print $1 "," $2 "," $3 "," $4 "," $5 }' "$work/agree-ref.csv" | sort > "$work/agree-ref.cut"
if cmp -s "$work/agree-ours.cut" "$work/agree-ref.cut"; then same="same counts for $(wc -l < "$work/agree-ref.cut") codes"
else same="COUNTS DIFFER from the reference"; fi
echo "agree: $codings codings, 100 MB: qda agree ${ours} s (target < 2 s); per-character reference ${base} s; qda takes $(ratio "$ours" "$base") of the reference's time ($(ratio "$base" "$ours") times faster); $same"
