package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import java.net.MalformedURLException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The outbox across a kill -9 and across two servers, with the real WAR as separate processes ({@link MicroNode}) and
 * a receiver that counts: every alert arrives; the only duplicate is the alert that was in flight when the server
 * died, with the same Idempotency-Key and body; with two servers on one PostgreSQL each alert arrives once.
 */
class AlertsAcrossRestartsIT {

    private static final String JSON = "application/json";

    private static List<String> settings(String derbyHome) {
        List<String> settings = new ArrayList<>(List.of("-Dtaskpulse.alerts.allow-hosts=" + Receiver.HOST,
                "-Dtaskpulse.alerts.lease=PT4S", "-Dtaskpulse.alerts.interval=PT0.2S",
                "-Dtaskpulse.alerts.retry.initial=PT0.2S", "-Dtaskpulse.alerts.retry.max=PT1S"));
        if (ExternalWriter.sharedDatabase()) {
            settings.add("-Dtaskpulse.db.url=" + ExternalWriter.databaseUrl());
            settings.add("-Dtaskpulse.db.user=" + ExternalWriter.databaseUser());
        } else {
            settings.add("-Dderby.system.home=" + System.getProperty("it.tmp", "target") + "/" + derbyHome + "-" + System.nanoTime());
            settings.add("-Dtaskpulse.db.url=");
        }
        return settings;
    }

    @Test
    void anAlertCaughtMidSendByAKillIsSentAgainWithTheSameKeyAndNoAlertIsLost() throws Exception {
        String[] settings = settings("derby-alerts-kill").toArray(String[]::new);
        int port = MicroNode.freePort();
        try (Receiver receiver = new Receiver()) {
            MicroNode node = MicroNode.start(port, settings).awaitReady();
            try {
                Api api = api(node);
                String prefix = "killed-" + UUID.randomUUID().toString().substring(0, 6) + "-";
                long channel = channel(api, receiver, "/killed");
                rule(api, channel, prefix + "*");
                receiver.delay(Duration.ofSeconds(30)); // the first alert is still in flight when the server dies
                List<String> names = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    names.add(prefix + i);
                    api.create(prefix + i, "watched");
                }
                for (String name : names) {
                    api.report(name, "FAILED", "before the kill");
                }
                receiver.await("/killed", 1);
                node.kill();
                receiver.delay(Duration.ZERO);

                node = MicroNode.start(port, settings).awaitReady();
                awaitKeys(receiver, "/killed", 4);
                awaitConfirmed(api(node), channel, 4);
                Map<String, List<Receiver.Received>> byKey = byKey(receiver.received("/killed"));
                assertEquals(4, byKey.size(), "every alert arrived: " + byKey.keySet());
                int duplicates = receiver.received("/killed").size() - byKey.size();
                // The receiver held its answer to the first alert past the kill: that alert was never confirmed, so it
                // comes again after its lease; the others were never sent before the kill, so they come once.
                assertEquals(1, duplicates, "exactly the alert in flight came twice: " + byKey.values().stream()
                        .map(List::size).toList());
                for (List<Receiver.Received> copies : byKey.values()) {
                    for (Receiver.Received copy : copies) {
                        assertEquals(copies.get(0).body(), copy.body(), "a duplicate is the same alert");
                    }
                }
            } finally {
                node.close();
            }
        }
    }

    @Test
    @EnabledIf("io.taskpulse.it.ExternalWriter#sharedDatabase")
    void withTwoServersOnOnePostgresqlEachAlertIsDeliveredOnce() throws Exception {
        String[] settings = settings("unused").toArray(String[]::new);
        try (Receiver receiver = new Receiver();
             MicroNode a = MicroNode.start(settings);
             MicroNode b = MicroNode.start(settings)) {
            CompletableFuture.allOf(CompletableFuture.runAsync(a::awaitReady), CompletableFuture.runAsync(b::awaitReady)).join();
            Api onA = api(a);
            Api onB = api(b);
            String prefix = "two-" + UUID.randomUUID().toString().substring(0, 6) + "-";
            long channel = channel(onA, receiver, "/two");
            rule(onA, channel, prefix + "*");
            int tasks = 30;
            for (int i = 0; i < tasks; i++) {
                (i % 2 == 0 ? onA : onB).create(prefix + i, "watched");
            }
            for (int i = 0; i < tasks; i++) {
                (i % 2 == 0 ? onB : onA).report(prefix + i, "FAILED", "report " + i);
            }
            awaitKeys(receiver, "/two", tasks);
            awaitConfirmed(onA, channel, tasks);
            assertEquals(tasks, receiver.received("/two").size(), "each alert once: " + byKey(receiver.received("/two")).size()
                    + " distinct of " + receiver.received("/two").size());
        }
    }

    private static Map<String, List<Receiver.Received>> awaitKeys(Receiver receiver, String path, int keys) {
        int seen = 0;
        while (true) {
            List<Receiver.Received> all = receiver.await(path, seen + 1);
            seen = all.size();
            Map<String, List<Receiver.Received>> byKey = byKey(all);
            if (byKey.size() >= keys) {
                return byKey;
            }
        }
    }

    private static Map<String, List<Receiver.Received>> byKey(List<Receiver.Received> received) {
        Map<String, List<Receiver.Received>> byKey = new HashMap<>();
        received.forEach(r -> byKey.computeIfAbsent(r.header("Idempotency-Key"), k -> new ArrayList<>()).add(r));
        return byKey;
    }

    /**
     * Every alert of the channel confirmed: the delivery log holds a 2xx for each (written in the transaction that marks
     * the alert SENT), so no attempt is planned any more and no further copy can come.
     */
    private static void awaitConfirmed(Api api, long channel, int alerts) {
        api.await(alerts + " alerts confirmed", () -> Api.structure(api.send("GET", "api/channels/" + channel
                        + "/deliveries?limit=1000", null, null).body()).asJsonArray().stream()
                        .map(jakarta.json.JsonValue::asJsonObject)
                        .filter(d -> d.getInt("status", 0) / 100 == 2).map(d -> d.getString("alert")).distinct().count(),
                confirmed -> confirmed >= alerts);
    }

    private static long channel(Api api, Receiver receiver, String path) {
        HttpResponse<String> created = api.send("POST", "api/channels", JSON, Json.createObjectBuilder().add("name", "counting")
                .add("kind", "webhook").add("url", receiver.url(path)).add("secret", "a-secret-for-the-restart-test")
                .build().toString());
        assertEquals(201, created.statusCode(), created.body());
        return Api.object(created.body()).getJsonNumber("id").longValue();
    }

    private static void rule(Api api, long channel, String pattern) {
        HttpResponse<String> created = api.send("POST", "api/rules", JSON, Json.createObjectBuilder().add("channel", channel)
                .add("transitions", Json.createArrayBuilder().add("FAILED")).add("name", pattern).build().toString());
        assertEquals(201, created.statusCode(), created.body());
    }

    private static Api api(MicroNode node) throws MalformedURLException {
        return new Api(node.base().toURL(), "");
    }
}
