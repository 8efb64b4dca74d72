package io.taskpulse.alerts.entity;

/**
 * What an alert tells. A rule chooses among the first three; {@link #FLAPPING} is the damping summary (sent to the
 * rules that match the transition that tipped the task over the limit) and {@link #TEST} the channels' test call.
 */
public enum Transition {
    /** The task's status became FAILED. */
    FAILED,
    /** The task became overdue: its expected run did not come within its grace time. */
    OVERDUE,
    /** Back to SUCCEEDED (and not overdue) after FAILED or overdue. */
    RECOVERED,
    /** Too many transitions in the damping window: one summary, then silence until the window ends. */
    FLAPPING,
    /** A channel's test call. */
    TEST;

    /** The transitions a rule may ask for. */
    public static final java.util.Set<Transition> SELECTABLE = java.util.EnumSet.of(FAILED, OVERDUE, RECOVERED);
}
