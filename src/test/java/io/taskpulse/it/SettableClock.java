package io.taskpulse.it;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only: the clock runs and schedules read (production's is configuration.Clocks), the real time plus an offset
 * a test moves: {@code POST /it/clock?advance=PT2H} (answers the new "now"), {@code POST /it/clock?reset}. So a test
 * of an hourly schedule takes seconds. Database triggers keep the database's own clock.
 */
@Alternative
@Priority(2000)
@ApplicationScoped
public class SettableClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset.get());
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    Instant advance(Duration by) {
        offset.accumulateAndGet(by, Duration::plus);
        return instant();
    }

    void reset() {
        offset.set(Duration.ZERO);
    }

    @WebServlet("/it/clock")
    public static class Control extends HttpServlet {

        @Inject
        SettableClock clock;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getParameter("reset") != null) {
                clock.reset();
            } else {
                clock.advance(Duration.parse(request.getParameter("advance")));
            }
            response.setContentType("text/plain");
            response.getWriter().print(clock.instant());
        }
    }
}
