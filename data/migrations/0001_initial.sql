-- Reference territory (loaded from data/mg, refreshed when the embedded copy changes).
CREATE TABLE municipalities (
    ibge        TEXT PRIMARY KEY,
    ibge6       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    latitude    REAL NOT NULL,
    longitude   REAL NOT NULL,
    population  INTEGER NOT NULL,
    macro_code  TEXT NOT NULL,
    macro_name  TEXT NOT NULL,
    micro_code  TEXT NOT NULL,
    micro_name  TEXT NOT NULL,
    urs         TEXT NOT NULL
);

CREATE TABLE nucleos (
    code       TEXT PRIMARY KEY,
    full_name  TEXT NOT NULL,
    phone      TEXT NOT NULL,
    email      TEXT NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One imported file. The original bytes are kept for audit.
CREATE TABLE import_batches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL UNIQUE,
    size         INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    sheets       TEXT NOT NULL DEFAULT '',
    rows_read    INTEGER NOT NULL,
    accepted     INTEGER NOT NULL,
    rejected     INTEGER NOT NULL,
    ignored      INTEGER NOT NULL,
    warnings     INTEGER NOT NULL,
    content      BLOB NOT NULL
);

CREATE TABLE import_issues (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id),
    sheet       TEXT NOT NULL,
    row_num     INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('erro', 'aviso')),
    code        TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX import_issues_batch ON import_issues(batch_id);

-- Regiões de Abrangência: the current list is the latest abrangencia batch.
CREATE TABLE coverage (
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
    row_num    INTEGER NOT NULL,
    ibge       TEXT NOT NULL REFERENCES municipalities(ibge),
    nucleo     TEXT NOT NULL REFERENCES nucleos(code),
    stage      INTEGER NOT NULL,
    aae_seat   INTEGER NOT NULL,
    aae_setup  INTEGER NOT NULL,
    PRIMARY KEY (batch_id, ibge, nucleo)
);

-- Formalisation records; the latest (batch, row) per municipality wins.
CREATE TABLE formalisations (
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
    row_num    INTEGER NOT NULL,
    sheet      TEXT NOT NULL,
    ibge       TEXT NOT NULL REFERENCES municipalities(ibge),
    signed     INTEGER NOT NULL,
    signed_on  TEXT NOT NULL,
    reference  TEXT NOT NULL,
    PRIMARY KEY (batch_id, sheet, row_num)
);
CREATE INDEX formalisations_ibge ON formalisations(ibge);

-- Valid focal-point nominations.
CREATE TABLE nominations (
    batch_id      INTEGER NOT NULL REFERENCES import_batches(id),
    row_num       INTEGER NOT NULL,
    sheet         TEXT NOT NULL,
    ibge          TEXT NOT NULL REFERENCES municipalities(ibge),
    name          TEXT NOT NULL,
    cpf           TEXT NOT NULL,
    email         TEXT NOT NULL,
    phone         TEXT NOT NULL,
    role          TEXT NOT NULL,
    completed_at  TEXT NOT NULL,
    respondent    TEXT NOT NULL,
    PRIMARY KEY (batch_id, sheet, row_num)
);
CREATE INDEX nominations_ibge ON nominations(ibge);

-- Accepted professionals; a municipality's current sheet is its latest batch.
CREATE TABLE professionals (
    batch_id       INTEGER NOT NULL REFERENCES import_batches(id),
    row_num        INTEGER NOT NULL,
    sheet          TEXT NOT NULL,
    ibge           TEXT NOT NULL REFERENCES municipalities(ibge),
    name           TEXT NOT NULL,
    cpf            TEXT NOT NULL,
    cns            TEXT NOT NULL,
    cbo            TEXT NOT NULL,
    occupation     TEXT NOT NULL,
    cnes           TEXT NOT NULL,
    establishment  TEXT NOT NULL,
    ine            TEXT NOT NULL,
    care_level     TEXT NOT NULL,
    email          TEXT NOT NULL,
    phone          TEXT NOT NULL,
    PRIMARY KEY (batch_id, ibge, cpf)
);
CREATE INDEX professionals_ibge ON professionals(ibge, batch_id);
CREATE INDEX professionals_cpf ON professionals(cpf);

-- Dated Block-1 completions; the same person and course keeps the earliest date.
CREATE TABLE completions (
    course        TEXT NOT NULL,
    person_key    TEXT NOT NULL,
    cpf           TEXT NOT NULL,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    completed_at  TEXT NOT NULL,
    batch_id      INTEGER NOT NULL REFERENCES import_batches(id),
    row_num       INTEGER NOT NULL,
    PRIMARY KEY (course, person_key)
);

-- Dates the professionals' data was sent to the núcleo.
CREATE TABLE data_sent (
    batch_id  INTEGER NOT NULL REFERENCES import_batches(id),
    row_num   INTEGER NOT NULL,
    sheet     TEXT NOT NULL,
    ibge      TEXT NOT NULL REFERENCES municipalities(ibge),
    sent_on   TEXT NOT NULL,
    PRIMARY KEY (batch_id, sheet, row_num)
);

-- Evaluation history: a row whenever a municipality's states change.
CREATE TABLE evaluation_history (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ibge             TEXT NOT NULL REFERENCES municipalities(ibge),
    at               TEXT NOT NULL,
    batch_id         INTEGER REFERENCES import_batches(id),
    formalizacao     TEXT NOT NULL,
    ponto_focal      TEXT NOT NULL,
    capacitacao_aps  TEXT NOT NULL,
    capacitacao_aae  TEXT NOT NULL,
    planilha         TEXT NOT NULL,
    situacao         TEXT NOT NULL
);
CREATE INDEX evaluation_history_ibge ON evaluation_history(ibge, id);
