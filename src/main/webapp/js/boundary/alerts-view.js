// The alert channels, their rules and last deliveries, read-only, in a <details> under the board: loaded when it is
// opened (and each time again), so a page that never opens it never asks.

import { fetchAlerts } from '../control/alerts-client.js';
import { element } from './dom.js';

export class AlertsView {
  #i18n;
  #el;
  #abort = null;
  #last = null;

  constructor(i18n, doc = document) {
    this.#i18n = i18n;
    this.#el = {
      details: doc.getElementById('alerts'),
      note: doc.getElementById('alerts-note'),
      table: doc.getElementById('alerts-channels'),
    };
    this.#el.details.addEventListener('toggle', () => this.#el.details.open && this.#load());
  }

  relabel() {
    if (this.#last) {
      this.#show(this.#last);
    }
  }

  async #load() {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#el.note.textContent = this.#i18n.t('alerts.loading');
    try {
      this.#last = await fetchAlerts(abort.signal);
      this.#show(this.#last);
    } catch (error) {
      if (!abort.signal.aborted) {
        console.warn('TaskPulse: alerts not loaded:', error);
        this.#el.note.textContent = this.#i18n.t('alerts.error');
      }
    }
  }

  #show({ channels }) {
    const i18n = this.#i18n;
    this.#el.note.textContent = channels.length === 0 ? i18n.t('alerts.none') : '';
    this.#el.table.hidden = channels.length === 0;
    const rows = channels.map((channel) => {
      const row = element('tr');
      row.dataset.channelId = String(channel.id);
      const rules = channel.rules.map((rule) => element('div', 'alert-rule', [
        (rule.transitions ?? []).join(', '),
        rule.name ? i18n.t('alerts.ruleName', { name: rule.name }) : '',
        rule.tag ? i18n.t('alerts.ruleTag', { tag: rule.tag }) : '',
      ].filter(Boolean).join(' · ')));
      const deliveries = channel.deliveries.map((delivery) => element('div', 'alert-delivery', [
        new Date(delivery.at).toLocaleString(i18n.htmlLang),
        delivery.task ?? '',
        delivery.transition,
        i18n.t('alerts.attempt', { n: delivery.attempt }),
        delivery.error ?? (delivery.status ? `HTTP ${delivery.status}` : ''),
      ].filter(Boolean).join(' · ')));
      const target = channel.url ?? (channel.to ? `${channel.to}` : '');
      row.append(element('td', 'alert-name', channel.name), element('td', null, channel.kind),
        element('td', 'alert-target', target), cell(rules, i18n.t('alerts.noRules')), cell(deliveries, i18n.t('alerts.noDeliveries')));
      return row;
    });
    this.#el.table.tBodies[0].replaceChildren(...rows);
  }
}

function cell(children, empty) {
  const td = element('td');
  if (children.length === 0) {
    td.append(element('span', 'muted', empty));
  } else {
    td.append(...children);
  }
  return td;
}
