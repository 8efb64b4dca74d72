-- Every status a task was given, for the page's timeline. Written by triggers, so SQL writers are included.
-- No identity column, as on the other databases (EclipseLink reads the new task's id with LAST_INSERT_ID(), which
-- a trigger's insert would not disturb on MariaDB, but the tables stay alike).

CREATE TABLE IF NOT EXISTS task_history (
    task_id        BIGINT        NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    status_message VARCHAR(2000),
    changed_at     DATETIME(6)   DEFAULT UTC_TIMESTAMP(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE INDEX IF NOT EXISTS task_history_of_task ON task_history (task_id, changed_at);
CREATE INDEX IF NOT EXISTS task_history_age ON task_history (changed_at);

-- Tasks that exist already start their history with their current status (once, should this script run again).
INSERT INTO task_history (task_id, status, status_message, changed_at)
    SELECT id, status, status_message, changed_at FROM task WHERE NOT EXISTS (SELECT 1 FROM task_history);

DROP TRIGGER IF EXISTS task_history_created;

CREATE TRIGGER task_history_created
    AFTER INSERT ON task
    FOR EACH ROW
    INSERT INTO task_history (task_id, status, status_message) VALUES (NEW.id, NEW.status, NEW.status_message);

-- PostgreSQL records an UPDATE OF status or status_message; MariaDB sees values, so: a status or message that
-- changed, or an UPDATE that changed nothing at all (a repeated report, see task_changed in V1). BEFORE UPDATE and
-- ahead of task_changed, because only then does it see the writer's values rather than task_changed's.
DROP TRIGGER IF EXISTS task_history_reported;

CREATE TRIGGER task_history_reported
    BEFORE UPDATE ON task
    FOR EACH ROW
    PRECEDES task_changed
BEGIN
    IF NOT (NEW.status <=> OLD.status AND NEW.status_message <=> OLD.status_message)
            OR (NEW.revision <=> OLD.revision
                AND NEW.name <=> OLD.name AND NEW.description <=> OLD.description AND NEW.status <=> OLD.status AND
                NEW.status_message <=> OLD.status_message
                AND NEW.changed_at <=> OLD.changed_at) THEN
        INSERT INTO task_history (task_id, status, status_message) VALUES (NEW.id, NEW.status, NEW.status_message);
    END IF;
END;

DROP TRIGGER IF EXISTS task_history_deleted;

CREATE TRIGGER task_history_deleted
    AFTER DELETE ON task
    FOR EACH ROW
    DELETE FROM task_history WHERE task_id = OLD.id;
