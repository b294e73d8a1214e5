-- Anonymous actions of one client are counted on one audit row per window
-- instead of one row per request (store.AuditAnonymous), so the log cannot
-- be flooded without logging in. count is how many times the action
-- happened, last_at the last time ('' on rows written before: at).
ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1);
ALTER TABLE audit_log ADD COLUMN last_at TEXT NOT NULL DEFAULT '';

-- Still append-only, except that an anonymous entry's count grows by one
-- at a time, with its last time.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF id, at, actor, action, target, detail, ip, outcome ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_anonymous_count BEFORE UPDATE OF count, last_at ON audit_log
WHEN OLD.actor <> 'anônimo' OR NEW.count <> OLD.count + 1 OR NEW.last_at < OLD.at OR NEW.last_at < OLD.last_at
BEGIN SELECT RAISE(ABORT, 'audit_log: only an anonymous entry''s count grows'); END;

-- The newest anonymous entry of a client and action.
CREATE INDEX audit_log_anonymous ON audit_log(ip, action, outcome, at) WHERE actor = 'anônimo';
