/**
 * Owns what changed in the database, read once per server: revisions, the one poller, the database's notifications,
 * and what happens while the database is away. Its output is one CDI event per poll, a
 * {@link io.taskpulse.changes.entity.ChangeBatch}; the feed ({@link io.taskpulse.feed}) delivers it to clients and
 * never reads the database itself.
 *
 * <h2>Revisions, and the late-commit trap</h2>
 * A revision is handed out <em>after</em> a change committed, never while its transaction is open:
 * <ol>
 * <li>Any write to a task (TaskPulse, a script's SQL, a console) sets its {@code revision} to NULL, by a
 * database trigger. A DELETE leaves a tombstone row with a NULL revision, also by trigger.
 * NULL means "changed, not yet in the feed".</li>
 * <li>The stamper ({@link io.taskpulse.changes.control.ChangeLog#stampPending()}) locks the single
 * {@code feed_clock} row, gives every committed NULL row the next revision (on PostgreSQL and MariaDB every such row
 * that no other transaction holds: a held row is skipped, {@code SKIP LOCKED}, and stamped by a later poll with what
 * its writer committed), advances the clock and commits,
 * all in one short transaction: the revisions (in the order of the changes' times) go out as one
 * {@code UPDATE … SET revision = CASE …} per 256 rows ({@link io.taskpulse.configuration.SetByKey}), not one statement
 * per row, since every report of a task waiting for its stamp waits for this transaction. Stampers (one per server) queue on that row lock, so revisions are
 * handed out in batches that commit one after another: strictly increasing, without gaps.</li>
 * <li>The reader ({@link io.taskpulse.changes.control.ChangeLog#readAfter(long)}) first reads the clock C, then the
 * rows with a revision in (cursor, C]. A batch's rows commit together with its clock value, so every row with
 * a revision up to C is visible once C is: the read misses nothing, and the cursor moves to C.</li>
 * </ol>
 * A transaction that stays open for minutes cannot be skipped: its rows have no revision until it commits.
 * On Derby, which locks rather than keeping row versions, the stamper waits for such a transaction's row
 * locks, so the feed pauses until it ends; PostgreSQL readers don't wait, nor do MariaDB's (InnoDB keeps versions).
 * On MariaDB TaskPulse's connections run at READ COMMITTED, as PostgreSQL's do by default, so "each statement sees
 * what committed before it started" holds there too (see configuration.TaskPulseDataSource).
 *
 * <h2>Waking the poller</h2>
 * The poller polls every {@code taskpulse.poll.interval}, and at once after TaskPulse commits a write. On PostgreSQL
 * it is also woken by the database: a statement trigger notifies {@code taskpulse_changes} for every committed
 * change to a task, whoever made it, and {@link io.taskpulse.changes.control.ChangeNotifications} LISTENs on its own
 * connection. So a script's SQL, or a write through another node, reaches clients milliseconds after its commit.
 * The notification carries nothing: the poll that follows reads the database as always. While notifications are
 * live, a tick with nothing notified does not read the database (only every {@code taskpulse.poll.listening-interval},
 * as a safety net) and sends the clients' heartbeat from memory; when the listening connection fails, every tick
 * reads again until it is back, so a lost notification costs at most one poll interval, never a change. MariaDB and
 * Derby have no notifications: every tick reads, so a SQL write arrives within one poll interval.
 *
 * <h2>When the database is away</h2>
 * The server stays up and so do its sockets. The poller backs off (one poll interval, doubling, up to
 * {@code taskpulse.poll.backoff.max}) and after each failed attempt every client gets
 * {@code {"type":"stale","revision":R,"reason":"database unavailable"}}: its data is as of R and may be behind.
 * A polling client that is current gets the same message instead of 304 (see the FeedServlet). Snapshots and
 * resumes are still served from memory, at R. When the database answers again the poller resumes from its cursor,
 * so what was written meanwhile (by anyone with SQL) arrives as ordinary "changes" from R, never a reset; the next
 * message after a "stale" (changes, heartbeat) means current again.
 *
 * <h2>Costs</h2>
 * One poller per server, whatever the number of clients: per tick, ONE statement when nothing changed
 * ({@link io.taskpulse.changes.control.ChangeLog#glance()}: the clock and two index look-ups for unstamped rows), and when something did, one short stamping transaction and one index range read. Each batch is serialized once and the same string goes to every
 * client. Snapshots and resumes are served from memory ({@link io.taskpulse.feed.control.TaskFeed}).
 */
package io.taskpulse.changes;
