package io.taskpulse.alerts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.alerts.entity.Alert;
import io.taskpulse.alerts.entity.Transition;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private final Alert alert = new Alert(1, 2L, 42L, "<!channel> & <http://evil|click>\nBcc: x@y", Transition.FAILED,
            "FAILED", "exit 3 <b>", 1, Instant.parse("2026-12-06T03:00:00Z"));

    @Test
    void slackTextEscapesAmpersandAndAngleBracketsSoNoMentionOrLinkCanBeForged() {
        String text = Json.createReader(new StringReader(Messages.slack(alert, Duration.ofMinutes(10)))).readObject()
                .getString("text");
        assertTrue(text.contains("&lt;!channel&gt; &amp; &lt;http://evil|click&gt;"), text);
        assertFalse(text.contains("<"));
    }

    @Test
    void theWebhookBodyCarriesTaskTextAsJsonData() {
        JsonObject body = Json.createReader(new StringReader(Messages.webhook(alert, Duration.ofMinutes(10)))).readObject();
        assertEquals(alert.getKey(), body.getString("id"));
        assertEquals("FAILED", body.getString("transition"));
        assertEquals(alert.getTaskName(), body.getJsonObject("task").getString("name"));
        assertEquals(42, body.getJsonObject("task").getInt("id"));
    }

    @Test
    void anEmailSubjectIsNeverBuiltFromTaskText() {
        assertEquals("[TaskPulse] FAILED (task 42)", Messages.subject(alert));
    }

    @Test
    void theSignatureIsHmacSha256OfTheBodyInHex() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Messages.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }
}
