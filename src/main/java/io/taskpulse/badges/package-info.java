/**
 * Owns the status badges and the tag roll-up: a task's or a tag's state as a small SVG image for READMEs and wikis
 * ({@code GET /badge/{name}.svg}, {@code /badge/tag/{tag}.svg}, and {@code /badge.svg?name=…|tag=…} for names with
 * a slash), shields.io's flat style.
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li>A badge shows what every board shows: it is drawn from the feed's memory ({@code TaskFeed.headlines}), never
 * from a query, so a badge fetched by every reader of a README costs the database nothing and is never ahead of or
 * behind the live page by more than the push itself.</li>
 * <li>Caches revalidate: {@code Cache-Control: no-cache} with a strong ETag over the image, so an image proxy
 * (GitHub's camo) asks each time and gets 304 until the state changes.</li>
 * <li>Readable under the same rules as the page and the API ({@code taskpulse.read.role}): a badge of a board
 * that needs a login needs one too (401 with a challenge, like the API).</li>
 * <li>Task text is data: a name is XML-escaped in the image and its width is bounded, so a name with markup or
 * newlines cannot change the SVG.</li>
 * </ul>
 * A tag's state is the worst of its tasks' states, in the order of {@link io.taskpulse.badges.control.Rollup}
 * (failed, overdue, running, not run, succeeded), with how many of its tasks are in that state.
 */
package io.taskpulse.badges;
