// The task detail panel: a modal dialog with the task's current status and its status history (newest
// first). Focus moves into it when it opens, stays inside while open (Tab wraps; the page behind is inert),
// and returns to the button that opened it. Escape, the close button or the backdrop close it.

import { fetchHistory } from '../control/history-client.js';
import { element, statusBadge, timeElement, fillTime, setTime } from './dom.js';

const REFRESH_DELAY_MS = 250;

export class DetailPanel {
  #board;
  #i18n;
  #el;
  #id = null;
  #returnTo = null;
  #abort = null;
  #refreshTimer = 0;
  #history = null;         // the last answer, so a language switch can redraw it without asking again
  #times = [];             // [<time>, ms] for the once-a-second refresh

  constructor(board, i18n, doc = document) {
    this.#board = board;
    this.#i18n = i18n;
    const byId = (id) => doc.getElementById(id);
    this.#el = {
      panel: byId('detail'),
      backdrop: byId('detail-backdrop'),
      title: byId('detail-title'),
      status: byId('detail-status'),
      description: byId('detail-description'),
      note: byId('detail-note'),
      history: byId('detail-history'),
      close: byId('detail-close'),
      app: byId('app'),
    };
    this.#el.close.addEventListener('click', () => this.close());
    this.#el.backdrop.addEventListener('click', () => this.close());
    // On the document, so Escape and the Tab trap work wherever focus happens to be while open.
    doc.addEventListener('keydown', (event) => this.#id !== null && this.#keydown(event));
  }

  get openId() {
    return this.#id;
  }

  open(id, returnTo) {
    this.#id = id;
    this.#returnTo = returnTo ?? null;
    this.#history = null;
    this.#el.history.replaceChildren();
    this.#showTask();
    this.#el.note.textContent = this.#i18n.t('detail.loading');
    this.#el.note.hidden = false;
    this.#el.app.inert = true;
    this.#el.backdrop.hidden = false;
    this.#el.panel.hidden = false;
    this.#el.close.focus();
    this.#load();
  }

  close() {
    if (this.#id === null) {
      return;
    }
    this.#id = null;
    this.#abort?.abort();
    clearTimeout(this.#refreshTimer);
    this.#times = [];
    this.#el.panel.hidden = true;
    this.#el.backdrop.hidden = true;
    this.#el.app.inert = false;
    const target = this.#returnTo?.isConnected ? this.#returnTo : document.getElementById('search');
    this.#returnTo = null;
    target?.focus();
  }

  /** The open task changed (or was deleted): show it and ask for its history again, once per burst. */
  taskChanged() {
    if (this.#id === null) {
      return;
    }
    this.#showTask();
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => this.#load(), REFRESH_DELAY_MS);
  }

  relabel() {
    if (this.#id === null) {
      return;
    }
    this.#showTask();
    if (this.#history) {
      this.#showHistory(this.#history);
    } else {
      this.#el.note.textContent = this.#i18n.t('detail.loading');
    }
  }

  tick(now) {
    for (const [time, ms] of this.#times) {
      setTime(time, ms, now, this.#i18n);
    }
  }

  #showTask() {
    const task = this.#board.tasks.get(this.#id);
    if (!task) {
      // Deleted while open: keep the name that was shown, say it is gone.
      this.#el.status.replaceChildren(element('span', 'muted', this.#i18n.t('detail.gone')));
      return;
    }
    this.#el.title.textContent = task.name;
    const current = [statusBadge(task.status, this.#i18n)];
    if (task.message) {
      current.push(' ', element('span', 'detail-message', task.message));
    }
    if (task.changedAt) {
      const time = timeElement();
      fillTime(time, task.changedAt, Date.now(), this.#i18n);
      current.push(' ', time);
    }
    this.#el.status.replaceChildren(...current);
    this.#el.description.textContent = task.description || '—';
  }

  async #load() {
    const id = this.#id;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const result = await fetchHistory(id, abort.signal);
      if (id !== this.#id) {
        return;
      }
      this.#history = result;
      this.#showHistory(result);
    } catch (error) {
      if (abort.signal.aborted || id !== this.#id) {
        return;
      }
      console.warn('TaskPulse: history not loaded:', error);
      this.#el.note.textContent = this.#i18n.t('detail.error');
      this.#el.note.hidden = false;
    }
  }

  #showHistory(result) {
    const now = Date.now();
    this.#times = [];
    if (result.gone) {
      this.#el.history.replaceChildren();
      this.#el.note.textContent = this.#i18n.t('detail.gone');
      this.#el.note.hidden = false;
      return;
    }
    const items = result.entries.map((entry) => {
      const item = element('li', 'timeline-item');
      item.dataset.status = entry.status;
      const time = timeElement();
      this.#times.push([time, fillTime(time, entry.changedAt, now, this.#i18n)]);
      const head = element('div', 'timeline-head');
      head.append(statusBadge(entry.status, this.#i18n), time);
      item.append(head);
      if (entry.message) {
        item.append(element('p', 'timeline-message', entry.message));
      }
      return item;
    });
    this.#el.history.replaceChildren(...items);
    this.#el.note.textContent = items.length === 0 ? this.#i18n.t('detail.empty') : '';
    this.#el.note.hidden = items.length > 0;
  }

  #keydown(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
      return;
    }
    if (event.key !== 'Tab') {
      return;
    }
    // Keep Tab inside the dialog: wrap from the last focusable element to the first and back.
    const focusable = [...this.#el.panel.querySelectorAll('button, [href], input, [tabindex]:not([tabindex="-1"])')]
      .filter((node) => !node.disabled && node.offsetParent !== null);
    if (focusable.length === 0) {
      event.preventDefault();
      return;
    }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = document.activeElement;
    if (!this.#el.panel.contains(active)) {
      event.preventDefault();
      first.focus();
    } else if (event.shiftKey && (active === first || active === this.#el.panel)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }
}
