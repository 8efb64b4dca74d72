package io.taskpulse.feed.boundary;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The only writer of one WebSocket session. Messages queue here and go out one at a time, each send started
 * when the previous one completed: Tomcat throws on concurrent sends, Tyrus would block the caller, and a
 * broadcast must do neither. A client that lets {@code limit} messages pile up is closed with
 * {@value #TOO_SLOW}; it reconnects and resumes from its revision.
 */
final class SessionOutbox implements Consumer<String> {

    /** Close code for a client that fell too far behind. It should reconnect with ?since=its revision. */
    static final int TOO_SLOW = 4000;

    private static final Logger LOG = Logger.getLogger(SessionOutbox.class.getName());

    private final Session session;
    private final int limit;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closed;

    SessionOutbox(Session session, int limit) {
        this.session = session;
        this.limit = limit;
    }

    /** Queues a message; never blocks. */
    @Override
    public void accept(String message) {
        boolean tooSlow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= limit) {
                tooSlow = true;
                closed = true;
                queue.clear();
            } else {
                queue.add(message);
                if (sending) {
                    return;
                }
                sending = true;
            }
        }
        if (tooSlow) {
            close(TOO_SLOW, "too slow: reconnect with ?since=<your revision>");
        } else {
            sendNext();
        }
    }

    private void sendNext() {
        String next;
        synchronized (this) {
            next = closed ? null : queue.poll();
            if (next == null) {
                sending = false;
                return;
            }
        }
        try {
            session.getAsyncRemote().sendText(next, this::sent);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void sent(SendResult result) {
        if (result.isOK()) {
            sendNext();
        } else {
            failed(result.getException());
        }
    }

    private void failed(Throwable cause) {
        synchronized (this) {
            closed = true;
            sending = false;
            queue.clear();
        }
        LOG.log(Level.FINE, "Send failed, closing session {0}: {1}", new Object[]{session.getId(), cause});
        close(CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(), "send failed");
    }

    synchronized void discard() {
        closed = true;
        queue.clear();
    }

    private void close(int code, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing session {0} failed: {1}", new Object[]{session.getId(), e});
        }
    }
}
