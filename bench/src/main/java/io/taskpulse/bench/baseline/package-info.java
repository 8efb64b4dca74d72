/**
 * The designs TaskPulse is measured against, deployed in their own WAR next to taskpulse.war (never inside it),
 * reading the same {@code task} table:
 * <ul>
 * <li>{@link io.taskpulse.bench.baseline.AjaxServlet} {@code GET /tasks}: the tutorial's AJAX design, one full
 * query per request, the whole list in every answer;</li>
 * <li>{@link io.taskpulse.bench.baseline.LoopSocket} {@code /loop}: the tutorial's dwebsocket design, a loop per
 * connection that queries every task and sends the full list every 5 s (a managed scheduled task per session
 * instead of a thread that sleeps);</li>
 * <li>{@link io.taskpulse.bench.baseline.FloorSocket} {@code /floor} with {@code POST /floor?stamp=}: the floor,
 * one frame serialized once per trigger and sent to every session, with nothing else in the way.</li>
 * </ul>
 * The list JSON carries what TaskPulse's snapshot carries per task (id, name, status, message, changedAt),
 * not only the statuses the tutorial sends, so that bytes compare like for like and the driver can find the
 * stamps it wrote into the messages.
 */
package io.taskpulse.bench.baseline;
