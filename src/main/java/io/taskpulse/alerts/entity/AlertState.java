package io.taskpulse.alerts.entity;

import java.util.ArrayList;
import java.util.List;

/**
 * The state alerts were last evaluated against for one task: its status and whether it was overdue. Stored in
 * {@code task.alert_state} as the status, plus {@code " OVERDUE"} when overdue ("FAILED OVERDUE"); a task never
 * evaluated (null) counts as NOT_RUN and not overdue, so a task created FAILED alerts.
 */
public record AlertState(String status, boolean overdue) {

    private static final String OVERDUE_MARK = " OVERDUE";

    public static AlertState parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return new AlertState("NOT_RUN", false);
        }
        String text = stored.strip();
        boolean overdue = text.endsWith(OVERDUE_MARK.strip()) && text.contains(" ");
        return new AlertState(overdue ? text.substring(0, text.indexOf(' ')) : text, overdue);
    }

    public String stored() {
        return overdue ? status + OVERDUE_MARK : status;
    }

    /** The state a board shows for it, as far as alerts see (a run is not theirs): OVERDUE, or the status. */
    public String boardState() {
        return overdue ? "OVERDUE" : status;
    }

    public boolean failed() {
        return "FAILED".equals(status);
    }

    /**
     * The transitions from this state to {@code next}, in the order they are told: to FAILED, to overdue, recovery.
     * A state repeated (FAILED reported again) is none; so is FAILED → NOT_RUN, or overdue ending by a failed report.
     */
    public List<Transition> transitionsTo(AlertState next) {
        List<Transition> found = new ArrayList<>(2);
        if (!failed() && next.failed()) {
            found.add(Transition.FAILED);
        }
        if (!overdue && next.overdue) {
            found.add(Transition.OVERDUE);
        }
        if ((failed() || overdue) && "SUCCEEDED".equals(next.status) && !next.overdue) {
            found.add(Transition.RECOVERED);
        }
        return found;
    }
}
