package io.taskpulse.bench.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * One round of the overdue check phase (issue 14): {@code tasks} scheduled tasks, {@code perTick} of them becoming
 * overdue each second for the window, and what the poller spent on it.
 */
final class Overdue {

    /** What a round is asked to do: how many tasks are scheduled, how many become overdue per second. */
    record Plan(int tasks, int perTick) {

        /** {@code 1000:10,100000:10}, or {@code none}. */
        static List<Plan> parse(String text) {
            List<Plan> plans = new ArrayList<>();
            if (text.equals("none")) {
                return plans;
            }
            for (String round : text.split(",")) {
                String[] parts = round.split(":");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("--overdue-sizes takes tasks:duePerTick,…, not " + round);
                }
                plans.add(new Plan(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            }
            return plans;
        }

        @Override
        public String toString() {
            return tasks + " scheduled, " + perTick + " due per tick";
        }
    }

    final Plan plan;
    /** tasks in the table, scheduled or not */
    int tableRows;
    /** the window, from just before the first task is due until the last was marked */
    double seconds;
    double polls;
    double meanMillis = Double.NaN;
    double p99Millis = Double.NaN;
    /** made due in the window, and marked overdue (taskpulse_overdue_total's delta): the phase fails unless equal */
    int due;
    long marked;
    /** statements and pool pings the server sent PostgreSQL during the window */
    long statements;
    long pings;

    Overdue(Plan plan) {
        this.plan = plan;
    }

    double queriesPerPoll() {
        return polls == 0 ? Double.NaN : (statements + pings) / polls;
    }
}
