package io.taskpulse.tasks.entity;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A task's tags (issue 15): labels such as {@code nightly} or {@code team:db} that group tasks on the board and in
 * {@code GET /api/tasks?tag=}. At most {@link #MAX_TAGS}, each lower-case {@code [a-z0-9][a-z0-9:._/-]{0,49}}.
 * <p>
 * Stored in the task row as one text, sorted, without duplicates, separated by single spaces: one column, so the
 * change trigger marks the row changed when its tags change, and one normal form, so equal sets are equal texts.
 * Another program may write that column with SQL: reading it tolerates any spacing, commas, upper case and
 * duplicates, so such a value is shown as the set of tags it names.
 */
public final class Tags {

    public static final int MAX_TAGS = 20;
    public static final int MAX_LENGTH = 50;
    /** Room for 20 tags of 50 characters and their spaces. */
    public static final int COLUMN_LENGTH = MAX_TAGS * (MAX_LENGTH + 1);
    public static final String RULE = "lower-case letters, digits and : . _ / -, starting with a letter or digit, at most "
            + MAX_LENGTH + " characters";

    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9:._/-]{0," + (MAX_LENGTH - 1) + "}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private Tags() {
    }

    /**
     * Tags as a client sent them, in their stored form (null when none).
     *
     * @throws TaskRejected naming the first tag that breaks the rule, or too many tags
     */
    public static String stored(Collection<String> tags) {
        if (tags == null) {
            return null;
        }
        TreeSet<String> set = new TreeSet<>();
        for (String tag : tags) {
            set.add(valid(tag));
        }
        if (set.size() > MAX_TAGS) {
            throw TaskRejected.invalid("a task has at most " + MAX_TAGS + " tags, not " + set.size());
        }
        return set.isEmpty() ? null : String.join(" ", set);
    }

    /** One tag as a client sent it (for a filter too). */
    public static String valid(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw TaskRejected.invalid("tag " + TaskRejected.quote(tag) + " is not a tag: " + RULE);
        }
        return tag;
    }

    /** The tags a stored text names, sorted and de-duplicated, whoever wrote it. */
    public static List<String> read(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        return List.copyOf(new TreeSet<>(Arrays.stream(SEPARATORS.split(stored.strip().toLowerCase(Locale.ROOT)))
                .filter(tag -> !tag.isEmpty()).toList()));
    }
}
