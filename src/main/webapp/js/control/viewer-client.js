// Who is logged in, when reading needs a login: GET api/viewer.
// {status: 200, restricted, user} or {status: 401|403}; throws when the server cannot be reached.

export async function fetchViewer() {
  const response = await fetch('api/viewer', { cache: 'no-store', credentials: 'same-origin' });
  if (response.status === 401 || response.status === 403) {
    return { status: response.status, restricted: true };
  }
  if (!response.ok) {
    throw new Error(`viewer answered ${response.status}`);
  }
  return { status: 200, ...(await response.json()) };
}
