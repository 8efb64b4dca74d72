package io.taskpulse.access.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginSocketsTest {

    private final LoginSockets sockets = new LoginSockets();

    @Test
    void endOfALoginClosesEverySocketOpenedUnderItWith1008() {
        FakeSocket firstTab = new FakeSocket("http-1");
        FakeSocket secondTab = new FakeSocket("http-1");
        FakeSocket otherLogin = new FakeSocket("http-2");
        sockets.opened(firstTab.session);
        sockets.opened(secondTab.session);
        sockets.opened(otherLogin.session);

        sockets.loginEnded("http-1");

        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, firstTab.closedWith.getCloseCode());
        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, secondTab.closedWith.getCloseCode());
        assertNull(otherLogin.closedWith, "another login's socket stays open");
        assertEquals(1, sockets.tracked());
    }

    @Test
    void socketsFollowTheirHttpSessionToItsNewId() {
        FakeSocket socket = new FakeSocket("before");
        sockets.opened(socket.session);

        sockets.loginRenamed("before", "after");
        sockets.loginEnded("after");

        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, socket.closedWith.getCloseCode());
        assertEquals(0, sockets.tracked());
    }

    @Test
    void socketsWithoutALoginAreNotTied() {
        FakeSocket anonymous = new FakeSocket(null);
        sockets.opened(anonymous.session);

        sockets.loginEnded("http-1");

        assertNull(anonymous.closedWith);
        assertEquals(0, sockets.tracked());
    }

    @Test
    void aClosedSocketIsForgotten() {
        FakeSocket socket = new FakeSocket("http-1");
        sockets.opened(socket.session);

        sockets.closed(socket.session);
        sockets.loginEnded("http-1");

        assertNull(socket.closedWith, "not closed twice");
        assertEquals(0, sockets.tracked());
    }

    /** Just enough of a WebSocket session: its user properties, whether it is open, and how it was closed. */
    private static final class FakeSocket {
        final Map<String, Object> properties = new HashMap<>();
        final Session session;
        CloseReason closedWith;

        FakeSocket(String httpSession) {
            if (httpSession != null) {
                properties.put(LoginSockets.HTTP_SESSION, httpSession);
            }
            session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[]{Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getUserProperties" -> properties;
                        case "isOpen" -> closedWith == null;
                        case "close" -> {
                            closedWith = (CloseReason) args[0];
                            yield null;
                        }
                        case "getId" -> "ws-" + System.identityHashCode(proxy);
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
