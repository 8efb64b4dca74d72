package io.taskpulse.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restricted reading on Payara Micro, started as an operator would: {@code -Dtaskpulse.read.role=viewer} and a
 * post-boot command file that puts the two users into the file realm (alice in group viewer, bob in group other).
 */
class ViewerAccessIT extends ReadRestrictionChecks {

    private static final String TOKEN = "viewer-it-token";

    private static final String OPERATOR = "carol";

    private static MicroNode node;
    private static String operatorPassword;
    private static String alicePassword;

    @BeforeAll
    static void startPayaraMicroWithUsersInItsFileRealm() throws IOException {
        String alicePassword = "alice-" + UUID.randomUUID();
        String bobPassword = "bob-" + UUID.randomUUID();
        Path dir = Files.createDirectories(Path.of(System.getProperty("it.tmp", "target"), "viewer-it"));
        Path postBoot = dir.resolve("post-boot.txt");
        operatorPassword = "carol-" + UUID.randomUUID();
        Files.writeString(postBoot, fileUser(dir, VIEWER, alicePassword, "viewer") + fileUser(dir, OUTSIDER, bobPassword, "other")
                + fileUser(dir, OPERATOR, operatorPassword, "viewer:operator"));
        ViewerAccessIT.alicePassword = alicePassword;
        Path war = dir.resolve("taskpulse.war");
        Deployments.taskPulse().as(ZipExporter.class).exportTo(war.toFile(), true);
        node = MicroNode.start(MicroNode.freePort(), war, List.of("--postbootcommandfile", postBoot.toString()),
                "-Dtaskpulse.read.role=viewer", "-Dtaskpulse.operate.role=operator", "-Dtaskpulse.write.token=" + TOKEN, "-Dtaskpulse.db.url=",
                "-Dderby.system.home=" + dir.resolve("derby"), "-Dtaskpulse.poll.interval=PT1S").awaitReady();
        use(node.base(), TOKEN, alicePassword, bobPassword);
    }

    /** One create-file-user line; its password comes from a file, as asadmin wants it, never from the command line. */
    private static String fileUser(Path dir, String user, String password, String group) throws IOException {
        Path passwordFile = dir.resolve(user + ".password");
        Files.writeString(passwordFile, "AS_ADMIN_USERPASSWORD=" + password + "\n");
        return "create-file-user --groups " + group + " --passwordfile " + passwordFile + " " + user + "\n";
    }

    @Test
    void anOperatorLoggedInOnThePageAcknowledgesAFailureOthersCannot() {
        String name = "operated-" + UUID.randomUUID().toString().substring(0, 8);
        Api writer = new Api(url(), TOKEN);
        writer.create(name, "operators");
        writer.report(name, "FAILED", "disk full");
        Api reader = Api.basic(node.base(), VIEWER, alicePassword);
        String origin = "http://" + node.base().getHost() + ":" + node.base().getPort();
        String path = "api/tasks/by-name/" + name + "/acknowledge";

        FormLogin carol = new FormLogin(OPERATOR, operatorPassword);
        JsonObject viewer = Api.object(carol.get("api/viewer").body());
        assertTrue(viewer.getBoolean("operator") && viewer.getBoolean("operators"), viewer.toString());
        assertEquals(401, carol.post(path, null).statusCode(), "no Origin: could be any site's form");
        assertEquals(403, carol.post(path, "http://evil.example").statusCode(), "another site's page: refused before any rule");
        FormLogin alice = new FormLogin(VIEWER, alicePassword);
        assertFalse(Api.object(alice.get("api/viewer").body()).getBoolean("operator"));
        assertEquals(401, alice.post(path, origin).statusCode(), "a viewer is not an operator");
        assertFalse(reader.task(name).containsKey("acknowledgedBy"), "nothing was written by the refused calls");

        HttpResponse<String> acknowledged = carol.post(path, origin);
        assertEquals(200, acknowledged.statusCode(), acknowledged.body());
        assertEquals(OPERATOR, Api.object(acknowledged.body()).getString("acknowledgedBy"), "the login says who");
        assertEquals(OPERATOR, reader.task(name).getString("acknowledgedBy"));
    }

    @Test
    void anOperatorAcknowledgesOnThePageAndEveryBoardShowsWho() {
        String name = "page-operated-" + UUID.randomUUID().toString().substring(0, 8);
        Api writer = new Api(url(), TOKEN);
        writer.create(name, "operators on the page");
        writer.report(name, "FAILED", "disk full");
        Api reader = Api.basic(node.base(), VIEWER, alicePassword);
        reader.awaitPublished(name);
        try (Browser browser = new Browser()) {
            openFailedTask(browser, name, OPERATOR, operatorPassword);
            browser.await("the actions, for an operator", d -> browser.find("#detail-actions").isDisplayed());
            browser.find("#detail-ack-note").sendKeys("replacing the disk");
            browser.find("#detail-ack").click();

            browser.await("who acknowledged, pushed back to the page",
                    d -> browser.find("#detail-operated").getText().contains(OPERATOR));
            assertTrue(browser.find("#detail-operated").getText().contains("replacing the disk"));
            browser.screenshot("page-operator-acknowledged");
        }
        assertEquals(OPERATOR, reader.task(name).getString("acknowledgedBy"));
    }

    @Test
    void aViewerWhoIsNoOperatorSeesNoActions() {
        String name = "page-viewed-" + UUID.randomUUID().toString().substring(0, 8);
        Api writer = new Api(url(), TOKEN);
        writer.create(name, "viewers only look");
        writer.report(name, "FAILED", "disk full");
        Api.basic(node.base(), VIEWER, alicePassword).awaitPublished(name);
        try (Browser browser = new Browser()) {
            openFailedTask(browser, name, VIEWER, alicePassword);
            browser.await("who is logged in", d -> browser.find("#viewer-name").getText().contains(VIEWER));
            assertFalse(browser.find("#detail-actions").isDisplayed(), "no actions for a viewer");
        }
    }

    /** Logs in through the container's form on the page, then opens the task's detail panel. */
    private static void openFailedTask(Browser browser, String name, String user, String password) {
        browser.open(node.base() + "?q=" + name);
        browser.await("the login form", d -> !d.findElements(By.id("user")).isEmpty());
        browser.find("#user").sendKeys(user);
        browser.find("#password").sendKeys(password);
        browser.find(".login-submit").click();
        browser.await("the board, live", d -> "live".equals(browser.body("connection")));
        browser.await("the task's row", d -> openButton(d, name)).click();
        browser.await("panel open", d -> browser.find("#detail").getDomAttribute("hidden") == null);
    }

    private static org.openqa.selenium.WebElement openButton(org.openqa.selenium.WebDriver page, String name) {
        return page.findElements(By.cssSelector("tr[data-task-id]")).stream()
                .filter(row -> row.isDisplayed() && row.getText().contains(name)).findFirst()
                .map(row -> row.findElement(By.cssSelector("button.task-open"))).orElse(null);
    }

    private static java.net.URL url() {
        try {
            return node.base().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }
}
