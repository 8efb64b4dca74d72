// The board's state: every task by id and the feed revision it reflects. No DOM, no network:
// the connection feeds messages in, the view reads the result.

export const STATUSES = Object.freeze(['NOT_RUN', 'SUCCEEDED', 'FAILED']);

/**
 * What a task is now: RUNNING while a run is open, OVERDUE when an expected run did not come in time, otherwise its
 * last result. Counts and filters go by it.
 */
export const STATES = Object.freeze(['RUNNING', 'OVERDUE', ...STATUSES]);

/** A task's state; servers from before runs send only the status. */
export function stateOf(task) {
  return task.state ?? task.status;
}

/** A task's tags: always an array (servers from before tags send none). */
export function tagsOf(task) {
  return Array.isArray(task.tags) ? task.tags : [];
}

/**
 * How a tag's tasks roll up into one state: the worst of them, in this order (worst first). A failure or a missed
 * run needs someone; a run going on may still fail; a task that never ran is unknown; all succeeded is all well.
 */
export const TAG_ROLLUP = Object.freeze(['FAILED', 'OVERDUE', 'RUNNING', 'NOT_RUN', 'SUCCEEDED']);

/** The worst of some states by TAG_ROLLUP (an unknown state counts as NOT_RUN). */
export function worstState(states) {
  let worst = TAG_ROLLUP.length - 1;
  for (const state of states) {
    const rank = TAG_ROLLUP.indexOf(state);
    worst = Math.min(worst, rank < 0 ? TAG_ROLLUP.indexOf('NOT_RUN') : rank);
  }
  return TAG_ROLLUP[worst];
}

/** The server's poll interval when a snapshot does not say (older servers). */
export const DEFAULT_INTERVAL_MS = 1000;

/**
 * What apply() did with a message, so the connection knows whether to ask for more:
 * 'applied', 'ignored' (already had it, or "you are current"; also heartbeats), 'gap' (it follows a
 * revision this board does not hold: resume from board.revision), 'invalid' (not a feed message).
 */
export class Board {
  /** id → task, as the server sent it. */
  tasks = new Map();
  /** The revision the tasks reflect; null until the first snapshot. */
  revision = null;
  /** The server's poll interval in ms: heartbeats come about this often, so staleness is measured in it. */
  interval = DEFAULT_INTERVAL_MS;
  /** Ids added, changed or removed since the view last looked. */
  #changed = new Set();
  /** How many task changes arrived since the view last looked (a task changed twice counts twice). */
  #pending = 0;
  /** Tasks that turned FAILED since the last takeFailures(); not filled by a first snapshot. */
  #failures = [];

  get loaded() {
    return this.revision !== null;
  }

  apply(message) {
    if (!message || !Number.isSafeInteger(message.revision)) {
      return 'invalid';
    }
    if (message.type === 'snapshot') {
      if (Number.isFinite(message.interval) && message.interval > 0) {
        this.interval = message.interval;
      }
      // reset:true needs the same handling: the snapshot is the whole truth.
      this.#replace(message.tasks ?? [], message.revision);
      return 'applied';
    }
    if (message.type === 'heartbeat') {
      // Proof of life only; a heartbeat ahead of us is no gap (changes for it come as their own message).
      return 'ignored';
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
      this.#noteFailure(this.tasks.get(task.id), task);
      this.tasks.set(task.id, task);
      this.#changed.add(task.id);
      this.#pending++;
    }
    for (const id of message.deleted ?? []) {
      if (this.tasks.delete(id)) {
        this.#changed.add(id);
        this.#pending++;
      }
    }
    this.revision = message.revision;
    return 'applied';
  }

  counts() {
    const counts = { RUNNING: 0, OVERDUE: 0, NOT_RUN: 0, SUCCEEDED: 0, FAILED: 0, total: this.tasks.size, unseen: 0 };
    for (const task of this.tasks.values()) {
      const state = stateOf(task);
      if (STATES.includes(state)) {
        counts[state]++;
      }
      if ((state === 'FAILED' || state === 'OVERDUE') && !task.acknowledgedBy) {
        counts.unseen++;   // trouble nobody has acknowledged yet
      }
    }
    return counts;
  }

  /** Every tag on the board, sorted: { tag, state (rolled up, see TAG_ROLLUP), count }. */
  tagSummary() {
    const states = new Map();
    for (const task of this.tasks.values()) {
      for (const tag of tagsOf(task)) {
        if (!states.has(tag)) {
          states.set(tag, []);
        }
        states.get(tag).push(stateOf(task));
      }
    }
    return [...states.keys()].sort().map((tag) => ({
      tag, state: worstState(states.get(tag)), count: states.get(tag).length,
    }));
  }

  /** The ids changed since the last call; the view renders just these. */
  takeChanged() {
    const changed = this.#changed;
    this.#changed = new Set();
    this.#pending = 0;
    return changed;
  }

  /** Changes not yet taken by the view: what a paused table is holding back. */
  get pendingChanges() {
    return this.#pending;
  }

  /** Tasks that turned FAILED (or failed again) since the last call, for announcing. */
  takeFailures() {
    const failures = this.#failures;
    this.#failures = [];
    return failures;
  }

  #noteFailure(before, after) {
    if (after.status === 'FAILED'
        && (before === undefined || before.status !== 'FAILED' || before.changedAt !== after.changedAt)) {
      this.#failures.push(after);
    }
  }

  #replace(tasks, revision) {
    const fresh = new Map(tasks.map((task) => [task.id, task]));
    const first = this.revision === null;
    // Mark only real differences, so a resync after a reconnect does not flash every row.
    for (const id of this.tasks.keys()) {
      if (!fresh.has(id)) {
        this.#changed.add(id);
        this.#pending++;
      }
    }
    for (const [id, task] of fresh) {
      const before = this.tasks.get(id);
      if (!sameTask(before, task)) {
        this.#changed.add(id);
        if (!first) {
          this.#pending++;
          this.#noteFailure(before, task);
        }
      }
    }
    this.tasks = fresh;
    this.revision = revision;
  }
}

function sameTask(a, b) {
  return a !== undefined
    && ['name', 'description', 'status', 'message', 'changedAt', 'revision'].every((key) => a[key] === b[key])
    && tagsOf(a).join(' ') === tagsOf(b).join(' ');
}
