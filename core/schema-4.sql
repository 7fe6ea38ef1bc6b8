-- qda project schema, version 3 -> 4: rigour in the six phases — who has
-- read which document (familiarisation), the framework matrix's summaries,
-- and translations of quotes for a paper in another language.
--
-- * doc_read: a coder has read a document, once (reading again moves `at`);
--   the memo written with it is a document memo (memo.c owns it).
-- * summary: one text per (case, node), the last writer's; every change is
--   logged with its command (the log and undo keep the earlier text).
-- * translation: one text per (coding, language), by its translator (a
--   coder); the coding's own text stays the original.

CREATE TABLE doc_read (
  doc_id   INTEGER NOT NULL REFERENCES document_all(id),
  coder_id INTEGER NOT NULL REFERENCES coder(id),
  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  memo_id  INTEGER REFERENCES memo(id),
  PRIMARY KEY (doc_id, coder_id)
);
CREATE INDEX doc_read_coder ON doc_read(coder_id);

CREATE TABLE summary (
  case_id  INTEGER NOT NULL REFERENCES cases(id),
  node_id  INTEGER NOT NULL REFERENCES node(id),
  coder_id INTEGER NOT NULL REFERENCES coder(id),
  text     TEXT NOT NULL,
  updated  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (case_id, node_id)
);
CREATE INDEX summary_node ON summary(node_id);

CREATE TABLE translation (
  coding_id INTEGER NOT NULL REFERENCES coding_all(id),
  lang      TEXT NOT NULL CHECK (length(lang) BETWEEN 2 AND 12),
  coder_id  INTEGER NOT NULL REFERENCES coder(id),
  text      TEXT NOT NULL,
  created   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (coding_id, lang)
);
