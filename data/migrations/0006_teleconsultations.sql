-- Teleconsultation requests exported by the núcleos' platforms. A request
-- is identified by its núcleo and the platform's id: a later file replaces
-- the row (it was answered or cancelled since); the batch that last wrote
-- it is kept, and every batch keeps its original bytes, so what an earlier
-- file said can always be read again. Times are Brasília wall-clock times
-- to the minute (TimeLayout); answered_at is '' while unanswered.
CREATE TABLE teleconsultations (
    nucleo         TEXT NOT NULL REFERENCES nucleos(code),
    request_id     TEXT NOT NULL,
    batch_id       INTEGER NOT NULL REFERENCES import_batches(id),
    row_num        INTEGER NOT NULL,
    sheet          TEXT NOT NULL,
    ibge           TEXT NOT NULL REFERENCES municipalities(ibge),
    sent_at        TEXT NOT NULL,
    answered_at    TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('respondida', 'em_analise', 'devolvida', 'cancelada')),
    specialty      TEXT NOT NULL,
    requester_cpf  TEXT NOT NULL, -- personal data: never on public pages
    requester_cbo  TEXT NOT NULL,
    cnes           TEXT NOT NULL,
    avoided        TEXT NOT NULL CHECK (avoided IN ('sim', 'nao', '')),
    satisfaction   INTEGER NOT NULL CHECK (satisfaction BETWEEN 0 AND 5),
    PRIMARY KEY (nucleo, request_id)
) WITHOUT ROWID;
CREATE INDEX teleconsultations_ibge ON teleconsultations(ibge, sent_at);
