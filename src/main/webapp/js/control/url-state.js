// What the person is looking at, kept in the address bar so a filtered view can be bookmarked or shared:
// ?status=FAILED&tag=team:db&q=backup&sort=changed&wall=1 (a team bookmarks its own board with tag=). The language is not here: it is the reader's, not the view's
// (see language.js).

import { STATES } from '../entity/board.js';

/** The server's rule for a tag (docs/api.md); anything else in the URL is no filter. */
const TAG = /^[a-z0-9][a-z0-9:._\/-]{0,49}$/;

/** The view a URL asks for; unknown or malformed values fall back to the defaults. */
export function readViewState(search = location.search) {
  const params = new URLSearchParams(search);
  const status = params.get('status');
  return {
    status: STATES.includes(status) ? status : null,
    tag: TAG.test(params.get('tag') ?? '') ? params.get('tag') : null,
    query: (params.get('q') ?? '').trim() === '' ? '' : params.get('q'),
    sort: params.get('sort') === 'changed' ? 'changed' : 'id',
    wall: params.get('wall') === '1' || params.get('wall') === 'true',
  };
}

/** The query string for a view; parameters at their defaults are left out, others kept as they were. */
export function viewSearch(state, search = location.search) {
  const params = new URLSearchParams(search);
  const set = (name, value) => (value ? params.set(name, value) : params.delete(name));
  set('status', state.status);
  set('tag', state.tag);
  set('q', state.query.trim() === '' ? '' : state.query);
  set('sort', state.sort === 'changed' ? 'changed' : '');
  set('wall', state.wall ? '1' : '');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * Keeps the URL in step with the view without adding a history entry per keystroke; Back/Forward (or an
 * edited URL) bring the view along via onChange.
 */
export class UrlState {
  #onChange;

  constructor(onChange) {
    this.#onChange = onChange;
    window.addEventListener('popstate', () => this.#onChange(readViewState()));
  }

  read() {
    return readViewState();
  }

  write(state) {
    const search = viewSearch(state);
    if (search !== location.search) {
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
    }
  }
}
