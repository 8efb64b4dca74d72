-- Schedules (issue 14): when a task is expected to run and how late is overdue, and how long a run may take.
-- The checks cost what is due, not what exists: overdue_at and timeout_at are the moments the next check must act,
-- indexed, and NULL when nothing is due (no schedule, already overdue, not running, no limit).

ALTER TABLE task ADD COLUMN IF NOT EXISTS schedule VARCHAR(120);
ALTER TABLE task ADD COLUMN IF NOT EXISTS schedule_zone VARCHAR(64);
ALTER TABLE task ADD COLUMN IF NOT EXISTS grace_seconds INT;
ALTER TABLE task ADD COLUMN IF NOT EXISTS max_runtime_seconds INT;
ALTER TABLE task ADD COLUMN IF NOT EXISTS expected_at DATETIME(6);
ALTER TABLE task ADD COLUMN IF NOT EXISTS overdue BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE task ADD COLUMN IF NOT EXISTS overdue_at DATETIME(6);
ALTER TABLE task ADD COLUMN IF NOT EXISTS timeout_at DATETIME(6);

CREATE INDEX IF NOT EXISTS task_overdue_at ON task (overdue_at);
CREATE INDEX IF NOT EXISTS task_timeout_at ON task (timeout_at);

-- The feed shows schedules and overdue tasks: the change trigger sees those columns too. overdue_at and timeout_at
-- are the checks' bookkeeping, not shown: an UPDATE of only those (Deadlines claiming a timeout) is no change.
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
                NEW.expected_at <=> OLD.expected_at AND NEW.overdue <=> OLD.overdue
                AND NEW.changed_at <=> OLD.changed_at AND NEW.overdue_at <=> OLD.overdue_at AND
                NEW.timeout_at <=> OLD.timeout_at) THEN
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
                NEW.expected_at <=> OLD.expected_at AND NEW.overdue <=> OLD.overdue
                AND NOT (NEW.changed_at <=> OLD.changed_at AND NEW.overdue_at <=> OLD.overdue_at AND
                    NEW.timeout_at <=> OLD.timeout_at)) THEN
        SET NEW.revision = NULL, NEW.changed_at = UTC_TIMESTAMP(6);
    END IF;
END;
