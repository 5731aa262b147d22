// Answers asked for ahead of time, so that the time slider's next step draws as soon as it is
// shown: while one window is on screen, the requests the next window will make are already under
// way. The map's own requests take an answer from here (once) when one is waiting for the same
// URL. Kept small and short-lived: only the next step or two are ever worth keeping.
const MAX_ENTRIES = 8;
const MAX_AGE_MS = 60_000;

interface Entry {
	at: number;
	answer: Promise<unknown>;
}
// A module-level cache of promises, never rendered; not state.
const waiting = new Map<string, Entry>();

function fresh(e: Entry | undefined): e is Entry {
	return !!e && Date.now() - e.at < MAX_AGE_MS;
}

/** Starts loading `url` unless it is already waiting. Failures are forgotten (asked again later). */
export function prefetchJson(url: string): void {
	if (fresh(waiting.get(url))) return;
	const answer = fetch(url, { headers: { accept: 'application/json' } }).then((res) => {
		if (!res.ok) throw new Error(`${res.status}`);
		return res.json() as Promise<unknown>;
	});
	answer.catch(() => waiting.delete(url));
	waiting.set(url, { at: Date.now(), answer });
	while (waiting.size > MAX_ENTRIES) waiting.delete(waiting.keys().next().value!);
}

/** The prefetched answer for `url`, taken out of the cache; null when none is waiting. */
export function takePrefetched<T>(url: string): Promise<T> | null {
	const e = waiting.get(url);
	waiting.delete(url);
	return fresh(e) ? (e.answer as Promise<T>) : null;
}
