package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's burst, as a CI pipeline makes it: hundreds of reports from several connections at once. A client on the
 * socket must end with every task's final state, in revision order, without gaps between messages, in fewer frames
 * than there were changes (the feed sends each task's newest state once per push, not every step on the way).
 */
class BurstIT extends DeployedIT {

    private static final int TASKS = 40;
    private static final int ROUNDS = 10;
    private static final int WRITERS = 8;

    @Test
    void aBurstOfReportsReachesASocketAsEveryTasksFinalStateInFewerFramesInOrder() throws Exception {
        String prefix = unique("burst");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            names.add(prefix + "-" + i);
            api.create(names.get(i), "burst");
        }
        api.awaitPublished(names.get(TASKS - 1));
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            long revision = socket.next().getJsonNumber("revision").longValue();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    // Each task belongs to one writer, so its reports are in order; the last round is its final state.
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int t = writer; t < TASKS; t += WRITERS) {
                            api.report(names.get(t), round % 2 == 0 ? "FAILED" : "SUCCEEDED", "round " + round);
                        }
                    }
                }));
            }
            for (Future<?> writing : done) {
                writing.get();
            }
            writers.shutdown();

            Map<String, String> seen = new HashMap<>();
            int frames = 0;
            while (!allFinal(seen, names)) {
                JsonObject message = socket.next();
                if (!"changes".equals(message.getString("type"))) {
                    continue;
                }
                frames++;
                assertEquals(revision, message.getJsonNumber("from").longValue(), "each message follows the one before");
                revision = message.getJsonNumber("revision").longValue();
                for (JsonValue task : message.getJsonArray("tasks")) {
                    seen.put(task.asJsonObject().getString("name"), task.asJsonObject().getString("message", ""));
                }
            }
            int changes = TASKS * ROUNDS;
            assertTrue(frames < changes, frames + " frames for " + changes + " changes: nothing was conflated");
        }
    }

    private static boolean allFinal(Map<String, String> seen, List<String> names) {
        return names.stream().allMatch(name -> ("round " + (ROUNDS - 1)).equals(seen.get(name)));
    }
}
