-- Operators (issue 15): an acknowledged failure or overdue task (who, when, a note; valid while the task stays in the
-- state that was acknowledged), and a paused schedule (no overdue while paused). Every board shows both, so the
-- change trigger sees these columns too. The alert columns (V7) are the stamper's: like changed_at, changing them
-- alone neither marks the row changed nor counts as a repeated report in the history.

ALTER TABLE task ADD COLUMN IF NOT EXISTS ack_state VARCHAR(16);
ALTER TABLE task ADD COLUMN IF NOT EXISTS ack_by VARCHAR(200);
ALTER TABLE task ADD COLUMN IF NOT EXISTS ack_at DATETIME(6);
ALTER TABLE task ADD COLUMN IF NOT EXISTS ack_note VARCHAR(2000);
ALTER TABLE task ADD COLUMN IF NOT EXISTS paused_by VARCHAR(200);
ALTER TABLE task ADD COLUMN IF NOT EXISTS paused_at DATETIME(6);

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
                NEW.paused_at <=> OLD.paused_at
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
                NEW.paused_at <=> OLD.paused_at
                AND NOT (NEW.changed_at <=> OLD.changed_at AND NEW.overdue_at <=> OLD.overdue_at AND
                    NEW.timeout_at <=> OLD.timeout_at AND NEW.alert_state <=> OLD.alert_state AND
                    NEW.alert_window_start <=> OLD.alert_window_start AND
                    NEW.alert_window_count <=> OLD.alert_window_count)) THEN
        SET NEW.revision = NULL, NEW.changed_at = UTC_TIMESTAMP(6);
    END IF;
END;
