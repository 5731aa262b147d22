/**
 * Asks the service worker to keep the static files (the whole basemap, all four font files,
 * icons: ~0.6 MB) once the first screen has what it asked for (issue 14, field link). The worker
 * used to fetch them while installing, at start-up, and on a 1 Mbit/s link that competed with the
 * first map for the same wire. Now it installs with nothing to fetch (so it controls the pages
 * from the first visit, as before) and fetches them when the page has loaded and no part of it
 * says it is loading ([data-loading="true"], as the map's layers do), or after MAX_WAIT_MS
 * whatever happens.
 */
const QUIET_MS = 500;
const MAX_WAIT_MS = 30_000;
let cancelled = false;

/** Sign-out: a precache still waiting for the screen to settle is not asked for. */
export function cancelPrecache(): void {
	cancelled = true;
}

export function precacheWhenSettled(): void {
	if (!('serviceWorker' in navigator)) return;
	const started = performance.now();
	let quietSince = 0;
	const ask = () =>
		void navigator.serviceWorker.ready.then((reg) => {
			if (!cancelled) reg.active?.postMessage({ type: 'precache' });
		});
	const poll = () => {
		if (cancelled) return;
		const now = performance.now();
		const busy = document.querySelector('[data-loading="true"]') !== null;
		quietSince = busy ? 0 : quietSince || now;
		if ((quietSince && now - quietSince >= QUIET_MS) || now - started > MAX_WAIT_MS) ask();
		else setTimeout(poll, 200);
	};
	if (document.readyState === 'complete') poll();
	else addEventListener('load', poll, { once: true });
}
