// Keeps the page fed: WebSocket first, long-polling when WebSocket cannot be opened, and back to
// WebSocket as soon as it opens again. Knows the protocol, not the board: onMessage(message) applies a
// message and answers what it did ('gap' makes us resume from revision(); 'stale' means the server is up but
// its data is not current); onState(state) hears
// 'live' | 'polling' | 'reconnecting'; onHeard() is told whenever the server proved it is alive and our data
// current (any message, including heartbeats, and an idle long-poll's 304).
// While the page is hidden (setHidden(true)) long-polling stops; shown again, one request catches up at once.
// An open WebSocket stays open while hidden: it costs nothing and keeps the page current.
// Over WebSocket a long message comes in parts (see MessageParts); onMessage only ever sees whole messages.
// start() first asks for the board with one plain GET api/feed, and opens the WebSocket from that revision only
// then: the board shows after one request (on the connection that just loaded the page) instead of after a
// WebSocket handshake and its snapshot, and the socket's first message is then only what changed since. One after
// the other, not side by side, so that a big board is not sent twice.

import { MessageParts } from '../entity/message-parts.js';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const PROBE_EVERY_MS = 30_000;
const OPEN_FAILURES_BEFORE_POLLING = 2;
// A long-poll answers within its wait; this much later the connection is presumed dead.
const POLL_GRACE_MS = 15_000;
// A 304 sooner than this means something between us and the server does not hold requests: don't spin.
const MIN_POLL_INTERVAL_MS = 1000;

// A first GET slower than this does not hold up the WebSocket any longer (its answer still counts if it comes first).
const FIRST_SNAPSHOT_WAIT_MS = 3000;

const TOO_SLOW = 4000;
const POLICY_VIOLATED = 1008;
// An open WebSocket that brings nothing for this many poll intervals (plus a margin) is presumed dead: the server
// heartbeats every interval, so silence means it hangs or a middlebox dropped the connection without a close.
const SILENT_INTERVALS = 3;
const SILENT_MARGIN_MS = 5_000;

/** Capped exponential backoff with full jitter: spreads reconnecting clients after a server restart. */
export function backoffDelay(attempt, random = Math.random) {
  return random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
}

/** Reason given to an in-flight long-poll that we cut short to poll again at once. */
const RETRY_NOW = new Error('retry now');
/** Reason given to an in-flight long-poll cut short because the page was hidden. */
const HIDDEN = new Error('page hidden');

/**
 * Seconds a long-poll may wait: about one server poll interval, so an idle 304 comes about as often as a
 * WebSocket heartbeat would, and counts as having heard from the server.
 */
export function longPollSeconds(intervalMs) {
  return Math.max(1, Math.round((Number.isFinite(intervalMs) && intervalMs > 0 ? intervalMs : 1000) / 1000));
}

export class FeedConnection {
  #revision;
  #interval;
  #onMessage;
  #onState;
  #onHeard;
  #state = null;
  #hidden = false;
  #shown = null;            // resolves the poll loop's wait for the page to be shown again

  #socket = null;
  #opened = false;          // whether #socket ever reached 'open'
  #openFailures = 0;        // sockets in a row that closed before opening
  #attempt = 0;             // reconnects since the last open, for the backoff
  #timer = 0;               // the next WebSocket attempt
  #watchdog = 0;            // fires when the open socket has been silent too long
  #resumeAskedAt = null;    // the revision of the resume request in flight, so a burst of gaps asks once
  #parts = new MessageParts(); // the current socket's message in parts, while it arrives

  #polling = false;
  #pollRun = 0;             // bumped on stop, so an old loop still awaiting a fetch ends itself
  #pollAbort = null;
  #pollWake = null;

  constructor({ revision, interval = () => 1000, onMessage, onState, onHeard = () => {} }) {
    this.#revision = revision;
    this.#interval = interval;
    this.#onMessage = onMessage;
    this.#onState = onState;
    this.#onHeard = onHeard;
  }

  get state() {
    return this.#state;
  }

  /** The page was hidden or shown (document visibilitychange). */
  setHidden(hidden) {
    hidden = Boolean(hidden);
    if (hidden === this.#hidden) {
      return;
    }
    this.#hidden = hidden;
    if (hidden) {
      this.#pollAbort?.abort(HIDDEN);
    } else {
      this.#pollWake?.();   // a pending pause between polls: catch up now
      const shown = this.#shown;
      this.#shown = null;
      shown?.();
    }
  }

  async start() {
    this.#setState('reconnecting');
    await this.#firstSnapshot();
    if (!this.#socket) {   // retryNow() may have connected meanwhile
      this.#connect();
    }
  }

  /** The board from one GET, before any WebSocket; on any failure the socket (or the fallback) brings it instead. */
  async #firstSnapshot() {
    const abort = new AbortController();
    const giveUp = setTimeout(() => abort.abort(new Error('first snapshot too slow')), FIRST_SNAPSHOT_WAIT_MS);
    try {
      const response = await fetch('api/feed', { cache: 'no-store', signal: abort.signal });
      const text = response.status === 200 ? await response.text() : null;
      // Only onto an empty board: a socket that answered first holds newer data than this snapshot.
      if (text !== null && this.#revision() === null) {
        this.#deliver(text);
      }
    } catch {
      // offline, too slow, or refused: nothing lost, the WebSocket starts from scratch
    } finally {
      clearTimeout(giveUp);
    }
  }

  /** The network is back (window 'online'): don't wait out a backoff. */
  retryNow() {
    if (this.#polling) {
      this.#pollAbort?.abort(RETRY_NOW);
      this.#pollWake?.();
    }
    if (!this.#socket) {
      this.#connect();
    }
  }

  // --- WebSocket ---

  #connect() {
    clearTimeout(this.#timer);
    let socket;
    try {
      socket = new WebSocket(this.#socketUrl());
    } catch (error) {
      // e.g. blocked by a policy: the same as failing to open.
      console.warn('TaskPulse: WebSocket not available:', error);
      this.#socket = null;
      this.#closed(false, { code: 0, reason: String(error) });
      return;
    }
    this.#socket = socket;
    this.#opened = false;
    this.#resumeAskedAt = null;
    this.#parts = new MessageParts();
    // Handlers check they still belong to the current socket: a replaced one may still fire.
    socket.onopen = () => socket === this.#socket && this.#open(socket);
    socket.onmessage = (event) => socket === this.#socket && this.#receive(event.data, socket);
    socket.onclose = (event) => {
      if (socket === this.#socket) {
        this.#socket = null;
        clearTimeout(this.#watchdog);
        this.#closed(this.#opened, event);
      }
    };
  }

  /** Restarts the silence timer of an open socket; when it runs out, the socket is dropped and replaced. */
  #watch(socket) {
    clearTimeout(this.#watchdog);
    const silentMs = SILENT_INTERVALS * this.#interval() + SILENT_MARGIN_MS;
    this.#watchdog = setTimeout(() => {
      if (socket !== this.#socket) {
        return;
      }
      console.warn(`TaskPulse: no word from the server for ${silentMs} ms; reconnecting`);
      // Don't wait for the close handshake: a hung server never answers it.
      this.#socket = null;
      socket.close();
      this.#closed(true, { code: 0, reason: 'silent' });
    }, silentMs);
  }

  // Relative to the page, so the WAR works under any context root, not only at /.
  #socketUrl() {
    const url = new URL('ws/tasks', document.baseURI);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const revision = this.#revision();
    if (revision !== null) url.searchParams.set('since', revision);
    return url.href;
  }

  #open(socket) {
    this.#watch(socket);
    this.#opened = true;
    this.#openFailures = 0;
    this.#attempt = 0;
    this.#stopPolling();
    this.#setState('live');
  }

  #receive(text, socket) {
    this.#watch(socket);
    const outcome = this.#deliver(text, this.#parts);
    if (outcome !== 'gap') {
      return;
    }
    const revision = this.#revision();
    if (revision === null) {
      // Nothing to resume from: only a fresh connection brings a snapshot.
      this.#socket = null;
      socket.close();
      this.#connect();
    } else if (this.#resumeAskedAt !== revision) {
      this.#resumeAskedAt = revision;
      socket.send(JSON.stringify({ type: 'resume', since: revision }));
    }
  }

  #closed(wasOpen, event) {
    if (event.code === POLICY_VIOLATED) {
      console.error('TaskPulse: the server refused what this page sent or asked:', event.reason);
    }
    if (!wasOpen) {
      this.#openFailures++;
      if (this.#polling) {
        this.#retrySocketIn(probeDelay()); // a background probe failed: keep polling
        return;
      }
      if (this.#openFailures >= OPEN_FAILURES_BEFORE_POLLING) {
        this.#startPolling();
        this.#retrySocketIn(probeDelay());
        return;
      }
    }
    this.#setState('reconnecting');
    // 4000: we were too slow and missed nothing yet; the server expects us back with ?since at once.
    const delay = wasOpen && event.code === TOO_SLOW ? 0 : backoffDelay(this.#attempt++);
    this.#retrySocketIn(delay);
  }

  #retrySocketIn(ms) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#connect(), ms);
  }

  // --- Long-polling fallback ---

  #startPolling() {
    if (this.#polling) {
      return;
    }
    this.#polling = true;
    this.#setState('polling');
    this.#pollLoop(++this.#pollRun);
  }

  #stopPolling() {
    if (!this.#polling) {
      return;
    }
    this.#polling = false;
    this.#pollRun++;
    this.#pollAbort?.abort();
    this.#pollWake?.();
    const shown = this.#shown;
    this.#shown = null;
    shown?.();
  }

  async #pollLoop(run) {
    let failures = 0;
    while (run === this.#pollRun) {
      if (this.#hidden) {
        await new Promise((resolve) => { this.#shown = resolve; });
        if (run !== this.#pollRun) {
          break;
        }
      }
      const wait = longPollSeconds(this.#interval());
      const abort = new AbortController();
      const giveUp = setTimeout(() => abort.abort(new Error('long-poll got no answer')), wait * 1000 + POLL_GRACE_MS);
      this.#pollAbort = abort;
      const started = Date.now();
      let pause = 0;
      try {
        const response = await fetch(this.#pollUrl(wait), { cache: 'no-store', signal: abort.signal });
        if (response.status === 200) {
          const outcome = this.#deliver(await response.text());
          // A gap needs nothing special: the next poll asks from our revision anyway.
          pause = outcome === 'applied' || outcome === 'gap' ? 0 : MIN_POLL_INTERVAL_MS;
        } else if (response.status === 304) {
          this.#onHeard();   // "nothing new" is news too: the data is current
          pause = Math.max(0, MIN_POLL_INTERVAL_MS - (Date.now() - started));
        } else if (response.status === 503) {
          pause = retryAfterMs(response);
        } else {
          throw new Error(`feed answered ${response.status}`);
        }
        failures = 0;
        if (run === this.#pollRun) {
          this.#setState('polling');
        }
      } catch (error) {
        if (run !== this.#pollRun) {
          break;
        }
        if (abort.signal.reason !== RETRY_NOW && abort.signal.reason !== HIDDEN) {
          this.#setState('reconnecting');
          pause = backoffDelay(failures++);
        }
      } finally {
        clearTimeout(giveUp);
      }
      if (pause > 0 && run === this.#pollRun) {
        await this.#sleep(pause);
      }
    }
  }

  #pollUrl(wait) {
    const revision = this.#revision();
    return revision === null ? 'api/feed' : `api/feed?since=${revision}&wait=${wait}`;
  }

  /** A pause that retryNow() or stopping can cut short. */
  #sleep(ms) {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#pollWake = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#pollWake = wake;
    });
  }

  // --- Shared ---

  /** Parses and hands on one message; with parts (WebSocket), a part only once its message is whole. */
  #deliver(text, parts = null) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.error('TaskPulse: unreadable feed message:', text);
      return 'invalid';
    }
    if (parts !== null) {
      message = parts.add(message);
      if (message === null) {
        return 'partial';
      }
    }
    const outcome = this.#onMessage(message);
    // 'stale': the server is alive but its data is not current, so it proves the connection, not the data.
    if (outcome !== 'invalid' && outcome !== 'stale') {
      this.#onHeard();
    }
    if (outcome === 'invalid') {
      console.warn('TaskPulse: ignored an unknown feed message:', message);
    }
    return outcome;
  }

  #setState(state) {
    if (state !== this.#state) {
      this.#state = state;
      this.#onState(state);
    }
  }
}

/** About every 30 s; the jitter keeps a crowd of polling pages from probing in step. */
function probeDelay() {
  return PROBE_EVERY_MS * (0.8 + Math.random() * 0.4);
}

function retryAfterMs(response) {
  const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return (Number.isFinite(seconds) ? Math.min(Math.max(seconds, 1), 60) : 1) * 1000;
}
