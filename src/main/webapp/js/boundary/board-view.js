// Renders the board into the page. Only textContent and DOM nodes, never HTML strings: task data comes
// from scripts and must never become markup (and a strict Content-Security-Policy stays easy).

import { STATUSES } from '../entity/board.js';

const STATUS_LOOK = {
  NOT_RUN: { icon: '○', label: '未执行 · Not run' },
  SUCCEEDED: { icon: '✓', label: '执行成功 · Succeeded' },
  FAILED: { icon: '✗', label: '执行失败 · Failed' },
};

const CONNECTION_LABELS = {
  live: 'Live',
  polling: 'Polling',
  reconnecting: 'Reconnecting…',
};

const HIGHLIGHT_MS = 2000;
const HIDDEN_REDRAW_MS = 1000;

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export class BoardView {
  #board;
  #doc;
  #rows = new Map();        // id → <tr>
  #order = [];              // ids in table order, to find where a new row goes
  #highlightTimers = new Map();
  #scheduled = false;
  #seenData = false;        // the first snapshot fills the table without flashing every row
  #el;

  constructor(board, doc = document) {
    this.#board = board;
    this.#doc = doc;
    const byId = (id) => doc.getElementById(id);
    this.#el = {
      rows: byId('task-rows'),
      tableWrap: byId('table-wrap'),
      loading: byId('loading'),
      empty: byId('empty'),
      connection: byId('connection'),
      connectionLabel: byId('connection-label'),
      revision: byId('revision'),
      total: byId('count-total'),
      counts: Object.fromEntries(STATUSES.map((status) => [status, byId(`count-${status}`)])),
    };
    byId('empty-example').textContent =
      `curl -X POST ${location.origin}/api/tasks -H 'Content-Type: application/json' -d '{"name":"nightly-backup"}'`;
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
    const changedRows = [];
    for (const id of board.takeChanged()) {
      const task = board.tasks.get(id);
      if (task) {
        changedRows.push(this.#upsertRow(task));
      } else {
        this.#removeRow(id);
      }
    }
    if (this.#seenData) {
      this.#highlight(changedRows);
    }
    this.#seenData ||= board.loaded;

    const counts = board.counts();
    for (const status of STATUSES) {
      this.#el.counts[status].textContent = counts[status];
    }
    this.#el.total.textContent = counts.total;
    this.#el.revision.textContent = board.loaded ? board.revision : '–';
    this.#doc.body.dataset.revision = board.loaded ? board.revision : '';
    this.#el.loading.hidden = board.loaded;
    this.#el.empty.hidden = !board.loaded || counts.total > 0;
    this.#el.tableWrap.hidden = counts.total === 0;
    // A failure should be visible from another tab too.
    this.#doc.title = counts.FAILED > 0 ? `(${counts.FAILED} failed) TaskPulse` : 'TaskPulse';
  }

  /** Cheap and immediate: tests and people both want the connection state without waiting for a frame. */
  showConnection(state) {
    this.#doc.body.dataset.connection = state;
    this.#el.connection.dataset.state = state;
    this.#el.connectionLabel.textContent =
      state === 'reconnecting' && !this.#board.loaded ? 'Connecting…' : CONNECTION_LABELS[state];
  }

  #upsertRow(task) {
    let row = this.#rows.get(task.id);
    if (!row) {
      row = this.#createRow(task.id);
      this.#insertInOrder(task.id, row);
    }
    fillRow(row, task);
    return row;
  }

  #createRow(id) {
    const row = this.#doc.createElement('tr');
    row.dataset.taskId = id;
    row.append(
      element('td', 'col-id'),
      element('th', 'col-name'),       // the name is what people read a row by: make it the row header
      element('td', 'col-description'),
      element('td', 'col-changed'),
      element('td', 'col-status'),
    );
    row.cells[1].scope = 'row';
    return row;
  }

  #insertInOrder(id, row) {
    // Binary search in the sorted ids: the table stays sorted without re-sorting the DOM.
    let low = 0;
    let high = this.#order.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#order[middle] < id) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    const next = this.#order[low];
    this.#el.rows.insertBefore(row, next === undefined ? null : this.#rows.get(next));
    this.#order.splice(low, 0, id);
    this.#rows.set(id, row);
  }

  #removeRow(id) {
    const row = this.#rows.get(id);
    if (!row) {
      return;
    }
    row.remove();
    this.#rows.delete(id);
    this.#order.splice(this.#order.indexOf(id), 1);
    clearTimeout(this.#highlightTimers.get(id));
    this.#highlightTimers.delete(id);
  }

  #highlight(rows) {
    if (rows.length === 0) {
      return;
    }
    // Restart the animation on rows that are still highlighted: one forced layout for the whole batch.
    rows.forEach((row) => row.classList.remove('changed'));
    void this.#el.rows.offsetWidth;
    for (const row of rows) {
      row.classList.add('changed');
      const id = Number(row.dataset.taskId);
      clearTimeout(this.#highlightTimers.get(id));
      this.#highlightTimers.set(id, setTimeout(() => {
        row.classList.remove('changed');
        this.#highlightTimers.delete(id);
      }, HIGHLIGHT_MS));
    }
  }
}

function fillRow(row, task) {
  const [idCell, nameCell, descriptionCell, changedCell, statusCell] = row.cells;
  row.dataset.status = task.status;
  idCell.textContent = task.id;
  nameCell.textContent = task.name;
  descriptionCell.textContent = task.description ?? '';
  changedCell.replaceChildren(changedAt(task.changedAt));
  statusCell.replaceChildren(badge(task.status));
  if (task.message) {
    statusCell.append(element('div', 'status-message', task.message));
  }
}

function changedAt(iso) {
  if (!iso) {
    return element('span', 'muted', '—');
  }
  const date = new Date(iso);
  const time = element('time', '', Number.isNaN(date.getTime()) ? iso : timeFormat.format(date));
  time.dateTime = iso;
  time.title = iso;
  return time;
}

function badge(status) {
  // Icon and words, not colour alone.
  const look = STATUS_LOOK[status] ?? { icon: '?', label: String(status) };
  const badge = element('span', `badge badge-${STATUS_LOOK[status] ? status : 'UNKNOWN'}`);
  const icon = element('span', 'badge-icon', look.icon);
  icon.setAttribute('aria-hidden', 'true');
  badge.append(icon, element('span', 'badge-label', look.label));
  return badge;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
