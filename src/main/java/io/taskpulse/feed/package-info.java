/**
 * Owns the change feed: which changes clients get, in what order, and how they catch up.
 *
 * <h2>Revisions, and the late-commit trap</h2>
 * A revision is handed out <em>after</em> a change committed, never while its transaction is open:
 * <ol>
 * <li>Any write to a task (TaskPulse, a script's SQL, a console) sets its {@code revision} to NULL, by a
 * database trigger. A DELETE leaves a tombstone row with a NULL revision, also by trigger.
 * NULL means "changed, not yet in the feed".</li>
 * <li>The stamper ({@link io.taskpulse.feed.control.ChangeLog#stampPending()}) locks the single
 * {@code feed_clock} row, gives every committed NULL row the next revision, advances the clock and commits,
 * all in one short transaction. Stampers (one per server) queue on that row lock, so revisions are
 * handed out in batches that commit one after another: strictly increasing, without gaps.</li>
 * <li>The reader ({@link io.taskpulse.feed.control.ChangeLog#readAfter(long)}) first reads the clock C, then the
 * rows with a revision in (cursor, C]. A batch's rows commit together with its clock value, so every row with
 * a revision up to C is visible once C is: the read misses nothing, and the cursor moves to C.</li>
 * </ol>
 * A transaction that stays open for minutes cannot be skipped: its rows have no revision until it commits.
 * On Derby, which locks rather than keeping row versions, the stamper waits for such a transaction's row
 * locks, so the feed pauses until it ends; PostgreSQL readers don't wait.
 *
 * <h2>Guarantee to clients</h2>
 * Every message carries the revision it brings the client to; a "changes" message also carries the revision it
 * follows ({@code from}). A client that resumes from revision r (WebSocket {@code ?since=r} or a
 * {@code resume} message; {@code /api/feed?since=r}) receives exactly the tasks changed or deleted after r, each
 * in its newest state, or a snapshot marked {@code "reset":true} when r is older than the tombstone horizon
 * (deletions it may have missed were purged) or newer than the feed. Changes to one task are conflated: a
 * client gets its latest state, not every intermediate one. Applying every message in order, a client ends
 * with exactly the database's state at the last revision it received.
 *
 * <h2>Slow, dead and misbehaving clients</h2>
 * Each WebSocket has an outbox ({@link io.taskpulse.feed.boundary.SessionOutbox}) that sends one message at a
 * time, a long one in {@linkplain io.taskpulse.feed.control.FeedMessage parts} of about 6 KiB one after another (so
 * the container holds one part per slow client, not a copy of the whole board), and holds at most
 * {@code taskpulse.outbox.limit}. A client behind that is conflated: its queue is dropped
 * and, once the message on the wire is through, one catch-up message from the feed (the same as a resume from
 * that message's revision) replaces it. {@link io.taskpulse.feed.boundary.Sockets} sweeps all sockets on one
 * container-managed task: a send stuck for the send timeout closes with 4000, a ping left unanswered for an
 * interval with 4001; shutdown closes all with 1001. Inbound: resume messages only, 4 KiB (1009), 20 at once and
 * 5 per second, a cap per remote address (1008).
 *
 * <h2>One client never hurts another; the feed heals itself</h2>
 * Nothing that runs under the feed's lock sends on a socket, closes a session, answers a long-poll or calls back into
 * the feed: under the lock a sink only queues ({@link io.taskpulse.feed.control.TaskFeed.Sink#accept}); its sends
 * start in {@code flush}, after the lock is released, and woken long-polls are answered then too. (Before, a send
 * that failed on the broadcasting thread closed its session there, the close cancelled a subscription in the middle
 * of the broadcast's iteration, and the feed stalled for good.) A sink that throws is dropped alone, counted, and its
 * socket closed with 1011; the others get the message. If the feed and the database ever disagree (a batch does not
 * follow the feed's revision, or the feed fails on one), the poller reloads the whole state within one poll and
 * every client gets a reset snapshot, including pollers whose {@code since} is from before the reload.
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
 * <h2>Waking the poller</h2>
 * The poller polls every {@code taskpulse.poll.interval}, and at once after TaskPulse commits a write. On PostgreSQL
 * it is also woken by the database: a statement trigger notifies {@code taskpulse_changes} for every committed
 * change to a task, whoever made it, and {@link io.taskpulse.feed.control.ChangeNotifications} LISTENs on its own
 * connection. So a script's SQL, or a write through another node, reaches clients milliseconds after its commit.
 * The notification carries nothing: the poll that follows reads the database as always. While notifications are
 * live, a tick with nothing notified does not read the database (only every {@code taskpulse.poll.listening-interval},
 * as a safety net) and sends the clients' heartbeat from memory; when the listening connection fails, every tick
 * reads again until it is back, so a lost notification costs at most one poll interval, never a change.
 *
 * <h2>Costs</h2>
 * One poller per server, whatever the number of clients: per tick, ONE statement when nothing changed
 * ({@link io.taskpulse.feed.control.ChangeLog#glance()}: the clock and two index look-ups for unstamped rows), and when something did, one short stamping transaction and one index range read. Each batch is serialized once and the same string goes to every
 * client. Snapshots and resumes are served from memory ({@link io.taskpulse.feed.control.TaskFeed}).
 */
package io.taskpulse.feed;
