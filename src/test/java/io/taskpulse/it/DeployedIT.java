package io.taskpulse.it;

import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The set-up every Arquillian IT shares: the WAR that {@code mvn package} built (plus the test-only servlets, see
 * {@link Deployments}) deployed on the server of the build's profile, tests run from the client's side, and an
 * {@link Api} client for it. One server start per IT class.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class DeployedIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.taskPulse();
    }

    @ArquillianResource
    URL base;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(base);
    }

    /** A name no other test (nor an earlier run against the same database) uses. */
    static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }
}
