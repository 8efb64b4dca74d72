-- Schedules (issue 14): when a task is expected to run and how late is overdue, and how long a run may take.
-- The checks cost what is due, not what exists: overdue_at and timeout_at are the moments the next check must act,
-- indexed, and NULL when nothing is due (no schedule, already overdue, not running, no limit).

ALTER TABLE task ADD COLUMN schedule VARCHAR(120);
ALTER TABLE task ADD COLUMN schedule_zone VARCHAR(64);
ALTER TABLE task ADD COLUMN grace_seconds INT;
ALTER TABLE task ADD COLUMN max_runtime_seconds INT;
ALTER TABLE task ADD COLUMN expected_at TIMESTAMP;
ALTER TABLE task ADD COLUMN overdue BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE task ADD COLUMN overdue_at TIMESTAMP;
ALTER TABLE task ADD COLUMN timeout_at TIMESTAMP;

CREATE INDEX task_overdue_at ON task (overdue_at);
CREATE INDEX task_timeout_at ON task (timeout_at);

-- The feed shows schedules and overdue tasks: the change trigger sees those columns too.
DROP TRIGGER task_changed;

CREATE TRIGGER task_changed
    AFTER UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at, overdue ON task
    REFERENCING NEW AS changed
    FOR EACH ROW
    UPDATE task SET revision = NULL, changed_at = CURRENT_TIMESTAMP WHERE id = changed.id;
