// Reads a task's status history: GET api/tasks/{id}/history?limit=50, newest first.

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
