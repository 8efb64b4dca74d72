// "Logged in as alice" and the logout button (a plain form in index.html), shown when someone is logged in; a
// "Sign in" link when the server has operators and nobody is.

export class ViewerView {
  #i18n;
  #form = document.getElementById('viewer');
  #name = document.getElementById('viewer-name');
  #signIn = document.getElementById('sign-in');
  #user = null;

  constructor(i18n) {
    this.#i18n = i18n;
  }

  show({ user, operators }) {
    this.#user = user ?? null;
    this.#form.hidden = this.#user === null;
    this.#signIn.hidden = this.#user !== null || operators !== true;
    this.relabel();
  }

  relabel() {
    this.#name.textContent = this.#user === null ? '' : this.#i18n.t('viewer.user', { user: this.#user });
  }
}
