-- Tasks, the feed's clock and tombstones. See io.taskpulse.feed for why revisions are NULL until stamped.
-- Same tables, columns and rules as the Derby and PostgreSQL scripts; what MariaDB needs differently:
-- * Timestamps are DATETIME(6) holding UTC, written by UTC_TIMESTAMP(6): unlike TIMESTAMP they do not move with a
--   session's time_zone and reach past 2038. TaskPulse's own connections run in UTC (TaskPulseDataSource).
-- * utf8mb4 with a binary, no-pad collation: names compare as on PostgreSQL ('Backup' <> 'backup' <> 'backup ').
-- * MariaDB commits each DDL statement at once, so a script cannot be undone as a whole: every statement can run
--   again (IF NOT EXISTS, DROP ... IF EXISTS, INSERT IGNORE), and a script that failed half-way is simply run again.
-- * A trigger cannot say UPDATE OF (columns), and a row trigger cannot UPDATE its own table: task_changed is a
--   BEFORE UPDATE trigger that sets NEW.revision and NEW.changed_at itself. It tells the writes that are changes
--   by their values (see task_changed below).

CREATE TABLE IF NOT EXISTS task (
    id             BIGINT        AUTO_INCREMENT PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    description    VARCHAR(2000),
    status         VARCHAR(16)   DEFAULT 'NOT_RUN' NOT NULL,
    status_message VARCHAR(2000),
    changed_at     DATETIME(6)   DEFAULT UTC_TIMESTAMP(6) NOT NULL,
    revision       BIGINT,
    CONSTRAINT task_name_unique UNIQUE (name),
    CONSTRAINT task_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Serves both the stamper (revision IS NULL) and the poller (revision > cursor).
CREATE INDEX IF NOT EXISTS task_revision ON task (revision);

CREATE TABLE IF NOT EXISTS task_tombstone (
    task_id    BIGINT      PRIMARY KEY,
    deleted_at DATETIME(6) DEFAULT UTC_TIMESTAMP(6) NOT NULL,
    revision   BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE INDEX IF NOT EXISTS task_tombstone_revision ON task_tombstone (revision);

-- One row: the last revision handed out, and the horizon below which tombstones were purged.
CREATE TABLE IF NOT EXISTS feed_clock (
    id       INT    PRIMARY KEY,
    revision BIGINT NOT NULL,
    horizon  BIGINT NOT NULL,
    CONSTRAINT feed_clock_single_row CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

INSERT IGNORE INTO feed_clock (id, revision, horizon) VALUES (1, 0, 0);

-- Any writer (TaskPulse, a script's UPDATE, the mariadb client) marks the row as changed: revision NULL.
-- PostgreSQL and Derby fire for an UPDATE that names one of the listed columns, whatever the values. MariaDB
-- cannot see which columns an UPDATE names, only their values, so the rule is turned around: every UPDATE marks the
-- row changed except
-- * the stamper's, which sets revision (the only writer that does), and
-- * one that changes only columns the feed does not show (changed_at here; V5 adds overdue_at and timeout_at).
-- An UPDATE that changes no value at all (a repeated report: TaskPulse's Task.TOUCH, "SET status = status") marks
-- the row, as an UPDATE OF status does on PostgreSQL.
DROP TRIGGER IF EXISTS task_changed;

CREATE TRIGGER task_changed
    BEFORE UPDATE ON task
    FOR EACH ROW
BEGIN
    IF NEW.revision <=> OLD.revision
            AND NOT (NEW.name <=> OLD.name AND NEW.description <=> OLD.description AND NEW.status <=> OLD.status AND
                NEW.status_message <=> OLD.status_message
                AND NOT (NEW.changed_at <=> OLD.changed_at)) THEN
        SET NEW.revision = NULL, NEW.changed_at = UTC_TIMESTAMP(6);
    END IF;
END;

-- A DELETE from any writer leaves a tombstone, so clients learn of it.
DROP TRIGGER IF EXISTS task_deleted;

CREATE TRIGGER task_deleted
    AFTER DELETE ON task
    FOR EACH ROW
    INSERT INTO task_tombstone (task_id) VALUES (OLD.id);
