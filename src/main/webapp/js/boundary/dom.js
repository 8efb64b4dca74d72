// Small DOM helpers shared by the views. Text goes in as textContent, never as markup.

const STATUS_ICONS = { RUNNING: '▶', OVERDUE: '◷', NOT_RUN: '○', SUCCEEDED: '✓', FAILED: '✗' };

/** The icon that goes with a state's words. */
export function statusIcon(status) {
  return STATUS_ICONS[status] ?? '?';
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/**
 * A status as icon and words, not colour alone. A source table's value that its map does not name (status UNKNOWN)
 * shows with the raw value, "Unknown (7)"; any other status this page does not know shows as sent.
 */
export function statusBadge(status, i18n, rawValue) {
  const known = status in STATUS_ICONS;
  const badge = element('span', `badge badge-${known ? status : 'UNKNOWN'}`);
  const icon = element('span', 'badge-icon', known ? STATUS_ICONS[status] : '?');
  icon.setAttribute('aria-hidden', 'true');
  let label = known ? i18n.statusLabel(status) : String(status);
  if (status === 'UNKNOWN') {
    label = i18n.statusLabel(status) + (rawValue === undefined || rawValue === null ? '' : ` (${rawValue})`);
  }
  badge.append(icon, element('span', 'badge-label', label));
  return badge;
}

export function timeElement() {
  return document.createElement('time');
}

/** <time datetime="ISO" title="absolute">12 s ago</time>; the text is only written when it differs. */
export function setTime(time, ms, now, i18n) {
  const text = i18n.relative(ms, now);
  if (time.textContent !== text) {
    time.textContent = text;
  }
}

/** Fills a <time> completely: machine-readable datetime, absolute time on hover, relative text. */
export function fillTime(time, iso, now, i18n) {
  const ms = iso ? Date.parse(iso) : NaN;
  time.dateTime = iso ?? '';
  time.title = i18n.absolute(ms);
  setTime(time, ms, now, i18n);
  return ms;
}
