package io.taskpulse.tasks.entity;

/** A request about tasks that breaks a rule. It says what was wrong in words a script's author can act on. */
public class TaskRejected extends RuntimeException {

    public enum Reason { INVALID, NOT_FOUND, DUPLICATE }

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

    public static TaskRejected duplicate(String message) {
        return new TaskRejected(Reason.DUPLICATE, message);
    }
}
