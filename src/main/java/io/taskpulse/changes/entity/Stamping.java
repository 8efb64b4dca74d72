package io.taskpulse.changes.entity;

import java.time.Instant;
import java.util.Set;

/**
 * Fired synchronously inside the stamping transaction, under the feed clock's row lock, before committed changes of
 * tasks get their revisions: an observer (alerts) may read the rows still waiting for a revision ({@code revision IS
 * NULL}) and write in the same transaction, so what it writes commits if and only if the stamp does. Only one node
 * at a time stamps, so such an observer sees each change once. An observer that throws fails the stamp (retried on
 * the next poll), so it must not throw for bad data.
 * <p>
 * On PostgreSQL and MariaDB the stamp has already locked {@link #tasks()} (and skipped the rows another transaction
 * held); on Derby {@link #tasks()} is every row that was pending, and the observer takes the locks.
 */
public record Stamping(Instant at, Set<Long> tasks) {

    /** @param tasks the ids of the task rows this stamp gives revisions to; an observer must leave the others alone */
    public Stamping {
        tasks = Set.copyOf(tasks);
    }
}
