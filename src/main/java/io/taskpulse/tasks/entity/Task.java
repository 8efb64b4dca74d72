package io.taskpulse.tasks.entity;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * An automation task and its latest status.
 * <p>
 * {@code changedAt} and {@code revision} belong to the database: a trigger sets the time and clears the
 * revision on every change (whoever writes), and the feed's stamper gives the revision. This class therefore
 * never writes them, except {@link #stamp(long)}, which is the stamper's.
 */
@Entity
@Table(name = "task")
@NamedQuery(name = Task.ALL, query = "SELECT t FROM Task t ORDER BY t.id")
@NamedQuery(name = Task.WITH_STATUS, query = "SELECT t FROM Task t WHERE t.status = :status ORDER BY t.id")
@NamedQuery(name = Task.BY_NAME, query = "SELECT t FROM Task t WHERE t.name = :name")
@NamedQuery(name = Task.PENDING, query = "SELECT t FROM Task t WHERE t.revision IS NULL ORDER BY t.changedAt, t.id")
@NamedQuery(name = Task.CHANGED_BETWEEN,
        query = "SELECT t FROM Task t WHERE t.revision > :after AND t.revision <= :upTo ORDER BY t.revision")
@NamedQuery(name = Task.TOUCH, query = "UPDATE Task t SET t.status = t.status WHERE t.id = :id")
@JsonbPropertyOrder({"id", "name", "description", "state", "status", "message", "runningSince", "runId", "exitCode",
        "durationMs", "output", "changedAt", "revision"})
public class Task {

    public static final String ALL = "Task.all";
    public static final String WITH_STATUS = "Task.withStatus";
    public static final String BY_NAME = "Task.byName";
    public static final String PENDING = "Task.pending";
    public static final String CHANGED_BETWEEN = "Task.changedBetween";
    public static final String TOUCH = "Task.touch";

    public static final int NAME_LENGTH = 200;
    public static final int TEXT_LENGTH = 2000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = NAME_LENGTH)
    private String name;

    @Column(length = TEXT_LENGTH)
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(name = "status_message", length = TEXT_LENGTH)
    private String message;

    // java.sql.Timestamp, not Instant: EclipseLink 4.0 would store an Instant as bytes.
    @Column(name = "changed_at", insertable = false, updatable = false)
    private Timestamp changedAt;

    @Column(insertable = false)
    private Long revision;

    /** When the newest open run started; null when no run is open. */
    @Column(name = "running_since")
    private Timestamp runningSince;

    /** The open run's runId, or the last run's. */
    @Column(name = "run_id", length = RunId.LENGTH)
    private String runId;

    @Column(name = "exit_code")
    private Integer exitCode;

    @Column(name = "duration_ms")
    private Long durationMs;

    @Column(name = "output_summary", length = RunOutput.SUMMARY_LENGTH)
    private String output;

    protected Task() {
    }

    /** A new task: it has not run yet. */
    public Task(String name, String description) {
        this.name = requiredName(name);
        this.description = optionalText("description", description);
        this.status = Status.NOT_RUN;
    }

    /** A script tells how its last run went. Reporting the same status again is a change too (new time, message). */
    public void report(Status status, String message) {
        if (status == null) {
            throw TaskRejected.invalid("status is required; one of " + Status.names());
        }
        String checked = optionalText("message", message);
        this.status = status;
        this.message = checked;
    }

    /** A run started: the task is running, since then, until a report ends it (or every open run). */
    public void start(String runId, Instant at) {
        this.runningSince = Timestamp.from(at);
        this.runId = runId;
    }

    /**
     * A run ended: its result becomes the task's status, and its exit code, duration and output summary the task's
     * (an ending without them clears the last run's). The task stays running when another run is still open
     * ({@code stillOpen}, null when none).
     */
    public void end(Ending ending, Run ended, Run stillOpen) {
        report(ending.status(), ending.message());
        this.exitCode = ending.exitCode();
        this.durationMs = ended.durationMillis();
        this.output = ending.output() == null ? null : ending.output().summary();
        this.runId = stillOpen == null ? ended.getRunId() : stillOpen.getRunId();
        this.runningSince = stillOpen == null ? null : Timestamp.from(stillOpen.getStartedAt());
    }

    /** Whether this report would repeat the current status and message exactly. */
    public boolean isReported(Status status, String message) {
        String normalized = message == null || message.isBlank() ? null : message;
        return this.status == status && java.util.Objects.equals(this.message, normalized);
    }

    /** The feed's stamper gives a committed change its place in the feed. */
    public void stamp(long revision) {
        this.revision = revision;
    }

    public static String requiredName(String name) {
        if (name == null || name.isBlank()) {
            throw TaskRejected.invalid("name is required");
        }
        String trimmed = name.strip();
        if (trimmed.length() > NAME_LENGTH) {
            throw TaskRejected.invalid("name is longer than " + NAME_LENGTH + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw TaskRejected.invalid("name must not contain control characters");
        }
        requireWellFormed("name", trimmed);
        return trimmed;
    }

    static String optionalText(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > TEXT_LENGTH) {
            throw TaskRejected.invalid(field + " is longer than " + TEXT_LENGTH + " characters");
        }
        if (text.indexOf('\u0000') >= 0) {
            // PostgreSQL cannot store NUL in text, and no script means to send one.
            throw TaskRejected.invalid(field + " must not contain NUL characters");
        }
        requireWellFormed(field, text);
        return text;
    }

    /**
     * JSON's \\u escapes can carry half of a surrogate pair, which is no character at all: UTF-8 cannot encode
     * it, so such a text would reach the page as '?' or break the message that carries it.
     */
    private static void requireWellFormed(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw TaskRejected.invalid(field + " contains half of a surrogate pair (\\u" + Integer.toHexString(c)
                        + "), which is not a character");
            }
        }
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public Status getStatus() {
        return status;
    }

    public String getMessage() {
        return message;
    }

    public Instant getChangedAt() {
        return changedAt == null ? null : changedAt.toInstant();
    }

    /**
     * {@code RUNNING} while a run is open, otherwise the last result ({@link #getStatus}). Clients built before runs
     * existed read {@code status}, which stays the last result while a new run goes on.
     */
    public String getState() {
        return runningSince != null ? "RUNNING" : status.name();
    }

    public Instant getRunningSince() {
        return runningSince == null ? null : runningSince.toInstant();
    }

    public String getRunId() {
        return runId;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    public Long getDurationMs() {
        return durationMs;
    }

    /** The last line of the last run's output (the whole tail: {@code GET …/runs/{runId}/output}). */
    public String getOutput() {
        return output;
    }

    /** Null while a change waits for the stamper (milliseconds after commit when TaskPulse wrote it). */
    public Long getRevision() {
        return revision;
    }
}
