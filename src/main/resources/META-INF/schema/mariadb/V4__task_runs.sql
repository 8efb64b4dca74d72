-- Runs (issue 14): a run has a start and an end; the task row carries its open run and its last result, so the
-- feed (which reads task rows) shows both. Old writers of the three statuses keep working: they end no run.

ALTER TABLE task ADD COLUMN IF NOT EXISTS running_since DATETIME(6);
ALTER TABLE task ADD COLUMN IF NOT EXISTS run_id VARCHAR(100);
ALTER TABLE task ADD COLUMN IF NOT EXISTS exit_code INT;
ALTER TABLE task ADD COLUMN IF NOT EXISTS duration_ms BIGINT;
ALTER TABLE task ADD COLUMN IF NOT EXISTS output_summary VARCHAR(200);

-- The change trigger must see the new columns too: a start changes nothing else. And so must the history
-- trigger, which tells a repeated report by all of them being unchanged (see V2).
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
                NEW.duration_ms <=> OLD.duration_ms AND NEW.output_summary <=> OLD.output_summary
                AND NEW.changed_at <=> OLD.changed_at) THEN
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
                NEW.duration_ms <=> OLD.duration_ms AND NEW.output_summary <=> OLD.output_summary
                AND NOT (NEW.changed_at <=> OLD.changed_at)) THEN
        SET NEW.revision = NULL, NEW.changed_at = UTC_TIMESTAMP(6);
    END IF;
END;

-- output_tail: up to taskpulse.run.output-limit (at most 1 MiB), so MEDIUMTEXT (TEXT stops at 64 KiB).
CREATE TABLE IF NOT EXISTS task_run (
    id             BIGINT        AUTO_INCREMENT PRIMARY KEY,
    task_id        BIGINT        NOT NULL,
    run_id         VARCHAR(100)  NOT NULL,
    started_at     DATETIME(6),
    ended_at       DATETIME(6),
    status         VARCHAR(16),
    exit_code      INT,
    message        VARCHAR(2000),
    output_tail    MEDIUMTEXT,
    output_bytes   BIGINT,
    output_cut     BOOLEAN       DEFAULT FALSE NOT NULL,
    -- A task's runs, newest first (also the foreign key's index), and its open runs by the script's runId.
    INDEX task_run_of_task (task_id, id),
    INDEX task_run_by_run_id (task_id, run_id),
    -- The retention purge (taskpulse.history.retention), by when a run ended.
    INDEX task_run_age (ended_at),
    CONSTRAINT task_run_task FOREIGN KEY (task_id) REFERENCES task (id) ON DELETE CASCADE,
    CONSTRAINT task_run_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
