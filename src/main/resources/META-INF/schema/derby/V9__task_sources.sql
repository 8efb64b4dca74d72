-- Source tables (issue 16): the columns only, so that one entity serves every database. Sources need PostgreSQL or
-- MariaDB (another application cannot write an embedded Derby database); Derby never holds a source's row.

ALTER TABLE task ADD COLUMN source VARCHAR(64);
ALTER TABLE task ADD COLUMN source_key VARCHAR(200);
ALTER TABLE task ADD COLUMN source_value VARCHAR(200);
ALTER TABLE task ADD COLUMN source_changed_at TIMESTAMP;

ALTER TABLE task DROP CONSTRAINT task_status_known;
ALTER TABLE task ADD CONSTRAINT task_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED', 'UNKNOWN'));

CREATE TABLE task_source (
    name         VARCHAR(64)  PRIMARY KEY,
    target       VARCHAR(400) NOT NULL,
    installed_at TIMESTAMP    DEFAULT CURRENT_TIMESTAMP NOT NULL
);
