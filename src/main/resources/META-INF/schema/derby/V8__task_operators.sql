-- Operators (issue 15): an acknowledged failure or overdue task (who, when, a note; valid while the task stays in the
-- state that was acknowledged), and a paused schedule (no overdue while paused). Every board shows both, so the
-- change trigger sees these columns too.

ALTER TABLE task ADD COLUMN ack_state VARCHAR(16);
ALTER TABLE task ADD COLUMN ack_by VARCHAR(200);
ALTER TABLE task ADD COLUMN ack_at TIMESTAMP;
ALTER TABLE task ADD COLUMN ack_note VARCHAR(2000);
ALTER TABLE task ADD COLUMN paused_by VARCHAR(200);
ALTER TABLE task ADD COLUMN paused_at TIMESTAMP;

DROP TRIGGER task_changed;

CREATE TRIGGER task_changed
    AFTER UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at, overdue, tags,
        ack_state, ack_by, ack_at, ack_note, paused_by, paused_at ON task
    REFERENCING NEW AS changed
    FOR EACH ROW
    UPDATE task SET revision = NULL, changed_at = CURRENT_TIMESTAMP WHERE id = changed.id;
