// Reads the alert channels, their rules and each channel's last deliveries (GET api/channels, api/rules,
// api/channels/{id}/deliveries). Read-only: channels and rules are managed with the write token over the API.

export const DELIVERIES_SHOWN = 5;

/** Resolves to { channels: [{ ...channel, rules: [...], deliveries: [...] }] }; rejects when the server refuses. */
export async function fetchAlerts(signal) {
  const [channels, rules] = await Promise.all([getJson('api/channels', signal), getJson('api/rules', signal)]);
  const withDeliveries = await Promise.all(channels.map(async (channel) => ({
    ...channel,
    rules: rules.filter((rule) => rule.channel === channel.id),
    deliveries: await getJson(`api/channels/${encodeURIComponent(channel.id)}/deliveries?limit=${DELIVERIES_SHOWN}`, signal),
  })));
  return { channels: withDeliveries };
}

async function getJson(url, signal) {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' }, credentials: 'same-origin', signal });
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  const body = await response.json();
  return Array.isArray(body) ? body : [];
}
