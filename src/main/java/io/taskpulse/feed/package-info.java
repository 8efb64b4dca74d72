/**
 * Owns the delivery of changes to clients: which messages they get, in what order, and how they catch up, over
 * WebSocket ({@code /ws/tasks}) and plain HTTP ({@code /api/feed}). Its input is the poller's
 * {@link io.taskpulse.changes.entity.ChangeBatch} events ({@link io.taskpulse.changes}); it keeps every task's newest
 * state in memory ({@link io.taskpulse.feed.control.TaskFeed}), so snapshots and resumes cost no query.
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
 * 5 per second, a cap per remote address (1008). A client that vanishes while the server still writes to it must not
 * hurt the next connection: on Payara, {@link io.taskpulse.feed.boundary.StaleWrites} makes a write to a recycled
 * connection fail instead of landing in the request that reuses it.
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
 * <h2>Held long-polls: one answer, one owner</h2>
 * A held {@code /api/feed?since=r&wait=s} ({@link io.taskpulse.feed.boundary.LongPolls}) can be ended by a change,
 * by the end of its wait, by the client leaving or by the server stopping. Each is a
 * {@link io.taskpulse.feed.boundary.HeldPoll}: the first party to claim it answers (on a container thread, never the
 * poller's), the others do nothing and never touch its response. TaskPulse keeps the wait's clock itself; the
 * container's async timeout is off, because its timer and a change used to fire together and the client got no answer.
 */
package io.taskpulse.feed;
