package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wrapper, {@code taskpulse-run}, as cron runs it: fetched from the server, run by a real {@code /bin/sh}
 * around real commands, against the real server (and against none).
 */
class RunWrapperIT extends DeployedIT {

    private Path script;

    @BeforeEach
    void install() throws IOException {
        HttpResponse<String> served = api.send("GET", "taskpulse-run", null, null);
        assertEquals(200, served.statusCode(), "the server serves its wrapper");
        assertTrue(served.body().startsWith("#!/bin/sh"));
        script = Files.createTempFile("taskpulse-run", "");
        Files.writeString(script, served.body());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aSucceedingCommandIsReportedWithItsStartDurationAndOutputAndItsExitCodeIsKept() {
        String name = unique("cron backup");
        Result result = run(api.base().toString(), name, "sh", "-c", "echo copying; echo 'copied 3 files'");
        assertEquals(0, result.code());
        assertEquals("copying\ncopied 3 files\n", result.stdout(), "the job's output still reaches cron");
        JsonObject task = api.task(name);
        assertEquals("SUCCEEDED", task.getString("state"));
        assertEquals(0, task.getInt("exitCode"));
        assertEquals("copied 3 files", task.getString("output"));
        JsonObject run = onlyRun(name);
        assertTrue(run.containsKey("startedAt") && run.containsKey("durationMs"), "paired with its start: " + run);
        HttpResponse<String> output = api.send("GET", "api/tasks/output?name=" + Api.encode(name) + "&runId="
                + Api.encode(run.getString("runId")), null, null);
        assertEquals("copying\ncopied 3 files\n", output.body());
    }

    @Test
    void aFailingCommandIsReportedFailedWithItsCodeAndTheWrapperExitsWithIt() {
        String name = unique("ci/step");
        Result result = run(api.base().toString(), name, "sh", "-c", "echo 'disk full' >&2; exit 3");
        assertEquals(3, result.code());
        assertTrue(result.stdout().contains("disk full"), "stderr is passed on, combined with stdout");
        JsonObject task = api.task(name);
        assertEquals("FAILED", task.getString("state"));
        assertEquals(3, task.getInt("exitCode"));
        assertEquals("disk full", task.getString("output"));
    }

    @Test
    void aCommandKilledBySignalIsAFailureWithTheShellsCode() {
        String name = unique("killed");
        Result result = run(api.base().toString(), name, "sh", "-c", "echo started; kill -9 $$");
        assertEquals(137, result.code());
        JsonObject task = api.task(name);
        assertEquals("FAILED", task.getString("state"));
        assertEquals(137, task.getInt("exitCode"));
    }

    @Test
    void outputLargerThanTheCapKeepsItsEndAndIsMarkedCut() {
        String name = unique("noisy");
        Result result = run(api.base().toString(), name, "sh", "-c",
                "i=0; while [ $i -lt 4000 ]; do echo \"line $i of a long log\"; i=$((i+1)); done; echo done");
        assertEquals(0, result.code());
        JsonObject run = onlyRun(name);
        assertTrue(run.getBoolean("outputCut"), run.toString());
        assertEquals(result.stdout().getBytes(StandardCharsets.UTF_8).length, run.getJsonNumber("outputBytes").longValue());
        HttpResponse<String> output = api.send("GET", "api/tasks/output?name=" + Api.encode(name) + "&runId="
                + Api.encode(run.getString("runId")), null, null);
        assertEquals(64 * 1024, output.body().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(result.stdout().endsWith(output.body()));
    }

    @Test
    void anUnreachableServerNeitherFailsNorHoldsUpTheJob() throws IOException {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        long started = System.nanoTime();
        Result result = run("http://127.0.0.1:" + closed, unique("offline"), "sh", "-c", "echo still ran; exit 0");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(0, result.code(), "the job's own code, not the wrapper's trouble");
        assertEquals("still ran\n", result.stdout());
        assertTrue(result.stderr().contains("taskpulse-run:") && result.stderr().contains("the job goes on"), result.stderr());
        // Promise: bounded retries (two tries of each call, 2 s connect, 5 s in all): seconds, not a hang.
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
    }

    @Test
    void withoutACommandTheWrapperSaysHowToUseIt() {
        Result result = run(api.base().toString(), "x", (String[]) new String[0]);
        assertEquals(64, result.code());
        assertTrue(result.stderr().contains("usage: taskpulse-run NAME -- command"), result.stderr());
    }

    private JsonObject onlyRun(String name) {
        HttpResponse<String> runs = api.send("GET", "api/tasks/runs?name=" + Api.encode(name), null, null);
        assertEquals(200, runs.statusCode(), runs.body());
        JsonArray list = Api.structure(runs.body()).asJsonArray();
        assertEquals(1, list.size(), runs.body());
        assertFalse(list.getJsonObject(0).containsKey("note"));
        return list.getJsonObject(0);
    }

    private record Result(int code, String stdout, String stderr) {
    }

    private Result run(String url, String name, String... command) {
        List<String> line = new ArrayList<>(List.of("/bin/sh", script.toString(), name));
        if (command.length > 0) {
            line.add("--");
            line.addAll(List.of(command));
        }
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().put("TASKPULSE_URL", url);
        builder.environment().put("TASKPULSE_TOKEN", System.getProperty("it.write.token", ""));
        try {
            Path out = Files.createTempFile("wrapper", ".out");
            Path err = Files.createTempFile("wrapper", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the wrapper ended");
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
