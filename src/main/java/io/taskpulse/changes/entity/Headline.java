package io.taskpulse.changes.entity;

import java.util.List;

/**
 * What a board, a badge or a gauge needs of a task without parsing its JSON: its name, its state ({@code NOT_RUN},
 * {@code SUCCEEDED}, {@code FAILED}, {@code RUNNING} or {@code OVERDUE}, see {@code Task.getState}) and its tags.
 * Taken once, when the change is read from the database, next to the JSON.
 */
public record Headline(String name, String state, List<String> tags) {

    public Headline {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
