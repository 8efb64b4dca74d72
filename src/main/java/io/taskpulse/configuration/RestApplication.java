package io.taskpulse.configuration;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The scripts' API lives under /api; /api/feed is a plain servlet, see io.taskpulse.feed. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
