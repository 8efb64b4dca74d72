// The task detail panel: a modal dialog with the task's current status and its status history (newest
// first). Focus moves into it when it opens, stays inside while open (Tab wraps; the page behind is inert),
// and returns to the button that opened it. Escape, the close button or the backdrop close it.

import { fetchHistory, fetchRuns, fetchOutput } from '../control/history-client.js';
import { act } from '../control/operator-client.js';
import { stateOf } from '../entity/board.js';
import { I18n } from '../entity/i18n.js';
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
  #runs = null;            // likewise for the runs
  #times = [];             // [<time>, ms] for the once-a-second refresh
  #operator = false;       // whether the viewer may acknowledge and pause (GET api/viewer)

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
      chart: byId('detail-chart'),
      runs: byId('detail-runs'),
      output: byId('detail-output'),
      operatedLabel: byId('detail-operated-label'),
      operated: byId('detail-operated'),
      actions: byId('detail-actions'),
      ackNote: byId('detail-ack-note'),
      ack: byId('detail-ack'),
      unack: byId('detail-unack'),
      pause: byId('detail-pause'),
      resume: byId('detail-resume'),
      actionNote: byId('detail-action-note'),
      close: byId('detail-close'),
      app: byId('app'),
    };
    this.#el.close.addEventListener('click', () => this.close());
    for (const action of ['ack', 'unack', 'pause', 'resume']) {
      this.#el[action].addEventListener('click', () => this.#act(action));
    }
    this.#el.actions.addEventListener('submit', (event) => event.preventDefault());
    this.#el.backdrop.addEventListener('click', () => this.close());
    // On the document, so Escape and the Tab trap work wherever focus happens to be while open.
    doc.addEventListener('keydown', (event) => this.#id !== null && this.#keydown(event));
  }

  /** Operators see the actions; everyone sees who acknowledged or paused. */
  showActions(operator) {
    this.#operator = operator;
    if (this.#id !== null) {
      this.#showTask();
    }
  }

  async #act(action) {
    const id = this.#id;
    const names = { ack: 'acknowledge', unack: 'unacknowledge', pause: 'pause', resume: 'resume' };
    this.#el.actionNote.textContent = '';
    try {
      await act(id, names[action], this.#el.ackNote.value.trim());
      this.#el.ackNote.value = '';
      // The board learns the new state from the feed, like every other board.
    } catch (error) {
      this.#el.actionNote.textContent = this.#i18n.t('ops.failed', { detail: error.message });
    }
  }

  get openId() {
    return this.#id;
  }

  open(id, returnTo) {
    this.#id = id;
    this.#returnTo = returnTo ?? null;
    this.#history = null;
    this.#runs = null;
    this.#el.history.replaceChildren();
    this.#el.runs.replaceChildren();
    this.#el.chart.replaceChildren();
    this.#el.output.hidden = true;
    this.#el.actionNote.textContent = '';
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
    this.#times = [];
    if (this.#runs) {
      this.#showRuns(this.#runs);
    }
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
    const current = [statusBadge(stateOf(task), this.#i18n, task.sourceValue)];
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
    this.#showOperated(task);
  }

  /** Who acknowledged the failure, who paused the schedule (for everyone); the actions that apply (operators). */
  #showOperated(task) {
    const i18n = this.#i18n;
    const facts = [];
    if (task.acknowledgedBy) {
      facts.push(element('div', 'operated', i18n.t('ops.acknowledged', { user: task.acknowledgedBy })
        + (task.acknowledgedNote ? `: ${task.acknowledgedNote}` : '')));
    }
    if (task.pausedBy) {
      facts.push(element('div', 'operated', i18n.t('ops.paused', { user: task.pausedBy })));
    }
    this.#el.operated.replaceChildren(...facts);
    this.#el.operated.hidden = this.#el.operatedLabel.hidden = facts.length === 0;
    const state = stateOf(task);
    const troubled = state === 'FAILED' || state === 'OVERDUE';
    this.#el.ack.hidden = this.#el.ackNote.hidden = !troubled || Boolean(task.acknowledgedBy);
    this.#el.unack.hidden = !task.acknowledgedBy;
    this.#el.pause.hidden = !task.schedule || Boolean(task.pausedBy);
    this.#el.resume.hidden = !task.pausedBy;
    const any = [this.#el.ack, this.#el.unack, this.#el.pause, this.#el.resume].some((button) => !button.hidden);
    this.#el.actions.hidden = !this.#operator || !any;
  }

  async #load() {
    const id = this.#id;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    try {
      this.#times = [];
      const [result, runs] = await Promise.all([fetchHistory(id, abort.signal), fetchRuns(id, abort.signal)]);
      if (id !== this.#id) {
        return;
      }
      this.#history = result;
      this.#runs = runs;
      this.#showRuns(runs);
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

  /** The last runs: a bar per run (height: duration, colour: result), then the list, newest first. */
  #showRuns(result) {
    const runs = result.gone ? [] : result.runs;
    const i18n = this.#i18n;
    const longest = Math.max(1, ...runs.map((run) => run.durationMs ?? 0));
    const bars = runs.slice().reverse().map((run) => {
      const bar = element('span', `run-bar run-bar-${runState(run)}`);
      const share = Number.isFinite(run.durationMs) ? Math.max(0.04, run.durationMs / longest) : 0.04;
      bar.style.height = `${Math.round(share * 100)}%`;
      bar.title = `${i18n.statusLabel(runState(run))} · ${Number.isFinite(run.durationMs) ? I18n.elapsed(run.durationMs) : '—'}`;
      return bar;
    });
    this.#el.chart.replaceChildren(...bars);
    this.#el.chart.hidden = runs.length === 0;
    const items = runs.map((run) => {
      const item = element('li', 'run-item');
      item.dataset.status = runState(run);
      const facts = [];
      if (Number.isFinite(run.durationMs)) facts.push(I18n.elapsed(run.durationMs));
      else if (!run.startedAt) facts.push(i18n.t('run.noStart'));
      if (Number.isInteger(run.exitCode)) facts.push(i18n.t('run.exit', { code: run.exitCode }));
      if (!run.status && run.endedAt) facts.push(i18n.t('run.superseded'));
      const head = element('div', 'timeline-head');
      head.append(statusBadge(runState(run), i18n), element('span', 'run-facts', facts.join(' · ')));
      const when = run.startedAt ?? run.endedAt;
      if (when) {
        const time = timeElement();
        this.#times.push([time, fillTime(time, when, Date.now(), i18n)]);
        head.append(time);
      }
      item.append(head);
      if (run.message) {
        item.append(element('p', 'timeline-message', run.message));
      }
      if (run.outputBytes > 0) {
        const show = element('button', 'control run-output-button', i18n.t('run.output'));
        show.type = 'button';
        show.addEventListener('click', () => this.#showOutput(run));
        item.append(show);
      }
      return item;
    });
    if (items.length === 0) {
      items.push(element('li', 'muted', i18n.t('detail.noRuns')));
    }
    this.#el.runs.replaceChildren(...items);
  }

  async #showOutput(run) {
    const id = this.#id;
    try {
      const output = await fetchOutput(id, run.runId, this.#abort?.signal);
      if (id !== this.#id) return;
      // textContent: a log is shown as it is, never interpreted as markup.
      this.#el.output.textContent = (output.cut ? `${this.#i18n.t('run.outputCut')}\n` : '') + output.text;
      this.#el.output.hidden = false;
    } catch (error) {
      if (id === this.#id) {
        this.#el.output.textContent = this.#i18n.t('detail.error');
        this.#el.output.hidden = false;
      }
    }
  }

  #showHistory(result) {
    const now = Date.now();
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

/** RUNNING while open; a superseded run (ended without a result) shows as not run. */
function runState(run) {
  if (!run.endedAt) return 'RUNNING';
  return run.status ?? 'NOT_RUN';
}
