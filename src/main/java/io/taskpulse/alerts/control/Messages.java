package io.taskpulse.alerts.control;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.alerts.entity.Alert;
import io.taskpulse.alerts.entity.Transition;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an alert says on each channel. Task names and messages are data: JSON-encoded in webhooks, escaped for Slack
 * (&amp;, &lt;, &gt;, so no link or mention can be forged), and in the body of an e-mail only (its headers come from
 * the channel and the transition, never from task text). The webhook body does not change between attempts, so a
 * duplicate is byte for byte the same alert.
 */
public final class Messages {

    private Messages() {
    }

    /** The webhook body: see docs/api.md, "Webhook payload". */
    public static String webhook(Alert alert, Duration window) {
        JsonObjectBuilder task = JSON.createObjectBuilder().add("name", alert.getTaskName());
        if (alert.getTaskId() != null) {
            task.add("id", alert.getTaskId());
        }
        if (alert.getTaskStatus() != null) {
            task.add("status", alert.getTaskStatus());
        }
        if (alert.getTaskMessage() != null) {
            task.add("message", alert.getTaskMessage());
        }
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("id", alert.getKey())
                .add("transition", alert.getTransition().name())
                .add("occurredAt", alert.getOccurredAt().toString())
                .add("task", task)
                .add("text", text(alert, window));
        if (alert.getTransition() == Transition.FLAPPING) {
            body.add("transitions", alert.getTransitions());
        }
        return body.build().toString();
    }

    /** A Slack incoming-webhook body: {"text": ...} with Slack's three characters escaped. */
    public static String slack(Alert alert, Duration window) {
        return JSON.createObjectBuilder().add("text", slackEscape(text(alert, window))).build().toString();
    }

    /** The subject of an e-mail: from the transition and task id only, never from task text. */
    public static String subject(Alert alert) {
        return "[TaskPulse] " + alert.getTransition().name()
                + (alert.getTaskId() == null ? "" : " (task " + alert.getTaskId() + ")");
    }

    /** One line people read: the same on every channel. */
    public static String text(Alert alert, Duration window) {
        String name = alert.getTaskName();
        String message = alert.getTaskMessage() == null ? "" : ": " + alert.getTaskMessage();
        return switch (alert.getTransition()) {
            case FAILED -> "FAILED: task " + name + " failed" + message;
            case OVERDUE -> "OVERDUE: task " + name + " did not run when expected";
            case RECOVERED -> "RECOVERED: task " + name + " succeeded again" + message;
            case FLAPPING -> "FLAPPING: task " + name + " changed state " + alert.getTransitions() + " times within "
                    + window.toMinutes() + " min; now " + alert.getTaskStatus()
                    + "; its further alerts are not sent until that window ends";
            case TEST -> "TEST: this channel works (a test alert from TaskPulse)";
        };
    }

    /** Slack's escaping of message text: only &amp;, &lt; and &gt;, replaced by entities. */
    public static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** {@code sha256=<hex>}: HMAC-SHA256 of the exact body bytes with the channel's secret. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
