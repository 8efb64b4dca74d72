// An operator's actions on a task (see docs/api.md, Operators): acknowledge (with a note), take it back, pause and
// resume the schedule. The login's session cookie and the page's Origin go along, as the server requires.

/** Resolves to the task as the server now has it; rejects with the server's problem detail. */
export async function act(id, action, note) {
  const path = `api/tasks/${encodeURIComponent(id)}/${action === 'unacknowledge' ? 'acknowledge' : action}`;
  const init = { method: action === 'unacknowledge' ? 'DELETE' : 'POST', credentials: 'same-origin', cache: 'no-store' };
  if (action === 'acknowledge' && note) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify({ note });
  }
  const response = await fetch(path, init);
  const text = await response.text();
  if (!response.ok) {
    let detail = `${response.status}`;
    try {
      detail = JSON.parse(text).detail ?? detail;
    } catch {
      // not a problem body: the status says enough
    }
    throw new Error(detail);
  }
  return JSON.parse(text);
}
