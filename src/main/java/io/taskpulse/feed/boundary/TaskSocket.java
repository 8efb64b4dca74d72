package io.taskpulse.feed.boundary;

import io.taskpulse.feed.control.MessageRate;
import io.taskpulse.feed.control.ResumeRequest;
import io.taskpulse.feed.control.TaskFeed;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Live feed over WebSocket at {@code /ws/tasks[?since=R]}. The server sends a snapshot (or, with {@code since},
 * what the client missed) and then every change. The client may send {@code {"type":"resume","since":R}} at any
 * time, e.g. after it saw a gap; nothing else. Close codes the server uses:
 * <ul>
 * <li>1001: the server is shutting down; reconnect (to it or another node).
 * <li>1008: the client broke a rule: a bad {@code since}, a message that is not a resume, more messages than
 *     {@value #BURST} at once / {@value #PER_SECOND} per second, or too many sockets from its address.
 * <li>1009: a message over {@value #MAX_INCOMING} bytes (closed by the container).
 * <li>4000: the client stopped reading (a message did not go out within the send timeout); resume from its revision.
 * <li>4001: the client did not answer a ping in time.
 * </ul>
 */
@ServerEndpoint(value = "/ws/tasks", configurator = SocketHandshake.Peer.class)
public class TaskSocket {

    /** Client messages are tiny control messages; anything bigger is closed by the container with 1009. */
    static final int MAX_INCOMING = 4096;
    static final int BURST = 20;
    static final int PER_SECOND = 5;

    private static final Logger LOG = Logger.getLogger(TaskSocket.class.getName());

    /**
     * The endpoint's only injection point; it reaches the feed and the logins through it. Tyrus (Payara) builds a new
     * CDI injection target for every endpoint instance, so for every socket, and keeps it until the socket closes,
     * with its own copy of each injection point: a few hundred bytes per injected field and open socket.
     */
    @Inject
    Sockets sockets;

    private Session session;
    private String address;
    private volatile TaskFeed.Subscription subscription;
    private SessionOutbox outbox;
    /** Made on the first message: most sockets never send one (pongs do not count), and it is 48 B per socket. */
    private MessageRate rate;
    /** System.nanoTime() values: when the peer was last heard from, when it was last pinged. */
    private volatile long lastHeard;
    private volatile long lastPing;
    /** We started closing this socket with a code of our own. */
    private volatile boolean closing;

    @OnOpen
    public void open(Session session) {
        this.session = session;
        this.address = SocketHandshake.takePeer(session);
        sockets.logins().opened(session);
        session.setMaxTextMessageBufferSize(MAX_INCOMING);
        session.setMaxBinaryMessageBufferSize(MAX_INCOMING);
        // No container idle timeout: Sockets pings idle sockets and closes the dead (4001). Payara 6's Tyrus
        // (2.1) re-schedules its idle-timeout command on the managed executor on EVERY send, whatever the timeout
        // (TyrusRemoteEndpoint.sendText -> TyrusSession.restartIdleTimeoutExecutor, read in its bytecode 2026-12-07):
        // with a timeout the cancelled commands wait in the executor's queue for the timeout and one stays per idle
        // socket; with 0 each is due at once and does nothing, but is still a managed task (about 250 B with its
        // invocation context; 83,019 of them were still queued a second after a 10,000-socket burst, issue 17).
        session.setMaxIdleTimeout(0);
        // Tomcat writes close frames blocking, 20 s by default: a stuck client must not hold a thread that long. Only
        // there: on Payara the entry is read by nothing and costs every open socket a map entry (issue 17, heap).
        if (session.getClass().getName().startsWith("org.apache.tomcat.")) {
            session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", 2000L);
        }
        long now = System.nanoTime();
        lastHeard = now;
        lastPing = now;
        Long since;
        try {
            since = since(session);
        } catch (IllegalArgumentException e) {
            reject(e.getMessage());
            return;
        }
        if (!sockets.admit(this)) {
            reject("too many sockets from " + address + " (at most " + sockets.perAddressLimit() + ")");
            return;
        }
        TaskFeed feed = sockets.feed();
        outbox = new SessionOutbox(session, sockets.outboxLimit(), from -> feed.catchUp(subscription, from),
                sockets.metrics());
        subscription = feed.subscribe(outbox, since);
    }

    @OnMessage(maxMessageSize = MAX_INCOMING)
    public void message(String text) {
        lastHeard = System.nanoTime();
        if (text.length() > MAX_INCOMING / 3 && text.getBytes(StandardCharsets.UTF_8).length > MAX_INCOMING) {
            // Tyrus delivers bigger messages despite the limit; Tomcat closes with 1009 itself.
            close(CloseReason.CloseCodes.TOO_BIG.getCode(), "message over " + MAX_INCOMING + " bytes");
            return;
        }
        if (rate == null) {
            rate = new MessageRate(BURST, PER_SECOND, lastHeard); // the container calls one message at a time
        }
        if (!rate.allow(lastHeard)) {
            reject("too many messages: at most " + BURST + " at once, " + PER_SECOND + " per second");
            return;
        }
        try {
            long since = ResumeRequest.since(text);
            if (subscription != null) {
                sockets.feed().resume(subscription, since);
            }
        } catch (IllegalArgumentException e) {
            reject(e.getMessage());
        }
    }

    @OnMessage(maxMessageSize = MAX_INCOMING)
    public void binary(ByteBuffer data) {
        lastHeard = System.nanoTime();
        close(CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(), "binary messages are not understood");
    }

    @OnMessage
    public void pong(PongMessage pong) {
        lastHeard = System.nanoTime();
    }

    @OnClose
    public void closed(CloseReason reason) {
        leave();
    }

    @OnError
    public void failed(Throwable failure) {
        // A failure while we close means the client may not get our close code (Tomcat then drops the connection
        // without a close frame): worth a line in the log. Other failures are clients that went away.
        LOG.log(closing ? Level.INFO : Level.FINE, closing ? "Closing WebSocket {0} failed: {1}" : "WebSocket {0} failed: {1}",
                new Object[]{session == null ? "?" : session.getId(), failure.toString()});
        leave();
    }

    Session session() {
        return session;
    }

    String address() {
        return address;
    }

    SessionOutbox outbox() {
        return outbox;
    }

    boolean pingDue(long now, long interval) {
        return now - lastPing >= interval;
    }

    /** A ping went out more than an interval ago and nothing came back since. */
    boolean pingUnanswered(long now, long interval) {
        long pinged = lastPing;
        return pinged - lastHeard > 0 && now - pinged > interval;
    }

    /** Pings unless a message is on its way (then the next sweep tries again). */
    void ping(long now) {
        if (outbox.pingIfIdle()) {
            lastPing = now;
        }
    }

    private void leave() {
        if (session != null) {
            sockets.logins().closed(session);
        }
        sockets.remove(this);
        if (subscription != null) {
            subscription.cancel();
        }
        if (outbox != null) {
            outbox.discard();
        }
    }

    private static Long since(Session session) {
        List<String> values = session.getRequestParameterMap().get("since");
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        return Revisions.parse("since", values.get(0));
    }

    /** 1008 with the reason: the client sent something it must not. */
    private void reject(String reason) {
        close(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), reason);
    }

    /**
     * Closes with a code the client should see. Not while a message of ours is still on its way: Tomcat (TomEE)
     * refuses to write the close frame then and drops the connection without one, so the client never learns why.
     * The outbox runs the close when its send completes (at most {@link Sockets#CLOSE_PATIENCE_MILLIS} later).
     */
    private void close(int code, String reason) {
        closing = true;
        leave();
        String fitting = truncate(reason);
        if (outbox == null) {
            Sockets.close(session, code, fitting);
        } else {
            sockets.closeWhenIdle(outbox, session, code, fitting);
        }
    }

    /** A close reason must fit in 123 bytes of UTF-8. */
    static String truncate(String reason) {
        String fitting = reason;
        while (fitting.getBytes(StandardCharsets.UTF_8).length > 123) {
            int end = fitting.length() - 1;
            if (Character.isLowSurrogate(fitting.charAt(end))) {
                end--;
            }
            fitting = fitting.substring(0, end);
        }
        return fitting;
    }
}
