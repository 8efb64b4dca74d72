package io.taskpulse.tasks.control;

/** Fired after TaskPulse committed a write to tasks; observers use it to publish without waiting for a tick. */
public record TasksChanged(String what) {
}
