-- gen-codings.sql — fill a fresh project with the scale DESIGN.md asks to
-- hold: 1,000 documents of 100,000 characters (100 MB of text), a codebook
-- of 5 themes > 20 sub-themes > 200 codes, and 1,000,000 codings by 2
-- coders at random positions. Run: sqlite3 project.qda < gen-codings.sql
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO cases(id, name) SELECT value, 'case' || value FROM generate_series(1, 1000);
INSERT INTO attribute SELECT value, 'role', CASE value % 3 WHEN 0 THEN 'patient' WHEN 1 THEN 'clinician' ELSE 'relative' END
  FROM generate_series(1, 1000);
INSERT INTO document_all(id, name, case_id, format, source_hash, text_hash, text, length, lines, words)
  SELECT value, 'doc' || value, value, 'txt', 's' || value, 't' || value, printf('%.100000c', 'x'), 100000, 1, 20000
  FROM generate_series(1, 1000);
INSERT INTO line(doc_id, n, start, end) SELECT value, 1, 0, 100000 FROM generate_series(1, 1000);
INSERT INTO node(id, key, parent_id, kind, name, position)
  SELECT value, 'theme' || value, NULL, 'theme', 'Theme ' || value, value FROM generate_series(1, 5);
INSERT INTO node(id, key, parent_id, kind, name, position)
  SELECT 5 + value, 'sub' || value, 1 + (value - 1) / 4, 'subtheme', 'Sub-theme ' || value, value FROM generate_series(1, 20);
INSERT INTO node(id, key, parent_id, kind, name, position)
  SELECT 25 + value, 'code' || value, 6 + (value - 1) / 10, 'code', 'Code ' || value, value FROM generate_series(1, 200);
INSERT INTO coder(id, name) VALUES (1, 'alice'), (2, 'bob');
-- Code and position from a multiplicative hash of the row number (Knuth's
-- 2654435761 modulo a prime): spread like random data, but repeatable.
INSERT OR IGNORE INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last)
  SELECT 1 + g % 1000, 26 + h % 200, 1 + (g / 1000) % 2, (h / 200) % 99000,
         (h / 200) % 99000 + 50 + (g / 2000) % 450, 1, 1
  FROM (SELECT (value * 2654435761) % 4294967291 AS h, (value * 40503 + 12345) % 1000003 * 7919 % 2147483647 AS g
        FROM generate_series(1, 1000000));
COMMIT;
