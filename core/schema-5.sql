-- qda project schema, version 4 -> 5: accounts for qda serve, the project
-- in a browser. A team's server (qda serve --listen ADDR) lets in only the
-- people given an account; each is a coder (codes, removes their own
-- codings, writes memos) or a reviewer (also records verdicts). The
-- account's name is the coder name its work is recorded under.
--
-- * user: the password is kept only as libsodium's crypto_pwhash_str
--   (argon2id, its salt and cost in the string); ids are never reused;
--   removing an account deletes its row (its work stays the coder's).

CREATE TABLE user (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  name    TEXT NOT NULL UNIQUE,
  role    TEXT NOT NULL CHECK (role IN ('coder', 'reviewer')),
  hash    TEXT NOT NULL,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
