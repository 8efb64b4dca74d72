package io.taskpulse.tasks.entity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The three states of an automation task, with the labels people read; and {@link #UNKNOWN}, which no one reports:
 * a task of a source table (io.taskpulse.sources) whose status column holds a value its mapping does not name.
 */
public enum Status {
    NOT_RUN("未执行", "Not run"),
    SUCCEEDED("执行成功", "Succeeded"),
    FAILED("执行失败", "Failed"),
    UNKNOWN("未知", "Unknown");

    private final String chinese;
    private final String english;

    Status(String chinese, String english) {
        this.chinese = chinese;
        this.english = english;
    }

    public String chinese() {
        return chinese;
    }

    public String english() {
        return english;
    }

    /** Whether a script may report it: all but {@link #UNKNOWN}. */
    public boolean reportable() {
        return this != UNKNOWN;
    }

    /** Parses a reportable status name, ignoring case and surrounding blanks: "failed", "FAILED", " Failed ". */
    public static Optional<Status> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.reportable() && s.name().equals(wanted)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).filter(Status::reportable).map(Status::name).collect(Collectors.joining(", "));
    }
}
