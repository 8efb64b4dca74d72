-- Tags (issue 15): a task's labels, sorted, de-duplicated and space-separated in one column (see Tags), so that the
-- change trigger marks the row changed when they change and the feed carries them.

ALTER TABLE task ADD COLUMN IF NOT EXISTS tags VARCHAR(1020);

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
                NEW.expected_at <=> OLD.expected_at AND NEW.overdue <=> OLD.overdue AND NEW.tags <=> OLD.tags
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
                NEW.expected_at <=> OLD.expected_at AND NEW.overdue <=> OLD.overdue AND NEW.tags <=> OLD.tags
                AND NOT (NEW.changed_at <=> OLD.changed_at AND NEW.overdue_at <=> OLD.overdue_at AND
                    NEW.timeout_at <=> OLD.timeout_at)) THEN
        SET NEW.revision = NULL, NEW.changed_at = UTC_TIMESTAMP(6);
    END IF;
END;
