package io.taskpulse.badges.control;

import io.taskpulse.changes.entity.Headline;
import java.util.Collection;
import java.util.List;

/**
 * The state of a group of tasks (a tag): the worst of theirs, and how many are in it. Worst first: a failure
 * needs someone, an overdue task too, a running one may still fail, one that never ran is a question; only when
 * every task succeeded is the group well. The page's tag bar uses the same order (js/entity/board.js).
 */
public record Rollup(String state, int inState, int total) {

    /** Task states from worst to best. */
    public static final List<String> ORDER = List.of("FAILED", "OVERDUE", "RUNNING", "NOT_RUN", "SUCCEEDED");

    /** The roll-up of these tasks; {@code null} when there are none. */
    public static Rollup of(Collection<Headline> tasks) {
        if (tasks.isEmpty()) {
            return null;
        }
        int worst = ORDER.size() - 1;
        int[] counts = new int[ORDER.size()];
        for (Headline task : tasks) {
            int rank = rank(task.state());
            counts[rank]++;
            worst = Math.min(worst, rank);
        }
        return new Rollup(ORDER.get(worst), counts[worst], tasks.size());
    }

    /** A state's place in {@link #ORDER}; a state this version does not know counts as the worst. */
    public static int rank(String state) {
        int rank = ORDER.indexOf(state);
        return rank < 0 ? 0 : rank;
    }
}
