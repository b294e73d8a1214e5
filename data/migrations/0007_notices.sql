-- Programme settings (contacts, links, SMTP, digest schedule): every save
-- is a new revision, the latest one applies. value is the JSON of
-- settings.Settings.
CREATE TABLE settings_revisions (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    value  TEXT NOT NULL
);

-- Follow-up log: each contact an URS or SES made with a municipality.
-- contacted_on and promised_on are days (YYYY-MM-DD); promised_on is ''
-- when nothing was promised.
CREATE TABLE followups (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ibge          TEXT NOT NULL REFERENCES municipalities(ibge),
    contacted_on  TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'telefone', 'reuniao', 'oficio', 'whatsapp', 'outro')),
    note          TEXT NOT NULL,
    promised_on   TEXT NOT NULL,
    actor         TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX followups_ibge ON followups(ibge, contacted_on);

-- Every notice or digest sent (or attempted) by e-mail: to whom, when,
-- what and the result. kind is 'aviso' (a municipality's notice) or
-- 'resumo' (an URS's weekly digest).
CREATE TABLE sent_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('aviso', 'resumo')),
    ibge        TEXT NOT NULL,  -- '' for a digest
    urs         TEXT NOT NULL,
    recipients  TEXT NOT NULL,  -- comma-separated addresses
    subject     TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('enviado', 'falha')),
    error       TEXT NOT NULL
);
CREATE INDEX sent_messages_at ON sent_messages(kind, urs, at);
