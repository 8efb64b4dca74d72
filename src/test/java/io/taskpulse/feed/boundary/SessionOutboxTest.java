package io.taskpulse.feed.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox against a session whose sends complete when the test says so, like a client reading at its pace. */
class SessionOutboxTest {

    private final List<String> wire = new ArrayList<>();
    private final List<SendHandler> pending = new ArrayList<>();
    private final List<Long> catchUps = new ArrayList<>();
    private final Metrics metrics = new Metrics();
    private SessionOutbox outbox;

    @BeforeEach
    void outboxOfTwo() {
        outbox = new SessionOutbox(session(), 2, catchUps::add, metrics);
    }

    @Test
    void messagesGoOutOneAtATimeInOrder() {
        outbox.accept(1, "m1");
        outbox.accept(2, "m2");
        outbox.accept(3, "m3");
        assertEquals(List.of("m1"), wire);

        complete();
        complete();

        assertEquals(List.of("m1", "m2", "m3"), wire);
        assertEquals(0, metrics.conflations());
        // Counted once through: m3 is still on its way.
        assertEquals(2, metrics.messagesSent(Transport.WEBSOCKET));
        assertEquals(4, metrics.bytesSent(Transport.WEBSOCKET));
    }

    @Test
    void clientThatFallsBehindGetsOneCatchUpFromWhatItHoldsInsteadOfTheBacklog() {
        outbox.accept(1, "m1");          // on the wire
        outbox.accept(2, "m2");
        outbox.accept(3, "m3");          // queue full
        outbox.accept(4, "m4");          // behind: the queue is dropped
        outbox.accept(5, "m5");          // dropped too

        complete();                       // m1 is through: the client holds revision 1
        assertEquals(List.of(1L), catchUps);
        outbox.caughtUp(5, "changes 1..5");

        assertEquals(List.of("m1", "changes 1..5"), wire);
        assertEquals(4, metrics.conflations());
        assertEquals(0, metrics.queuedMessages());
        // Caught up: the next message queues normally.
        complete();
        outbox.accept(6, "m6");
        assertEquals(List.of("m1", "changes 1..5", "m6"), wire);
    }

    @Test
    void sendStuckLongerThanTheTimeoutMarksTheClientTooSlowAndDropsItsQueue() {
        outbox.accept(1, "m1");
        outbox.accept(2, "m2");
        long now = System.nanoTime();

        assertFalse(outbox.stuck(now, 60_000_000_000L));
        assertTrue(outbox.stuck(now + 61_000_000_000L, 60_000_000_000L));

        complete();
        outbox.accept(3, "m3");
        assertEquals(List.of("m1"), wire);
    }

    @Test
    void idleOnlyWhenNothingIsOnTheWire() {
        assertTrue(outbox.idle());
        outbox.accept(1, "m1");
        assertFalse(outbox.idle());
        complete();
        assertTrue(outbox.idle());
    }

    private void complete() {
        pending.remove(0).onResult(new SendResult());
    }

    private Session session() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        wire.add((String) args[0]);
                        pending.add((SendHandler) args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> "test";
                    case "isOpen" -> true;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
