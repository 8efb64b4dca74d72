package io.taskpulse.alerts.control;

import io.taskpulse.alerts.entity.Alert;
import io.taskpulse.alerts.entity.Channel;
import io.taskpulse.alerts.entity.Delivery;
import io.taskpulse.alerts.entity.Outcome;
import io.taskpulse.alerts.entity.Rule;
import io.taskpulse.alerts.entity.Transition;
import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Channels and rules as the API manages them: what a valid one is (a refused request names what was wrong and writes
 * nothing), and the channels' test call.
 */
@ApplicationScoped
public class AlertSetup {

    static final Set<String> CHANNEL_FIELDS = Set.of("name", "kind", "url", "secret", "host", "port", "from", "to");
    static final Set<String> RULE_FIELDS = Set.of("channel", "transitions", "name", "tag");
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>,;:\"()\\[\\]\\\\]+@[A-Za-z0-9.-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext
    EntityManager em;

    @Inject
    Settings settings;

    @Inject
    Senders senders;

    @Inject
    Outbox outbox;

    /** A new channel, and the secret it signs with when the request let TaskPulse choose one (shown this once). */
    public record Created(Channel channel, String generatedSecret) {
    }

    @Transactional
    public Created createChannel(JsonObject body) {
        onlyFields(body, CHANNEL_FIELDS);
        String name = text(body, "name", 100, true);
        String kindText = text(body, "kind", 16, true);
        Channel.Kind kind;
        try {
            kind = Channel.Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw TaskRejected.invalid("kind must be one of webhook, slack, email; not " + TaskRejected.quote(kindText));
        }
        Channel channel;
        String generated = null;
        if (kind == Channel.Kind.EMAIL) {
            forbid(body, kind, "url", "secret");
            String host = text(body, "host", 255, true);
            if (!HOST.matcher(host).matches()) {
                throw TaskRejected.invalid("host must be a host name or address, not " + TaskRejected.quote(host));
            }
            JsonValue portValue = body.get("port");
            int port = 25;
            if (portValue != null) {
                if (!(portValue instanceof JsonNumber number) || !number.isIntegral()
                        || number.intValue() < 1 || number.intValue() > 65535) {
                    throw TaskRejected.invalid("port must be a whole number from 1 to 65535");
                }
                port = number.intValue();
            }
            String from = text(body, "from", 320, true);
            if (!ADDRESS.matcher(from).matches()) {
                throw TaskRejected.invalid("from must be one e-mail address (name@example.com), not " + TaskRejected.quote(from));
            }
            String to = text(body, "to", 2000, true);
            String[] recipients = to.split(",");
            if (recipients.length > 20) {
                throw TaskRejected.invalid("to names more than 20 addresses");
            }
            for (String recipient : recipients) {
                if (!ADDRESS.matcher(recipient.strip()).matches()) {
                    throw TaskRejected.invalid("to must be e-mail addresses separated by commas; "
                            + TaskRejected.quote(recipient.strip()) + " is not one");
                }
            }
            refuseTarget("host", host);
            channel = Channel.email(name, host, port, from, String.join(",", List.of(recipients).stream().map(String::strip).toList()));
        } else {
            forbid(body, kind, "host", "port", "from", "to");
            String url = text(body, "url", 2000, true);
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw TaskRejected.invalid("url is not a URL: " + TaskRejected.quote(url));
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                throw TaskRejected.invalid("url must be an absolute http or https URL with a host and no user or fragment");
            }
            refuseTarget("url", uri.getHost());
            String secret = null;
            if (kind == Channel.Kind.WEBHOOK) {
                secret = text(body, "secret", 200, false);
                if (secret != null && secret.length() < 16) {
                    throw TaskRejected.invalid("secret must have at least 16 characters");
                }
                if (secret == null) {
                    byte[] bytes = new byte[24];
                    RANDOM.nextBytes(bytes);
                    secret = HexFormat.of().formatHex(bytes);
                    generated = secret;
                }
            } else {
                forbid(body, kind, "secret");
            }
            channel = Channel.webhook(name, kind, uri.toString(), secret);
        }
        em.persist(channel);
        em.flush();
        return new Created(channel, generated);
    }

    @Transactional
    public List<Channel> channels() {
        return em.createNamedQuery(Channel.ALL, Channel.class).getResultList();
    }

    @Transactional
    public Channel channel(long id) {
        Channel channel = em.find(Channel.class, id);
        if (channel == null) {
            throw TaskRejected.notFound("no channel with id " + id);
        }
        return channel;
    }

    @Transactional
    public void deleteChannel(long id) {
        em.remove(channel(id));
    }

    @Transactional
    public Rule createRule(JsonObject body) {
        onlyFields(body, RULE_FIELDS);
        JsonValue channelValue = body.get("channel");
        if (!(channelValue instanceof JsonNumber number) || !number.isIntegral()) {
            throw TaskRejected.invalid("channel is required: the id of a channel (see GET /api/channels)");
        }
        long channelId = number.longValue();
        if (em.find(Channel.class, channelId) == null) {
            throw TaskRejected.invalid("channel " + channelId + " does not exist");
        }
        JsonValue transitionsValue = body.get("transitions");
        if (!(transitionsValue instanceof JsonArray array) || array.isEmpty()) {
            throw TaskRejected.invalid("transitions is required: a non-empty array of FAILED, OVERDUE, RECOVERED");
        }
        Set<Transition> transitions = EnumSet.noneOf(Transition.class);
        for (JsonValue value : array) {
            String wanted = value instanceof JsonString s ? s.getString().strip().toUpperCase(Locale.ROOT) : null;
            Transition transition = null;
            for (Transition t : Transition.SELECTABLE) {
                if (t.name().equals(wanted)) {
                    transition = t;
                }
            }
            if (transition == null) {
                throw TaskRejected.invalid("transitions may hold FAILED, OVERDUE, RECOVERED; not " + value);
            }
            transitions.add(transition);
        }
        String pattern = text(body, "name", 200, false);
        String tag = text(body, "tag", 100, false);
        if (tag != null) {
            // The rules of a task's tags: a rule for a tag no task can have would never match, silently.
            io.taskpulse.tasks.entity.Tags.valid(tag);
        }
        Rule rule = new Rule(channelId, transitions, pattern, tag);
        em.persist(rule);
        em.flush();
        return rule;
    }

    @Transactional
    public List<Rule> rules() {
        return em.createNamedQuery(Rule.ALL, Rule.class).getResultList();
    }

    @Transactional
    public Rule rule(long id) {
        Rule rule = em.find(Rule.class, id);
        if (rule == null) {
            throw TaskRejected.notFound("no rule with id " + id);
        }
        return rule;
    }

    @Transactional
    public void deleteRule(long id) {
        em.remove(rule(id));
    }

    @Transactional
    public List<Delivery> deliveries(long channelId, int limit) {
        channel(channelId);
        return em.createNamedQuery(Delivery.OF_CHANNEL, Delivery.class).setParameter("channel", channelId)
                .setMaxResults(limit).getResultList();
    }

    /** Sends a test alert now (one attempt, no retry) and logs it with the channel's deliveries. */
    public Outcome test(long channelId) {
        Channel channel = channel(channelId);
        Alert alert = Alert.test(channelId, Instant.now());
        long started = System.nanoTime();
        Outcome outcome = senders.send(channel, alert);
        outbox.logged(alert, outcome, Instant.now(), (System.nanoTime() - started) / 1_000_000);
        return outcome;
    }

    private void refuseTarget(String field, String host) {
        String refused = Targets.parse(settings.alertsAllowHosts()).refusal(host);
        if (refused != null) {
            throw TaskRejected.invalid(field + " refused: " + refused);
        }
    }

    private static void onlyFields(JsonObject body, Set<String> allowed) {
        for (String field : body.keySet()) {
            if (!allowed.contains(field)) {
                throw TaskRejected.invalid("unknown field " + TaskRejected.quote(field) + "; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static void forbid(JsonObject body, Channel.Kind kind, String... fields) {
        for (String field : fields) {
            if (body.containsKey(field)) {
                throw TaskRejected.invalid(field + " does not apply to a " + kind.name().toLowerCase(Locale.ROOT) + " channel");
            }
        }
    }

    private static String text(JsonObject body, String field, int max, boolean required) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            if (required) {
                throw TaskRejected.invalid(field + " is required");
            }
            return null;
        }
        if (!(value instanceof JsonString string)) {
            throw TaskRejected.invalid(field + " must be a string");
        }
        String text = string.getString().strip();
        if (text.isEmpty()) {
            if (required) {
                throw TaskRejected.invalid(field + " is required");
            }
            return null;
        }
        if (text.length() > max) {
            throw TaskRejected.invalid(field + " is longer than " + max + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw TaskRejected.invalid(field + " must not contain control characters");
        }
        return text;
    }
}
