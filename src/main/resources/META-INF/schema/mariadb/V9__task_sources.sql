-- Source tables (issue 16, io.taskpulse.sources): a task may mirror a row of another application's table. Triggers
-- that TaskPulse installs on that table (not here: they depend on the settings) upsert the mirror row, so every
-- guarantee of the own table (revisions, resume, polling, history, alerts) holds for it unchanged.
-- * source, source_key: which table (the source's name in the settings) and which of its rows; unique together.
-- * source_value: the status column's raw value; status is UNKNOWN when the mapping does not name it.
-- * source_changed_at: the row's own changed-at column, when the settings name one.
-- Own tasks (source NULL) keep unique names through own_name, a generated column that is NULL for a source's rows
-- (MariaDB has no partial indexes); a source's rows may repeat a name, and a lookup by name finds the own task first.
-- The change and history triggers are V8's with the two new shown columns.

ALTER TABLE task ADD COLUMN IF NOT EXISTS source VARCHAR(64);
ALTER TABLE task ADD COLUMN IF NOT EXISTS source_key VARCHAR(200);
ALTER TABLE task ADD COLUMN IF NOT EXISTS source_value VARCHAR(200);
ALTER TABLE task ADD COLUMN IF NOT EXISTS source_changed_at DATETIME(6);
ALTER TABLE task ADD COLUMN IF NOT EXISTS own_name VARCHAR(200) AS (CASE WHEN source IS NULL THEN name END) PERSISTENT;

CREATE UNIQUE INDEX IF NOT EXISTS task_source_key_unique ON task (source, source_key);
CREATE UNIQUE INDEX IF NOT EXISTS task_own_name_unique ON task (own_name);
CREATE INDEX IF NOT EXISTS task_name ON task (name);
DROP INDEX IF EXISTS task_name_unique ON task;

ALTER TABLE task DROP CONSTRAINT IF EXISTS task_status_known;
ALTER TABLE task ADD CONSTRAINT task_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED', 'UNKNOWN'));

CREATE TABLE IF NOT EXISTS task_source (
    name         VARCHAR(64)  PRIMARY KEY,
    target       VARCHAR(400) NOT NULL,
    installed_at DATETIME(6)  DEFAULT UTC_TIMESTAMP(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

DROP TRIGGER IF EXISTS task_changed;
DROP TRIGGER IF EXISTS task_history_reported;

CREATE TRIGGER task_history_reported
    BEFORE UPDATE ON task
    FOR EACH ROW
BEGIN
    IF NOT (NEW.status <=> OLD.status AND NEW.status_message <=> OLD.status_message)
            OR (NEW.revision <=> OLD.revision
                AND NEW.name <=> OLD.name AND NEW.description <=> OLD.description AND NEW.status <=> OLD.status AND
                NEW.status_message <=> OLD.status_message AND NEW.running_since <=> OLD.running_since AND
                NEW.run_id <=> OLD.run_id AND NEW.exit_code <=> OLD.exit_code AND
                NEW.duration_ms <=> OLD.duration_ms AND NEW.output_summary <=> OLD.output_summary AND
                NEW.schedule <=> OLD.schedule AND NEW.schedule_zone <=> OLD.schedule_zone AND
                NEW.grace_seconds <=> OLD.grace_seconds AND NEW.max_runtime_seconds <=> OLD.max_runtime_seconds AND
                NEW.expected_at <=> OLD.expected_at AND NEW.overdue <=> OLD.overdue AND NEW.tags <=> OLD.tags AND
                NEW.ack_state <=> OLD.ack_state AND NEW.ack_by <=> OLD.ack_by AND NEW.ack_at <=> OLD.ack_at AND
                NEW.ack_note <=> OLD.ack_note AND NEW.paused_by <=> OLD.paused_by AND
                NEW.paused_at <=> OLD.paused_at AND NEW.source_value <=> OLD.source_value AND
                NEW.source_changed_at <=> OLD.source_changed_at
                AND NEW.changed_at <=> OLD.changed_at AND NEW.overdue_at <=> OLD.overdue_at AND
                NEW.timeout_at <=> OLD.timeout_at AND NEW.alert_state <=> OLD.alert_state AND
                NEW.alert_window_start <=> OLD.alert_window_start AND
                NEW.alert_window_count <=> OLD.alert_window_count) THEN
        INSERT INTO task_history (task_id, status, status_message) VALUES (NEW.id, NEW.status, NEW.status_message);
    END IF;
END;

CREATE TRIGGER task_changed
    BEFORE UPDATE ON task
    FOR EACH ROW
    FOLLOWS task_history_reported
BEGIN
    IF NEW.revision <=> OLD.revision
            AND NOT (NEW.name <=> OLD.name AND NEW.description <=> OLD.description AND NEW.status <=> OLD.status AND
                NEW.status_message <=> OLD.status_message AND NEW.running_since <=> OLD.running_since AND
                NEW.run_id <=> OLD.run_id AND NEW.exit_code <=> OLD.exit_code AND
                NEW.duration_ms <=> OLD.duration_ms AND NEW.output_summary <=> OLD.output_summary AND
                NEW.schedule <=> OLD.schedule AND NEW.schedule_zone <=> OLD.schedule_zone AND
                NEW.grace_seconds <=> OLD.grace_seconds AND NEW.max_runtime_seconds <=> OLD.max_runtime_seconds AND
                NEW.expected_at <=> OLD.expected_at AND NEW.overdue <=> OLD.overdue AND NEW.tags <=> OLD.tags AND
                NEW.ack_state <=> OLD.ack_state AND NEW.ack_by <=> OLD.ack_by AND NEW.ack_at <=> OLD.ack_at AND
                NEW.ack_note <=> OLD.ack_note AND NEW.paused_by <=> OLD.paused_by AND
                NEW.paused_at <=> OLD.paused_at AND NEW.source_value <=> OLD.source_value AND
                NEW.source_changed_at <=> OLD.source_changed_at
                AND NOT (NEW.changed_at <=> OLD.changed_at AND NEW.overdue_at <=> OLD.overdue_at AND
                    NEW.timeout_at <=> OLD.timeout_at AND NEW.alert_state <=> OLD.alert_state AND
                    NEW.alert_window_start <=> OLD.alert_window_start AND
                    NEW.alert_window_count <=> OLD.alert_window_count)) THEN
        SET NEW.revision = NULL, NEW.changed_at = UTC_TIMESTAMP(6);
    END IF;
END;
