-- Runs (issue 14): a run has a start and an end; the task row carries its open run and its last result, so the
-- feed (which reads task rows) shows both. Old writers of the three statuses keep working: they end no run.

ALTER TABLE task ADD COLUMN running_since TIMESTAMP;
ALTER TABLE task ADD COLUMN run_id VARCHAR(100);
ALTER TABLE task ADD COLUMN exit_code INT;
ALTER TABLE task ADD COLUMN duration_ms BIGINT;
ALTER TABLE task ADD COLUMN output_summary VARCHAR(200);

-- The change trigger must see the new columns too: a start changes nothing else.
DROP TRIGGER task_changed;

CREATE TRIGGER task_changed
    AFTER UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary ON task
    REFERENCING NEW AS changed
    FOR EACH ROW
    UPDATE task SET revision = NULL, changed_at = CURRENT_TIMESTAMP WHERE id = changed.id;

CREATE TABLE task_run (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id        BIGINT        NOT NULL,
    run_id         VARCHAR(100)  NOT NULL,
    started_at     TIMESTAMP,
    ended_at       TIMESTAMP,
    status         VARCHAR(16),
    exit_code      INT,
    message        VARCHAR(2000),
    output_tail    CLOB(1M),
    output_bytes   BIGINT,
    output_cut     BOOLEAN       DEFAULT FALSE NOT NULL,
    CONSTRAINT task_run_of_task FOREIGN KEY (task_id) REFERENCES task (id) ON DELETE CASCADE,
    CONSTRAINT task_run_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED'))
);

-- A task's runs, newest first, and its open runs by the script's runId.
CREATE INDEX task_run_of_task ON task_run (task_id, id);
CREATE INDEX task_run_by_run_id ON task_run (task_id, run_id);
-- The retention purge (taskpulse.history.retention), by when a run ended.
CREATE INDEX task_run_age ON task_run (ended_at);
