/**
 * Registers the service worker once the first screen has what it asked for (issue 14, field
 * link). Installing it fetches every static file (the whole basemap, all four font files, icons:
 * ~0.6 MB); on a 1 Mbit/s link that competed with the first map for the same wire. Now the
 * worker comes after: when the page has loaded and no part of it says it is loading
 * ([data-loading="true"], as the map's layers do), or after MAX_WAIT_MS whatever happens. The
 * page then hands the worker what it loaded (OfflineBar's 'warm'), so the next visit still opens
 * offline.
 */
import { dev } from '$app/environment';

const QUIET_MS = 500;
const MAX_WAIT_MS = 30_000;
let cancelled = false;

/** Sign-out: a registration still waiting for the screen to settle is not made. */
export function cancelServiceWorkerRegistration(): void {
	cancelled = true;
}

export function registerServiceWorkerWhenSettled(): void {
	if (!('serviceWorker' in navigator)) return;
	const started = performance.now();
	let quietSince = 0;
	const register = () =>
		void navigator.serviceWorker
			.register('/service-worker.js', { type: dev ? 'module' : 'classic' })
			.catch(() => {});
	const poll = () => {
		if (cancelled) return;
		const now = performance.now();
		const busy = document.querySelector('[data-loading="true"]') !== null;
		quietSince = busy ? 0 : quietSince || now;
		if ((quietSince && now - quietSince >= QUIET_MS) || now - started > MAX_WAIT_MS) register();
		else setTimeout(poll, 200);
	};
	if (document.readyState === 'complete') poll();
	else addEventListener('load', poll, { once: true });
}
