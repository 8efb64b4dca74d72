package io.taskpulse.tasks.entity;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * When a task is expected to run: every period ({@code PT1H}, ISO 8601, at least a minute) counted from its last run,
 * or at the times of a five-field cron expression ({@code 0 2 * * 1-5}: minute, hour, day of month, month, day of
 * week) in a time zone (UTC unless given). Plus a grace time: how late a run may start before the task is overdue.
 * Cron expressions are parsed and evaluated by cron-utils (across month ends, leap years and daylight-saving
 * changes), never by hand.
 */
public final class Schedule {

    public static final Duration MIN_PERIOD = Duration.ofMinutes(1);
    public static final Duration MAX_PERIOD = Duration.ofDays(366);
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);
    public static final Duration MAX_GRACE = Duration.ofDays(7);
    public static final Duration MIN_RUNTIME = Duration.ofMinutes(1);
    public static final Duration MAX_RUNTIME = Duration.ofDays(7);
    public static final int MAX_LENGTH = 120;

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final List<String> FIELDS = List.of("minute", "hour", "day of month", "month", "day of week");

    private final String expression;
    private final Duration period;
    private final ExecutionTime cron;
    private final ZoneId zone;
    private final Duration grace;

    private Schedule(String expression, Duration period, ExecutionTime cron, ZoneId zone, Duration grace) {
        this.expression = expression;
        this.period = period;
        this.cron = cron;
        this.zone = zone;
        this.grace = grace;
    }

    /**
     * A schedule as a script sent it. {@code zone} and {@code grace} may be null (UTC, {@link #DEFAULT_GRACE}).
     *
     * @throws TaskRejected what is wrong, naming the cron field at fault
     */
    public static Schedule of(String expression, String zone, String grace) {
        if (expression == null || expression.isBlank()) {
            throw TaskRejected.invalid("schedule is required: a period such as PT1H, or a cron expression such as '0 2 * * *'");
        }
        String text = expression.strip();
        if (text.length() > MAX_LENGTH) {
            throw TaskRejected.invalid("schedule is longer than " + MAX_LENGTH + " characters");
        }
        Duration graceTime = grace == null ? DEFAULT_GRACE : duration("grace", grace, Duration.ZERO, MAX_GRACE);
        if (text.startsWith("P") || text.startsWith("p")) {
            Duration every = duration("schedule", text, MIN_PERIOD, MAX_PERIOD);
            if (zone != null) {
                throw TaskRejected.invalid("timeZone applies to a cron schedule only; a period counts from the last run");
            }
            return new Schedule(text.toUpperCase(java.util.Locale.ROOT), every, null, null, graceTime);
        }
        return new Schedule(text, null, ExecutionTime.forCron(cron(text)), zone(zone), graceTime);
    }

    /** A schedule read back from the database (valid when written). */
    public static Schedule stored(String expression, String zone, Integer graceSeconds) {
        Duration grace = Duration.ofSeconds(graceSeconds == null ? DEFAULT_GRACE.toSeconds() : graceSeconds);
        if (expression.startsWith("P")) {
            return new Schedule(expression, Duration.parse(expression), null, null, grace);
        }
        return new Schedule(expression, null, ExecutionTime.forCron(CRON.parse(expression)),
                zone == null ? ZoneOffset.UTC : ZoneId.of(zone), grace);
    }

    /** When the next run is expected, after a run (or the schedule's start) at {@code after}. */
    public Instant next(Instant after) {
        if (period != null) {
            return after.plus(period);
        }
        Optional<ZonedDateTime> next = cron.nextExecution(after.atZone(zone));
        // A valid five-field expression always fires again (cron-utils finds none only for impossible dates).
        return next.map(ZonedDateTime::toInstant).orElse(Instant.MAX);
    }

    public String expression() {
        return expression;
    }

    /** The zone's id for a cron schedule; null for a period. */
    public String zoneId() {
        return zone == null ? null : zone.getId();
    }

    public Duration grace() {
        return grace;
    }

    /** A maximum runtime as a script sent it: ISO 8601, from a minute to 7 days. */
    public static Duration maxRuntime(String text) {
        return text == null ? null : duration("maxRuntime", text, MIN_RUNTIME, MAX_RUNTIME);
    }

    private static Cron cron(String text) {
        String[] fields = text.split("\\s+");
        if (fields.length != FIELDS.size()) {
            throw TaskRejected.invalid("schedule must be a period (PT1H) or a cron expression of 5 fields (minute hour "
                    + "day-of-month month day-of-week), not " + fields.length + " fields");
        }
        try {
            return CRON.parse(text);
        } catch (IllegalArgumentException whole) {
            // Name the field at fault: the first that fails with every other field as '*'.
            for (int i = 0; i < fields.length; i++) {
                String[] alone = {"*", "*", "*", "*", "*"};
                alone[i] = fields[i];
                try {
                    CRON.parse(String.join(" ", alone));
                } catch (IllegalArgumentException field) {
                    throw TaskRejected.invalid("cron " + FIELDS.get(i) + " field " + TaskRejected.quote(fields[i])
                            + " is not valid: " + field.getMessage());
                }
            }
            throw TaskRejected.invalid("cron expression " + TaskRejected.quote(text) + " is not valid: " + whole.getMessage());
        }
    }

    private static ZoneId zone(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw TaskRejected.invalid("timeZone " + TaskRejected.quote(zone) + " is not a time zone (use an IANA name "
                    + "such as Europe/Berlin, or UTC)");
        }
    }

    private static Duration duration(String field, String text, Duration min, Duration max) {
        Duration value;
        try {
            value = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw TaskRejected.invalid(field + " must be an ISO 8601 duration such as PT10M, not " + TaskRejected.quote(text));
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw TaskRejected.invalid(field + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }
}
