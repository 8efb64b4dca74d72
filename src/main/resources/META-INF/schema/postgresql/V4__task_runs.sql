-- Runs (issue 14): a run has a start and an end; the task row carries its open run and its last result, so the
-- feed (which reads task rows) shows both. Old writers of the three statuses keep working: they end no run.

ALTER TABLE task ADD COLUMN running_since TIMESTAMPTZ;
ALTER TABLE task ADD COLUMN run_id VARCHAR(100);
ALTER TABLE task ADD COLUMN exit_code INT;
ALTER TABLE task ADD COLUMN duration_ms BIGINT;
ALTER TABLE task ADD COLUMN output_summary VARCHAR(200);

-- The change trigger must see the new columns too: a start changes nothing else.
DROP TRIGGER task_changed ON task;

CREATE TRIGGER task_changed
    BEFORE UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_mark_changed();

-- And so must V3's NOTIFY, or other servers would hear of a start only at their next poll.
DROP TRIGGER task_changes_notify ON task;

CREATE TRIGGER task_changes_notify
    AFTER INSERT OR DELETE OR UPDATE OF name, description, status, status_message, running_since, run_id, exit_code,
        duration_ms, output_summary ON task
    FOR EACH STATEMENT
    EXECUTE FUNCTION task_notify_change();

-- An identity column is safe here (unlike task_history, see V2): only TaskPulse inserts runs, no trigger does,
-- so the lastval() EclipseLink reads after the insert is the run's.
CREATE TABLE task_run (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id        BIGINT        NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    run_id         VARCHAR(100)  NOT NULL,
    started_at     TIMESTAMPTZ,
    ended_at       TIMESTAMPTZ,
    status         VARCHAR(16),
    exit_code      INT,
    message        VARCHAR(2000),
    output_tail    TEXT,
    output_bytes   BIGINT,
    output_cut     BOOLEAN       DEFAULT FALSE NOT NULL,
    CONSTRAINT task_run_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED'))
);

CREATE INDEX task_run_of_task ON task_run (task_id, id);
CREATE INDEX task_run_by_run_id ON task_run (task_id, run_id);
-- The retention purge (taskpulse.history.retention), by when a run ended.
CREATE INDEX task_run_age ON task_run (ended_at);
