package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.net.URL;
import java.net.http.HttpResponse;
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
import org.openqa.selenium.Keys;
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
    void pageListsEveryTaskAndTheirCountsAlsoWhenTheBoardComesInParts() {
        // Over 6 KiB of board: the WebSocket snapshot comes in parts, which the page must put together.
        for (int i = 0; i < 30; i++) {
            api.create(unique("long"), "d".repeat(2000));
        }
        String name = unique("listed");
        api.create(name, "shown on the page");
        api.awaitPublished(name);

        openLive("");

        Map<String, Long> counts = api.tasks().stream().map(JsonValue::asJsonObject)
                .collect(Collectors.groupingBy(t -> t.getString("state"), Collectors.counting()));
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
        long failed = api.tasks().stream().filter(t -> t.asJsonObject().getString("state").equals("FAILED")).count();
        browser.await("failed count is the database's", d -> number(browser.find("#count-FAILED").getText()) == failed);
        // From another tab: the title leads with the failed and overdue tasks, and the icon turns red.
        long alarming = api.tasks().stream().map(t -> t.asJsonObject().getString("state"))
                .filter(state -> state.equals("FAILED") || state.equals("OVERDUE")).count();
        assertEquals("(" + alarming + ") TaskPulse", browser.driver().getTitle());
        assertEquals("img/favicon-alert.svg", browser.find("link[rel='icon']").getDomAttribute("href"));
        assertEquals(pageInstance, browser.driver().executeScript("return window.performance.timeOrigin"), "no reload");
        assertEquals(String.valueOf(id), row.getDomAttribute("data-task-id"));
        browser.screenshot("page-change-highlighted");
    }

    @Test
    void aStartedTaskShowsRunningWithAClockThatTicksOnItsOwnAndItsExitCodeWhenItFails() {
        String name = unique("clocked");
        api.create(name, "runs while watched");
        api.awaitPublished(name);
        openLive("");

        HttpResponse<String> started = api.send("POST", "api/tasks/by-name/" + name + "/start", null, null);
        assertEquals(200, started.statusCode(), started.body());
        WebElement running = browser.await("row shows RUNNING", Duration.ofSeconds(5),
                d -> "RUNNING".equals(row(name).getDomAttribute("data-status")) ? row(name) : null);
        // Only the rows on screen tick (a board of thousands costs nothing): show just the running ones.
        browser.await("running is counted", d -> number(browser.find("#count-RUNNING").getText()) >= 1);
        browser.find("#count-RUNNING").click();
        browser.await("filtered to running tasks", d -> d.getCurrentUrl().contains("status=RUNNING"));
        String first = running.findElement(By.cssSelector(".elapsed")).getText();
        assertTrue(first.matches("0:0\\d"), "a clock from the start: " + first);
        // No message from the server is needed for the clock to move (the feed sends nothing for this task now).
        browser.await("the clock ticks on its own", Duration.ofSeconds(10),
                d -> !row(name).findElement(By.cssSelector(".elapsed")).getText().equals(first));
        browser.screenshot("page-running-clock");
        browser.find("#count-RUNNING").click();

        HttpResponse<String> ended = api.send("PUT", "api/tasks/by-name/" + name + "/status", "application/json",
                "{\"exitCode\":3,\"message\":\"disk full\"}");
        assertEquals(200, ended.statusCode(), ended.body());
        WebElement failed = browser.await("row shows FAILED", Duration.ofSeconds(5),
                d -> "FAILED".equals(row(name).getDomAttribute("data-status")) ? row(name) : null);
        assertTrue(failed.findElements(By.cssSelector(".elapsed")).isEmpty(), "the clock stopped");
        assertTrue(failed.getText().contains("exit code 3") && failed.getText().contains("disk full"), failed.getText());
    }

    @Test
    void anOverdueTaskSaysWhenItWasExpectedAndHowLateAndTheTabCountsIt() {
        String name = unique("late-export");
        HttpResponse<String> created = api.send("POST", "api/tasks", "application/json",
                "{\"name\":\"" + name + "\",\"schedule\":\"PT1H\",\"grace\":\"PT5M\"}");
        assertEquals(201, created.statusCode(), created.body());
        api.awaitPublished(name);
        openLive("?q=" + name);
        try {
            // The server's clock for schedules moves 70 minutes on (the ITs' SettableClock); the browser's does not.
            api.send("POST", "it/clock?advance=PT70M", null, null);
            WebElement late = browser.await("row shows OVERDUE", Duration.ofSeconds(10),
                    d -> "OVERDUE".equals(row(name).getDomAttribute("data-status")) ? row(name) : null);
            // (How late is the browser's reckoning, by its own clock, which this test does not move.)
            assertTrue(late.getText().matches("(?s).*expected \\d\\d?:\\d\\d( [AP]M)?, \\d+ min late.*"), late.getText());
            long alarming = api.tasks().stream().map(t -> t.asJsonObject().getString("state"))
                    .filter(state -> state.equals("FAILED") || state.equals("OVERDUE")).count();
            browser.await("the tab counts failed and overdue tasks",
                    d -> ("(" + alarming + ") TaskPulse").equals(d.getTitle()));
            browser.screenshot("page-overdue");

            // Someone is on it: the row says who, and the tab counts only what nobody has acknowledged.
            Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/acknowledge", "application/json", "{\"by\":\"dana\"}"));
            browser.await("the row says who acknowledged", d -> row(name).getText().contains("Acknowledged by dana"));
            String fewer = alarming == 1 ? "TaskPulse" : "(" + (alarming - 1) + ") TaskPulse";
            browser.await("the tab no longer counts it", d -> fewer.equals(d.getTitle()));
        } finally {
            api.send("POST", "it/clock?reset", null, null);
        }
        api.report(name, "SUCCEEDED", "done at last");
        browser.await("no longer overdue", Duration.ofSeconds(5),
                d -> "SUCCEEDED".equals(row(name).getDomAttribute("data-status")));
    }

    @Test
    void alertChannelsRulesAndTheirLastDeliveriesAreShownReadOnlyWithoutSecrets() {
        String tag = "team:" + unique("page").toLowerCase();
        String secret = "page-secret-" + unique("s");
        HttpResponse<String> channel = api.send("POST", "api/channels", "application/json",
                "{\"name\":\"" + tag + " hook\",\"kind\":\"webhook\",\"url\":\"http://127.0.0.2:9/hook?token=t0k3n\",\"secret\":\""
                        + secret + "\"}");
        assertEquals(201, channel.statusCode(), channel.body());
        long id = Api.object(channel.body()).getJsonNumber("id").longValue();
        assertEquals(201, api.send("POST", "api/rules", "application/json",
                "{\"channel\":" + id + ",\"transitions\":[\"FAILED\"],\"tag\":\"" + tag + "\"}").statusCode());
        String name = unique("alerted");
        assertEquals(201, api.send("POST", "api/tasks", "application/json",
                "{\"name\":\"" + name + "\",\"tags\":[\"" + tag + "\"]}").statusCode());
        api.report(name, "FAILED", "nobody listens on port 9");
        openLive("");

        browser.find("#alerts summary").click();
        String text;
        try {
            text = browser.await("the channel's row with its last delivery", d -> {
                // Each opening loads again: close and open until the failed delivery to port 9 is in the log. The
                // text is read inside the wait: a row found before a reload is gone after it (stale element).
                browser.find("#alerts summary").click();
                browser.find("#alerts summary").click();
                try {
                    return d.findElements(By.cssSelector("#alerts-channels tr[data-channel-id='" + id + "']")).stream()
                            .map(WebElement::getText).filter(t -> t.contains(name) && t.contains("FAILED")).findFirst()
                            .orElse(null);
                } catch (org.openqa.selenium.StaleElementReferenceException reloaded) {
                    return null;
                }
            });
        } catch (RuntimeException e) {
            browser.screenshot("page-alerts-failed");
            throw new AssertionError("alerts section: " + browser.find("#alerts").getText(), e);
        }
        assertTrue(text.contains(tag + " hook") && text.contains("webhook") && text.contains("http://127.0.0.2:9/…"), text);
        assertTrue(text.contains("FAILED") && text.contains("tagged " + tag), text);
        assertFalse(text.contains(secret) || text.contains("t0k3n"), "no secret on the page: " + text);
        browser.driver().executeScript("arguments[0].scrollIntoView()", browser.find("#alerts"));
        browser.screenshot("page-alerts");
        // Its alert would be retried every second for the rest of this class's tests.
        assertEquals(204, api.send("DELETE", "api/channels/" + id, null, null).statusCode());
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

    @Test
    void filterAndSearchLiveInTheUrlAndSurviveABookmark() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String failing = "filter-fails-" + tag;
        String passing = "filter-passes-" + tag;
        api.create(failing, "job " + tag);
        api.create(passing, "job " + tag);
        api.report(failing, "FAILED", "exit 2");
        api.report(passing, "SUCCEEDED", "ok");
        api.awaitPublished(passing);
        openLive("");

        browser.find("#count-FAILED").click();
        browser.await("status in the URL", d -> d.getCurrentUrl().contains("status=FAILED"));
        assertEquals("true", browser.find("#count-FAILED").getDomAttribute("aria-pressed"));
        browser.await("only failed rows", d -> visibleRows().stream().allMatch(r -> "FAILED".equals(r.getDomAttribute("data-status"))));
        browser.find("#search").sendKeys(tag);
        browser.await("search in the URL", d -> d.getCurrentUrl().contains("q=" + tag));
        browser.await("only the failing task", d -> visibleNames().equals(List.of(failing)));

        String bookmark = browser.driver().getCurrentUrl();
        browser.open(base.toString());
        browser.open(bookmark);
        browser.await("bookmark restores the view", d -> visibleNames().equals(List.of(failing)));
        assertEquals(tag, browser.find("#search").getDomProperty("value"));
        assertEquals("true", browser.find("#count-FAILED").getDomAttribute("aria-pressed"));

        browser.find("#count-total").click();
        browser.await("filter cleared", d -> !d.getCurrentUrl().contains("status="));
        browser.await("both tasks", d -> visibleNames().containsAll(List.of(failing, passing)));
        browser.find("#sort").click();
        browser.await("sort in the URL", d -> d.getCurrentUrl().contains("sort=changed"));
        api.report(failing, "SUCCEEDED", "newest change");
        browser.await("newest change first", d -> visibleNames().get(0).equals(failing));
        browser.screenshot("page-filtered-sorted");
    }

    @Test
    void detailPanelShowsTheStatusHistoryNewestFirst() {
        String name = unique("detail");
        api.create(name, "has a history");
        api.report(name, "FAILED", "exit 1");
        api.report(name, "SUCCEEDED", "fixed");
        api.awaitPublished(name);
        openLive("?q=" + name);

        WebElement open = browser.await("row button", d -> row(name).findElement(By.cssSelector("button.task-open")));
        open.click();

        browser.await("panel open", d -> browser.find("#detail").getDomAttribute("hidden") == null);
        assertEquals(name, browser.find("#detail-title").getText());
        List<WebElement> entries = browser.await("history loaded",
                d -> d.findElements(By.cssSelector("#detail-history li")).size() >= 3 ? d.findElements(By.cssSelector("#detail-history li")) : null);
        assertEquals(List.of("SUCCEEDED", "FAILED", "NOT_RUN"),
                entries.stream().map(e -> e.getDomAttribute("data-status")).toList());
        assertTrue(entries.get(0).getText().contains("fixed"));
        assertTrue(entries.get(0).findElement(By.tagName("time")).getDomAttribute("datetime").startsWith("20"));
        browser.screenshot("page-detail");

        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await("panel closed", d -> browser.find("#detail").getDomAttribute("hidden") != null);
        browser.await("focus back on the row", d -> "task-open".equals(d.switchTo().activeElement().getDomAttribute("class")));
    }

    @Test
    void detailPanelShowsTheLastRunsAsBarsAndTheirOutputLiterally() {
        String name = unique("detail-runs");
        api.create(name, "has runs");
        api.send("POST", "api/tasks/by-name/" + name + "/start", null, null);
        HttpResponse<String> first = api.send("PUT", "api/tasks/by-name/" + name + "/status?exitCode=2", "text/plain",
                "compiling\n<script>alert('x')</script><img src=x onerror=alert(1)>\nerror: 3 tests failed\n");
        assertEquals(200, first.statusCode(), first.body());
        api.send("POST", "api/tasks/by-name/" + name + "/start", null, null);
        api.send("PUT", "api/tasks/by-name/" + name + "/status", "application/json", "{\"exitCode\":0}");
        api.awaitPublished(name);
        openLive("?q=" + name);

        browser.await("row button", d -> row(name).findElement(By.cssSelector("button.task-open"))).click();
        List<WebElement> runs = browser.await("runs loaded",
                d -> d.findElements(By.cssSelector("#detail-runs li.run-item")).size() >= 2
                        ? d.findElements(By.cssSelector("#detail-runs li.run-item")) : null);
        assertEquals(List.of("SUCCEEDED", "FAILED"), runs.stream().map(e -> e.getDomAttribute("data-status")).toList());
        assertTrue(runs.get(1).getText().contains("exit code 2"), runs.get(1).getText());
        List<WebElement> bars = browser.driver().findElements(By.cssSelector("#detail-chart .run-bar"));
        assertEquals(List.of("run-bar run-bar-FAILED", "run-bar run-bar-SUCCEEDED"),
                bars.stream().map(b -> b.getDomAttribute("class")).toList(), "oldest first, coloured by result");

        runs.get(1).findElement(By.cssSelector("button.run-output-button")).click();
        WebElement output = browser.await("output shown", d -> browser.find("#detail-output").getDomAttribute("hidden") == null
                ? browser.find("#detail-output") : null);
        assertTrue(output.getText().contains("<script>alert('x')</script>"), "shown as text: " + output.getText());
        assertTrue(output.findElements(By.tagName("img")).isEmpty() && output.findElements(By.tagName("script")).isEmpty());
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
        browser.screenshot("page-detail-runs");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
    }

    @Test
    void pauseFreezesTheTableAndResumeAppliesWhatWaited() {
        String name = unique("paused");
        api.create(name, "changes while paused");
        api.awaitPublished(name);
        openLive("?q=" + name);
        browser.await("row", d -> row(name));

        browser.find("#pause").click();
        assertEquals("true", browser.find("#pause").getDomAttribute("aria-pressed"));
        api.report(name, "FAILED", "while paused");
        browser.await("a change waits", d -> browser.find("#paused-count").getText().matches(".*\\d.*"));
        assertEquals("NOT_RUN", row(name).getDomAttribute("data-status"));

        browser.find("#pause").click();
        browser.await("applied on resume", d -> "FAILED".equals(row(name).getDomAttribute("data-status")));
    }

    @Test
    void wallModeHidesControlsAndPutsFailuresFirst() {
        String name = unique("wall");
        api.create(name, "fails on the wall");
        api.report(name, "FAILED", "red on the TV");
        api.awaitPublished(name);

        openLive("?wall=1");

        assertTrue(browser.find("body").getDomAttribute("class").contains("wall"));
        assertTrue(!browser.find("#search").isDisplayed() && !browser.find("#pause").isDisplayed());
        browser.await("failures first", d -> "FAILED".equals(visibleRows().get(0).getDomAttribute("data-status")));
        browser.screenshot("page-wall");
    }

    @Test
    void languageSwitchesAtAClickAndIsRemembered() {
        openLive("");
        browser.driver().executeScript("localStorage.removeItem('taskpulse.lang')");
        browser.open(base.toString());
        browser.await("English by default for an English browser", d -> "en".equals(browser.find("html").getDomAttribute("lang")));

        browser.find("#lang").click();

        browser.await("Chinese", d -> "zh-CN".equals(browser.find("html").getDomAttribute("lang")));
        assertTrue(browser.find("#count-FAILED").getText().contains("执行失败"), browser.find("#count-FAILED").getText());
        browser.open(base.toString());
        browser.await("still Chinese after a reload", d -> "zh-CN".equals(browser.find("html").getDomAttribute("lang")));
        browser.screenshot("page-chinese");
        browser.find("#lang").click();
        browser.await("English again", d -> "en".equals(browser.find("html").getDomAttribute("lang")));
    }

    @Test
    void failureIsAnnouncedToScreenReaders() {
        String name = unique("announced");
        api.create(name, "announced when it fails");
        api.awaitPublished(name);
        openLive("");

        api.report(name, "FAILED", "disk full");

        browser.await("announcement", d -> browser.find("#announcer").getText().contains(name));
        assertEquals("assertive", browser.find("#announcer").getDomAttribute("aria-live"));
    }

    @Test
    void everyControlIsReachableAndUsableWithTheKeyboardAlone() {
        String name = unique("keyboard");
        api.create(name, "driven by keys");
        api.awaitPublished(name);
        openLive("?q=" + name);
        browser.await("row", d -> row(name));

        java.util.Set<String> reached = new java.util.LinkedHashSet<>();
        // Start from the top of the document, as a keyboard user who just loaded the page does.
        browser.driver().executeScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
        for (int i = 0; i < 20; i++) {
            new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.driver().switchTo().activeElement();
            String id = focused.getDomAttribute("id");
            reached.add(id != null ? "#" + id : "." + focused.getDomAttribute("class"));
            if (".task-open".equals("." + focused.getDomAttribute("class"))) {
                break;
            }
        }
        assertTrue(reached.containsAll(List.of("#count-FAILED", "#count-total", "#lang", "#search", "#sort", "#pause", ".task-open")),
                "reached by Tab: " + reached);

        new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        browser.await("detail opened by Enter", d -> browser.find("#detail").getDomAttribute("hidden") == null);
        new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
        browser.await("closed by Escape", d -> browser.find("#detail").getDomAttribute("hidden") != null);

        WebElement sort = browser.find("#sort");
        browser.driver().executeScript("arguments[0].focus()", sort);
        new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys(Keys.SPACE).perform();
        browser.await("sort toggled by Space", d -> "Sort by ID".equals(browser.find("#sort-label").getText()));
    }

    /**
     * The board is drawn from one GET api/feed, before the WebSocket delivers anything: with the WebSocket refused,
     * the first rows are there while the badge still says "Connecting…" (they used to wait for the WebSocket's
     * snapshot, or here for the polling fallback). Refused for good, the page still falls back to polling, and goes
     * live when the WebSocket is back.
     */
    @Test
    void boardIsDrawnBeforeTheWebSocketIsUp() {
        String name = unique("early");
        api.create(name, "drawn from the first request");
        api.awaitPublished(name);
        api.send("POST", "it/ws-gate?open=false", null, null);
        // Notes the page's state the moment the first rows appear, from the first line of script on.
        Object watch = browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.firstRows = null;
                new MutationObserver((changes, observer) => {
                  if (document.querySelector('tr[data-task-id]')) {
                    window.firstRows = {
                      connection: document.body.dataset.connection,
                      badge: document.getElementById('connection-label').textContent,
                      total: document.querySelector('#count-total .pill-number').textContent,
                    };
                    observer.disconnect();
                  }
                }).observe(document, { subtree: true, childList: true });
                """)).get("identifier");
        try {
            browser.open(base + "");
            Map<?, ?> first = browser.await("rows drawn",
                    d -> (Map<?, ?>) browser.driver().executeScript("return window.firstRows"));
            assertEquals("reconnecting", first.get("connection"), "drawn before the WebSocket or polling: " + first);
            assertEquals("Connecting…", first.get("badge"), first.toString());
            assertEquals(api.tasks().size(), number((String) first.get("total")), "every task counted: " + first);
        } finally {
            browser.driver().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", watch));
        }
        browser.await("badge says polling", d -> "polling".equals(browser.body("connection")));
        api.send("POST", "it/ws-gate?open=true", null, null);
        browser.await("badge back to live", Duration.ofSeconds(60), d -> "live".equals(browser.body("connection")));
    }

    /** The sort button names the order a click gives; the sorted column's header shows the order the table has. */
    @Test
    void sortButtonSaysWhatItDoesAndTheHeaderSaysTheOrder() {
        String stem = unique("order");
        api.create(stem + "-a", "created first");
        api.create(stem + "-b", "created second, changed last");
        api.report(stem + "-b", "SUCCEEDED", "ok");
        api.awaitPublished(stem + "-b");
        openLive("?q=" + stem);
        browser.await("both rows", d -> visibleNames().size() == 2);

        assertSorted("Sort by last change", "ascending", null, List.of(stem + "-a", stem + "-b"));
        browser.find("#sort").click();
        browser.await("sorted by change", d -> "Sort by ID".equals(browser.find("#sort-label").getText()));
        assertSorted("Sort by ID", null, "descending", List.of(stem + "-b", stem + "-a"));
        assertTrue(browser.find("#sort").getDomAttribute("title").startsWith("Sorted by last change"));

        browser.find("#lang").click();
        browser.await("Chinese", d -> "zh-CN".equals(d.findElement(By.tagName("html")).getDomAttribute("lang")));
        try {
            assertEquals("按 ID 排序", browser.find("#sort-label").getText());
            browser.find("#sort").click();
            browser.await("sorted by id", d -> "按最近变更排序".equals(browser.find("#sort-label").getText()));
            assertEquals("ascending", browser.find("th.col-id").getDomAttribute("aria-sort"));
            assertEquals(List.of(stem + "-a", stem + "-b"), visibleNames());
        } finally {
            browser.find("#lang").click();   // the language is remembered: leave English for the other tests
            browser.await("English", d -> "en".equals(d.findElement(By.tagName("html")).getDomAttribute("lang")));
        }
    }

    @Test
    void theTagBarShowsEachTagsWorstStateFiltersByTagFromTheUrlAndFollowsChanges() {
        String tag = "team:" + UUID.randomUUID().toString().substring(0, 8);
        String failing = unique("tag-failing");
        String fine = unique("tag-fine");
        String untagged = unique("tag-none");
        for (String name : List.of(failing, fine)) {
            HttpResponse<String> created = api.send("POST", "api/tasks", "application/json",
                    "{\"name\":\"" + name + "\",\"tags\":[\"" + tag + "\",\"nightly\"]}");
            assertEquals(201, created.statusCode(), created.body());
            api.report(name, "SUCCEEDED", "fine");
        }
        api.create(untagged, "no tags");
        api.awaitPublished(untagged);

        // A team's bookmark: only its tasks, its tag pressed.
        openLive("?tag=" + Api.encode(tag));
        String pill = "#tag-list button[data-tag=\"" + tag + "\"]";
        browser.await("the tag bar shows the tag, all succeeded", d -> !d.findElements(By.cssSelector(pill)).isEmpty()
                && "SUCCEEDED".equals(browser.find(pill).getDomAttribute("data-state")));
        assertEquals("true", browser.find(pill).getDomAttribute("aria-pressed"));
        assertEquals(2, number(browser.find(pill + " .pill-number").getText()));
        browser.await("only the tag's tasks", d -> visibleNames().equals(List.of(failing, fine)));
        assertTrue(row(fine).findElement(By.cssSelector(".col-description")).getText().contains(tag), row(fine).getText());

        // One of its tasks fails: the tag turns FAILED without a reload.
        api.report(failing, "FAILED", "disk full");
        browser.await("the tag rolls up to FAILED", Duration.ofSeconds(5),
                d -> "FAILED".equals(browser.find(pill).getDomAttribute("data-state")));
        browser.screenshot("page-tag-bar");

        browser.find(pill).click();
        browser.await("the filter is gone from the URL", d -> !d.getCurrentUrl().contains("tag="));
        browser.await("every task shown again", d -> visibleNames().contains(untagged));
    }

    private void assertSorted(String button, String idOrder, String changedOrder, List<String> names) {
        assertEquals(button, browser.find("#sort-label").getText());
        assertEquals(idOrder, browser.find("th.col-id").getDomAttribute("aria-sort"));
        assertEquals(changedOrder, browser.find("th.col-changed").getDomAttribute("aria-sort"));
        assertEquals(names, visibleNames());
    }

    private List<WebElement> visibleRows() {
        @SuppressWarnings("unchecked")
        List<WebElement> rows = (List<WebElement>) browser.driver().executeScript(
                "return [...document.querySelectorAll('tr[data-task-id]')].filter(r => !r.hidden && getComputedStyle(r).display !== 'none')");
        return rows;
    }

    private List<String> visibleNames() {
        return visibleRows().stream().map(r -> r.findElement(By.cssSelector("button.task-open")).getText()).toList();
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
