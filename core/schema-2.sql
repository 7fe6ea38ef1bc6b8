-- qda project schema, version 1 -> 2: a record a team can trust.
-- Run by store.c with foreign keys off (tables are rebuilt) inside the
-- migration's transaction; PRAGMA foreign_key_check runs before COMMIT.
--
-- * Ids are never reused: every table a user names by id is AUTOINCREMENT.
-- * Codings and documents are never deleted by a command: removal marks them
--   (who, when, why) in coding_all / document_all, and the views coding and
--   document show what is current, so every count, listing and export leaves
--   removed ones out while memos, reviews and history keep their targets.
--   Only `qda undo` deletes rows, and only what the undone command made.
-- * A review that is applied keeps the original coding (removed, why
--   'revised') and adds its revision (revision_of, revised_by): the view
--   coding_original is the coders' own work, for agreement.
-- * A memo's target is a reference (one foreign key per kind), not a kind/id
--   pair; a target cannot be deleted while memos refer to it.
-- * log rows are written when a command begins (its id marks what it made:
--   log_id) and carry whether they were undone; undo holds the changes.

DROP VIEW line_text;

CREATE TABLE coder_v2 (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  guid    TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  name    TEXT NOT NULL UNIQUE,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO coder_v2(id, guid, name, created) SELECT id, guid, name, created FROM coder;
DROP TABLE coder;
ALTER TABLE coder_v2 RENAME TO coder;

CREATE TABLE cases_v2 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  guid        TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  name        TEXT NOT NULL UNIQUE,
  description TEXT,
  created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO cases_v2(id, guid, name, description, created) SELECT id, guid, name, description, created FROM cases;
DROP TABLE cases;
ALTER TABLE cases_v2 RENAME TO cases;

-- The text last: reading a document's other columns never walks its text.
-- Renaming the v1 table first makes the references of speaker, turn and
-- line follow it (SQLite rewrites them); the new table then takes the name.
ALTER TABLE document RENAME TO document_all;
CREATE TABLE document_v2 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  guid        TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  name        TEXT NOT NULL,
  case_id     INTEGER REFERENCES cases(id),
  format      TEXT NOT NULL,
  source      TEXT,
  source_hash TEXT NOT NULL,
  text_hash   TEXT NOT NULL,
  length      INTEGER NOT NULL,
  lines       INTEGER NOT NULL,
  words       INTEGER NOT NULL,
  imported    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  coder_id    INTEGER REFERENCES coder(id),
  log_id      INTEGER,                      -- the command that imported it
  removed_at  TEXT,
  removed_by  INTEGER REFERENCES coder(id),
  text        TEXT NOT NULL
);
INSERT INTO document_v2(id, guid, name, case_id, format, source, source_hash, text_hash, length, lines, words,
                        imported, coder_id, text)
  SELECT id, guid, name, case_id, format, source, source_hash, text_hash, length, lines, words, imported, coder_id, text
  FROM document_all;
DROP TABLE document_all;
ALTER TABLE document_v2 RENAME TO document_all;
CREATE UNIQUE INDEX document_name ON document_all(name) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX document_text_hash ON document_all(text_hash) WHERE removed_at IS NULL;
CREATE INDEX document_log ON document_all(log_id);
CREATE VIEW document AS SELECT * FROM document_all WHERE removed_at IS NULL;

CREATE VIEW line_text AS
  SELECT line.id AS id, substr(document_all.text, line.start + 1, line.end - line.start) AS text
  FROM line JOIN document_all ON document_all.id = line.doc_id;

CREATE TABLE node_v2 (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  guid       TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  key        TEXT NOT NULL UNIQUE,
  parent_id  INTEGER REFERENCES node(id),
  kind       TEXT NOT NULL CHECK (kind IN ('theme', 'subtheme', 'code')),
  name       TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'candidate'
             CHECK (status IN ('candidate', 'reviewed', 'defined')),
  definition TEXT,
  include    TEXT,
  exclude    TEXT,
  examples   TEXT,
  keywords   TEXT,
  patterns   TEXT,
  color      TEXT,
  position   INTEGER NOT NULL DEFAULT 0,
  retired    INTEGER NOT NULL DEFAULT 0,
  in_vivo    INTEGER NOT NULL DEFAULT 0,
  created    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO node_v2 SELECT * FROM node;
DROP TABLE node;
ALTER TABLE node_v2 RENAME TO node;
CREATE INDEX node_parent ON node(parent_id, position);

CREATE TABLE codebook_version_v2 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  coder_id    INTEGER REFERENCES coder(id),
  created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  origin      TEXT NOT NULL,
  hash        TEXT,
  title       TEXT,
  description TEXT,
  snapshot    TEXT NOT NULL,
  changes     TEXT NOT NULL
);
INSERT INTO codebook_version_v2 SELECT * FROM codebook_version;
DROP TABLE codebook_version;
ALTER TABLE codebook_version_v2 RENAME TO codebook_version;

ALTER TABLE coding RENAME TO coding_v1;
CREATE TABLE coding_all (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  guid        TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  doc_id      INTEGER NOT NULL REFERENCES document_all(id),
  node_id     INTEGER NOT NULL REFERENCES node(id),
  coder_id    INTEGER NOT NULL REFERENCES coder(id),
  start       INTEGER NOT NULL,
  end         INTEGER NOT NULL,
  line_first  INTEGER NOT NULL,
  line_last   INTEGER NOT NULL,
  method      TEXT NOT NULL DEFAULT 'manual',
  rule        TEXT,
  memo        TEXT,
  state       TEXT NOT NULL DEFAULT 'proposed'
              CHECK (state IN ('proposed', 'accepted', 'disputed', 'revised')),
  created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  log_id      INTEGER,                      -- the command that made it
  revision_of INTEGER REFERENCES coding_all(id),  -- a review applied: the coding it revises
  revised_by  INTEGER REFERENCES coder(id),       -- the reviewer who made the revision
  removed_at  TEXT,
  removed_by  INTEGER REFERENCES coder(id),
  removed_why TEXT,                         -- uncode, revised, merged, document removed, edit
  CHECK (start < end)
);
INSERT INTO coding_all(id, guid, doc_id, node_id, coder_id, start, end, line_first, line_last, method, rule, memo,
                       state, created)
  SELECT id, guid, doc_id, node_id, coder_id, start, end, line_first, line_last, method, rule, memo, state, created
  FROM coding_v1;
DROP TABLE coding_v1;
-- Codings a v1 review applied: the original code comes back on the coding,
-- which is removed as revised, and the revision becomes a coding of its own.
-- who applied it removed the original; the suggestion's reviewer made the revision
CREATE TEMP TABLE revised AS
  SELECT c.id AS id, r.previous_id AS previous, r.reviewer_id AS applier, r.created AS at,
         coalesce((SELECT s.reviewer_id FROM review s WHERE s.coding_id = c.id AND s.verdict = 'suggest'
                   AND s.suggested_id = c.node_id ORDER BY s.id DESC LIMIT 1), r.reviewer_id) AS reviewer
  FROM coding_all c JOIN review r ON r.id = (SELECT max(id) FROM review WHERE coding_id = c.id AND verdict = 'revise')
  WHERE c.state = 'revised' AND r.previous_id IS NOT NULL;
INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last, method, rule, memo, state,
                       created, revision_of, revised_by)
  SELECT c.doc_id, c.node_id, c.coder_id, c.start, c.end, c.line_first, c.line_last, c.method, c.rule, c.memo,
         'revised', v.at, c.id, v.reviewer
  FROM coding_all c JOIN temp.revised v ON v.id = c.id;
UPDATE coding_all SET node_id = (SELECT previous FROM temp.revised v WHERE v.id = coding_all.id),
                      state = 'proposed', removed_at = (SELECT at FROM temp.revised v WHERE v.id = coding_all.id),
                      removed_by = (SELECT applier FROM temp.revised v WHERE v.id = coding_all.id),
                      removed_why = 'revised'
  WHERE id IN (SELECT id FROM temp.revised);
DROP TABLE temp.revised;
CREATE UNIQUE INDEX coding_span ON coding_all(doc_id, node_id, coder_id, start, end) WHERE removed_at IS NULL;
CREATE INDEX coding_node ON coding_all(node_id, doc_id, start) WHERE removed_at IS NULL;
CREATE INDEX coding_doc ON coding_all(doc_id, start) WHERE removed_at IS NULL;
CREATE INDEX coding_coder ON coding_all(coder_id);
-- Agreement reads the coders' own work in this order (coding_original's terms).
CREATE INDEX coding_original_span ON coding_all(doc_id, node_id, coder_id, start, end)
  WHERE revision_of IS NULL AND (removed_at IS NULL OR removed_why = 'revised');
CREATE INDEX coding_log ON coding_all(log_id);
CREATE INDEX coding_revision ON coding_all(revision_of) WHERE revision_of IS NOT NULL;
-- What counts: the codings in force.
CREATE VIEW coding AS SELECT * FROM coding_all WHERE removed_at IS NULL;
-- The coders' own work, before any review was applied: for agreement.
CREATE VIEW coding_original AS SELECT * FROM coding_all
  WHERE revision_of IS NULL AND (removed_at IS NULL OR removed_why = 'revised');

CREATE TABLE review_v2 (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  guid         TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  coding_id    INTEGER NOT NULL REFERENCES coding_all(id),
  reviewer_id  INTEGER NOT NULL REFERENCES coder(id),
  verdict      TEXT NOT NULL CHECK (verdict IN ('accept', 'dispute', 'comment', 'suggest', 'revise')),
  comment      TEXT,
  suggested_id INTEGER REFERENCES node(id),
  previous_id  INTEGER REFERENCES node(id),
  created      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO review_v2 SELECT * FROM review;
DROP TABLE review;
ALTER TABLE review_v2 RENAME TO review;
CREATE INDEX review_coding ON review(coding_id);

CREATE TABLE memo_v2 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  guid        TEXT NOT NULL UNIQUE DEFAULT (GUID_EXPR),
  target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'document', 'node', 'coding', 'case', 'journal')),
  doc_id      INTEGER REFERENCES document_all(id),
  node_id     INTEGER REFERENCES node(id),
  coding_id   INTEGER REFERENCES coding_all(id),
  case_id     INTEGER REFERENCES cases(id),
  coder_id    INTEGER REFERENCES coder(id),
  title       TEXT,
  text        TEXT NOT NULL,
  created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK ((doc_id IS NOT NULL) + (node_id IS NOT NULL) + (coding_id IS NOT NULL) + (case_id IS NOT NULL)
         = (target_kind IN ('document', 'node', 'coding', 'case')))
);
-- v1 memos whose target had gone are kept on the project, their kind said in the title.
INSERT INTO memo_v2(id, guid, target_kind, doc_id, node_id, coding_id, case_id, coder_id, title, text, created)
  SELECT m.id, m.guid,
         CASE WHEN m.target_kind IN ('project', 'journal') THEN m.target_kind
              WHEN t.id IS NULL THEN 'project' ELSE m.target_kind END,
         CASE WHEN m.target_kind = 'document' THEN t.id END,
         CASE WHEN m.target_kind = 'node' THEN t.id END,
         CASE WHEN m.target_kind = 'coding' THEN t.id END,
         CASE WHEN m.target_kind = 'case' THEN t.id END,
         m.coder_id,
         CASE WHEN m.target_kind NOT IN ('project', 'journal') AND t.id IS NULL
              THEN coalesce(m.title || ' ', '') || '(on ' || m.target_kind || ' ' || coalesce(m.target_id, '?') || ', gone)'
              ELSE m.title END,
         m.text, m.created
  FROM memo m LEFT JOIN (
    SELECT 'document' AS kind, id FROM document_all UNION ALL SELECT 'node', id FROM node
    UNION ALL SELECT 'coding', id FROM coding_all UNION ALL SELECT 'case', id FROM cases
  ) t ON t.kind = m.target_kind AND t.id = m.target_id;
DROP TABLE memo;
ALTER TABLE memo_v2 RENAME TO memo;
CREATE INDEX memo_doc ON memo(doc_id) WHERE doc_id IS NOT NULL;
CREATE INDEX memo_node ON memo(node_id) WHERE node_id IS NOT NULL;
CREATE INDEX memo_coding ON memo(coding_id) WHERE coding_id IS NOT NULL;
CREATE INDEX memo_case ON memo(case_id) WHERE case_id IS NOT NULL;

CREATE TABLE exemplar_v2 (
  coding_id INTEGER PRIMARY KEY REFERENCES coding_all(id),
  created   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO exemplar_v2 SELECT * FROM exemplar;
DROP TABLE exemplar;
ALTER TABLE exemplar_v2 RENAME TO exemplar;

CREATE TABLE log_v2 (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  coder     TEXT,
  command   TEXT NOT NULL,
  summary   TEXT NOT NULL DEFAULT '',
  undone_by INTEGER REFERENCES log_v2(id)   -- the undo that reversed it
);
INSERT INTO log_v2(id, at, coder, command, summary) SELECT id, at, coder, command, summary FROM log;
DROP TABLE log;
ALTER TABLE log_v2 RENAME TO log;
CREATE INDEX log_coder ON log(coder, id);

-- What `qda undo` needs to reverse a command: the SQLite session changeset
-- of its small changes; the codings and documents it made in bulk are found
-- by their log_id.
CREATE TABLE undo (
  log_id    INTEGER PRIMARY KEY REFERENCES log(id),
  changeset BLOB
);
