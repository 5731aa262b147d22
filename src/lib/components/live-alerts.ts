/**
 * The live alert stream as the bell and the alerts page use it. An alert raised while no stream
 * is listening (before it connects, or while it reconnects on a poor link) sends no event, so each
 * time the server says the stream is live (`ready`: LISTEN in place) the caller catches up by
 * reading. Returns the function that closes the stream.
 */
import type { Alert } from '$lib/domain/alerts';

export function followAlerts(on: { alert: (a: Alert) => void; catchUp: () => void }): () => void {
	const es = new EventSource('/api/v1/alerts/stream');
	es.addEventListener('ready', () => on.catchUp());
	es.addEventListener('alert', (e) => on.alert(JSON.parse((e as MessageEvent).data) as Alert));
	return () => es.close();
}

/** Alerts read through the API (`query`: unread, limit), or null when the read failed. */
export async function readAlerts(query: string): Promise<Alert[] | null> {
	const r = await fetch(`/api/v1/alerts?${query}`).catch(() => null);
	return r?.ok ? ((await r.json()) as Alert[]) : null;
}
