-- The municipality a Moodle row names ('' when none or unknown): evidence
-- for reconciling a completion that matches nobody.
ALTER TABLE completions ADD COLUMN ibge TEXT NOT NULL DEFAULT '';

-- Block-1 courses started and not finished (a Moodle row without a
-- completion date): the person is told to finish, not to register.
CREATE TABLE course_starts (
    course      TEXT NOT NULL,
    person_key  TEXT NOT NULL,
    cpf         TEXT NOT NULL,
    email       TEXT NOT NULL,
    name        TEXT NOT NULL,
    ibge        TEXT NOT NULL,
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id),
    row_num     INTEGER NOT NULL,
    PRIMARY KEY (course, person_key)
);

-- Links confirmed by a person between a completion that matched nobody and
-- a registered professional (reconciliation). They name both sides by
-- keys that survive re-imports (the completion's course and person, the
-- professional's municipality and CPF), count in the engine as a match,
-- and are undone, never deleted.
CREATE TABLE completion_links (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    course             TEXT NOT NULL,
    person_key         TEXT NOT NULL,
    professional_ibge  TEXT NOT NULL REFERENCES municipalities(ibge),
    professional_cpf   TEXT NOT NULL,
    reason             TEXT NOT NULL,
    linked_by          TEXT NOT NULL,
    linked_at          TEXT NOT NULL,
    undone_by          TEXT NOT NULL DEFAULT '',
    undone_at          TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX completion_links_active ON completion_links(course, person_key, professional_cpf) WHERE undone_at = '';
