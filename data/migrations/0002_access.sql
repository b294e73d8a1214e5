-- People who log in. Passwords are argon2id hashes (PHC string format).
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    email                TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'urs', 'municipio')),
    urs                  TEXT NOT NULL DEFAULT '',
    ibge                 TEXT NOT NULL DEFAULT '',
    password_hash        TEXT NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    CHECK ((role = 'admin' AND urs = '' AND ibge = '')
        OR (role = 'urs' AND urs <> '' AND ibge = '')
        OR (role = 'municipio' AND ibge <> '' AND urs = ''))
);

-- Login sessions. Only the SHA-256 of the cookie's token is stored, so a
-- copy of the database does not hand out sessions.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    ip            TEXT NOT NULL,
    user_agent    TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Audit log: append-only (the triggers refuse updates and deletes).
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    ip       TEXT NOT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'falha', 'negado'))
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
