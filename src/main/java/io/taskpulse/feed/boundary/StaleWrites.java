package io.taskpulse.feed.boundary;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes Payara fail a write to a connection it has already recycled, instead of letting the bytes land in whichever
 * connection reuses the recycled response.
 * <p>
 * Payara's Tyrus writes a WebSocket's frames to the servlet output stream it took from the upgraded connection
 * ({@code TyrusServletWriter} caches it and never asks whether the connection is still there). When a client vanishes,
 * the container closes the connection and recycles its response object for the next request, while a send that
 * passed Tyrus's "still open?" check a moment earlier writes on. Those bytes go into the next request's response:
 * seen as a WebSocket handshake answered {@code 200 OK} with no headers (committed by the stray write before Tyrus
 * could set 101; in 1 of 5 FeedChurnIT runs, logged by {@link SocketHandshake}).
 * <p>
 * The web container can detach its stream objects when it recycles them, so that a late write throws
 * {@code IllegalStateException} (Tyrus then fails that send, as for any closed socket); Payara has it but leaves it
 * off, with no setting to turn it on: {@code org.apache.catalina.connector.Response.setEnforceScope(true)}, reached here
 * through the server's own class loader. It costs one small facade per request. On Tomcat (TomEE) there is no such
 * method, and nothing to do: its WebSocket writes go through its own endpoint, which checks the connection.
 */
@WebListener
public class StaleWrites implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(StaleWrites.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ClassLoader server = event.getServletContext().getClass().getClassLoader();
        try {
            Class<?> response = Class.forName("org.apache.catalina.connector.Response", true, server);
            Method enforce = response.getMethod("setEnforceScope", boolean.class);
            enforce.invoke(null, true);
            LOG.log(Level.CONFIG, "Writes to recycled responses now fail (Response.setEnforceScope)");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // Not Payara's web container: Tomcat's Response has no such switch and needs none.
            LOG.log(Level.FINE, "No Response.setEnforceScope here: {0}", e.toString());
        }
    }
}
