package io.taskpulse.alerts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.sql.Timestamp;
import java.time.Instant;

/** One attempt to deliver an alert to a channel, as the channel's delivery log shows it. */
@Entity
@Table(name = "alert_delivery")
@NamedQuery(name = Delivery.OF_CHANNEL, query = "SELECT d FROM Delivery d WHERE d.channelId = :channel ORDER BY d.id DESC")
public class Delivery {

    public static final String OF_CHANNEL = "Delivery.ofChannel";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "channel_id", nullable = false)
    private long channelId;

    @Column(name = "alert_key", length = 36)
    private String alertKey;

    @Column(name = "task_name", length = 200)
    private String taskName;

    @Column(nullable = false, length = 16)
    private String transition;

    private int attempt;

    @Column(name = "http_status")
    private Integer httpStatus;

    @Column(name = "error_text", length = 500)
    private String error;

    @Column(name = "delivered_at", nullable = false)
    private Timestamp at;

    @Column(name = "duration_ms")
    private Long durationMs;

    protected Delivery() {
    }

    public Delivery(Alert alert, int attempt, Outcome outcome, Instant at, long durationMs) {
        this.channelId = alert.getChannelId();
        this.alertKey = alert.getKey();
        this.taskName = alert.getTaskName();
        this.transition = alert.getTransition().name();
        this.attempt = attempt;
        this.httpStatus = outcome.status() == 0 ? null : outcome.status();
        this.error = outcome.error() == null ? null : cut(outcome.error(), 500);
        this.at = Timestamp.from(at);
        this.durationMs = durationMs;
    }

    static String cut(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    public Long getId() {
        return id;
    }

    public String getAlertKey() {
        return alertKey;
    }

    public String getTaskName() {
        return taskName;
    }

    public String getTransition() {
        return transition;
    }

    public int getAttempt() {
        return attempt;
    }

    public Integer getHttpStatus() {
        return httpStatus;
    }

    public String getError() {
        return error;
    }

    public Instant getAt() {
        return at.toInstant();
    }

    public Long getDurationMs() {
        return durationMs;
    }
}
