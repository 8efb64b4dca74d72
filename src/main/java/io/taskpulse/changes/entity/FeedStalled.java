package io.taskpulse.changes.entity;

/**
 * A poll failed: the feed stands still at its revision until the database answers again. Fired by the poller
 * after every failed attempt (so a few times a minute at most, see its backoff), observed by the feed, which tells
 * its clients. {@code reason} is for clients: short, and free of the server's internals.
 */
public record FeedStalled(String reason) {
}
