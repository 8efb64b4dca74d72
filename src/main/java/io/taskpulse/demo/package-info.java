/**
 * Owns the demo mode of the README's run command ({@code taskpulse.demo=true}; off in the WAR by default):
 * a few demo tasks, and a status change every few seconds, made through the same code as the scripts' API.
 */
package io.taskpulse.demo;
