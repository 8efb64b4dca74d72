package io.taskpulse.configuration;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider every JSON TaskPulse reads or writes goes through. {@code jakarta.json.Json}'s static
 * methods look the provider up again on every call (a {@code ServiceLoader} scan of the application's class loader),
 * and a report used four of them: in the benchmark's JFR recording of plain-JDBC reports that lookup was a quarter
 * of the server's CPU samples (issue 17). Looked up once, on first use, with the application's class loader.
 */
public final class JsonSupport {

    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonSupport() {
    }
}
