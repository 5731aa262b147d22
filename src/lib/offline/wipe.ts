/**
 * Sign-out leaves nothing of this site in the browser: every Cache Storage cache and every
 * IndexedDB database (the outbox included: the user confirmed discarding it). The server's
 * `Clear-Site-Data` on /logout does the same again, and covers the HTTP cache.
 */
import { closeOutbox } from './outbox';
import { cancelPrecache } from './precache';
import { forgetVisits } from './visited';

export async function wipeEverything(): Promise<void> {
	// The worker must not start fetching the static files while the server's Clear-Site-Data
	// clears it (a worker installing then held the sign-out navigation for 30 s in Chromium).
	cancelPrecache();
	forgetVisits();
	await closeOutbox();
	if ('caches' in window) for (const key of await caches.keys()) await caches.delete(key);
	if (indexedDB.databases)
		for (const d of await indexedDB.databases())
			if (d.name)
				await new Promise<void>((done) => {
					const r = indexedDB.deleteDatabase(d.name!);
					r.onsuccess = r.onerror = r.onblocked = () => done();
				});
	for (const reg of (await navigator.serviceWorker?.getRegistrations()) ?? [])
		await reg.unregister();
}
