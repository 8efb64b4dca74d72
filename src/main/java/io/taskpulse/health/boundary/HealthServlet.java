package io.taskpulse.health.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.configuration.Settings;
import io.taskpulse.changes.control.ChangePoller;
import io.taskpulse.tasks.boundary.Problems;
import io.taskpulse.sources.control.Sources;
import jakarta.inject.Inject;
import java.util.List;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** {@code GET /health}: {"status":"UP"|"DOWN", "lastPoll": ISO time, "reason": why DOWN}. */
@WebServlet("/health")
public class HealthServlet extends HttpServlet {

    @Inject
    ChangePoller poller;

    @Inject
    Settings settings;

    @Inject
    Sources sources;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (Problems.onlyReads(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Instant lastSuccess = poller.lastSuccess();
        Duration age = Duration.between(lastSuccess, Instant.now());
        // Three reads missed: while notified of every commit (PostgreSQL), the poller reads less often.
        Duration allowed = poller.readInterval().multipliedBy(3).plusSeconds(1);
        boolean polling = age.compareTo(allowed) <= 0;
        List<String> sourceProblems = sources.problems();
        boolean up = polling && sourceProblems.isEmpty();
        JsonObjectBuilder body = JSON.createObjectBuilder().add("status", up ? "UP" : "DOWN");
        if (!sourceProblems.isEmpty()) {
            // A source table that could not be installed: its settings (or grants) need fixing. Own tasks still work.
            body.add("sources", JSON.createArrayBuilder(sourceProblems));
        }
        if (!Instant.EPOCH.equals(lastSuccess)) {
            body.add("lastPoll", lastSuccess.toString());
        }
        if (polling && !up) {
            body.add("reason", "source tables not installed: " + String.join("; ", sourceProblems));
        }
        if (!polling) {
            String failure = poller.lastFailure();
            body.add("reason", Instant.EPOCH.equals(lastSuccess)
                    ? "no successful poll yet" + (failure == null ? "" : ": " + failure)
                    : "no successful poll for " + age.toSeconds() + " s" + (failure == null ? "" : ": " + failure));
            // The poller backs off while the database fails: nothing changes here before its next attempt.
            Instant next = poller.nextAttempt();
            long wait = next == null ? settings.pollInterval().toSeconds() : Duration.between(Instant.now(), next).toSeconds() + 1;
            response.setHeader("Retry-After", String.valueOf(Math.max(1, wait)));
        }
        byte[] bytes = body.build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(up ? 200 : 503);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
