package io.taskpulse.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The one deployment every IT uses: the WAR that `mvn package` built, plus the test-only SQL servlet, feed fault, WebSocket gate and settable clock. */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive taskPulse() {
        File war = new File(System.getProperty("taskpulse.war", "target/taskpulse.war"));
        return ShrinkWrap.create(ZipImporter.class, "taskpulse.war")
                .importFrom(war)
                .as(WebArchive.class)
                .addClasses(DirectSqlServlet.class, FeedFaultServlet.class, WebSocketGate.class, WebSocketGate.Refuser.class,
                        WebSocketGate.Switch.class, SettableClock.class, SettableClock.Control.class);
    }
}
