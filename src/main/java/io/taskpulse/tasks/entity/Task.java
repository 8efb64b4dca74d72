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
import java.time.Duration;
import java.time.Instant;

/**
 * An automation task and its latest status.
 * <p>
 * {@code changedAt} and {@code revision} belong to the database: a trigger sets the time and clears the
 * revision on every change (whoever writes), and the feed's stamper gives the revision (ChangeLog, by SQL for many
 * rows at once). This class never writes them.
 */
@Entity
@Table(name = "task")
@NamedQuery(name = Task.ALL, query = "SELECT t FROM Task t ORDER BY t.id")
@NamedQuery(name = Task.WITH_STATUS, query = "SELECT t FROM Task t WHERE t.status = :status ORDER BY t.id")
@NamedQuery(name = Task.BY_NAME, query = "SELECT t FROM Task t WHERE t.name = :name")
@NamedQuery(name = Task.BY_NAMES, query = "SELECT t FROM Task t WHERE t.name IN :names")
@NamedQuery(name = Task.COUNT_IDS, query = "SELECT COUNT(t) FROM Task t WHERE t.id IN :ids")
@NamedQuery(name = Task.PENDING, query = "SELECT t.id, t.changedAt FROM Task t WHERE t.revision IS NULL ORDER BY t.changedAt, t.id")
@NamedQuery(name = Task.CHANGED_BETWEEN,
        query = "SELECT t FROM Task t WHERE t.revision > :after AND t.revision <= :upTo ORDER BY t.revision")
@NamedQuery(name = Task.TOUCH, query = "UPDATE Task t SET t.status = t.status WHERE t.id = :id")
@NamedQuery(name = Task.OVERDUE_DUE, query = "SELECT t.id FROM Task t WHERE t.overdueAt <= :now")
@NamedQuery(name = Task.MARK_OVERDUE, query = "UPDATE Task t SET t.overdue = TRUE, t.overdueAt = NULL, t.ackState = NULL, "
        + "t.ackBy = NULL, t.ackAt = NULL, t.ackNote = NULL WHERE t.overdueAt <= :now")
@NamedQuery(name = Task.TIMED_OUT, query = "SELECT t FROM Task t WHERE t.timeoutAt <= :now ORDER BY t.timeoutAt")
@NamedQuery(name = Task.CLAIM_TIMEOUT, query = "UPDATE Task t SET t.timeoutAt = NULL WHERE t.id = :id AND t.timeoutAt = :at")
@JsonbPropertyOrder({"id", "name", "description", "tags", "state", "status", "message", "runningSince", "runId", "exitCode",
        "durationMs", "output", "schedule", "timeZone", "grace", "maxRuntime", "expectedAt", "overdue", "pausedBy",
        "pausedAt", "acknowledgedBy", "acknowledgedAt", "acknowledgedNote", "source", "sourceKey", "sourceValue", "sourceChangedAt",
        "changedAt", "revision"})
public class Task {

    public static final String ALL = "Task.all";
    public static final String WITH_STATUS = "Task.withStatus";
    public static final String BY_NAME = "Task.byName";
    public static final String BY_NAMES = "Task.byNames";
    public static final String COUNT_IDS = "Task.countIds";
    public static final String PENDING = "Task.pending";
    public static final String CHANGED_BETWEEN = "Task.changedBetween";
    public static final String TOUCH = "Task.touch";
    public static final String OVERDUE_DUE = "Task.overdueDue";
    public static final String MARK_OVERDUE = "Task.markOverdue";
    public static final String TIMED_OUT = "Task.timedOut";
    public static final String CLAIM_TIMEOUT = "Task.claimTimeout";

    public static final int NAME_LENGTH = 200;
    public static final int TEXT_LENGTH = 2000;
    public static final int OPERATOR_LENGTH = 200;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = NAME_LENGTH)
    private String name;

    @Column(length = TEXT_LENGTH)
    private String description;

    /** Sorted, de-duplicated, space-separated ({@link Tags}); null when none. */
    @Column(length = Tags.COLUMN_LENGTH)
    private String tags;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(name = "status_message", length = TEXT_LENGTH)
    private String message;

    // java.sql.Timestamp, not Instant: EclipseLink 4.0 would store an Instant as bytes.
    @Column(name = "changed_at", insertable = false, updatable = false)
    private Timestamp changedAt;

    @Column(insertable = false, updatable = false)
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

    /** A period (PT1H) or a cron expression; null: no schedule, never overdue. */
    @Column(length = Schedule.MAX_LENGTH)
    private String schedule;

    @Column(name = "schedule_zone", length = 64)
    private String scheduleZone;

    @Column(name = "grace_seconds")
    private Integer graceSeconds;

    @Column(name = "max_runtime_seconds")
    private Integer maxRuntimeSeconds;

    /** When the next run is expected (start, or report for tasks that send no start). */
    @Column(name = "expected_at")
    private Timestamp expectedAt;

    private boolean overdue;

    /** expectedAt + grace while not overdue: when the check must mark it. Indexed; not shown. */
    @Column(name = "overdue_at")
    private Timestamp overdueAt;

    /** runningSince + maxRuntime while running: when the check must fail the run. Indexed; not shown. */
    @Column(name = "timeout_at")
    private Timestamp timeoutAt;

    /** The state an operator acknowledged; the acknowledgement holds while the task stays in it. */
    @Column(name = "ack_state", length = 16)
    private String ackState;

    @Column(name = "ack_by", length = OPERATOR_LENGTH)
    private String ackBy;

    @Column(name = "ack_at")
    private Timestamp ackAt;

    @Column(name = "ack_note", length = TEXT_LENGTH)
    private String ackNote;

    @Column(name = "paused_by", length = OPERATOR_LENGTH)
    private String pausedBy;

    /** Non-null while the schedule is paused: no run is expected, so the task is never overdue. */
    @Column(name = "paused_at")
    private Timestamp pausedAt;

    /** The source table this task mirrors a row of (its name in the settings), null for TaskPulse's own tasks. */
    @Column(insertable = false, updatable = false, length = 64)
    private String source;

    @Column(name = "source_key", insertable = false, updatable = false, length = 200)
    private String sourceKey;

    /** The source row's raw status value (shown: status is UNKNOWN when the mapping does not name it). */
    @Column(name = "source_value", insertable = false, updatable = false, length = 200)
    private String sourceValue;

    @Column(name = "source_changed_at", insertable = false, updatable = false)
    private Timestamp sourceChangedAt;

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
        requireOwn("its status is");
        if (status == null) {
            throw TaskRejected.invalid("status is required; one of " + Status.names());
        }
        String checked = optionalText("message", message);
        this.status = status;
        this.message = checked;
        endAcknowledgementIfStateChanged();
    }

    /** A run started: the task is running, since then, until a report ends it (or every open run). */
    public void start(String runId, Instant at) {
        requireOwn("runs are not");
        this.runningSince = Timestamp.from(at);
        this.runId = runId;
        expectNextAfter(at);
        this.timeoutAt = maxRuntimeSeconds == null ? null : Timestamp.from(at.plusSeconds(maxRuntimeSeconds));
        endAcknowledgementIfStateChanged();
    }

    /**
     * A run ended: its result becomes the task's status, and its exit code, duration and output summary the task's
     * (an ending without them clears the last run's). The task stays running when another run is still open
     * ({@code stillOpen}, null when none).
     */
    public void end(Ending ending, Run ended, Run stillOpen, Instant at) {
        report(ending.status(), ending.message());
        this.exitCode = ending.exitCode();
        this.durationMs = ended.durationMillis();
        this.output = ending.output() == null ? null : ending.output().summary();
        this.runId = stillOpen == null ? ended.getRunId() : stillOpen.getRunId();
        this.runningSince = stillOpen == null ? null : Timestamp.from(stillOpen.getStartedAt());
        this.timeoutAt = stillOpen == null || maxRuntimeSeconds == null ? null
                : Timestamp.from(stillOpen.getStartedAt().plusSeconds(maxRuntimeSeconds));
        if (ended.getStartedAt() == null || overdue) {
            // A task that sends no start is expected again counting from its report; an overdue one from now.
            expectNextAfter(at);
        }
        endAcknowledgementIfStateChanged();
    }

    /**
     * Sets (or, with a null schedule, removes) when this task is expected to run, how late it may be, and how long a
     * run may take; the next run is expected counting from {@code now}.
     */
    public void schedule(Schedule schedule, Duration maxRuntime, Instant now) {
        if (schedule == null) {
            this.pausedBy = null;
            this.pausedAt = null;
        }
        this.schedule = schedule == null ? null : schedule.expression();
        this.scheduleZone = schedule == null ? null : schedule.zoneId();
        this.graceSeconds = schedule == null ? null : (int) schedule.grace().toSeconds();
        this.maxRuntimeSeconds = maxRuntime == null ? null : (int) maxRuntime.toSeconds();
        this.overdue = false;
        expectNextAfter(now);
        this.timeoutAt = runningSince == null || maxRuntime == null ? null
                : Timestamp.from(runningSince.toInstant().plus(maxRuntime));
    }

    /**
     * An operator has seen this failure (or overdue task) and is on it: every board shows who, when and their note,
     * and no further alerts go out while the task stays in this state. Any change of state ends it by itself (a new
     * run, a success, an overdue failure), including one written by SQL, since the acknowledgement names the state.
     */
    public void acknowledge(String by, String note, Instant at) {
        String state = getState();
        if (!"FAILED".equals(state) && !"OVERDUE".equals(state)) {
            throw TaskRejected.conflict("nothing to acknowledge: the task is " + state
                    + "; only a FAILED or OVERDUE task can be acknowledged");
        }
        this.ackNote = optionalText("note", note);
        this.ackBy = operator(by);
        this.ackState = state;
        this.ackAt = Timestamp.from(at);
    }

    /** Takes an acknowledgement back (alerts resume); nothing happens when there is none. */
    public void unacknowledge() {
        this.ackState = null;
        this.ackBy = null;
        this.ackAt = null;
        this.ackNote = null;
    }

    /** Stops expecting runs (maintenance, a holiday): never overdue until {@link #resume}. */
    public void pause(String by, Instant at) {
        if (schedule == null) {
            throw TaskRejected.conflict("the task has no schedule to pause");
        }
        if (pausedAt == null) {
            this.pausedBy = operator(by);
            this.pausedAt = Timestamp.from(at);
        }
        expectNextAfter(at);
    }

    /** Expects runs again, the next one counting from {@code now}; a task that is not paused stays as it is. */
    public void resume(Instant now) {
        if (pausedAt != null) {
            this.pausedBy = null;
            this.pausedAt = null;
            expectNextAfter(now);
        }
    }

    /**
     * An acknowledgement is of one state; once the task leaves it (a run starts, a success, overdue), it is over, and
     * a later failure is a new one that nobody has seen. (A SQL writer's change of status is caught where every change
     * passes, io.taskpulse.alerts.control.Transitions; until then the acknowledgement only shows while the task is in
     * the acknowledged state.)
     */
    private void endAcknowledgementIfStateChanged() {
        if (ackState != null && !ackState.equals(getState())) {
            unacknowledge();
        }
    }

    private static String operator(String by) {
        String who = by == null || by.isBlank() ? "api" : by.strip();
        if (who.length() > OPERATOR_LENGTH || who.chars().anyMatch(Character::isISOControl)) {
            throw TaskRejected.invalid("by must be at most " + OPERATOR_LENGTH + " characters, without control characters");
        }
        return who;
    }

    private void expectNextAfter(Instant at) {
        this.overdue = false;
        endAcknowledgementIfStateChanged();
        if (schedule == null || pausedAt != null) {
            this.expectedAt = null;
            this.overdueAt = null;
            return;
        }
        Schedule parsed = Schedule.stored(schedule, scheduleZone, graceSeconds);
        Instant expected = parsed.next(at);
        this.expectedAt = Timestamp.from(expected);
        this.overdueAt = Timestamp.from(expected.plus(parsed.grace()));
    }

    /** A new name; the caller makes sure no other task has it. */
    public void rename(String name) {
        requireOwn("its name is");
        this.name = requiredName(name);
    }

    /** A new description, or none (null or blank). */
    public void describe(String description) {
        requireOwn("its description is");
        this.description = optionalText("description", description);
    }

    /** Replaces the task's tags (null or empty: none); see {@link Tags} for the rule. */
    public void tag(java.util.Collection<String> tags) {
        this.tags = Tags.stored(tags);
    }

    /** Whether this report would repeat the current status and message exactly. */
    public boolean isReported(Status status, String message) {
        String normalized = message == null || message.isBlank() ? null : message;
        return this.status == status && java.util.Objects.equals(this.message, normalized);
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

    /** Always a list, empty when none; tolerant of a column written by another program ({@link Tags#read}). */
    public java.util.List<String> getTags() {
        return Tags.read(tags);
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
     * {@code changed_at} as EclipseLink last set it, for telling by identity whether it set it again: it does when it
     * loads or refreshes the entity and on every UPDATE that returns it (PostgreSQL; tasks.control.TaskRuns), not
     * when a query finds the entity already managed.
     */
    public Object changedAtAsSet() {
        return changedAt;
    }

    /**
     * {@code RUNNING} while a run is open, {@code OVERDUE} when an expected run did not come in time, otherwise the
     * last result ({@link #getStatus}). Clients built before runs
     * existed read {@code status}, which stays the last result while a new run goes on.
     */
    public String getState() {
        return runningSince != null ? "RUNNING" : overdue ? "OVERDUE" : status.name();
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

    public String getSchedule() {
        return schedule;
    }

    public String getTimeZone() {
        return scheduleZone;
    }

    /** ISO 8601, as it was set (PT10M). */
    public String getGrace() {
        return graceSeconds == null ? null : Duration.ofSeconds(graceSeconds).toString();
    }

    public String getMaxRuntime() {
        return maxRuntimeSeconds == null ? null : Duration.ofSeconds(maxRuntimeSeconds).toString();
    }

    public Instant getExpectedAt() {
        return expectedAt == null ? null : expectedAt.toInstant();
    }

    public boolean isOverdue() {
        return overdue;
    }

    /** Who paused the schedule; null when it is not paused. */
    public String getPausedBy() {
        return pausedBy;
    }

    public Instant getPausedAt() {
        return pausedAt == null ? null : pausedAt.toInstant();
    }

    /** Whether an operator acknowledged the state the task is in now. */
    public boolean acknowledged() {
        return ackState != null && ackState.equals(getState());
    }

    /** Who acknowledged the current failure or overdue state; null when nobody did (or the state changed since). */
    public String getAcknowledgedBy() {
        return acknowledged() ? ackBy : null;
    }

    public Instant getAcknowledgedAt() {
        return acknowledged() && ackAt != null ? ackAt.toInstant() : null;
    }

    public String getAcknowledgedNote() {
        return acknowledged() ? ackNote : null;
    }

    /** When the open run times out; null when none is due. Not shown. */
    public Instant timeoutAt() {
        return timeoutAt == null ? null : timeoutAt.toInstant();
    }

    /** Null while a change waits for the stamper (milliseconds after commit when TaskPulse wrote it). */
    /**
     * Refuses a change to what a source table owns (status, message, name, description, runs): its application
     * writes those, and TaskPulse writes a source's status only through {@code io.taskpulse.sources} when the operator
     * allows it. Schedules, tags, acknowledgements and pauses are TaskPulse's own and allowed.
     */
    public void requireOwn(String what) {
        if (source != null) {
            throw TaskRejected.conflict("task " + TaskRejected.quote(name) + " mirrors a row of source " + source
                    + ": " + what + " written by its table, not through TaskPulse");
        }
    }

    public boolean fromSource() {
        return source != null;
    }

    public String getSource() {
        return source;
    }

    public String getSourceKey() {
        return sourceKey;
    }

    public String getSourceValue() {
        return sourceValue;
    }

    public Instant getSourceChangedAt() {
        return sourceChangedAt == null ? null : sourceChangedAt.toInstant();
    }

    public Long getRevision() {
        return revision;
    }
}
