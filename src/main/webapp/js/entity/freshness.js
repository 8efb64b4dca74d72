// How old the data on the page is: the time since the server last confirmed it (a change, a snapshot, a
// heartbeat or an idle long-poll's 304). Stale once that is more than two of the server's poll intervals,
// which is when heartbeats have stopped or the connection is gone; and stale at once when the server says it
// cannot read its database (a "stale" message), until it confirms the data again.

export class Freshness {
  #heardAt = null;
  #unavailable = false;
  #now;

  constructor(now = () => Date.now()) {
    this.#now = now;
  }

  heard() {
    this.#heardAt = this.#now();
    this.#unavailable = false;
  }

  /** The server said it cannot read its database: what the page shows may be behind. */
  serverUnavailable() {
    this.#unavailable = true;
  }

  get unavailable() {
    return this.#unavailable;
  }

  get known() {
    return this.#heardAt !== null;
  }

  /** Milliseconds since the server was last heard from; null before the first time. */
  ageMs() {
    return this.#heardAt === null ? null : Math.max(0, this.#now() - this.#heardAt);
  }

  isStale(intervalMs) {
    if (this.#unavailable) {
      return true;
    }
    const age = this.ageMs();
    return age !== null && age > 2 * intervalMs;
  }
}
