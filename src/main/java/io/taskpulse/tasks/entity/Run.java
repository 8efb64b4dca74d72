package io.taskpulse.tasks.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * One run of a task: a start (unless the script only reported an end), an end (unless it is still running), its
 * result, exit code, message and the tail of its output. The task row carries the newest open run and the last
 * result, for the feed; this row keeps the whole record, for the run list and the output.
 */
@Entity
@Table(name = "task_run")
@NamedQuery(name = Run.OPEN, query = "SELECT r FROM Run r WHERE r.taskId = :task AND r.endedAt IS NULL "
        + "AND r.startedAt IS NOT NULL ORDER BY r.id DESC")
@NamedQuery(name = Run.OPEN_WITH_ID, query = "SELECT r FROM Run r WHERE r.taskId = :task AND r.runId = :runId "
        + "AND r.endedAt IS NULL AND r.startedAt IS NOT NULL ORDER BY r.id DESC")
@NamedQuery(name = Run.WITH_ID, query = "SELECT r FROM Run r WHERE r.taskId = :task AND r.runId = :runId ORDER BY r.id DESC")
@NamedQuery(name = Run.PAGE, query = "SELECT NEW io.taskpulse.tasks.entity.RunView(r.id, r.runId, r.startedAt, r.endedAt, "
        + "r.status, r.exitCode, r.message, r.outputBytes, r.outputCut) FROM Run r "
        + "WHERE r.taskId = :task AND r.id < :before ORDER BY r.id DESC")
public class Run {

    public static final String OPEN = "Run.open";
    public static final String OPEN_WITH_ID = "Run.openWithId";
    public static final String WITH_ID = "Run.withId";
    public static final String PAGE = "Run.page";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "task_id", nullable = false)
    private long taskId;

    @Column(name = "run_id", nullable = false, length = RunId.LENGTH)
    private String runId;

    @Column(name = "started_at")
    private Timestamp startedAt;

    @Column(name = "ended_at")
    private Timestamp endedAt;

    @Enumerated(EnumType.STRING)
    @Column(length = 16)
    private Status status;

    @Column(name = "exit_code")
    private Integer exitCode;

    @Column(length = Task.TEXT_LENGTH)
    private String message;

    @Lob
    @Column(name = "output_tail")
    private String output;

    @Column(name = "output_bytes")
    private Long outputBytes;

    @Column(name = "output_cut", nullable = false)
    private boolean outputCut;

    protected Run() {
    }

    /** A run that started now. */
    public static Run started(long taskId, String runId, Instant at) {
        Run run = new Run();
        run.taskId = taskId;
        run.runId = runId;
        run.startedAt = Timestamp.from(at);
        return run;
    }

    /** A run whose start TaskPulse never heard of: it has an end only, and no duration unless the script says. */
    public static Run endedWithoutStart(long taskId, String runId) {
        Run run = new Run();
        run.taskId = taskId;
        run.runId = runId;
        return run;
    }

    /** Ends the run with its result. A script-measured duration counts only when TaskPulse saw no start. */
    public void end(Instant at, Ending ending) {
        this.endedAt = Timestamp.from(at);
        if (startedAt == null && ending.durationMillis() != null) {
            this.startedAt = Timestamp.from(at.minusMillis(ending.durationMillis()));
        }
        this.status = ending.status();
        this.exitCode = ending.exitCode();
        this.message = ending.message();
        if (ending.output() != null) {
            this.output = ending.output().text();
            this.outputBytes = ending.output().receivedBytes();
            this.outputCut = ending.output().cut();
        }
    }

    /** A newer start without a runId replaced it: it ends without a result. */
    public void supersede(Instant at) {
        this.endedAt = Timestamp.from(at);
        this.message = "superseded by a newer start";
    }

    public Long getId() {
        return id;
    }

    public String getRunId() {
        return runId;
    }

    public Instant getStartedAt() {
        return startedAt == null ? null : startedAt.toInstant();
    }

    /** Milliseconds from start to end; null while running or when the start is unknown. */
    public Long durationMillis() {
        return startedAt == null || endedAt == null ? null
                : Math.max(0, Duration.between(startedAt.toInstant(), endedAt.toInstant()).toMillis());
    }

    public String getOutput() {
        return output;
    }

    public boolean isOutputCut() {
        return outputCut;
    }

    public Long getOutputBytes() {
        return outputBytes;
    }
}
