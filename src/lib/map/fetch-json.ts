// The one JSON getter of the map's data modules (incident layers, context layers, rate shading):
// it takes an answer the time slider asked for ahead of time (see prefetch.ts) and turns an error
// answer into an HttpError carrying the server's own message.
import { takePrefetched } from './prefetch.ts';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
	// A failed prefetch is asked again: the fresh request reports its own error.
	const early = takePrefetched<T>(url);
	if (early) {
		try {
			return await early;
		} catch {
			// fall through
		}
	}
	const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
	if (!res.ok) {
		let message = `${res.status} ${res.statusText}`;
		try {
			const body = await res.json();
			if (body?.message) message = body.message;
		} catch {
			// not JSON: keep the status line
		}
		throw new HttpError(res.status, message);
	}
	return res.json() as Promise<T>;
}

export const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

/** The message to show for a failed request. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
