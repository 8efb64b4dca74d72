package io.taskpulse.tasks.entity;

import java.util.UUID;

/** A script's name for one run, so that overlapping runs of one task pair their starts and ends. */
public final class RunId {

    public static final int LENGTH = 100;

    private RunId() {
    }

    /** The script's runId, checked; or a new one when it sent none. */
    public static String orNew(String runId) {
        return runId == null ? UUID.randomUUID().toString() : checked(runId);
    }

    /** The script's runId, checked; null when it sent none. */
    public static String checked(String runId) {
        if (runId == null) {
            return null;
        }
        if (runId.isBlank() || runId.length() > LENGTH) {
            throw TaskRejected.invalid("runId must be 1 to " + LENGTH + " characters");
        }
        if (runId.chars().anyMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c))) {
            throw TaskRejected.invalid("runId must not contain control characters or half surrogate pairs");
        }
        return runId;
    }
}
