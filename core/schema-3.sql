-- qda project schema, version 2 -> 3: languages and stop words, for stemmed
-- search and word frequencies (search.c, words.c, lang.c).
--
-- * A document's language is the one given at import (qda import --lang),
--   else its case's attribute `language` (fr, français, en, English...),
--   else the project's (meta key `language`, set by qda init --lang), else
--   French. Only the first is stored here; the others are read when needed,
--   so changing a case attribute or the project's language takes effect at
--   once. A separate table keeps the document rows' text last.
-- * The stop lists are built in (lang.c); a project adds words to them or
--   takes words out: one row per word, in lower case.

CREATE TABLE document_language (
  doc_id INTEGER PRIMARY KEY REFERENCES document_all(id) ON DELETE CASCADE,
  lang   TEXT NOT NULL CHECK (lang IN ('fr', 'en'))
);

CREATE TABLE stop_word (
  word TEXT PRIMARY KEY,
  stop INTEGER NOT NULL CHECK (stop IN (0, 1))   -- 1 added to the stop lists, 0 taken out of them
);
