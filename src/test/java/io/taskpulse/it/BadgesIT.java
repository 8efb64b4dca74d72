package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's badges and plain-text status, as a README image proxy and a shell script use them: the badge follows
 * the board, revalidates cheaply with its ETag, and says "not found" as an image; status.txt is one word.
 */
class BadgesIT extends DeployedIT {

    @Test
    void aBadgeFollowsTheTaskAndRevalidatesWithItsEtag() {
        String name = unique("nightly-backup");
        api.create(name, "badge");
        api.awaitPublished(name);
        HttpResponse<String> notRun = api.send("GET", "badge/" + name + ".svg", null, null);
        assertEquals(200, notRun.statusCode(), notRun.body());
        assertEquals("image/svg+xml", notRun.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(notRun.body().contains(">not run<"), notRun.body());
        assertEquals("no-cache", notRun.headers().firstValue("Cache-Control").orElse(""));
        String etag = notRun.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> unchanged = api.send(api.request("GET", "badge/" + name + ".svg", null, null)
                .header("If-None-Match", etag));
        assertEquals(304, unchanged.statusCode());

        api.report(name, "FAILED", "disk full");
        api.awaitPublished(name);
        HttpResponse<String> failed = api.send(api.request("GET", "badge/" + name + ".svg", null, null)
                .header("If-None-Match", etag));
        assertEquals(200, failed.statusCode(), "a changed state is a new image");
        assertTrue(failed.body().contains(">failed<") && failed.body().contains("#e05d44"), failed.body());
        assertFalse(etag.equals(failed.headers().firstValue("ETag").orElse("")));

        HttpResponse<String> chinese = api.send("GET", "badge/" + name + ".svg?lang=zh&label=backup", null, null);
        assertTrue(chinese.body().contains(">执行失败<") && chinese.body().contains(">backup<"), chinese.body());
    }

    @Test
    void aTagsBadgeShowsItsWorstTaskAndHowManyAreInThatState() {
        String tag = "team:" + unique("db").toLowerCase();
        String first = unique("vacuum");
        String second = unique("backup");
        for (String name : new String[] {first, second}) {
            assertEquals(201, api.send("POST", "api/tasks", "application/json", "{\"name\":\"" + name + "\",\"tags\":[\"" + tag
                    + "\"]}").statusCode());
            api.report(name, "SUCCEEDED", "fine");
        }
        api.awaitPublished(second);
        HttpResponse<String> fine = api.send("GET", "badge/tag/" + tag + ".svg", null, null);
        assertTrue(fine.body().contains(">succeeded 2/2<"), fine.body());

        api.report(first, "FAILED", "locks");
        api.awaitPublished(first);
        HttpResponse<String> failed = api.send("GET", "badge.svg?tag=" + Api.encode(tag), null, null);
        assertTrue(failed.body().contains(">failed 1/2<") && failed.body().contains(">" + tag + "<"), failed.body());
        assertEquals(404, api.send("GET", "badge/tag/" + unique("nobody") + ".svg", null, null).statusCode());
    }

    @Test
    void aNameWithASlashOrMarkupHasABadgeThatStaysAnImage() {
        String name = unique("deploy/<b>prod</b>");
        api.create(name, "slash and markup");
        api.awaitPublished(name);
        HttpResponse<String> byQuery = api.send("GET", "badge.svg?name=" + Api.encode(name), null, null);
        assertEquals(200, byQuery.statusCode(), byQuery.body());
        assertTrue(byQuery.body().contains("&lt;b&gt;prod&lt;/b&gt;"), byQuery.body());
        assertFalse(byQuery.body().contains("<b>"), byQuery.body());
    }

    @Test
    void anUnknownTaskIsANotFoundImageAndBadRequestsAreProblems() {
        HttpResponse<String> unknown = api.send("GET", "badge/" + unique("never") + ".svg", null, null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains(">not found<"), unknown.body());
        assertEquals("image/svg+xml", unknown.headers().firstValue("Content-Type").orElse("").split(";")[0]);

        Api.assertProblem(400, "lang", api.send("GET", "badge/x.svg?lang=fr", null, null));
        Api.assertProblem(400, "unknown query parameter", api.send("GET", "badge/x.svg?colour=red", null, null));
        Api.assertProblem(404, "no badge here", api.send("GET", "badge/x.png", null, null));
        Api.assertProblem(404, "no badge here", api.send("GET", "badge.svg?name=a&tag=b", null, null));
        Api.assertProblem(405, "allowed: GET", api.send("POST", "badge/x.svg", null, null));
    }

    @Test
    void statusTextIsOneWordAShellScriptCanCompare() {
        String name = unique("cron/hourly");
        api.create(name, "status.txt");
        HttpResponse<String> notRun = api.send("GET", "api/tasks/status.txt?name=" + Api.encode(name), null, null);
        assertEquals(200, notRun.statusCode());
        assertEquals("NOT_RUN\n", notRun.body());
        assertEquals("text/plain", notRun.headers().firstValue("Content-Type").orElse("").split(";")[0]);

        Api.ok(api.send("POST", "api/tasks/start?name=" + Api.encode(name), null, null));
        assertEquals("RUNNING\n", api.send("GET", "api/tasks/status.txt?name=" + Api.encode(name), null, null).body());
        api.report(name, "SUCCEEDED", "ok");
        long id = api.task(name).getJsonNumber("id").longValue();
        assertEquals("SUCCEEDED\n", api.send("GET", "api/tasks/" + id + "/status.txt", null, null).body());

        String plain = unique("plain");
        api.create(plain, "by name in the path");
        assertEquals("NOT_RUN\n", api.send("GET", "api/tasks/by-name/" + plain + "/status.txt", null, null).body());
        Api.assertProblem(404, "no task named", api.send("GET", "api/tasks/by-name/" + unique("none") + "/status.txt", null, null));
    }
}
