/**
 * The load driver: starts the server, drives N clients and a steady writer against each design in turn, and
 * measures (latency with HdrHistogram on every client, fan-out, bytes, database transactions counted from
 * PostgreSQL's statistics, server CPU/RSS from /proc, heap and poll time from GET /metrics). It never touches
 * TaskPulse's code: everything goes through the server's public surface, the database, and /proc.
 * Kept out of bench-baselines.war by the WAR plugin's packagingExcludes.
 */
package io.taskpulse.bench.driver;
