package io.taskpulse.tasks.entity;

/**
 * One item of a bulk report ({@code POST /api/reports}): a run start ({@code ending} null, {@code runId} optional)
 * or an ending (a status or exit code, as a single report has), of the task with this name.
 */
public record Report(String name, String runId, Ending ending) {

    public boolean start() {
        return ending == null;
    }
}
