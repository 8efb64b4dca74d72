// Reads a task's status history (GET api/tasks/{id}/history?limit=50) and its runs (…/runs, …/runs/{runId}/output).

export const HISTORY_LIMIT = 50;

/** Resolves to { entries } or { gone: true } (404); rejects on anything else. */
export async function fetchHistory(id, signal) {
  const list = await fetchList(`api/tasks/${encodeURIComponent(id)}/history?limit=${HISTORY_LIMIT}`, 'history', signal);
  return list.gone ? list : { entries: list.items };
}

export const RUNS_LIMIT = 20;

/** Resolves to { runs } (newest first) or { gone: true } (404); rejects on anything else. */
export async function fetchRuns(id, signal) {
  const list = await fetchList(`api/tasks/${encodeURIComponent(id)}/runs?limit=${RUNS_LIMIT}`, 'runs', signal);
  return list.gone ? list : { runs: list.items };
}

/** A JSON array of a task's: { items } or { gone: true } when the task is gone (404). */
async function fetchList(url, what, signal) {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' }, signal });
  if (response.status === 404) {
    return { gone: true };
  }
  if (!response.ok) {
    throw new Error(`${what} answered ${response.status}`);
  }
  const items = await response.json();
  return { items: Array.isArray(items) ? items : [] };
}

/** A run's kept output, as text (shown with textContent: never parsed as HTML). */
export async function fetchOutput(id, runId, signal) {
  const response = await fetch(`api/tasks/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/output`, {
    cache: 'no-store',
    headers: { Accept: 'text/plain' },
    signal,
  });
  if (!response.ok) {
    throw new Error(`output answered ${response.status}`);
  }
  return { text: await response.text(), cut: response.headers.get('TaskPulse-Output-Cut') === 'true' };
}
