-- Teleconsultation times as numbers: sent_at and answered_at become the
-- minutes from 1970-01-01 00:00 to the Brasília wall-clock time (both read
-- as written, no zone: sla.WallMinutes), answered_at NULL while unanswered.
-- Reading a million requests no longer parses two million texts, and
-- comparing them is comparing integers. The foreign keys are checked at
-- the commit (DEFERRABLE INITIALLY DEFERRED): an immediate one makes SQLite
-- keep a statement journal for every multi-row INSERT, a copy of each page
-- the statement touches, which cost more than the inserts themselves.
-- The rows are copied as they are; the old text times were written to the
-- minute (TimeLayout, seconds 00), so no time changes.
CREATE TABLE teleconsultations_new (
    nucleo         TEXT NOT NULL REFERENCES nucleos(code) DEFERRABLE INITIALLY DEFERRED,
    request_id     TEXT NOT NULL,
    batch_id       INTEGER NOT NULL REFERENCES import_batches(id) DEFERRABLE INITIALLY DEFERRED,
    row_num        INTEGER NOT NULL,
    sheet          TEXT NOT NULL,
    ibge           TEXT NOT NULL REFERENCES municipalities(ibge) DEFERRABLE INITIALLY DEFERRED,
    sent_at        INTEGER NOT NULL,
    answered_at    INTEGER,
    status         TEXT NOT NULL CHECK (status IN ('respondida', 'em_analise', 'devolvida', 'cancelada')),
    specialty      TEXT NOT NULL,
    requester_cpf  TEXT NOT NULL, -- personal data: never on public pages
    requester_cbo  TEXT NOT NULL,
    cnes           TEXT NOT NULL,
    avoided        TEXT NOT NULL CHECK (avoided IN ('sim', 'nao', '')),
    satisfaction   INTEGER NOT NULL CHECK (satisfaction BETWEEN 0 AND 5),
    PRIMARY KEY (nucleo, request_id)
) WITHOUT ROWID;
INSERT INTO teleconsultations_new
SELECT nucleo, request_id, batch_id, row_num, sheet, ibge, unixepoch(sent_at) / 60,
       CASE answered_at WHEN '' THEN NULL ELSE unixepoch(answered_at) / 60 END,
       status, specialty, requester_cpf, requester_cbo, cnes, avoided, satisfaction
FROM teleconsultations;
DROP TABLE teleconsultations;
ALTER TABLE teleconsultations_new RENAME TO teleconsultations;
CREATE INDEX teleconsultations_ibge ON teleconsultations(ibge, sent_at);
