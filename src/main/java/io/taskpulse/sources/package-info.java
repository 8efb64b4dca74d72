/**
 * Source tables: another application's table (the tutorial's Django {@code Webtask}, status 1 / 2 / 3) shown as
 * tasks, live, without changing its scripts or its rows.
 * <p>
 * <b>Design: a mirror row per source row, kept by triggers on their table.</b> At start, {@link
 * io.taskpulse.sources.control.Sources} reads the settings ({@link io.taskpulse.sources.entity.Source}), finds the
 * table and its columns, and installs triggers on it (PostgreSQL: one row trigger and a {@code SECURITY DEFINER}
 * function, {@code control.PostgresSource}; MariaDB: three row triggers, {@code control.MariaDbSource}). Each insert,
 * update and delete upserts or deletes one row of TaskPulse's own {@code task} table with {@code source},
 * {@code source_key}, the mapped status (UNKNOWN for a value the map does not name) and the raw value, in the writer's
 * own transaction. That row is then an ordinary task to every other part: the task table's change trigger marks it
 * for the stamper (so revisions come after commit, in commit order, without gaps, as for any SQL writer), PostgreSQL's
 * NOTIFY fires, the history trigger records it, alerts see its transitions in the stamp. Nothing in {@code changes}
 * or {@code feed} knows about sources. Chosen over a change table of the sources' own with its own revisions, which
 * would have needed a second stamper and a second id space in the feed.
 * <p>
 * <b>All or nothing.</b> PostgreSQL installs, back-fills and records ({@code task_source}) in one transaction under an
 * advisory lock; MariaDB, whose DDL commits at once, drops every trigger of the source again when a step fails. A
 * source whose settings, table or rights are wrong is not installed; the message names the setting and what to
 * fix, and {@code /health} is DOWN with it until the settings are fixed (own tasks keep working).
 * <p>
 * <b>Writes.</b> Status, message, name and description of a source's task are the application's: {@code Task}
 * refuses them (409), except a status report when the operator set {@code writable=true}: {@link
 * io.taskpulse.sources.control.SourceWrites} then writes the status column through the map, in the report's
 * transaction, and the trigger brings the change back. Tags, schedules, acknowledgements, pauses are TaskPulse's.
 * <p>
 * Tested by {@code SourceTableIT} (PostgreSQL and MariaDB: rows present before the start, writes on a socket and a
 * poller, writers committing out of order, unknown values, the writable rule, a broken source in {@code /health},
 * uninstalling leaves the tables as they were) and {@code DjangoSourceIT} (a real Django project's ORM).
 */
package io.taskpulse.sources;
