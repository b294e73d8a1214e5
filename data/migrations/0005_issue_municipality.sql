-- The municipality of the row an issue is about ('' when the row named
-- none that resolved), so that a municipality's page can say what was
-- received for it and not accepted.
ALTER TABLE import_issues ADD COLUMN ibge TEXT NOT NULL DEFAULT '';
CREATE INDEX import_issues_ibge ON import_issues(ibge, batch_id) WHERE ibge <> '';
