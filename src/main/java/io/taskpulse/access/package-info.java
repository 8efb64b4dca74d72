/**
 * Owns who may do what. Writes to {@code /api/tasks}: with {@code taskpulse.write.token} set, every write needs
 * {@code Authorization: Bearer <token>} (compared in constant time) or gets 401; without it, only clients on this
 * machine (loopback) may write, a safe default for a demo, and others get 403. WebSocket handshakes from a browser
 * page of another origin get 403 and no session ({@code taskpulse.websocket.origins} lists extra allowed origins;
 * by default only the page's own origin, as the Host header names it). Reading needs nothing.
 */
package io.taskpulse.access;
