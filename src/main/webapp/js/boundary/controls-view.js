// The page's chrome: connection badge, data age, language button, search, sort and pause. Turns what people
// do into calls on the handlers given, and shows what main.js tells it. The table is board-view.js.

const CONNECTION_ICONS = { live: '●', polling: '◐', reconnecting: '↻', offline: '⊘' };

export class ControlsView {
  #i18n;
  #doc;
  #el;
  #connection = 'reconnecting';
  #connectedBefore = false;
  #sort = 'id';
  #searchTimer = 0;

  /** handlers: onSearch(text), onSort(bool changedFirst), onPause(bool), onLanguage() */
  constructor(i18n, handlers, doc = document) {
    this.#i18n = i18n;
    this.#doc = doc;
    const byId = (id) => doc.getElementById(id);
    this.#el = {
      connection: byId('connection'),
      connectionIcon: doc.querySelector('#connection .connection-icon'),
      connectionLabel: byId('connection-label'),
      age: byId('data-age'),
      lang: byId('lang'),
      search: byId('search'),
      sort: byId('sort'),
      sortLabel: byId('sort-label'),
      sortIcon: doc.querySelector('#sort .control-icon'),
      pause: byId('pause'),
      pauseLabel: byId('pause-label'),
      pauseIcon: doc.querySelector('#pause .control-icon'),
    };
    // Filter as you type, but once per pause in typing: 2,000 rows need not be re-filtered per keystroke.
    this.#el.search.addEventListener('input', () => {
      clearTimeout(this.#searchTimer);
      this.#searchTimer = setTimeout(() => handlers.onSearch(this.#el.search.value), 120);
    });
    this.#el.search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        clearTimeout(this.#searchTimer);
        handlers.onSearch(this.#el.search.value);
      }
    });
    // The button says what a click does (the other order); the sorted column's header says the current one.
    this.#el.sort.addEventListener('click', () => handlers.onSort(this.#sort !== 'changed'));
    this.#el.pause.addEventListener('click', () =>
      handlers.onPause(this.#el.pause.getAttribute('aria-pressed') !== 'true'));
    this.#el.lang.addEventListener('click', () => handlers.onLanguage());
  }

  showView(view) {
    if (this.#el.search.value !== view.query && this.#doc.activeElement !== this.#el.search) {
      this.#el.search.value = view.query;
    }
    this.#sort = view.sort === 'changed' ? 'changed' : 'id';
    this.#showSort();
    this.#doc.body.classList.toggle('wall', view.wall);
  }

  showPaused(paused) {
    this.#el.pause.setAttribute('aria-pressed', String(paused));
    this.#el.pauseLabel.textContent = this.#i18n.t(paused ? 'pause.resume' : 'pause.button');
    this.#el.pauseIcon.textContent = paused ? '▶' : 'Ⅱ';
    this.#doc.body.classList.toggle('paused', paused);
  }

  #showSort() {
    const toId = this.#sort === 'changed';
    this.#el.sortLabel.textContent = this.#i18n.t(toId ? 'sort.toId' : 'sort.toChanged');
    this.#el.sort.title = this.#i18n.t(toId ? 'sort.toId.title' : 'sort.toChanged.title');
    this.#el.sortIcon.textContent = toId ? '↑' : '↓';
  }

  /**
   * Cheap and immediate: tests and people both want the connection state without waiting for a frame.
   * connectedBefore: whether the feed was ever up; until then "reconnecting" reads "connecting" (the board may
   * already show, from the first request).
   */
  showConnection(state, connectedBefore) {
    this.#connection = state;
    this.#connectedBefore = connectedBefore;
    this.#doc.body.dataset.connection = state;
    this.#el.connection.dataset.state = state;
    this.#el.connectionIcon.textContent = CONNECTION_ICONS[state] ?? '';
    const key = state === 'reconnecting' && !connectedBefore ? 'connecting' : state;
    this.#el.connectionLabel.textContent = this.#i18n.t(`connection.${key}`);
    this.#el.connection.title = this.#i18n.t(`connection.title.${key}`);
  }

  /** "data N s old", turning into a warning once stale, naming the database when the server said it is away. */
  showAge(ageMs, stale, databaseUnavailable = false) {
    const key = databaseUnavailable ? 'age.unavailable' : stale ? 'age.stale' : 'age.fresh';
    const text = ageMs === null
      ? this.#i18n.t('age.none')
      : this.#i18n.t(key, { n: Math.floor(ageMs / 1000) });
    const database = databaseUnavailable ? 'unavailable' : 'available';
    if (this.#doc.body.dataset.database !== database) {
      this.#doc.body.dataset.database = database;
    }
    if (this.#el.age.textContent !== text) {
      this.#el.age.textContent = text;
    }
    const value = String(stale);
    if (this.#doc.body.dataset.stale !== value) {
      this.#doc.body.dataset.stale = value;
      this.#el.age.classList.toggle('stale', stale);
    }
  }

  /** Words in the HTML (data-i18n*), the language button and everything this view wrote. */
  relabel() {
    const i18n = this.#i18n;
    const doc = this.#doc;
    doc.documentElement.lang = i18n.htmlLang;
    for (const node of doc.querySelectorAll('[data-i18n]')) {
      node.textContent = i18n.t(node.dataset.i18n);
    }
    for (const [attribute, data] of [['aria-label', 'i18nAriaLabel'], ['placeholder', 'i18nPlaceholder'], ['title', 'i18nTitle']]) {
      for (const node of doc.querySelectorAll(`[data-${attribute === 'aria-label' ? 'i18n-aria-label' : `i18n-${attribute}`}]`)) {
        node.setAttribute(attribute, i18n.t(node.dataset[data]));
      }
    }
    // The button offers the other language, in that language.
    this.#el.lang.textContent = i18n.t('lang.button');
    this.#el.lang.lang = i18n.lang === 'zh' ? 'en' : 'zh-CN';
    this.#el.lang.setAttribute('aria-label', i18n.t('lang.label'));
    this.showConnection(this.#connection, this.#connectedBefore);
    this.#showSort();
    this.showPaused(this.#el.pause.getAttribute('aria-pressed') === 'true');
  }
}
