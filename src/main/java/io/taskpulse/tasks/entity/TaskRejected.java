package io.taskpulse.tasks.entity;

/** A request about tasks that breaks a rule. It says what was wrong in words a script's author can act on. */
public class TaskRejected extends RuntimeException {

    public enum Reason { INVALID, NOT_FOUND, DUPLICATE, CONFLICT }

    private final Reason reason;

    public TaskRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static TaskRejected invalid(String message) {
        return new TaskRejected(Reason.INVALID, message);
    }

    public static TaskRejected notFound(String message) {
        return new TaskRejected(Reason.NOT_FOUND, message);
    }

    /** The request is well-formed but the task's state does not allow it now (409). */
    public static TaskRejected conflict(String message) {
        return new TaskRejected(Reason.CONFLICT, message);
    }

    public static TaskRejected duplicate(String message) {
        return new TaskRejected(Reason.DUPLICATE, message);
    }

    /**
     * A client's text, quoted for a message and cut to a readable length: an error must not echo a 60 KB input
     * (FuzzIT sent one, and on TomEE the echo came back as a problem document no parser could read).
     */
    public static String quote(String text) {
        if (text == null) {
            return "''";
        }
        int end = Math.min(text.length(), 80);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return "'" + text.substring(0, end) + (end < text.length() ? "…" : "") + "'";
    }
}
