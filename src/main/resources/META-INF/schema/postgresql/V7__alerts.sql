-- Alerts (issue 15): channels, rules, and an outbox written in the same transaction as the stamp of the change that
-- caused it (see io.taskpulse.alerts). The task columns below are NOT in the task_changed trigger's list (nor in the
-- NOTIFY's): the stamper writes them, and that must not mark the row changed again.

-- The state alerts were last evaluated against: the status, and ' OVERDUE' when overdue ('FAILED OVERDUE').
ALTER TABLE task ADD COLUMN alert_state VARCHAR(40);
-- Damping: when the task's current window of transitions began, and how many it has counted.
ALTER TABLE task ADD COLUMN alert_window_start TIMESTAMPTZ;
ALTER TABLE task ADD COLUMN alert_window_count INT DEFAULT 0 NOT NULL;

-- Existing tasks start from where they are: no storm of alerts for failures that happened before the upgrade.
UPDATE task SET alert_state = CASE WHEN overdue THEN status || ' OVERDUE' ELSE status END;

CREATE TABLE alert_channel (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        VARCHAR(100)  NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    url         VARCHAR(2000),
    secret      VARCHAR(200),
    smtp_host   VARCHAR(255),
    smtp_port   INT,
    mail_from   VARCHAR(320),
    mail_to     VARCHAR(2000),
    created_at  TIMESTAMPTZ   DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT alert_channel_kind_known CHECK (kind IN ('WEBHOOK', 'SLACK', 'EMAIL'))
);

CREATE TABLE alert_rule (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id   BIGINT        NOT NULL REFERENCES alert_channel (id) ON DELETE CASCADE,
    transitions  VARCHAR(100)  NOT NULL,
    name_pattern VARCHAR(200),
    tag          VARCHAR(100),
    created_at   TIMESTAMPTZ   DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE INDEX alert_rule_of_channel ON alert_rule (channel_id);

-- The outbox: one row per alert and channel. PENDING until a receiver confirms it (SENT) or it is given up (FAILED).
-- next_attempt_at is when it is due; a claim moves it one lease ahead, so a claim whose node died is due again then.
CREATE TABLE alert_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_key       VARCHAR(36)   NOT NULL,
    channel_id      BIGINT        NOT NULL REFERENCES alert_channel (id) ON DELETE CASCADE,
    rule_id         BIGINT,
    task_id         BIGINT,
    task_name       VARCHAR(200)  NOT NULL,
    transition      VARCHAR(16)   NOT NULL,
    task_status     VARCHAR(16),
    task_message    VARCHAR(2000),
    transitions     INT           DEFAULT 1 NOT NULL,
    occurred_at     TIMESTAMPTZ   NOT NULL,
    state           VARCHAR(16)   DEFAULT 'PENDING' NOT NULL,
    attempts        INT           DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMPTZ   NOT NULL,
    claim           VARCHAR(36),
    done_at         TIMESTAMPTZ,
    last_outcome    VARCHAR(500),
    CONSTRAINT alert_outbox_key_unique UNIQUE (alert_key),
    CONSTRAINT alert_outbox_state_known CHECK (state IN ('PENDING', 'SENT', 'FAILED'))
);

CREATE INDEX alert_outbox_due ON alert_outbox (state, next_attempt_at);

CREATE TABLE alert_delivery (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id   BIGINT        NOT NULL REFERENCES alert_channel (id) ON DELETE CASCADE,
    alert_key    VARCHAR(36),
    task_name    VARCHAR(200),
    transition   VARCHAR(16)   NOT NULL,
    attempt      INT           NOT NULL,
    http_status  INT,
    error_text   VARCHAR(500),
    delivered_at TIMESTAMPTZ   NOT NULL,
    duration_ms  BIGINT
);

CREATE INDEX alert_delivery_of_channel ON alert_delivery (channel_id, id);
