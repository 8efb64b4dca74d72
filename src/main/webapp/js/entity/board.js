// The board's state: every task by id and the feed revision it reflects. No DOM, no network:
// the connection feeds messages in, the view reads the result.

export const STATUSES = Object.freeze(['NOT_RUN', 'SUCCEEDED', 'FAILED']);

/**
 * What apply() did with a message, so the connection knows whether to ask for more:
 * 'applied', 'ignored' (already had it, or "you are current"), 'gap' (it follows a revision this board
 * does not hold: resume from board.revision), 'invalid' (not a feed message).
 */
export class Board {
  /** id → task, as the server sent it. */
  tasks = new Map();
  /** The revision the tasks reflect; null until the first snapshot. */
  revision = null;
  /** Ids added, changed or removed since the view last looked. */
  #changed = new Set();

  get loaded() {
    return this.revision !== null;
  }

  apply(message) {
    if (!message || !Number.isSafeInteger(message.revision)) {
      return 'invalid';
    }
    if (message.type === 'snapshot') {
      // reset:true needs the same handling: the snapshot is the whole truth.
      this.#replace(message.tasks ?? [], message.revision);
      return 'applied';
    }
    if (message.type !== 'changes') {
      return 'invalid';
    }
    if (this.revision === null) {
      return 'gap';
    }
    if (message.revision <= this.revision) {
      return 'ignored';
    }
    // Only a message that starts exactly where we are is complete for us; anything else, re-ask.
    if (message.from !== this.revision) {
      return 'gap';
    }
    for (const task of message.tasks ?? []) {
      this.tasks.set(task.id, task);
      this.#changed.add(task.id);
    }
    for (const id of message.deleted ?? []) {
      if (this.tasks.delete(id)) {
        this.#changed.add(id);
      }
    }
    this.revision = message.revision;
    return 'applied';
  }

  counts() {
    const counts = { NOT_RUN: 0, SUCCEEDED: 0, FAILED: 0, total: this.tasks.size };
    for (const task of this.tasks.values()) {
      if (STATUSES.includes(task.status)) {
        counts[task.status]++;
      }
    }
    return counts;
  }

  /** The ids changed since the last call; the view renders just these. */
  takeChanged() {
    const changed = this.#changed;
    this.#changed = new Set();
    return changed;
  }

  #replace(tasks, revision) {
    const fresh = new Map(tasks.map((task) => [task.id, task]));
    // Mark only real differences, so a resync after a reconnect does not flash every row.
    for (const id of this.tasks.keys()) {
      if (!fresh.has(id)) {
        this.#changed.add(id);
      }
    }
    for (const [id, task] of fresh) {
      if (!sameTask(this.tasks.get(id), task)) {
        this.#changed.add(id);
      }
    }
    this.tasks = fresh;
    this.revision = revision;
  }
}

function sameTask(a, b) {
  return a !== undefined
    && ['name', 'description', 'status', 'message', 'changedAt', 'revision'].every((key) => a[key] === b[key]);
}
