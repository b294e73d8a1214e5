-- Files an import refused because they could not be read at all (unknown
-- kind, damaged, password-protected, legacy .xls, ...), kept on record with
-- their checksum and bytes so that "we sent it" can always be checked.
-- One row per distinct content: sending the same bytes again counts one
-- more attempt and records the last sender and time (every attempt is also
-- an entry of the audit log, with who and when).
CREATE TABLE refused_files (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256     TEXT NOT NULL UNIQUE,
    file_name  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    first_by   TEXT NOT NULL,
    first_at   TEXT NOT NULL,
    last_by    TEXT NOT NULL,
    last_at    TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    content    BLOB NOT NULL
);
