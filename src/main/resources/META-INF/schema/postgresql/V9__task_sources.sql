-- Source tables (issue 16, io.taskpulse.sources): a task may mirror a row of another application's table. Triggers
-- that TaskPulse installs on that table (not here: they depend on the settings) upsert the mirror row, so every
-- guarantee of the own table (revisions, resume, polling, NOTIFY, history, alerts) holds for it unchanged.
-- * source, source_key: which table (the source's name in the settings) and which of its rows; unique together.
-- * source_value: the status column's raw value; status is UNKNOWN when the mapping does not name it.
-- * source_changed_at: the row's own changed-at column, when the settings name one.
-- Own tasks (source NULL) keep unique names; a source's rows may repeat a name (their table decides), and a
-- lookup by name finds the own task first.

ALTER TABLE task ADD COLUMN source VARCHAR(64);
ALTER TABLE task ADD COLUMN source_key VARCHAR(200);
ALTER TABLE task ADD COLUMN source_value VARCHAR(200);
ALTER TABLE task ADD COLUMN source_changed_at TIMESTAMPTZ;

ALTER TABLE task ADD CONSTRAINT task_source_key_unique UNIQUE (source, source_key);

ALTER TABLE task DROP CONSTRAINT task_status_known;
ALTER TABLE task ADD CONSTRAINT task_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED', 'UNKNOWN'));

ALTER TABLE task DROP CONSTRAINT task_name_unique;
CREATE UNIQUE INDEX task_name_unique ON task (name) WHERE source IS NULL;
CREATE INDEX task_name ON task (name);

-- What is installed where: so that a source removed from the settings is uninstalled at the next start, and
-- DELETE /api/sources/{name} finds its triggers even after the settings changed.
CREATE TABLE task_source (
    name         VARCHAR(64)  PRIMARY KEY,
    target       VARCHAR(400) NOT NULL,
    installed_at TIMESTAMPTZ  DEFAULT CURRENT_TIMESTAMP NOT NULL
);

DROP TRIGGER task_changed ON task;

CREATE TRIGGER task_changed
    BEFORE UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at, overdue, tags,
        ack_state, ack_by, ack_at, ack_note, paused_by, paused_at, source_value, source_changed_at ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_mark_changed();

DROP TRIGGER task_changes_notify ON task;

CREATE TRIGGER task_changes_notify
    AFTER INSERT OR DELETE OR UPDATE OF name, description, status, status_message, running_since, run_id, exit_code,
        duration_ms, output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at,
        overdue, tags, ack_state, ack_by, ack_at, ack_note, paused_by, paused_at, source_value, source_changed_at ON task
    FOR EACH STATEMENT
    EXECUTE FUNCTION task_notify_change();
