package io.taskpulse.it;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restricted reading on TomEE ({@code mvn verify -Ptomee}). The embedded TomEE's realm gets alice (role viewer) and
 * bob (role other) from tomee-users.xml (a MemoryRealm in tomee-server.xml). The server runs in this JVM,
 * which has one JVM per IT class, so the setting is this JVM's system property.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "tomee")
class ViewerAccessTomEEIT extends ReadRestrictionChecks {

    static {
        System.setProperty("taskpulse.read.role", "viewer");
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.taskPulse();
    }

    @ArquillianResource
    URL base;

    @BeforeEach
    void server() {
        use(URI.create(base.toString()), System.getProperty("it.write.token"), "alice-tomee", "bob-tomee");
    }
}
