package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, pasted in order into a real shell against a fresh server started as the run command starts it
 * (Payara Micro, embedded Derby in a new folder, demo mode on, no write token: loopback may write). Every command
 * of the tour's {@code bash} blocks runs, in order, under {@code set -euo pipefail}; the tour's curls use
 * {@code --fail-with-body}, so a 4xx or 5xx fails the tour with the server's problem body in the output.
 */
class ReadmeTourIT {

    private static final Pattern TOUR = Pattern.compile("(?s)\n## A five-minute tour\n(.*?)(\n## |$)");
    private static final Pattern BASH = Pattern.compile("(?s)```bash\n(.*?)```");

    private static MicroNode server;
    private static Path home;

    @BeforeAll
    static void freshServerAsTheRunCommandStartsIt() throws IOException {
        home = Files.createTempDirectory(Path.of(System.getProperty("it.tmp", "target")), "tour-");
        server = MicroNode.start("-Dtaskpulse.demo=true", "-Dderby.system.home=" + home.toAbsolutePath(),
                "-Dderby.stream.error.file=" + home.resolve("derby.log").toAbsolutePath()).awaitReady();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyTourCommandWorksPastedInOrderOnAFreshStart() throws Exception {
        String script = tourCommands().replace("localhost:8080", "localhost:" + server.port());
        Path work = Files.createTempDirectory(home, "shell-");

        ProcessBuilder tour = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + script)
                .directory(work.toFile()).redirectErrorStream(true);
        // taskpulse-run's default server is localhost:8080, where the reader's TaskPulse runs; this one is elsewhere.
        tour.environment().put("TASKPULSE_URL", "http://localhost:" + server.port());
        Process shell = tour.start();
        String output;
        boolean finished = shell.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            shell.destroyForcibly();
        }
        output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(finished, "the tour did not finish within 180 s; output so far:\n" + output);
        assertEquals(0, shell.exitValue(), "a tour command failed (the last one printed is it):\n" + output);
        assertFalse(output.contains("curl: ("), output);
        assertFalse(output.contains("\tat "), "a stack trace reached a user:\n" + output);
    }

    @Test
    void tourUsesNoNameTheDemoOwns() throws Exception {
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("\"name\":\"([^\"]+)\"").matcher(tourCommands());
        while (name.find()) {
            names.add(name.group(1));
        }
        assertFalse(names.isEmpty(), "the tour creates tasks");
        names.forEach(n -> assertFalse(n.startsWith("demo-"), "the tour uses a demo task's name: " + n));
    }

    /** The tour's bash blocks, in order. */
    static String tourCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher tour = TOUR.matcher(readme);
        assertTrue(tour.find(), "README.md has a section '## A five-minute tour'");
        StringBuilder commands = new StringBuilder();
        Matcher block = BASH.matcher(tour.group(1));
        while (block.find()) {
            commands.append(block.group(1)).append('\n');
        }
        assertFalse(commands.isEmpty(), "the tour has bash blocks");
        return commands.toString();
    }
}
