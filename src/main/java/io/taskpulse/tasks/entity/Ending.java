package io.taskpulse.tasks.entity;

/**
 * How a run ended, as a script reported it: a result (from {@code status}, or from {@code exitCode}: 0 succeeded,
 * anything else failed), its message, the runId it ends (null: the newest open run), the duration the script
 * measured (used only when TaskPulse saw no start) and the tail of its output.
 */
public record Ending(Status status, Integer exitCode, String message, String runId, Long durationMillis, RunOutput output) {

    /** Exit codes as POSIX shells report them ({@code $?}). */
    public static final int MAX_EXIT_CODE = 255;

    public Ending {
        if (status == null && exitCode == null) {
            throw TaskRejected.invalid("status or exitCode is required; status is one of " + Status.names());
        }
        if (exitCode != null && (exitCode < 0 || exitCode > MAX_EXIT_CODE)) {
            throw TaskRejected.invalid("exitCode must be a whole number from 0 to " + MAX_EXIT_CODE);
        }
        Status fromCode = exitCode == null ? null : exitCode == 0 ? Status.SUCCEEDED : Status.FAILED;
        if (status != null && fromCode != null && status != fromCode) {
            throw TaskRejected.invalid("status " + status + " contradicts exitCode " + exitCode);
        }
        if (status == null) {
            status = fromCode;
        }
        if (durationMillis != null && durationMillis < 0) {
            throw TaskRejected.invalid("durationMs must not be negative");
        }
        runId = RunId.checked(runId);
        message = Task.optionalText("message", message);
    }

    /** A report of a status alone, as before runs existed. */
    public static Ending of(Status status, String message) {
        return new Ending(status, null, message, null, null, null);
    }
}
