// Renders the board into the page. Only textContent and DOM nodes, never HTML strings: task data comes
// from scripts and must never become markup (and the strict Content-Security-Policy stays easy).
//
// Built for a page that stays open all day with thousands of rows and a steady stream of changes:
// - the board is drawn at most once per animation frame, and only the rows that changed are touched;
// - rows are kept in order by moving just the changed ones (binary search), never by re-sorting the DOM;
// - rows keep one height whatever their content (one-line cells), so a change never shifts the rows below;
// - when rows above the viewport move, the scroll position is corrected so what you read stays put;
// - relative times are refreshed once a second, for the visible rows only, and only when their text changes.

import { STATES, stateOf, tagsOf } from '../entity/board.js';
import { I18n } from '../entity/i18n.js';
import { element, timeElement, statusBadge, statusIcon, setTime } from './dom.js';

const HIGHLIGHT_MS = 2000;
const HIDDEN_REDRAW_MS = 1000;

export class BoardView {
  #board;
  #i18n;
  #doc;
  #onOpen;
  #onFilter;
  #onTag;
  #tagBarKey = '';
  #entries = new Map();     // id → { row, task, changedMs, text (lower-case name + description), time, nextTick }
  #order = [];              // ids in table order (DOM order), sorted by #compare
  #highlightTimers = new Map();
  #scheduled = false;
  #seenData = false;        // the first snapshot fills the table without flashing every row
  #view = { status: null, tag: null, query: '', sort: 'id', wall: false };
  #needle = '';
  #paused = false;
  #anchor = null;           // rows near the top of the viewport and where they were, for keeping them there
  #correctedTo = null;      // the scrollY our last correction went to
  #el;

  /**
   * onOpen(id, button): a task's name was activated (show its details).
   * onFilter(status|null): a count was chosen.
   * onTag(tag|null): a tag in the tag bar was chosen (or chosen again: all tags).
   */
  constructor(board, i18n, { onOpen, onFilter, onTag }, doc = document) {
    this.#board = board;
    this.#i18n = i18n;
    this.#doc = doc;
    this.#onOpen = onOpen;
    this.#onFilter = onFilter;
    this.#onTag = onTag;
    const byId = (id) => doc.getElementById(id);
    this.#el = {
      rows: byId('task-rows'),
      tableWrap: byId('table-wrap'),
      caption: byId('caption'),
      idHeader: doc.querySelector('th.col-id'),
      changedHeader: doc.querySelector('th.col-changed'),
      header: doc.querySelector('.top'),
      loading: byId('loading'),
      empty: byId('empty'),
      noMatch: byId('no-match'),
      revision: byId('revision'),
      pausedCount: byId('paused-count'),
      total: byId('count-total'),
      tagBar: byId('tag-bar'),
      tagList: byId('tag-list'),
      counts: Object.fromEntries(STATES.map((status) => [status, byId(`count-${status}`)])),
    };
    byId('empty-example').textContent =
      `curl -X POST ${new URL('api/tasks', doc.baseURI).href} -H 'Content-Type: application/json' -d '{"name":"nightly-backup"}'`;

    this.#el.rows.addEventListener('click', (event) => {
      const button = event.target.closest('button.task-open');
      if (button) {
        this.#onOpen(Number(button.closest('tr').dataset.taskId), button);
      }
    });
    for (const status of STATES) {
      this.#el.counts[status].addEventListener('click', () => this.#onFilter(
        this.#view.status === status ? null : status));
    }
    this.#el.total.addEventListener('click', () => this.#onFilter(null));
    this.#el.tagList.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-tag]');
      if (button) {
        this.#onTag(this.#view.tag === button.dataset.tag ? null : button.dataset.tag);
      }
    });
    byId('no-match-clear').addEventListener('click', () => this.#onFilter(null, { clearQuery: true }));
    // Rows scrolled into view get their relative time at once rather than at the next second; and the
    // rows now at the top of the viewport are noted (on a layout that is done anyway), to be kept there.
    let scrollQueued = false;
    const scrolled = (event) => {
      if (event.type === 'scroll' && window.scrollY === this.#correctedTo) {
        return;   // our own correction: the anchor noted with it is still right
      }
      this.#anchor = null;
      if (!scrollQueued) {
        scrollQueued = true;
        requestAnimationFrame(() => {
          scrollQueued = false;
          this.tickTimes(Date.now());
          this.#anchor ??= this.#measureAnchor();
        });
      }
    };
    window.addEventListener('scroll', scrolled, { passive: true });
    window.addEventListener('resize', scrolled, { passive: true });
  }

  get paused() {
    return this.#paused;
  }

  /** Filter, search, sort or wall mode changed: re-filter every row, and re-order if the order changed. */
  setView(view) {
    const reorder = view.sort !== this.#view.sort || view.wall !== this.#view.wall;
    this.#view = { ...view };
    this.#needle = view.query.trim().toLocaleLowerCase();
    if (reorder) {
      this.#order.sort(this.#compare);
      this.#el.rows.append(...this.#order.map((id) => this.#entries.get(id).row));
    }
    for (const entry of this.#entries.values()) {
      const hidden = !this.#matches(entry);
      if (entry.row.hidden !== hidden) {
        entry.row.hidden = hidden;
      }
    }
    for (const status of STATES) {
      this.#el.counts[status].setAttribute('aria-pressed', String(view.status === status));
    }
    this.#el.total.setAttribute('aria-pressed', String(view.status === null));
    this.#showTags();
    // In wall mode the counts are a display, not controls.
    for (const button of [...Object.values(this.#el.counts), this.#el.total]) {
      button.disabled = view.wall;
    }
    this.#el.caption.textContent = this.#i18n.t(
      view.wall ? 'caption.wall' : view.sort === 'changed' ? 'caption.changed' : 'caption.id');
    // The column the table is sorted by says so (an arrow, and aria-sort for screen readers); failures-first in
    // wall mode is neither column's order.
    const byChange = !view.wall && view.sort === 'changed';
    setSort(this.#el.idHeader, !view.wall && !byChange ? 'ascending' : null);
    setSort(this.#el.changedHeader, byChange ? 'descending' : null);
    this.#showNotes();
    this.#anchor = null;
    this.tickTimes(Date.now());
  }

  /** Paused: the table (and its counts) stay as they are; changes wait in the board until resumed. */
  setPaused(paused) {
    if (paused === this.#paused) {
      return;
    }
    if (paused) {
      this.render();  // what has arrived so far is shown; only what comes next waits
    }
    this.#paused = paused;
    this.#el.pausedCount.hidden = !paused;
    this.render();
  }

  /** Messages may arrive in bursts; the page is drawn at most once per frame, after the burst. */
  invalidate() {
    if (this.#scheduled) {
      return;
    }
    this.#scheduled = true;
    const draw = () => {
      this.#scheduled = false;
      this.render();
    };
    // A hidden tab gets no animation frames, but its title (the failed count) should still move.
    if (this.#doc.hidden) {
      setTimeout(draw, HIDDEN_REDRAW_MS);
    } else {
      requestAnimationFrame(draw);
    }
  }

  render() {
    const board = this.#board;
    this.#doc.body.dataset.revision = board.loaded ? board.revision : '';
    this.#el.revision.textContent = board.loaded ? board.revision : '–';
    if (this.#paused) {
      const n = board.pendingChanges;
      this.#el.pausedCount.textContent = n === 1 ? this.#i18n.t('pause.waitingOne') : this.#i18n.t('pause.waiting', { n });
      return;
    }
    const changed = board.takeChanged();
    if (changed.size > 0) {
      this.#applyChanges(changed);
    }
    this.#seenData ||= board.loaded;
    this.#showCounts();
    this.#showNotes();
  }

  /** Language switched: every row's words and times. */
  relabel() {
    const now = Date.now();
    for (const entry of this.#entries.values()) {
      this.#fill(entry, entry.task, now);
    }
    this.setView(this.#view);
    this.#showCounts();
    this.render();
  }

  /** Once a second (and on scroll): relative times of the rows on screen whose text would change. */
  tickTimes(now) {
    for (const entry of this.#visibleEntries()) {
      if (now >= entry.nextTick) {
        this.#showTime(entry, now);
      }
      if (entry.elapsed) {
        this.#showElapsed(entry, now);
      }
      if (entry.late) {
        this.#showLate(entry, now);
      }
    }
  }

  // --- rows ---

  #applyChanges(changed) {
    // Where the rows being read were, as noted after the last change or scroll; measuring here instead
    // would cost a second layout in this frame.
    const anchor = this.#anchor ?? this.#measureAnchor();
    const now = Date.now();
    const highlighted = [];
    for (const id of changed) {
      const task = this.#board.tasks.get(id);
      if (task) {
        highlighted.push(this.#upsert(id, task, now));
      } else {
        this.#remove(id);
      }
    }
    if (this.#seenData) {
      this.#highlight(highlighted);
    }
    if (anchor) {
      // One layout, which the frame needed anyway; then put the rows being read back where they were.
      const index = anchor.rows.findIndex((row) => row.isConnected && !row.hidden
        && !changed.has(Number(row.dataset.taskId)));
      if (index >= 0) {
        const shift = anchor.rows[index].getBoundingClientRect().top - anchor.tops[index];
        if (shift !== 0) {
          window.scrollBy(0, shift);
          this.#correctedTo = window.scrollY;
        }
      }
    }
    this.#anchor = this.#measureAnchor();
  }

  #upsert(id, task, now) {
    let entry = this.#entries.get(id);
    if (entry) {
      const moves = this.#view.sort !== 'id' || this.#view.wall;
      if (moves) {
        this.#order.splice(this.#order.indexOf(id), 1);
      }
      this.#fill(entry, task, now);
      if (moves) {
        this.#insert(entry);
      }
    } else {
      entry = { row: this.#createRow(id), task, changedMs: NaN, text: '', time: null, nextTick: 0, runningMs: NaN, elapsed: null, expectedMs: NaN, late: null };
      this.#entries.set(id, entry);
      this.#fill(entry, task, now);
      this.#insert(entry);
    }
    const hidden = !this.#matches(entry);
    if (entry.row.hidden !== hidden) {
      entry.row.hidden = hidden;
    }
    return entry.row;
  }

  #remove(id) {
    const entry = this.#entries.get(id);
    if (!entry) {
      return;
    }
    entry.row.remove();
    this.#entries.delete(id);
    this.#order.splice(this.#order.indexOf(id), 1);
    clearTimeout(this.#highlightTimers.get(id));
    this.#highlightTimers.delete(id);
  }

  /** Puts a row whose entry is up to date where #compare says, moving only that row. */
  #insert(entry) {
    const id = entry.task.id;
    let low = 0;
    let high = this.#order.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#compare(this.#order[middle], id) < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    const next = this.#order[low];
    const before = next === undefined ? null : this.#entries.get(next).row;
    if (entry.row.nextSibling !== before || entry.row.parentNode !== this.#el.rows) {
      this.#el.rows.insertBefore(entry.row, before);
    }
    this.#order.splice(low, 0, id);
  }

  #compare = (a, b) => {
    const x = this.#entries.get(a);
    const y = this.#entries.get(b);
    if (this.#view.wall) {
      const failed = (y.task.status === 'FAILED') - (x.task.status === 'FAILED');
      if (failed !== 0) return failed;
    }
    if (this.#view.wall || this.#view.sort === 'changed') {
      const xt = Number.isFinite(x.changedMs) ? x.changedMs : -Infinity;
      const yt = Number.isFinite(y.changedMs) ? y.changedMs : -Infinity;
      if (xt !== yt) return yt > xt ? 1 : -1;
    }
    return x.task.id - y.task.id;
  };

  #matches(entry) {
    if (this.#view.status !== null && stateOf(entry.task) !== this.#view.status) {
      return false;
    }
    if (this.#view.tag !== null && !tagsOf(entry.task).includes(this.#view.tag)) {
      return false;
    }
    return this.#needle === '' || entry.text.includes(this.#needle);
  }

  #createRow(id) {
    const row = this.#doc.createElement('tr');
    row.dataset.taskId = id;
    // Explicit roles: the rows are styled as grids, which some browsers take as "not a data table".
    row.setAttribute('role', 'row');
    const open = element('button', 'task-open');
    open.type = 'button';
    const nameCell = element('th', 'col-name');
    nameCell.scope = 'row';         // the name is what people read a row by: make it the row header
    nameCell.append(open);
    nameCell.setAttribute('role', 'rowheader');
    row.append(
      element('td', 'col-id'),
      nameCell,
      element('td', 'col-description'),
      element('td', 'col-changed'),
      element('td', 'col-status'),
    );
    for (const cell of row.cells) {
      if (cell !== nameCell) cell.setAttribute('role', 'cell');
    }
    return row;
  }

  /** Writes a task into its row, touching only what differs. */
  #fill(entry, task, now) {
    const { row } = entry;
    const before = entry.filled ? entry.task : null;
    const i18n = this.#i18n;
    entry.task = task;
    entry.changedMs = task.changedAt ? Date.parse(task.changedAt) : NaN;
    const tags = tagsOf(task);
    entry.text = `${task.name ?? ''}\n${task.description ?? ''}\n${tags.join(' ')}`.toLocaleLowerCase();
    const [idCell, nameCell, descriptionCell, changedCell, statusCell] = row.cells;
    const state = stateOf(task);
    if (row.dataset.status !== state) {
      row.dataset.status = state;
    }
    entry.runningMs = state === 'RUNNING' && task.runningSince ? Date.parse(task.runningSince) : NaN;
    if (!before) {
      idCell.textContent = task.id;
    }
    const open = nameCell.firstChild;
    if (!before || before.name !== task.name) {
      open.textContent = task.name;
    }
    open.title = i18n.t('open.hint', { name: task.name });
    if (!before || before.description !== task.description || tagsOf(before).join(' ') !== tags.join(' ')) {
      // The tags first, as small labels, then the description: one line, like every cell.
      descriptionCell.replaceChildren(...tags.map((tag) => element('span', 'tag', tag)), task.description ?? '');
      descriptionCell.title = [...tags.map((tag) => `#${tag}`), task.description ?? ''].join(' ').trim();
    }
    if (!entry.time) {
      entry.time = timeElement();
      changedCell.append(entry.time);
    }
    entry.time.dateTime = task.changedAt ?? '';
    entry.time.title = i18n.absolute(entry.changedMs);
    this.#showTime(entry, now);
    const badge = statusBadge(state, i18n, task.sourceValue);
    entry.elapsed = null;
    if (Number.isFinite(entry.runningMs)) {
      // The clock ticks here, once a second (tickTimes), without any message from the server.
      entry.elapsed = element('span', 'elapsed');
      entry.elapsed.title = i18n.t('run.since', { time: i18n.absolute(entry.runningMs) });
      badge.append(entry.elapsed);
      this.#showElapsed(entry, now);
    }
    entry.expectedMs = state === 'OVERDUE' && task.expectedAt ? Date.parse(task.expectedAt) : NaN;
    entry.late = null;
    const words = [];
    if (Number.isFinite(entry.expectedMs)) {
      // "expected 14:00, 12 min late": the lateness grows on the page, like the running clock.
      entry.late = element('span', 'late');
      entry.late.title = i18n.absolute(entry.expectedMs);
      this.#showLate(entry, now);
    }
    if (state === 'FAILED' && Number.isInteger(task.exitCode) && task.exitCode !== 0) {
      words.push(i18n.t('run.exit', { code: task.exitCode }));
    }
    const said = task.message ?? task.output ?? '';
    if (said) words.push(said);
    const message = element('span', 'status-message', words.join(' · '));
    message.title = said;
    if (entry.late) {
      message.prepend(entry.late, words.length > 0 ? ' · ' : '');
    }
    const operated = [];
    if (task.acknowledgedBy) {
      const mark = element('span', 'acknowledged', `✓ ${i18n.t('ops.acknowledged', { user: task.acknowledgedBy })}`);
      mark.title = task.acknowledgedNote ?? '';
      operated.push(' ', mark);
    }
    if (task.pausedBy) {
      operated.push(' ', element('span', 'paused-schedule', `⏸ ${i18n.t('ops.paused', { user: task.pausedBy })}`));
    }
    statusCell.replaceChildren(badge, message, ...operated);
    entry.filled = true;
  }

  #showLate(entry, now) {
    const text = this.#i18n.t('run.late', {
      time: this.#i18n.timeOfDay(entry.expectedMs),
      late: this.#i18n.lateness(now - entry.expectedMs),
    });
    if (entry.late.textContent !== text) {
      entry.late.textContent = text;
    }
  }

  #showElapsed(entry, now) {
    const text = I18n.elapsed(now - entry.runningMs);
    if (entry.elapsed.textContent !== text) {
      entry.elapsed.textContent = text;
    }
  }

  #showTime(entry, now) {
    setTime(entry.time, entry.changedMs, now, this.#i18n);
    entry.nextTick = I18n.nextRelativeChange(entry.changedMs, now);
  }

  #highlight(rows) {
    for (const row of rows) {
      // Alternating between two identical animations restarts it without forcing a layout.
      row.dataset.flash = row.dataset.flash === 'a' ? 'b' : 'a';
      row.classList.add('changed');
      const id = Number(row.dataset.taskId);
      clearTimeout(this.#highlightTimers.get(id));
      this.#highlightTimers.set(id, setTimeout(() => {
        row.classList.remove('changed');
        this.#highlightTimers.delete(id);
      }, HIGHLIGHT_MS));
    }
  }

  // --- geometry: only ever a few row positions, on a layout the browser has already done ---

  /** The rows shown, in order. */
  #shownEntries() {
    const shown = [];
    for (const id of this.#order) {
      const entry = this.#entries.get(id);
      if (!entry.row.hidden) shown.push(entry);
    }
    return shown;
  }

  /** Binary search for the first shown row whose bottom is below y (viewport coordinates). */
  #firstBelow(shown, y) {
    let low = 0;
    let high = shown.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (shown[middle].row.getBoundingClientRect().bottom <= y) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  * #visibleEntries() {
    if (this.#el.tableWrap.hidden || this.#entries.size === 0) {
      return;
    }
    const shown = this.#shownEntries();
    const bottom = window.innerHeight;
    for (let i = this.#firstBelow(shown, 0); i < shown.length; i++) {
      if (shown[i].row.getBoundingClientRect().top >= bottom) {
        return;
      }
      yield shown[i];
    }
  }

  /**
   * The first few rows at the top of the viewport (below the sticky header) and their positions; after a
   * change, the first of them that did not itself move is put back where it was. Null at the top of the page:
   * there, new rows simply appear above.
   */
  #measureAnchor() {
    if (window.scrollY <= 0 || this.#el.tableWrap.hidden || this.#entries.size === 0) {
      return null;
    }
    const top = this.#el.header.getBoundingClientRect().bottom;
    const shown = this.#shownEntries();
    const first = this.#firstBelow(shown, top);
    const rows = shown.slice(first, first + 8).map((entry) => entry.row);
    return rows.length === 0 ? null : { rows, tops: rows.map((row) => row.getBoundingClientRect().top) };
  }

  // --- counts and notes ---

  #showCounts() {
    const board = this.#board;
    const counts = board.counts();
    for (const status of STATES) {
      setNumber(this.#el.counts[status], counts[status]);
    }
    setNumber(this.#el.total, counts.total);
    this.#showTags();
    // Failures and overdue tasks nobody has acknowledged should be visible from another tab too: "(3) TaskPulse" and
    // a red icon, both gone when all is well or someone is on it.
    const alarming = counts.unseen;
    this.#doc.title = alarming > 0 ? `(${alarming}) TaskPulse` : 'TaskPulse';
    const icon = this.#doc.querySelector('link[rel="icon"]');
    const href = alarming > 0 ? 'img/favicon-alert.svg' : 'img/favicon.svg';
    if (icon && icon.getAttribute('href') !== href) {
      icon.setAttribute('href', href);
    }
  }

  /**
   * The tag bar: every tag with its tasks' rolled-up state (the worst of them, see TAG_ROLLUP in board.js) and
   * count; the chosen one pressed. Tags are few: the bar is rebuilt, but only when what it shows differs.
   */
  #showTags() {
    const summary = this.#board.tagSummary();
    const chosen = this.#view.tag;
    if (chosen !== null && !summary.some((entry) => entry.tag === chosen)) {
      summary.push({ tag: chosen, state: null, count: 0 });   // a bookmarked tag no task has (yet)
    }
    const key = JSON.stringify([summary, chosen, this.#view.wall, this.#i18n.lang]);
    if (key === this.#tagBarKey) {
      return;
    }
    this.#tagBarKey = key;
    const i18n = this.#i18n;
    this.#el.tagList.replaceChildren(...summary.map(({ tag, state, count }) => {
      const button = element('button', `pill tag-pill${state ? ` pill-${state.toLowerCase().replace('_', '-')}` : ''}`);
      button.type = 'button';
      button.dataset.tag = tag;
      button.dataset.state = state ?? '';
      button.setAttribute('aria-pressed', String(tag === chosen));
      button.disabled = this.#view.wall;
      const icon = element('span', 'pill-icon', state ? statusIcon(state) : '·');
      icon.setAttribute('aria-hidden', 'true');
      const stateWords = state ? i18n.statusLabel(state) : i18n.t('tags.none');
      button.title = i18n.t(tag === chosen ? 'tags.clearHint' : 'tags.filterHint', { tag, state: stateWords, n: count });
      button.append(icon, element('span', 'pill-label', tag), element('span', 'visually-hidden', stateWords),
        element('strong', 'pill-number', String(count)));
      return button;
    }));
    this.#el.tagBar.hidden = summary.length === 0;
  }

  #showNotes() {
    const board = this.#board;
    const total = this.#entries.size;
    let shown = 0;
    if (total > 0) {
      for (const entry of this.#entries.values()) {
        if (!entry.row.hidden) shown++;
      }
    }
    this.#el.loading.hidden = board.loaded;
    this.#el.empty.hidden = !board.loaded || total > 0;
    this.#el.noMatch.hidden = total === 0 || shown > 0;
    this.#el.tableWrap.hidden = shown === 0;
  }
}

function setNumber(button, n) {
  const number = button.querySelector('.pill-number');
  const text = String(n);
  if (number.textContent !== text) {
    number.textContent = text;
  }
}

function setSort(header, order) {
  if (order === null) {
    header.removeAttribute('aria-sort');
  } else if (header.getAttribute('aria-sort') !== order) {
    header.setAttribute('aria-sort', order);
  }
}
