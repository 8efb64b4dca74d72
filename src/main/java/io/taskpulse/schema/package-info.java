/**
 * Owns the database schema: versioned SQL scripts under {@code META-INF/schema/<dialect>/V<n>__<what>.sql},
 * applied in order at start-up and recorded in {@code schema_version}.
 * <p>
 * JPA schema generation is off on purpose: the feed relies on triggers and indexes that JPA cannot express,
 * and a schema that evolves needs versions, not "drop and create". Each script runs in one transaction;
 * a script that fails leaves the schema at the previous version and stops the deployment.
 */
package io.taskpulse.schema;
