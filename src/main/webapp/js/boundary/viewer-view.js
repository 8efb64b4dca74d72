// "Logged in as alice" and the logout button (a plain form in index.html), shown only when reading needs a login.

export class ViewerView {
  #i18n;
  #form = document.getElementById('viewer');
  #name = document.getElementById('viewer-name');
  #user = null;

  constructor(i18n) {
    this.#i18n = i18n;
  }

  show({ restricted, user }) {
    this.#user = restricted && user ? user : null;
    this.#form.hidden = this.#user === null;
    this.relabel();
  }

  relabel() {
    this.#name.textContent = this.#user === null ? '' : this.#i18n.t('viewer.user', { user: this.#user });
  }
}
