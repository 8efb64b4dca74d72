package io.taskpulse.alerts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * One alert for one channel: a row of the outbox. Written in the transaction that stamps the change that caused it;
 * PENDING until a receiver confirms it (SENT) or delivery gives up (FAILED). Its {@code key} (a UUID) goes with every
 * attempt as {@code Idempotency-Key}: a receiver that sees a key twice has seen the same alert twice.
 */
@Entity
@Table(name = "alert_outbox")
public class Alert {

    public enum State { PENDING, SENT, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "alert_key", nullable = false, length = 36)
    private String key;

    @Column(name = "channel_id", nullable = false)
    private long channelId;

    @Column(name = "rule_id")
    private Long ruleId;

    @Column(name = "task_id")
    private Long taskId;

    @Column(name = "task_name", nullable = false, length = 200)
    private String taskName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Transition transition;

    @Column(name = "task_status", length = 16)
    private String taskStatus;

    @Column(name = "task_message", length = 2000)
    private String taskMessage;

    /** For a FLAPPING summary: how many transitions the window counted. */
    private int transitions = 1;

    @Column(name = "occurred_at", nullable = false)
    private Timestamp occurredAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state = State.PENDING;

    private int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Timestamp nextAttemptAt;

    protected Alert() {
    }

    public Alert(long channelId, Long ruleId, Long taskId, String taskName, Transition transition, String taskStatus,
                 String taskMessage, int transitions, Instant occurredAt) {
        this.key = UUID.randomUUID().toString();
        this.channelId = channelId;
        this.ruleId = ruleId;
        this.taskId = taskId;
        this.taskName = taskName;
        this.transition = transition;
        this.taskStatus = taskStatus;
        this.taskMessage = taskMessage == null || taskMessage.length() <= 2000 ? taskMessage : taskMessage.substring(0, 2000);
        this.transitions = transitions;
        this.occurredAt = Timestamp.from(occurredAt);
        this.nextAttemptAt = this.occurredAt;
    }

    /** A channel's test alert: never stored in the outbox. */
    public static Alert test(long channelId, Instant now) {
        return new Alert(channelId, null, null, "taskpulse-test", Transition.TEST, "SUCCEEDED",
                "This is a test alert from TaskPulse.", 1, now);
    }

    public Long getId() {
        return id;
    }

    public String getKey() {
        return key;
    }

    public long getChannelId() {
        return channelId;
    }

    public Long getRuleId() {
        return ruleId;
    }

    public Long getTaskId() {
        return taskId;
    }

    public String getTaskName() {
        return taskName;
    }

    public Transition getTransition() {
        return transition;
    }

    public String getTaskStatus() {
        return taskStatus;
    }

    public String getTaskMessage() {
        return taskMessage;
    }

    public int getTransitions() {
        return transitions;
    }

    public Instant getOccurredAt() {
        return occurredAt.toInstant();
    }

    public State getState() {
        return state;
    }

    public int getAttempts() {
        return attempts;
    }
}
