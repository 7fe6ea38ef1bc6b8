-- qda project schema, version 1. Embedded at build time into store.c.
-- Positions are Unicode code points from 0 in document.text, spans half-open [start, end).
-- Every object a REFI-QDA exchange names carries a stable GUID (UUID v4, made by SQLite).

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE coder (
  id      INTEGER PRIMARY KEY,
  guid    TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  name    TEXT NOT NULL UNIQUE,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,
  guid        TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  name        TEXT NOT NULL UNIQUE,
  description TEXT,
  created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE attribute (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (case_id, key)
);

CREATE TABLE document (
  id          INTEGER PRIMARY KEY,
  guid        TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  name        TEXT NOT NULL UNIQUE,
  case_id     INTEGER REFERENCES cases(id),
  format      TEXT NOT NULL,             -- txt md vtt srt docx
  source      TEXT,                      -- path given at import
  source_hash TEXT NOT NULL,             -- SHA-256 of the file's bytes
  text_hash   TEXT NOT NULL UNIQUE,      -- SHA-256 of the stored text
  text        TEXT NOT NULL,             -- UTF-8, NFC, LF, no BOM
  length      INTEGER NOT NULL,          -- code points
  lines       INTEGER NOT NULL,
  words       INTEGER NOT NULL,
  imported    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  coder_id    INTEGER REFERENCES coder(id)
);

CREATE TABLE speaker (
  id             INTEGER PRIMARY KEY,
  doc_id         INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  is_interviewer INTEGER NOT NULL DEFAULT 0,
  UNIQUE (doc_id, name)
);

-- A speaker turn: [start, end) in the document text, label included.
CREATE TABLE turn (
  id         INTEGER PRIMARY KEY,
  doc_id     INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
  n          INTEGER NOT NULL,            -- from 1
  speaker_id INTEGER REFERENCES speaker(id),
  start      INTEGER NOT NULL,
  end        INTEGER NOT NULL,
  line_first INTEGER NOT NULL,
  line_last  INTEGER NOT NULL,
  time_start INTEGER,                     -- milliseconds, from cue timings
  time_end   INTEGER,
  UNIQUE (doc_id, n)
);

-- One row per text line, for line numbers and full-text search.
CREATE TABLE line (
  id     INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
  n      INTEGER NOT NULL,               -- from 1
  start  INTEGER NOT NULL,
  end    INTEGER NOT NULL,               -- excludes the LF
  turn_n INTEGER,                        -- turn holding the line, NULL before the first
  UNIQUE (doc_id, n)
);
CREATE INDEX line_pos ON line(doc_id, start);

CREATE VIEW line_text AS
  SELECT line.id AS id, substr(document.text, line.start + 1, line.end - line.start) AS text
  FROM line JOIN document ON document.id = line.doc_id;

CREATE VIRTUAL TABLE line_fts USING fts5(
  text, content = 'line_text', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

-- The codebook: themes > sub-themes > codes; every node can be coded.
CREATE TABLE node (
  id         INTEGER PRIMARY KEY,
  guid       TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  key        TEXT NOT NULL UNIQUE,         -- the codebook id, [a-z0-9._-]+
  parent_id  INTEGER REFERENCES node(id),
  kind       TEXT NOT NULL CHECK (kind IN ('theme', 'subtheme', 'code')),
  name       TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'candidate'
             CHECK (status IN ('candidate', 'reviewed', 'defined')),
  definition TEXT,
  include    TEXT,                         -- JSON arrays of strings
  exclude    TEXT,
  examples   TEXT,
  keywords   TEXT,
  patterns   TEXT,
  color      TEXT,
  position   INTEGER NOT NULL DEFAULT 0,   -- order among siblings
  retired    INTEGER NOT NULL DEFAULT 0,
  in_vivo    INTEGER NOT NULL DEFAULT 0,
  created    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX node_parent ON node(parent_id, position);

CREATE TABLE codebook_version (
  id          INTEGER PRIMARY KEY,
  coder_id    INTEGER REFERENCES coder(id),
  created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  origin      TEXT NOT NULL,               -- 'load FILE', 'theme rename', ...
  hash        TEXT,                        -- SHA-256 of the loaded file
  title       TEXT,
  description TEXT,
  snapshot    TEXT NOT NULL,               -- JSON of the whole codebook after the change
  changes     TEXT NOT NULL                -- JSON array of {change, id, detail}
);

CREATE TABLE coding (
  id         INTEGER PRIMARY KEY,
  guid       TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  doc_id     INTEGER NOT NULL REFERENCES document(id),
  node_id    INTEGER NOT NULL REFERENCES node(id),
  coder_id   INTEGER NOT NULL REFERENCES coder(id),
  start      INTEGER NOT NULL,
  end        INTEGER NOT NULL,
  line_first INTEGER NOT NULL,
  line_last  INTEGER NOT NULL,
  method     TEXT NOT NULL DEFAULT 'manual',  -- manual edit auto import merge
  rule       TEXT,                            -- autocode rule that made it
  memo       TEXT,
  state      TEXT NOT NULL DEFAULT 'proposed'
             CHECK (state IN ('proposed', 'accepted', 'disputed', 'revised')),
  created    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (start < end),
  UNIQUE (doc_id, node_id, coder_id, start, end)
);
CREATE INDEX coding_node ON coding(node_id, doc_id, start);
CREATE INDEX coding_doc ON coding(doc_id, start);
CREATE INDEX coding_coder ON coding(coder_id);

CREATE TABLE review (
  id           INTEGER PRIMARY KEY,
  guid         TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  coding_id    INTEGER NOT NULL REFERENCES coding(id) ON DELETE CASCADE,
  reviewer_id  INTEGER NOT NULL REFERENCES coder(id),
  verdict      TEXT NOT NULL CHECK (verdict IN ('accept', 'dispute', 'comment', 'suggest', 'revise')),
  comment      TEXT,
  suggested_id INTEGER REFERENCES node(id),   -- suggest: the code proposed instead
  previous_id  INTEGER REFERENCES node(id),   -- revise: the code before the revision
  created      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX review_coding ON review(coding_id);

CREATE TABLE memo (
  id          INTEGER PRIMARY KEY,
  guid        TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'document', 'node', 'coding', 'case', 'journal')),
  target_id   INTEGER,
  coder_id    INTEGER REFERENCES coder(id),
  title       TEXT,
  text        TEXT NOT NULL,
  created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE exemplar (
  coding_id INTEGER PRIMARY KEY REFERENCES coding(id) ON DELETE CASCADE,
  created   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- The audit trail: one row per command that changed the project.
CREATE TABLE log (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  coder   TEXT,
  command TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT ''
);
