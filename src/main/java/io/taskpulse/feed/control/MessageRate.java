package io.taskpulse.feed.control;

/**
 * How many messages a WebSocket client may send: a token bucket, {@code burst} at once and {@code perSecond}
 * on average. Clients only send a resume after a gap, which is rare; a client far over this is broken or
 * hostile, and each resume can cost the server a snapshot. Not thread-safe: one per session, used on the
 * session's message thread.
 */
public final class MessageRate {

    private final double burst;
    private final double perNano;
    private double tokens;
    private long last;

    public MessageRate(int burst, int perSecond, long now) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.tokens = burst;
        this.last = now;
    }

    /** @return whether one more message at {@code now} (System.nanoTime) is within the rate */
    public boolean allow(long now) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
