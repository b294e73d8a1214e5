-- A file's original bytes move out of import_batches into chunks of at
-- most 1 MB. Storing a 76 MB file as one value made SQLite hold two copies
-- of it in memory (the bound value and the record built from it), and
-- every later UPDATE of the batch's counts read and wrote the whole record
-- again: 172 MB of SQLite memory for one import. A chunk is bound and
-- written on its own, and the batch's row stays small. The files already
-- stored keep their bytes as one chunk.
CREATE TABLE batch_contents (
    batch_id  INTEGER NOT NULL REFERENCES import_batches(id),
    seq       INTEGER NOT NULL,
    chunk     BLOB NOT NULL,
    PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;

INSERT INTO batch_contents (batch_id, seq, chunk) SELECT id, 0, content FROM import_batches WHERE length(content) > 0;

ALTER TABLE import_batches DROP COLUMN content;
