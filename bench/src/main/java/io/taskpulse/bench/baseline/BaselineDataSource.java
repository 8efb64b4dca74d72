package io.taskpulse.bench.baseline;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The same PostgreSQL database TaskPulse uses, from the same system property, so both WARs in one server read
 * one set of tables. Pooled by the server (see {@link AjaxServlet}'s definition).
 */
public class BaselineDataSource extends PGSimpleDataSource {

    public BaselineDataSource() {
        setURL(System.getProperty("taskpulse.db.url", "jdbc:postgresql://127.0.0.1:5432/taskpulse_bench"));
        setUser(System.getProperty("taskpulse.db.user", "postgres"));
    }
}
