package io.taskpulse.tasks.boundary;

import io.taskpulse.tasks.entity.TaskRejected;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a 404 says when no resource matched the path: the path itself, and, when it looks like a task addressed by
 * something that is not an id (a name where the id goes: {@code /api/tasks/nightly-backup/status}), where names go.
 * A task that was looked up and not found says so itself ("no task named 'x'", "no task with id 7").
 */
final class NotFoundDetail {

    /** A task's own paths, with something where the id goes: {@code /api/tasks/X}, {@code /api/tasks/X/status|history}. */
    private static final Pattern TASK_PATH = Pattern.compile("/api/tasks/([^/]+)(/status|/history)?/?");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** The literal paths under /api/tasks: with them, the segment was no id meant for a task. */
    private static final Pattern NOT_AN_ID = Pattern.compile("by-name|history");
    /** Longer ids are cut in the quote, so the hint would not be a path to paste. */
    private static final int SHOWN_ID = 80;

    private NotFoundDetail() {
    }

    /** @param path the request's path inside the application (after the context root), as sent: still encoded */
    static String of(String path) {
        String shown = path == null || path.isEmpty() ? "/" : path;
        Matcher task = TASK_PATH.matcher(shown);
        if (task.matches() && !NOT_AN_ID.matcher(task.group(1)).matches()) {
            String id = task.group(1);
            if (DIGITS.matcher(id).matches()) {
                // Matched the id's pattern but not a long: no task can have it.
                return "no task with id " + TaskRejected.quote(id);
            }
            String byName = id.length() <= SHOWN_ID ? "/api/tasks/by-name/" + id + (task.group(2) == null ? "" : task.group(2))
                    : "/api/tasks/by-name/…";
            return "no task with id " + TaskRejected.quote(id) + " (ids are numbers; for a task by name use " + byName + ")";
        }
        return "no such path: " + TaskRejected.quote(shown);
    }
}
