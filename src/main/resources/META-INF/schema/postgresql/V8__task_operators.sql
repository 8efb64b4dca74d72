-- Operators (issue 15): an acknowledged failure or overdue task (who, when, a note; valid while the task stays in the
-- state that was acknowledged), and a paused schedule (no overdue while paused). Every board shows both, so the
-- change trigger and the NOTIFY see these columns too.

ALTER TABLE task ADD COLUMN ack_state VARCHAR(16);
ALTER TABLE task ADD COLUMN ack_by VARCHAR(200);
ALTER TABLE task ADD COLUMN ack_at TIMESTAMPTZ;
ALTER TABLE task ADD COLUMN ack_note VARCHAR(2000);
ALTER TABLE task ADD COLUMN paused_by VARCHAR(200);
ALTER TABLE task ADD COLUMN paused_at TIMESTAMPTZ;

DROP TRIGGER task_changed ON task;

CREATE TRIGGER task_changed
    BEFORE UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at, overdue, tags,
        ack_state, ack_by, ack_at, ack_note, paused_by, paused_at ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_mark_changed();

DROP TRIGGER task_changes_notify ON task;

CREATE TRIGGER task_changes_notify
    AFTER INSERT OR DELETE OR UPDATE OF name, description, status, status_message, running_since, run_id, exit_code,
        duration_ms, output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at,
        overdue, tags, ack_state, ack_by, ack_at, ack_note, paused_by, paused_at ON task
    FOR EACH STATEMENT
    EXECUTE FUNCTION task_notify_change();
