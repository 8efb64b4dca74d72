/**
 * Owns the database schema: versioned SQL scripts under {@code META-INF/schema/<dialect>/V<n>__<what>.sql},
 * applied in order at start-up and recorded in {@code schema_version}.
 * <p>
 * JPA schema generation is off on purpose: the feed relies on triggers and indexes that JPA cannot express,
 * and a schema that evolves needs versions, not "drop and create". Derby, PostgreSQL and MariaDB each have their
 * folder ({@code derby/}, {@code postgresql/}, {@code mariadb/}) with the same versions and the same tables, columns
 * and rules. Missing scripts run in one transaction holding an exclusive lock on {@code schema_version}, so several
 * servers starting against one database migrate it exactly once; a failing script changes nothing. MariaDB commits
 * each DDL statement at once: there a named lock takes the table lock's place, each script is recorded when it
 * finished, and every statement of its scripts can run again, so the next start completes a script that failed.
 */
package io.taskpulse.schema;
