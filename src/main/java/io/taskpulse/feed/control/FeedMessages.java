package io.taskpulse.feed.control;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.changes.entity.Change;
import java.util.Collection;
import java.util.List;

/**
 * The wire format, shared by the WebSocket and the polling servlet. Messages are assembled from task JSON that
 * was serialized once when read, so a broadcast costs one string, whatever the number of clients.
 * <pre>
 * {"type":"snapshot","revision":42,"reset":false,"interval":1000,"tasks":[{...},...]}
 * {"type":"changes","from":41,"revision":42,"tasks":[{...}],"deleted":[7]}
 * {"type":"heartbeat","revision":42}
 * {"type":"stale","revision":42,"reason":"database unavailable"}
 * </pre>
 * {@code interval} is the poll interval in ms: a heartbeat comes at least that often while the server can read
 * its database, so a client that hears nothing for two intervals knows its data may be stale.
 * "stale" says so at once: the server could not read its database, so the data is as of {@code revision} and
 * may be behind. It comes after every failed poll (the poller backs off, so a few times a minute); the next
 * "changes", "heartbeat" or "snapshot" means the data is current again, and "changes" then continue from the
 * same revision: nothing is reset.
 * A client applies "changes" only when {@code from} equals the revision it holds; otherwise it asks to resume.
 * Over WebSocket a long message comes in parts ({@link FeedMessage}).
 */
public final class FeedMessages {

    private FeedMessages() {
    }

    static FeedMessage snapshot(long revision, boolean reset, long intervalMillis, List<Change> tasks) {
        return FeedMessage.listing("{\"type\":\"snapshot\",\"revision\":" + revision + ",\"reset\":" + reset
                + ",\"interval\":" + intervalMillis, tasks, false);
    }

    static FeedMessage changes(long from, long revision, Collection<Change> changes) {
        return FeedMessage.listing("{\"type\":\"changes\",\"from\":" + from + ",\"revision\":" + revision, changes, true);
    }

    static FeedMessage heartbeat(long revision) {
        return FeedMessage.plain("{\"type\":\"heartbeat\",\"revision\":" + revision + "}");
    }

    /** Public for the polling servlet, which answers a current client this way while the database is away. */
    public static FeedMessage stale(long revision, String reason) {
        return FeedMessage.plain("{\"type\":\"stale\",\"revision\":" + revision + ",\"reason\":" + JSON.createValue(reason) + "}");
    }
}
