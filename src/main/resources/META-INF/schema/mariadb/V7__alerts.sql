-- Alerts (issue 15): channels, rules, and an outbox written in the same transaction as the stamp of the change that
-- caused it (see io.taskpulse.alerts). Same tables as the PostgreSQL and Derby scripts; re-runnable (MariaDB commits
-- each DDL statement on its own). The task columns below must not mark a row changed: V8's triggers leave them out,
-- like changed_at.

ALTER TABLE task ADD COLUMN IF NOT EXISTS alert_state VARCHAR(40);
ALTER TABLE task ADD COLUMN IF NOT EXISTS alert_window_start DATETIME(6);
ALTER TABLE task ADD COLUMN IF NOT EXISTS alert_window_count INT DEFAULT 0 NOT NULL;

-- Existing tasks start from where they are: no storm of alerts for failures that happened before the upgrade. The
-- change and history triggers are dropped first (V8 creates them again, knowing these columns), so that this UPDATE
-- neither marks every task changed nor writes a history row for each.
DROP TRIGGER IF EXISTS task_changed;
DROP TRIGGER IF EXISTS task_history_reported;
UPDATE task SET alert_state = CASE WHEN overdue THEN CONCAT(status, ' OVERDUE') ELSE status END WHERE alert_state IS NULL;

CREATE TABLE IF NOT EXISTS alert_channel (
    id          BIGINT        AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(100)  NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    url         VARCHAR(2000),
    secret      VARCHAR(200),
    smtp_host   VARCHAR(255),
    smtp_port   INT,
    mail_from   VARCHAR(320),
    mail_to     VARCHAR(2000),
    created_at  DATETIME(6)   DEFAULT UTC_TIMESTAMP(6) NOT NULL,
    CONSTRAINT alert_channel_kind_known CHECK (kind IN ('WEBHOOK', 'SLACK', 'EMAIL'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS alert_rule (
    id           BIGINT        AUTO_INCREMENT PRIMARY KEY,
    channel_id   BIGINT        NOT NULL,
    transitions  VARCHAR(100)  NOT NULL,
    name_pattern VARCHAR(200),
    tag          VARCHAR(100),
    created_at   DATETIME(6)   DEFAULT UTC_TIMESTAMP(6) NOT NULL,
    CONSTRAINT alert_rule_channel FOREIGN KEY (channel_id) REFERENCES alert_channel (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The outbox: one row per alert and channel. PENDING until a receiver confirms it (SENT) or it is given up (FAILED).
-- next_attempt_at is when it is due; a claim moves it one lease ahead, so a claim whose node died is due again then.
CREATE TABLE IF NOT EXISTS alert_outbox (
    id              BIGINT        AUTO_INCREMENT PRIMARY KEY,
    alert_key       VARCHAR(36)   NOT NULL,
    channel_id      BIGINT        NOT NULL,
    rule_id         BIGINT,
    task_id         BIGINT,
    task_name       VARCHAR(200)  NOT NULL,
    transition      VARCHAR(16)   NOT NULL,
    task_status     VARCHAR(16),
    task_message    VARCHAR(2000),
    transitions     INT           DEFAULT 1 NOT NULL,
    occurred_at     DATETIME(6)   NOT NULL,
    state           VARCHAR(16)   DEFAULT 'PENDING' NOT NULL,
    attempts        INT           DEFAULT 0 NOT NULL,
    next_attempt_at DATETIME(6)   NOT NULL,
    claim           VARCHAR(36),
    done_at         DATETIME(6),
    last_outcome    VARCHAR(500),
    CONSTRAINT alert_outbox_key_unique UNIQUE (alert_key),
    CONSTRAINT alert_outbox_state_known CHECK (state IN ('PENDING', 'SENT', 'FAILED')),
    CONSTRAINT alert_outbox_channel FOREIGN KEY (channel_id) REFERENCES alert_channel (id) ON DELETE CASCADE,
    INDEX alert_outbox_due (state, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS alert_delivery (
    id           BIGINT        AUTO_INCREMENT PRIMARY KEY,
    channel_id   BIGINT        NOT NULL,
    alert_key    VARCHAR(36),
    task_name    VARCHAR(200),
    transition   VARCHAR(16)   NOT NULL,
    attempt      INT           NOT NULL,
    http_status  INT,
    error_text   VARCHAR(500),
    delivered_at DATETIME(6)   NOT NULL,
    duration_ms  BIGINT,
    CONSTRAINT alert_delivery_channel FOREIGN KEY (channel_id) REFERENCES alert_channel (id) ON DELETE CASCADE,
    INDEX alert_delivery_of_channel (channel_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
