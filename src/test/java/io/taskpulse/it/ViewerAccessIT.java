package io.taskpulse.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Restricted reading on Payara Micro, started as an operator would: {@code -Dtaskpulse.read.role=viewer} and a
 * post-boot command file that puts the two users into the file realm (alice in group viewer, bob in group other).
 */
class ViewerAccessIT extends ReadRestrictionChecks {

    private static final String TOKEN = "viewer-it-token";

    private static MicroNode node;

    @BeforeAll
    static void startPayaraMicroWithUsersInItsFileRealm() throws IOException {
        String alicePassword = "alice-" + UUID.randomUUID();
        String bobPassword = "bob-" + UUID.randomUUID();
        Path dir = Files.createDirectories(Path.of(System.getProperty("it.tmp", "target"), "viewer-it"));
        Path postBoot = dir.resolve("post-boot.txt");
        Files.writeString(postBoot, fileUser(dir, VIEWER, alicePassword, "viewer") + fileUser(dir, OUTSIDER, bobPassword, "other"));
        Path war = dir.resolve("taskpulse.war");
        Deployments.taskPulse().as(ZipExporter.class).exportTo(war.toFile(), true);
        node = MicroNode.start(MicroNode.freePort(), war, List.of("--postbootcommandfile", postBoot.toString()),
                "-Dtaskpulse.read.role=viewer", "-Dtaskpulse.write.token=" + TOKEN, "-Dtaskpulse.db.url=",
                "-Dderby.system.home=" + dir.resolve("derby"), "-Dtaskpulse.poll.interval=PT1S").awaitReady();
        use(node.base(), TOKEN, alicePassword, bobPassword);
    }

    /** One create-file-user line; its password comes from a file, as asadmin wants it, never from the command line. */
    private static String fileUser(Path dir, String user, String password, String group) throws IOException {
        Path passwordFile = dir.resolve(user + ".password");
        Files.writeString(passwordFile, "AS_ADMIN_USERPASSWORD=" + password + "\n");
        return "create-file-user --groups " + group + " --passwordfile " + passwordFile + " " + user + "\n";
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }
}
