-- Every status a task was given, for the page's timeline. Written by triggers, so SQL writers are included.
-- No identity column on purpose: PostgreSQL's lastval(), which EclipseLink reads after inserting a task, would
-- return a history id from the trigger instead of the task's id.

CREATE TABLE task_history (
    task_id        BIGINT        NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    status_message VARCHAR(2000),
    changed_at     TIMESTAMPTZ   DEFAULT clock_timestamp() NOT NULL
);

CREATE INDEX task_history_of_task ON task_history (task_id, changed_at);
CREATE INDEX task_history_age ON task_history (changed_at);

-- Tasks that exist already start their history with their current status.
INSERT INTO task_history (task_id, status, status_message, changed_at)
    SELECT id, status, status_message, changed_at FROM task;

CREATE FUNCTION task_record_history() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM task_history WHERE task_id = OLD.id;
        RETURN OLD;
    END IF;
    INSERT INTO task_history (task_id, status, status_message) VALUES (NEW.id, NEW.status, NEW.status_message);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER task_history_created
    AFTER INSERT ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_record_history();

CREATE TRIGGER task_history_reported
    AFTER UPDATE OF status, status_message ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_record_history();

CREATE TRIGGER task_history_deleted
    AFTER DELETE ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_record_history();
