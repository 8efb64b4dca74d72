// How old the data on the page is: the time since the server last confirmed it (a change, a snapshot, a
// heartbeat or an idle long-poll's 304). Stale once that is more than two of the server's poll intervals,
// which is when heartbeats have stopped (e.g. the server lost its database) or the connection is gone.

export class Freshness {
  #heardAt = null;
  #now;

  constructor(now = () => Date.now()) {
    this.#now = now;
  }

  heard() {
    this.#heardAt = this.#now();
  }

  get known() {
    return this.#heardAt !== null;
  }

  /** Milliseconds since the server was last heard from; null before the first time. */
  ageMs() {
    return this.#heardAt === null ? null : Math.max(0, this.#now() - this.#heardAt);
  }

  isStale(intervalMs) {
    const age = this.ageMs();
    return age !== null && age > 2 * intervalMs;
  }
}
