package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** The page in a real headless Chromium, against the deployed WAR. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PageIT {

    private static Browser browser;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.taskPulse();
    }

    @ArquillianResource
    URL base;

    private Api api;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void client() {
        api = new Api(base);
        api.send("POST", "it/ws-gate?open=true", null, null);
    }

    @Test
    void pageListsTheTasksAndTheirCounts() {
        String name = unique("listed");
        api.create(name, "shown on the page");
        api.awaitPublished(name);

        openLive("");

        Map<String, Long> counts = api.tasks().stream().map(JsonValue::asJsonObject)
                .collect(Collectors.groupingBy(t -> t.getString("status"), Collectors.counting()));
        browser.await("counts match the database", d -> counts.entrySet().stream()
                .allMatch(c -> number(browser.find("#count-" + c.getKey()).getText()) == c.getValue()));
        assertEquals(api.tasks().size(), number(browser.find("#count-total").getText()));
        assertEquals(api.tasks().size(), browser.driver().findElements(By.cssSelector("tr[data-task-id]")).size());
        assertTrue(row(name).getText().contains("shown on the page"));
        browser.screenshot("page-lists-tasks");
    }

    @Test
    void reportedStatusAppearsWithoutReloadHighlightedAndCounted() {
        String name = unique("reported");
        long id = api.create(name, "fails while watched").getJsonNumber("id").longValue();
        api.awaitPublished(name);
        openLive("");
        Object pageInstance = browser.driver().executeScript("return window.performance.timeOrigin");

        api.report(name, "FAILED", "disk full");

        WebElement row = browser.await("row shows FAILED", Duration.ofSeconds(5),
                d -> "FAILED".equals(row(name).getDomAttribute("data-status")) ? row(name) : null);
        assertTrue(row.getDomAttribute("class").contains("changed"), "highlighted: " + row.getDomAttribute("class"));
        assertTrue(row.getText().contains("disk full"));
        long failed = api.tasks().stream().filter(t -> t.asJsonObject().getString("status").equals("FAILED")).count();
        browser.await("failed count is the database's", d -> number(browser.find("#count-FAILED").getText()) == failed);
        assertEquals(pageInstance, browser.driver().executeScript("return window.performance.timeOrigin"), "no reload");
        assertEquals(String.valueOf(id), row.getDomAttribute("data-task-id"));
        browser.screenshot("page-change-highlighted");
    }

    @Test
    void withoutWebSocketThePagePollsAndGoesLiveWhenWebSocketIsBack() {
        api.send("POST", "it/ws-gate?open=false", null, null);
        browser.open(base + "");
        browser.await("badge says polling", d -> "polling".equals(browser.body("connection")));
        assertTrue(browser.find("#connection").getText().toLowerCase().contains("poll"));

        String name = unique("polled");
        api.create(name, "arrives by polling");
        browser.await("polled task shown", d -> !d.findElements(rowSelector(name)).isEmpty());
        browser.screenshot("page-polling");

        api.send("POST", "it/ws-gate?open=true", null, null);
        browser.await("badge back to live", Duration.ofSeconds(60), d -> "live".equals(browser.body("connection")));
        api.report(name, "SUCCEEDED", "over WebSocket again");
        browser.await("change over WebSocket shown", d -> "SUCCEEDED".equals(row(name).getDomAttribute("data-status")));
    }

    @Test
    void hostileTaskNamesRenderLiterallyAndRunNothing() {
        String image = "<img src=x onerror=alert(1)> " + UUID.randomUUID().toString().substring(0, 6);
        String script = "\"><script>alert(1)</script> " + UUID.randomUUID().toString().substring(0, 6);
        api.create(image, "<b>not bold</b>");
        api.create(script, "' onmouseover='alert(2)");
        api.awaitPublished(image);
        api.awaitPublished(script);

        openLive("");

        for (String name : List.of(image, script)) {
            WebElement cell = browser.await("row for " + name, d -> row(name));
            assertTrue(cell.getText().contains(name), cell.getText());
        }
        assertTrue(row(image).getText().contains("<b>not bold</b>"));
        assertTrue(browser.driver().findElements(By.cssSelector("tbody img, tbody script, tbody b")).isEmpty());
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
        browser.screenshot("page-hostile-names");
    }

    private void openLive(String query) {
        browser.open(base + query);
        browser.await("badge says live", d -> "live".equals(browser.body("connection")));
    }

    /** The row of a task, found by its name (an XPath literal cannot hold both quote kinds, so compare in JS). */
    private WebElement row(String name) {
        List<WebElement> rows = browser.driver().findElements(rowSelector(name));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private By rowSelector(String name) {
        return new By() {
            @Override
            public List<WebElement> findElements(org.openqa.selenium.SearchContext context) {
                @SuppressWarnings("unchecked")
                List<WebElement> found = (List<WebElement>) browser.driver().executeScript(
                        "return [...document.querySelectorAll('tr[data-task-id]')]"
                                + ".filter(r => r.textContent.includes(arguments[0]))", name);
                return found;
            }
        };
    }

    private static long number(String text) {
        return Long.parseLong(text.replaceAll("\\D", ""));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
