// Tells screen-reader users about new failures through the assertive live region #announcer.

export class Announcer {
  #region;
  #i18n;
  #timer = 0;

  constructor(i18n, doc = document) {
    this.#i18n = i18n;
    this.#region = doc.getElementById('announcer');
  }

  /** Tasks that just turned FAILED. */
  failures(tasks) {
    if (tasks.length === 0) {
      return;
    }
    const text = tasks.map((task) => this.#i18n.t(task.message ? 'announce.failedWith' : 'announce.failed',
      { name: task.name, message: task.message })).join(' ');
    clearTimeout(this.#timer);
    if (this.#region.textContent === text) {
      // The same words again are news again: empty the region first so they are read once more.
      this.#region.textContent = '';
      this.#timer = setTimeout(() => { this.#region.textContent = text; }, 100);
    } else {
      this.#region.textContent = text;
    }
  }
}
