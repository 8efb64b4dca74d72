// Reads a task's status history (GET api/tasks/{id}/history?limit=50) and its runs (…/runs, …/runs/{runId}/output).

export const HISTORY_LIMIT = 50;

/** Resolves to { entries } or { gone: true } (404); rejects on anything else. */
export async function fetchHistory(id, signal) {
  const response = await fetch(`api/tasks/${encodeURIComponent(id)}/history?limit=${HISTORY_LIMIT}`, {
    cache: 'no-store',
    headers: { Accept: 'application/json' },
    signal,
  });
  if (response.status === 404) {
    return { gone: true };
  }
  if (!response.ok) {
    throw new Error(`history answered ${response.status}`);
  }
  const entries = await response.json();
  return { entries: Array.isArray(entries) ? entries : [] };
}

export const RUNS_LIMIT = 20;

/** Resolves to { runs } (newest first) or { gone: true } (404); rejects on anything else. */
export async function fetchRuns(id, signal) {
  const response = await fetch(`api/tasks/${encodeURIComponent(id)}/runs?limit=${RUNS_LIMIT}`, {
    cache: 'no-store',
    headers: { Accept: 'application/json' },
    signal,
  });
  if (response.status === 404) {
    return { gone: true };
  }
  if (!response.ok) {
    throw new Error(`runs answered ${response.status}`);
  }
  const runs = await response.json();
  return { runs: Array.isArray(runs) ? runs : [] };
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
