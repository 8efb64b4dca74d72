package io.taskpulse.tasks.entity;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/** One run in a task's run list ({@code GET …/runs}): everything but the output itself. */
@JsonbPropertyOrder({"id", "runId", "startedAt", "endedAt", "durationMs", "status", "exitCode", "message",
        "outputBytes", "outputCut"})
public final class RunView {

    private final long id;
    private final String runId;
    private final Instant startedAt;
    private final Instant endedAt;
    private final Status status;
    private final Integer exitCode;
    private final String message;
    private final Long outputBytes;
    private final boolean outputCut;

    public RunView(Long id, String runId, Timestamp startedAt, Timestamp endedAt, Status status, Integer exitCode,
                   String message, Long outputBytes, Boolean outputCut) {
        this.id = id;
        this.runId = runId;
        this.startedAt = startedAt == null ? null : startedAt.toInstant();
        this.endedAt = endedAt == null ? null : endedAt.toInstant();
        this.status = status;
        this.exitCode = exitCode;
        this.message = message;
        this.outputBytes = outputBytes;
        this.outputCut = Boolean.TRUE.equals(outputCut);
    }

    public long getId() {
        return id;
    }

    public String getRunId() {
        return runId;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    /** Null while running, or when the start is unknown. */
    public Long getDurationMs() {
        return startedAt == null || endedAt == null ? null : Math.max(0, Duration.between(startedAt, endedAt).toMillis());
    }

    /** Null while running (or when a newer start superseded it). */
    public Status getStatus() {
        return status;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    public String getMessage() {
        return message;
    }

    public Long getOutputBytes() {
        return outputBytes;
    }

    public boolean isOutputCut() {
        return outputCut;
    }
}
