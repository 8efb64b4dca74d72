-- Wakes every TaskPulse server's poller the moment a change to a task commits (each server LISTENs on
-- taskpulse_changes: io.taskpulse.changes.control.ChangeNotifications), so that a script's direct SQL write reaches
-- clients in milliseconds instead of at the next poll. PostgreSQL delivers a notification only when its transaction
-- commits, and folds identical ones of one transaction into one. Fired per statement, not per row, and only for the
-- columns clients see: the stamper's own UPDATE of revision must not wake anyone.

CREATE FUNCTION task_notify_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('taskpulse_changes', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER task_changes_notify
    AFTER INSERT OR DELETE OR UPDATE OF name, description, status, status_message ON task
    FOR EACH STATEMENT
    EXECUTE FUNCTION task_notify_change();
