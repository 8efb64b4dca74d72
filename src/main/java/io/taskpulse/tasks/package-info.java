/**
 * Owns tasks: what a task is, the rules for creating, changing (PATCH), reporting and deleting one, its tags, and
 * the scripts' HTTP API under {@code /api/tasks}.
 * <p>
 * Guarantees: a task's name is unique and required; its texts are well-formed Unicode (no half surrogate pair,
 * no NUL, no control character in a name); its tags follow one rule and are stored in one normal form (read
 * tolerantly: other programs may write them); a new task is {@code NOT_RUN}; a rejected request
 * changes nothing (one transaction per request, rolled back on any error). Every committed write fires
 * {@link io.taskpulse.tasks.control.TasksChanged} after commit, which the feed uses to publish at once instead
 * of on its next tick. The database, not this code, marks a row as changed (see {@code io.taskpulse.feed}),
 * so writes by other programs are published the same way.
 */
package io.taskpulse.tasks;
