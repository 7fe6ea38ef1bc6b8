#!/usr/bin/env python3
"""agree-ref.py — the per-character Python reference for qda agree's bench:
character-level agreement computed the way open tools written in Python do
it (QualCoder's coder comparison, for one): every character of every coding
is marked one by one in a Python loop, per code and its ancestors, per
coder, and the marks are counted per document both coders coded. Prints the
same rows as agree-ref.c (code,units,a,b,both,agreement,kappa), sorted by
code, for run.sh to compare with qda agree --include-interviewer.
Run: agree-ref.py PROJECT CODER_A CODER_B"""
import sqlite3
import sys


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: agree-ref.py PROJECT CODER_A CODER_B\n")
        return 2
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    coder = []
    for name in sys.argv[2:4]:
        row = db.execute("SELECT id FROM coder WHERE name = ?", (name,)).fetchone()
        if row is None:
            sys.stderr.write("agree-ref.py: no coder '%s'\n" % name)
            return 1
        coder.append(row[0])
    key, parent = {}, {}
    for nid, k, p in db.execute("SELECT id, key, parent_id FROM node WHERE retired = 0"):
        key[nid], parent[nid] = k, p
    length = dict(db.execute("SELECT id, length FROM document"))
    # per node: [a, b, both] summed over documents
    totals = {}
    units = 0

    def flush(codings, doc_len, present):
        nonlocal units
        if present != 3:
            return  # only the documents both coders coded
        units += doc_len
        marks = {}
        for nid, who, s, e in codings:
            k = nid
            while k is not None:
                m = marks.get(k)
                if m is None:
                    m = marks[k] = (set(), set())
                chars = m[who]
                for p in range(max(s, 0), min(e, doc_len)):
                    chars.add(p)
                k = parent.get(k)
        for k, (ma, mb) in marks.items():
            t = totals.setdefault(k, [0, 0, 0])
            t[0] += len(ma)
            t[1] += len(mb)
            t[2] += len(ma & mb)

    doc, codings, present = None, [], 0
    for d, nid, cid, s, e in db.execute(
            "SELECT doc_id, node_id, coder_id, start, end FROM coding WHERE coder_id IN (?, ?) ORDER BY doc_id",
            coder):
        if d != doc:
            if doc is not None:
                flush(codings, length[doc], present)
            doc, codings, present = d, [], 0
        who = 0 if cid == coder[0] else 1
        present |= 1 << who
        if nid in key:
            codings.append((nid, who, s, e))
    if doc is not None:
        flush(codings, length[doc], present)

    out = ["code,units,a,b,both,agreement,kappa"]
    n = units
    for k in sorted(totals, key=lambda k: key[k].encode()):
        a, b, both = totals[k]
        agree = both + (n - a - b + both)
        ef = (a * b + (n - a) * (n - b)) / n
        kappa = 1.0 if n == ef else (agree - ef) / (n - ef)
        out.append("%s,%d,%d,%d,%d,%.4f,%.6f" % (key[k], n, a, b, both, 100.0 * agree / n, kappa))
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
