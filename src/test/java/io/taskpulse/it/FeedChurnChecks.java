package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What must hold after a server went through {@link FeedChurn} (issue 12): its log shows no broken feed, a new
 * write still reaches a fresh client and every long-poller, {@code /health} is UP, every connected client holds
 * exactly what the database holds, no client saw a broken promise, and every client that went silent was closed.
 * One Payara Micro process ({@link MicroNode}) on the database the build is configured for (embedded Derby unless
 * {@code -Ppostgresql}); subclasses say how long the churn runs and what else they watch meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FeedChurnChecks {

    /** Board size: with these texts a snapshot is about 300 KB, some 50 parts of about 6 KiB. */
    static final int TASKS = 200;
    static final int DESCRIPTION_CHARS = 600;
    /** How long the checks wait for clients to catch up, on a shared 2-core machine (they take a second or two). */
    static final Duration CATCH_UP = Duration.ofSeconds(30);

    MicroNode node;
    Api api;
    FeedChurn churn;
    /** The revision of the write after the churn, once the database has stamped it (-1 before). */
    private long writtenAfter = -1;

    /** Skips the class (a JUnit assumption) when it should not run. */
    void assumeEnabled() {
    }

    /** Runs the churn, as long as the subclass wants, with whatever it watches meanwhile. */
    abstract void during(FeedChurn churn);

    @BeforeAll
    void startServerAndChurn() throws MalformedURLException {
        assumeEnabled();
        node = MicroNode.start(serverSettings()).awaitReady();
        api = new Api(node.base().toURL());
        churn = new FeedChurn(node, api);
        churn.seed(TASKS, DESCRIPTION_CHARS);
        try {
            during(churn);
        } finally {
            churn.stopLoad();
            System.out.println(churn.summary());
        }
    }

    @AfterAll
    void stopServer() {
        if (churn != null) {
            churn.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /**
     * The ITs' settings (arquillian.xml): pings every second, a stuck send closed after 5 s, 16 messages per outbox,
     * tombstones kept briefly; and room for every client of the churn on one address.
     */
    private static String[] serverSettings() {
        String target = System.getProperty("it.tmp", "target");
        List<String> settings = new ArrayList<>(List.of(
                "-Dtaskpulse.poll.interval=PT1S",
                "-Dtaskpulse.websocket.ping=PT1S",
                "-Dtaskpulse.websocket.send-timeout=PT5S",
                "-Dtaskpulse.outbox.limit=16",
                "-Dtaskpulse.websocket.per-address=1000",
                "-Dtaskpulse.tombstone.retention=PT10S",
                "-Dtaskpulse.write.token=" + System.getProperty("it.write.token", "")));
        if (ExternalWriter.databaseUrl().isEmpty()) {
            Path derby = Path.of(target, "derby-churn");
            deleteTree(derby);
            settings.add("-Dtaskpulse.db.url=");
            settings.add("-Dderby.system.home=" + derby);
            settings.add("-Dderby.stream.error.file=" + Path.of(target, "derby-churn.log"));
        } else {
            settings.add("-Dtaskpulse.db.url=" + ExternalWriter.databaseUrl());
            settings.add("-Dtaskpulse.db.user=" + ExternalWriter.databaseUser());
        }
        return settings.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void serverLogShowsNoConcurrentModificationAndNoBrokenRevisionChain() {
        List<String> lines = churn.brokenLines();
        assertTrue(lines.isEmpty(), () -> "the feed broke " + churn.brokenAfter().toSeconds() + " s into the churn; "
                + node.log() + " says:\n  " + String.join("\n  ", lines) + "\n");
    }

    @Test
    @Order(2)
    void writeAfterTheChurnReachesAFreshClientAndEveryLongPoller() {
        String name = churn.seededName(0);
        String message = "after the churn " + UUID.randomUUID();
        List<String> failures = new ArrayList<>();
        try (SocketClient fresh = SocketClient.connect(api.base(), "")) {
            ClientBoard board = new ClientBoard();
            board.apply(fresh.next());
            api.report(name, "FAILED", message);
            JsonObject stamped = api.await("the write after the churn stamped in the database", () -> api.task(name),
                    task -> message.equals(task.getString("message", "")) && task.containsKey("revision"));
            writtenAfter = stamped.getJsonNumber("revision").longValue();

            Instant deadline = Instant.now().plus(Api.PATIENCE);
            while (board.revision() < writtenAfter && Instant.now().isBefore(deadline)) {
                try {
                    board.apply(fresh.next(Duration.between(Instant.now(), deadline)));
                } catch (AssertionError nothingCame) {
                    break;
                }
            }
            if (board.revision() < writtenAfter) {
                failures.add("a fresh client (snapshot, then nothing for " + Api.PATIENCE.toSeconds() + " s) holds revision "
                        + board.revision() + "; the database stamped the write at " + writtenAfter);
            }
            for (FeedChurn.LongPoller poller : churn.longPollers()) {
                if (!eventually(Duration.between(Instant.now(), deadline), () -> poller.revision() >= writtenAfter)) {
                    failures.add("long-poller " + poller.id + " holds revision " + poller.revision()
                            + "; the database stamped the write at " + writtenAfter);
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> "the write of " + name + " after the churn did not reach every client:\n  "
                + String.join("\n  ", failures));
    }

    @Test
    @Order(3)
    void healthIsUpAfterTheChurn() {
        HttpResponse<String> health = api.send("GET", "health", null, null);
        assertEquals(200, health.statusCode(), () -> "GET /health answered " + health.statusCode() + " " + health.body()
                + "; it first answered otherwise " + churn.unhealthyAfter().toSeconds() + " s into the churn: "
                + churn.unhealthyBody());
    }

    @Test
    @Order(4)
    void everyConnectedClientHoldsExactlyWhatTheDatabaseHoldsFieldByField() {
        Map<Long, JsonObject> database = databaseTasks();
        long revision = Math.max(writtenAfter, database.values().stream()
                .mapToLong(task -> task.getJsonNumber("revision").longValue()).max().orElse(0));
        Instant deadline = Instant.now().plus(CATCH_UP);
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (FeedChurn.Reader reader : churn.readers()) {
            if (!reader.socket().isOpen()) {
                continue; // closed by the server: the next test says so
            }
            reader.catchUp(revision, deadline);
            synchronized (reader) {
                compared++;
                String difference = difference(reader.board, database, revision);
                if (difference != null) {
                    failures.add("reader " + reader.id + " (" + reader.connects() + " connections, "
                            + reader.board.messages() + " messages) " + difference);
                }
            }
        }
        for (FeedChurn.LongPoller poller : churn.longPollers()) {
            eventually(Duration.between(Instant.now(), deadline), () -> poller.revision() >= revision);
            synchronized (poller) {
                compared++;
                String difference = difference(poller.board(), database, revision);
                if (difference != null) {
                    failures.add("long-poller " + poller.id + " " + difference);
                }
            }
        }
        assertTrue(compared >= FeedChurn.READERS / 2, "only " + compared + " clients left to compare");
        assertTrue(failures.isEmpty(), () -> failures.size() + " of " + database.size() + "-task boards differ from the "
                + "database (at revision " + revision + "):\n  " + failures.stream().limit(8).collect(Collectors.joining("\n  ")));
    }

    @Test
    @Order(5)
    void noClientSawAGapARepeatOrARevisionGoingBackNorWasClosedByTheServer() {
        List<String> broken = new ArrayList<>(churn.goneViolations());
        for (FeedChurn.Reader reader : churn.readers()) {
            synchronized (reader) {
                reader.board.violations().forEach(violation -> broken.add("reader " + reader.id + ": " + violation));
            }
        }
        for (FeedChurn.LongPoller poller : churn.longPollers()) {
            synchronized (poller) {
                poller.board().violations().forEach(violation -> broken.add("long-poller " + poller.id + ": " + violation));
            }
        }
        for (FeedChurn.Reader reader : churn.readers()) {
            if (!reader.socket().isOpen()) {
                broken.add("reader " + reader.id + " answers every ping and reads everything, yet its socket "
                        + reader.ending());
            }
        }
        assertTrue(broken.isEmpty(), () -> broken.size() + " broken promises, e.g.:\n  "
                + broken.stream().limit(10).collect(Collectors.joining("\n  ")));
    }

    @Test
    @Order(6)
    void everyClientThatWentSilentOrStoppedReadingWasClosedByTheServer() {
        Map<Integer, Integer> codes = new TreeMap<>(churn.silentCloseCodes());
        assertTrue(!codes.isEmpty(), "no silent client was looked at");
        codes.keySet().removeAll(List.of(4000, 4001));
        assertEquals(Map.of(), codes, () -> "silent clients closed otherwise than with 4000 or 4001 (0: still open "
                + FeedChurn.SILENT_SECONDS + " s later, -1: no close frame); all codes: " + churn.silentCloseCodes());
    }

    @Test
    @Order(7)
    void everyWriteAndConnectDuringTheChurnWasAnswered() {
        List<String> problems = churn.problems();
        assertTrue(problems.isEmpty(), () -> problems.size() + " requests or connections failed during the churn, e.g.:\n  "
                + problems.stream().limit(10).collect(Collectors.joining("\n  ")));
    }

    /** Every task in the database, by id, once each has its revision (the feed publishes it a moment later). */
    private Map<Long, JsonObject> databaseTasks() {
        return api.await("every task stamped", () -> api.tasks().stream().map(JsonValue::asJsonObject)
                                .collect(Collectors.toMap(task -> task.getJsonNumber("id").longValue(), task -> task)),
                        tasks -> tasks.values().stream().allMatch(task -> task.containsKey("revision")));
    }

    /** What a client's board lacks, has too many or holds otherwise than the database, field by field; null if nothing. */
    static String difference(ClientBoard board, Map<Long, JsonObject> database, long revision) {
        Map<Long, JsonObject> held = board.taskObjects();
        Set<Long> missing = new TreeSet<>(database.keySet());
        missing.removeAll(held.keySet());
        Set<Long> extra = new TreeSet<>(held.keySet());
        extra.removeAll(database.keySet());
        List<String> differing = new ArrayList<>();
        for (Map.Entry<Long, JsonObject> entry : new TreeMap<>(database).entrySet()) {
            JsonObject mine = held.get(entry.getKey());
            if (mine == null || mine.equals(entry.getValue())) {
                continue;
            }
            Set<String> fields = new TreeSet<>(entry.getValue().keySet());
            fields.addAll(mine.keySet());
            for (String field : fields) {
                JsonValue expected = entry.getValue().get(field);
                JsonValue actual = mine.get(field);
                if (expected == null ? actual != null : !expected.equals(actual)) {
                    differing.add("task " + entry.getKey() + " " + field + ": " + abbreviate(actual) + ", the database "
                            + abbreviate(expected));
                }
            }
        }
        if (missing.isEmpty() && extra.isEmpty() && differing.isEmpty() && board.revision() >= revision) {
            return null;
        }
        StringBuilder text = new StringBuilder("holds revision ").append(board.revision()).append(" (the database ")
                .append(revision).append(")");
        if (!missing.isEmpty()) {
            text.append(", lacks ").append(missing.size()).append(" tasks ").append(first(missing));
        }
        if (!extra.isEmpty()) {
            text.append(", holds ").append(extra.size()).append(" deleted tasks ").append(first(extra));
        }
        if (!differing.isEmpty()) {
            text.append(", ").append(differing.size()).append(" fields differ: ")
                    .append(differing.stream().limit(3).collect(Collectors.joining("; ")));
        }
        return text.toString();
    }

    private static String first(Set<Long> ids) {
        return ids.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", ", "[", ids.size() > 5 ? ", …]" : "]"));
    }

    private static String abbreviate(JsonValue value) {
        if (value == null) {
            return "absent";
        }
        String text = value.toString();
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    /** Looks every 100 ms until the condition holds or the patience is used up; whether it held. */
    static boolean eventually(Duration patience, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(patience);
        while (!condition.getAsBoolean()) {
            if (!Instant.now().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
