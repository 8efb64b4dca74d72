// TaskPulse board page. Same split as the backend:
//   entity/    board.js      the tasks by id and the revision they reflect; applies feed messages
//              freshness.js  how long since the server last confirmed the data (stale after 2 intervals,
//                            or at once when the server says its database is unavailable)
//              i18n.js       every word in English and Chinese, relative and absolute times
//   control/   feed-connection.js  WebSocket with backoff, long-polling fallback (stopped while hidden)
//              url-state.js        filter/tag/search/sort/wall in the address bar
//              language.js         the reader's language (localStorage 'taskpulse.lang', else the browser's)
//              history-client.js   GET api/tasks/{id}/history
//              viewer-client.js    GET api/viewer: who is logged in, and whether they are an operator
//              operator-client.js  an operator's acknowledge, pause and resume
//              alerts-client.js    the alert channels, rules and last deliveries (read-only)
//   boundary/  board-view.js     the table: only changed rows, at most once per frame, scroll kept in place;
//                                the counts and the tag bar (each tag's worst state, see TAG_ROLLUP)
//              controls-view.js  badge, data age, search, sort, pause, language
//              detail-panel.js   the task's status history, a modal dialog
//              announcer.js      failures read out by screen readers
//              viewer-view.js    who is logged in, and the logout button
// Messages are applied to the board the moment they arrive (so a resume always asks from the true revision);
// drawing waits for the next animation frame, so a burst of messages costs one render.

import { Board } from './entity/board.js';
import { Freshness } from './entity/freshness.js';
import { FeedConnection } from './control/feed-connection.js';
import { UrlState } from './control/url-state.js';
import { createI18n } from './control/language.js';
import { BoardView } from './boundary/board-view.js';
import { ControlsView } from './boundary/controls-view.js';
import { DetailPanel } from './boundary/detail-panel.js';
import { AlertsView } from './boundary/alerts-view.js';
import { Announcer } from './boundary/announcer.js';
import { fetchViewer } from './control/viewer-client.js';
import { ViewerView } from './boundary/viewer-view.js';

const board = new Board();
const freshness = new Freshness();
const i18n = createI18n();
const announcer = new Announcer(i18n);
const detail = new DetailPanel(board, i18n);
const alertsView = new AlertsView(i18n);
const viewerView = new ViewerView(i18n);

const urlState = new UrlState((view) => showView(view));
let view = urlState.read();

const table = new BoardView(board, i18n, {
  onOpen: (id, button) => detail.open(id, button),
  onFilter: (status, { clearQuery = false } = {}) =>
    changeView({ status, ...(clearQuery ? { query: '', tag: null } : {}) }),
  onTag: (tag) => changeView({ tag }),
});

const controls = new ControlsView(i18n, {
  onSearch: (query) => changeView({ query }),
  onSort: (changedFirst) => changeView({ sort: changedFirst ? 'changed' : 'id' }),
  onPause: (paused) => {
    table.setPaused(paused);
    controls.showPaused(paused);
  },
  onLanguage: () => i18n.setLanguage(i18n.lang === 'zh' ? 'en' : 'zh'),
});

i18n.onChange(() => {
  controls.relabel();
  table.relabel();
  detail.relabel();
  viewerView.relabel();
  alertsView.relabel();
  showAge();
});

function changeView(change) {
  showView({ ...view, ...change });
  urlState.write(view);
}

function showView(next) {
  view = next;
  controls.showView(view);
  table.setView(view);
}

// --- login (only when the server restricts reading) ---
// Shows who is logged in. While the page is open it keeps the login's HTTP session alive: otherwise only the
// WebSocket talks, which the server does not count as activity, and a wall display would be logged out after the
// session timeout. When the login has ended anyway (logout in another tab, timeout, server restart) the feed is
// refused; the page then reloads, and the server shows its login page.

const LOGIN_KEEP_ALIVE_MS = 5 * 60 * 1000;
const LOGIN_RECHECK_MS = 10 * 1000;
let loginRestricted = false;
let lastLoginCheck = 0;

async function checkLogin() {
  lastLoginCheck = Date.now();
  let viewer;
  try {
    viewer = await fetchViewer();
  } catch {
    return; // server unreachable: the connection badge says so
  }
  if (viewer.status === 401) {
    location.reload();
    return;
  }
  loginRestricted = viewer.restricted === true;
  viewerView.show(viewer);
  detail.showActions(viewer.operator === true);
}

function loginMayHaveEnded() {
  if (loginRestricted && Date.now() - lastLoginCheck > LOGIN_RECHECK_MS) {
    checkLogin();
  }
}

setInterval(() => {
  if (loginRestricted) {
    checkLogin();
  }
}, LOGIN_KEEP_ALIVE_MS);

// --- connection ---

let feedState = 'reconnecting';
// Until the feed was up once, the badge says "connecting", even with the board already drawn from the first request.
let feedWasUp = false;

function showConnection() {
  controls.showConnection(navigator.onLine === false ? 'offline' : feedState, feedWasUp);
}

function showAge() {
  controls.showAge(freshness.ageMs(), freshness.isStale(board.interval), freshness.unavailable);
}

const feed = new FeedConnection({
  revision: () => board.revision,
  interval: () => board.interval,
  onMessage: (message) => {
    if (message?.type === 'stale' && Number.isSafeInteger(message.revision)) {
      // The server is alive but cannot read its database: our data stands still. The next snapshot, changes or
      // heartbeat marks it fresh again.
      freshness.serverUnavailable();
      showAge();
      return 'stale';
    }
    const outcome = board.apply(message);
    if (outcome === 'applied') {
      announcer.failures(board.takeFailures());
      if (detail.openId !== null && touches(message, detail.openId)) {
        detail.taskChanged();
      }
      table.invalidate();
    }
    return outcome;
  },
  onHeard: () => {
    freshness.heard();
    showAge();
  },
  onState: (state) => {
    feedState = state;
    feedWasUp ||= state === 'live' || state === 'polling';
    showConnection();
    if (state === 'reconnecting') {
      loginMayHaveEnded();
    }
  },
});

function touches(message, id) {
  return message.type === 'snapshot'
    || (message.tasks ?? []).some((task) => task.id === id)
    || (message.deleted ?? []).includes(id);
}

// Back online: reconnect now rather than after whatever backoff is pending.
window.addEventListener('online', () => {
  showConnection();
  feed.retryNow();
});
window.addEventListener('offline', showConnection);

// Hidden tab: long-polling stops; shown again, one request catches up at once. A WebSocket stays open.
const isHidden = () => document.hidden || document.visibilityState === 'hidden';
document.addEventListener('visibilitychange', () => {
  feed.setHidden(isHidden());
  if (!isHidden()) {
    table.invalidate();
  }
});

// Once a second: data age and the relative times on screen.
setInterval(() => {
  const now = Date.now();
  showAge();
  table.tickTimes(now);
  detail.tick(now);
}, 1000);

controls.relabel();
showView(view);
controls.showPaused(false);
table.render();
showAge();
feed.setHidden(isHidden());
feed.start();
checkLogin();
