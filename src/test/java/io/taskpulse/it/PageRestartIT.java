package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonValue;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The server goes away and comes back, under an open page: the page says it is reconnecting, then live again,
 * and ends with exactly the database's state, including a change made before it reconnected.
 */
class PageRestartIT {

    @Test
    void pageReconnectsAfterTheServerComesBackAndEndsWithTheDatabaseState() throws MalformedURLException {
        String target = System.getProperty("it.tmp", "target");
        String[] settings = {"-Dderby.system.home=" + target + "/derby-restart", "-Dtaskpulse.db.url=", "-Dtaskpulse.poll.interval=PT1S"};
        int port = MicroNode.freePort();
        String name = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser browser = new Browser()) {
            try (MicroNode first = MicroNode.start(port, settings).awaitReady()) {
                Api api = new Api(first.base().toURL(), "");
                api.create(name, "survives a restart");
                api.awaitPublished(name);
                browser.open(first.base().toString());
                browser.await("live", d -> "live".equals(browser.body("connection")));

                first.kill();

                browser.await("reconnecting", d -> "reconnecting".equals(browser.body("connection")));
                browser.screenshot("page-reconnecting");
            }
            try (MicroNode second = MicroNode.start(port, settings).awaitReady()) {
                Api api = new Api(second.base().toURL(), "");
                api.report(name, "FAILED", "changed while the page was away");

                browser.await("live again", Duration.ofSeconds(60), d -> "live".equals(browser.body("connection")));
                Map<String, String> database = api.tasks().stream().map(JsonValue::asJsonObject)
                        .collect(Collectors.toMap(t -> t.getJsonNumber("id").toString(), t -> t.getString("status")));
                browser.await("page shows the database's state", d -> database.equals(pageStatuses(browser)));
                assertEquals("FAILED", database.get(api.task(name).getJsonNumber("id").toString()));
                browser.screenshot("page-after-restart");
            }
        }
    }

    private static Map<String, String> pageStatuses(Browser browser) {
        return browser.driver().findElements(By.cssSelector("tr[data-task-id]")).stream()
                .collect(Collectors.toMap(r -> r.getDomAttribute("data-task-id"), (WebElement r) -> r.getDomAttribute("data-status"),
                        (a, b) -> a));
    }
}
