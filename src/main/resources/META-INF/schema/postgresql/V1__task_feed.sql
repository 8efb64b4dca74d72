-- Tasks, the feed's clock and tombstones. See io.taskpulse.feed for why revisions are NULL until stamped.
-- Same tables, columns and rules as the Derby script; only trigger syntax and time zones differ.

CREATE TABLE task (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    description    VARCHAR(2000),
    status         VARCHAR(16)   DEFAULT 'NOT_RUN' NOT NULL,
    status_message VARCHAR(2000),
    changed_at     TIMESTAMPTZ   DEFAULT CURRENT_TIMESTAMP NOT NULL,
    revision       BIGINT,
    CONSTRAINT task_name_unique UNIQUE (name),
    CONSTRAINT task_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED'))
);

-- Serves both the stamper (revision IS NULL) and the poller (revision > cursor).
CREATE INDEX task_revision ON task (revision);

CREATE TABLE task_tombstone (
    task_id    BIGINT    PRIMARY KEY,
    deleted_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL,
    revision   BIGINT
);

CREATE INDEX task_tombstone_revision ON task_tombstone (revision);

-- One row: the last revision handed out, and the horizon below which tombstones were purged.
CREATE TABLE feed_clock (
    id       INT    PRIMARY KEY,
    revision BIGINT NOT NULL,
    horizon  BIGINT NOT NULL,
    CONSTRAINT feed_clock_single_row CHECK (id = 1)
);

INSERT INTO feed_clock (id, revision, horizon) VALUES (1, 0, 0);

-- Any writer (TaskPulse, a script's UPDATE, psql) marks the row as changed: revision NULL.
-- The stamper only writes the revision column, so it does not fire this trigger.
CREATE FUNCTION task_mark_changed() RETURNS trigger AS $$
BEGIN
    NEW.revision := NULL;
    NEW.changed_at := CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER task_changed
    BEFORE UPDATE OF name, description, status, status_message ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_mark_changed();

-- A DELETE from any writer leaves a tombstone, so clients learn of it.
CREATE FUNCTION task_leave_tombstone() RETURNS trigger AS $$
BEGIN
    INSERT INTO task_tombstone (task_id) VALUES (OLD.id);
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER task_deleted
    AFTER DELETE ON task
    FOR EACH ROW
    EXECUTE FUNCTION task_leave_tombstone();
