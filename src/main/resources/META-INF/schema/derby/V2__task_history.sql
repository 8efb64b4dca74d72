-- Every status a task was given, for the page's timeline. Written by triggers, so SQL writers are included.
-- No identity column on purpose: PostgreSQL's lastval(), which EclipseLink reads after inserting a task, would
-- return a history id from the trigger instead of the task's id.

CREATE TABLE task_history (
    task_id        BIGINT        NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    status_message VARCHAR(2000),
    changed_at     TIMESTAMP     DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE INDEX task_history_of_task ON task_history (task_id, changed_at);
CREATE INDEX task_history_age ON task_history (changed_at);

-- Tasks that exist already start their history with their current status.
INSERT INTO task_history (task_id, status, status_message, changed_at)
    SELECT id, status, status_message, changed_at FROM task;

CREATE TRIGGER task_history_created
    AFTER INSERT ON task
    REFERENCING NEW AS created
    FOR EACH ROW
    INSERT INTO task_history (task_id, status, status_message) VALUES (created.id, created.status, created.status_message);

CREATE TRIGGER task_history_reported
    AFTER UPDATE OF status, status_message ON task
    REFERENCING NEW AS reported
    FOR EACH ROW
    INSERT INTO task_history (task_id, status, status_message) VALUES (reported.id, reported.status, reported.status_message);

CREATE TRIGGER task_history_deleted
    AFTER DELETE ON task
    REFERENCING OLD AS gone
    FOR EACH ROW
    DELETE FROM task_history WHERE task_id = gone.id;
