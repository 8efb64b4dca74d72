package io.taskpulse.sources.entity;

import io.taskpulse.tasks.entity.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One source table as the settings describe it: where it is, which of its columns TaskPulse reads, and how its status
 * values map to TaskPulse's. Parsing checks everything that can be checked without the database, and each complaint
 * names the setting to fix. Identifiers and values are held to patterns that need no quoting rules, so the SQL that
 * installs the triggers (control.PostgresSource, control.MariaDbSource) cannot be bent by a setting.
 *
 * @param schema   the table's schema (PostgreSQL) or database (MariaDB); null: TaskPulse's own
 * @param mapping  raw value → status, in the order given; a status may have several values, the first is written
 */
public record Source(String name, String schema, String table, String key, String nameColumn, String status,
        String message, String description, String changedAt, Map<String, Status> mapping, boolean writable) {

    /** The settings that list the sources, comma-separated. */
    public static final String LIST = "taskpulse.sources";
    /** The tutorial's table: values 1 / 2 / 3 for 未执行 / 执行成功 / 执行失败. */
    public static final String TUTORIAL_MAPPING = "1=NOT_RUN,2=SUCCEEDED,3=FAILED";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:+ -]{1,64}");

    public Source {
        mapping = Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    }

    /** A setting of this source: {@code taskpulse.source.NAME.PART}. */
    public static String setting(String source, String part) {
        return "taskpulse.source." + source + "." + part;
    }

    public String setting(String part) {
        return setting(name, part);
    }

    /** The raw value written for a status (the first the mapping gives it), if any. */
    public Optional<String> valueOf(Status wanted) {
        return mapping.entrySet().stream().filter(e -> e.getValue() == wanted).map(Map.Entry::getKey).findFirst();
    }

    /** Every column named, key first: what must exist in the table. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>(List.of(key, nameColumn, status));
        for (String optional : new String[]{message, description, changedAt}) {
            if (optional != null) {
                columns.add(optional);
            }
        }
        return columns;
    }

    /** The configured sources, or the first complaint. An empty list when {@value #LIST} is not set. */
    public static List<Source> fromSettings(Function<String, Optional<String>> settings) {
        List<Source> sources = new ArrayList<>();
        String list = settings.apply(LIST).orElse("");
        for (String raw : list.split(",")) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new Invalid(LIST + ": source name " + quote(name) + " must be lower-case letters, digits and _,"
                        + " starting with a letter, at most 31 characters");
            }
            if (sources.stream().anyMatch(s -> s.name().equals(name))) {
                throw new Invalid(LIST + ": source " + name + " is listed twice");
            }
            sources.add(parse(name, settings));
        }
        return sources;
    }

    static Source parse(String name, Function<String, Optional<String>> settings) {
        Function<String, Optional<String>> part = p -> settings.apply(setting(name, p));
        String table = part.apply("table").orElseThrow(() -> new Invalid(setting(name, "table")
                + " is required: the table to show, as TABLE or SCHEMA.TABLE"));
        String schema = null;
        int dot = table.indexOf('.');
        if (dot >= 0) {
            schema = identifier(setting(name, "table"), table.substring(0, dot));
            table = table.substring(dot + 1);
        }
        table = identifier(setting(name, "table"), table);
        String key = identifier(setting(name, "key"), part.apply("key").orElse("id"));
        String status = identifier(setting(name, "status"), part.apply("status").orElseThrow(() ->
                new Invalid(setting(name, "status") + " is required: the column that holds each row's status")));
        String nameColumn = identifier(setting(name, "name"), part.apply("name").orElse(key));
        String message = part.apply("message").map(c -> identifier(setting(name, "message"), c)).orElse(null);
        String description = part.apply("description").map(c -> identifier(setting(name, "description"), c)).orElse(null);
        String changedAt = part.apply("changed-at").map(c -> identifier(setting(name, "changed-at"), c)).orElse(null);
        Map<String, Status> mapping = mapping(setting(name, "map"), part.apply("map").orElseThrow(() ->
                new Invalid(setting(name, "map") + " is required: the status values, e.g. " + TUTORIAL_MAPPING)));
        String writableText = part.apply("writable").orElse("false").toLowerCase(Locale.ROOT);
        if (!writableText.equals("true") && !writableText.equals("false")) {
            throw new Invalid(setting(name, "writable") + " must be true or false, not " + quote(writableText));
        }
        return new Source(name, schema, table, key, nameColumn, status, message, description, changedAt, mapping,
                writableText.equals("true"));
    }

    /** {@code 1=NOT_RUN,2=SUCCEEDED,3=FAILED}: each raw value once, each status a known one. */
    static Map<String, Status> mapping(String setting, String text) {
        Map<String, Status> mapping = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) {
                throw new Invalid(setting + ": " + quote(pair.strip()) + " is not VALUE=STATUS, as in " + TUTORIAL_MAPPING);
            }
            String value = pair.substring(0, eq).strip();
            String statusText = pair.substring(eq + 1).strip();
            if (!VALUE.matcher(value).matches()) {
                throw new Invalid(setting + ": value " + quote(value) + " may hold letters, digits, space and _ . : + -"
                        + " (1 to 64)");
            }
            Status status = Status.parse(statusText).orElseThrow(() -> new Invalid(setting + ": " + quote(statusText)
                    + " is not a status; one of " + Status.names()));
            if (mapping.putIfAbsent(value, status) != null) {
                throw new Invalid(setting + ": value " + quote(value) + " is mapped twice");
            }
        }
        return mapping;
    }

    private static String identifier(String setting, String text) {
        String stripped = text.strip();
        if (!IDENTIFIER.matcher(stripped).matches()) {
            throw new Invalid(setting + ": " + quote(stripped) + " is not a plain SQL name (letters, digits and _,"
                    + " not starting with a digit, at most 63)");
        }
        return stripped;
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "\"";
    }

    /** A setting that cannot work; the message names it and says what would. */
    public static class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
