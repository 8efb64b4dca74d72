package io.taskpulse.alerts.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.alerts.entity.Channel;
import io.taskpulse.alerts.entity.Delivery;
import io.taskpulse.alerts.entity.Rule;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.util.Locale;

/** The wire form of channels, rules and deliveries. A channel's secret never appears; nor does a URL's path or query. */
final class AlertJson {

    private AlertJson() {
    }

    static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw TaskRejected.invalid("a JSON object is required");
        }
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw TaskRejected.invalid("the body must be a JSON object");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw TaskRejected.invalid("the body is not valid JSON");
        }
    }

    static JsonObjectBuilder channel(Channel channel) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", channel.getId())
                .add("name", channel.getName())
                .add("kind", channel.getKind().name().toLowerCase(Locale.ROOT));
        switch (channel.getKind()) {
            case WEBHOOK -> json.add("url", origin(channel.getUrl()) + "/…").add("signed", channel.secret() != null);
            case SLACK -> json.add("url", origin(channel.getUrl()) + "/…");
            case EMAIL -> json.add("host", channel.getSmtpHost()).add("port", channel.getSmtpPort())
                    .add("from", channel.getMailFrom()).add("to", channel.getMailTo());
        }
        return json;
    }

    static JsonObjectBuilder rule(Rule rule) {
        JsonArrayBuilder transitions = JSON.createArrayBuilder();
        rule.getTransitions().forEach(t -> transitions.add(t.name()));
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", rule.getId())
                .add("channel", rule.getChannelId())
                .add("transitions", transitions);
        if (rule.getNamePattern() != null) {
            json.add("name", rule.getNamePattern());
        }
        if (rule.getTag() != null) {
            json.add("tag", rule.getTag());
        }
        return json;
    }

    static JsonObjectBuilder delivery(Delivery delivery) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("at", delivery.getAt().toString())
                .add("transition", delivery.getTransition())
                .add("attempt", delivery.getAttempt());
        if (delivery.getTaskName() != null) {
            json.add("task", delivery.getTaskName());
        }
        if (delivery.getAlertKey() != null) {
            json.add("alert", delivery.getAlertKey());
        }
        if (delivery.getHttpStatus() != null) {
            json.add("status", delivery.getHttpStatus());
        }
        if (delivery.getError() != null) {
            json.add("error", delivery.getError());
        }
        if (delivery.getDurationMs() != null) {
            json.add("durationMs", delivery.getDurationMs());
        }
        return json;
    }

    /**
     * A Slack incoming-webhook URL is itself the secret, and so are many webhook URLs (a token in the path or the
     * query): only where it points is shown, never the path.
     */
    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
