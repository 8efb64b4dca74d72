-- Tags (issue 15): a task's labels, sorted, de-duplicated and space-separated in one column (see Tags), so that the
-- change trigger marks the row changed when they change and the feed carries them.

ALTER TABLE task ADD COLUMN tags VARCHAR(1020);

DROP TRIGGER task_changed;

CREATE TRIGGER task_changed
    AFTER UPDATE OF name, description, status, status_message, running_since, run_id, exit_code, duration_ms,
        output_summary, schedule, schedule_zone, grace_seconds, max_runtime_seconds, expected_at, overdue, tags ON task
    REFERENCING NEW AS changed
    FOR EACH ROW
    UPDATE task SET revision = NULL, changed_at = CURRENT_TIMESTAMP WHERE id = changed.id;
