-- Tags (issue 15): a task's labels, sorted, de-duplicated and space-separated in one column (see Tags), so that the
-- change trigger marks the row changed when they change and the feed carries them.

ALTER TABLE task ADD COLUMN tags VARCHAR(1020);

DROP TRIGGER task_changed ON task;

CREATE TRIGGER task_changed
    BEFORE UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at, overdue, tags ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_mark_changed();

DROP TRIGGER task_changes_notify ON task;

CREATE TRIGGER task_changes_notify
    AFTER INSERT OR DELETE OR UPDATE OF name, description, status, status_message, running_since, run_id, exit_code,
        duration_ms, output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at,
        overdue, tags ON task
    FOR EACH STATEMENT
    EXECUTE FUNCTION task_notify_change();
