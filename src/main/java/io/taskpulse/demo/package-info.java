/**
 * Owns the demo mode of the README's run command ({@code taskpulse.demo=true}; off in the WAR by default):
 * a few demo tasks, and a status change every few seconds, made through the same code as the scripts' API.
 * The demo writes only to its own tasks, named {@code demo-…}; a user's task is never touched, whatever its name.
 */
package io.taskpulse.demo;
