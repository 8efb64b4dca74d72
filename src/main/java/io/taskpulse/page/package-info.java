/**
 * Owns the browser page ({@code src/main/webapp}: ES modules split into entity / control / boundary) and what
 * every response tells a browser about it: a Content-Security-Policy without 'unsafe-inline' (the page has no
 * inline script or style and builds the DOM with textContent), no MIME sniffing, no referrer, no framing.
 */
package io.taskpulse.page;
