package io.taskpulse.tasks.entity;

/**
 * The tail of a run's output as TaskPulse keeps it: at most the configured number of UTF-8 bytes (the last ones),
 * how many bytes the script sent, and whether the beginning was cut off.
 */
public record RunOutput(String text, long receivedBytes, boolean cut) {

    /** Longest summary the feed carries: the output's last line that is not blank. */
    public static final int SUMMARY_LENGTH = 200;

    /** The last line that is not blank, at most {@value #SUMMARY_LENGTH} characters: what the board shows. */
    public String summary() {
        int end = text.length();
        while (end > 0) {
            int start = text.lastIndexOf('\n', end - 1) + 1;
            String line = text.substring(start, end).strip();
            if (!line.isEmpty()) {
                return line.length() <= SUMMARY_LENGTH ? line : line.substring(0, SUMMARY_LENGTH - 1) + "\u2026";
            }
            end = start - 1;
        }
        return null;
    }
}
