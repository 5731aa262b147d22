/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Terrain's service worker (issue 14): the app opens offline after one online visit.
 *  - The shell (this build's JS/CSS) and static files (basemap, fonts, icons) are kept per version.
 *  - Pages and API data on the allow-list of $lib/offline/policy are fetched from the network
 *    first; their latest copy is kept, stamped with the time it was fetched, and served when the
 *    network fails. A response that says no-store is never kept, nor anything on the deny-list.
 *  - Screens not kept answer 503 "offline" (pages: a small page saying so; data: JSON), never
 *    the browser's "No internet" page.
 *  - A sign-out or an expired session (a page that lands on /login, an API 401) deletes the kept data.
 */
import { build, files, version } from '$service-worker';
import { forbidsStorage, isKeepable, isSensitive } from '$lib/offline/policy';
import { STAMP, DATA_CACHE, SHELL_PREFIX } from '$lib/offline/names';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `${SHELL_PREFIX}${version}`;
const BUILD = new Set(build);
const FILES = new Set(files);

// Nothing is fetched while installing: the first screen is loading beside it, on what may be a
// 1 Mbit/s link. The static files (basemap, fonts, icons) are kept once the page says it has
// settled ('precache', from $lib/offline/precache), and the build's chunks as pages use them
// (below) and from the page's own list ('warm').
sw.addEventListener('install', () => void sw.skipWaiting());

async function precache(): Promise<void> {
	const cache = await caches.open(SHELL);
	const have = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
	const want = [...files].filter((f) => !f.endsWith('.md') && !f.endsWith('.txt') && !have.has(f));
	await cache.addAll(want);
}

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys())
				if (key.startsWith(SHELL_PREFIX) && key !== SHELL) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

function stamped(res: Response): Response {
	const headers = new Headers(res.headers);
	headers.set(STAMP, new Date().toISOString());
	return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function keep(req: Request, res: Response): Promise<void> {
	const cache = await caches.open(DATA_CACHE);
	await cache.put(req.url, stamped(res));
}

async function wipeData(): Promise<void> {
	await caches.delete(DATA_CACHE);
}

/** Tells the pages that they show kept data, and of when. */
async function tellServedFromCache(res: Response): Promise<void> {
	const at = res.headers.get(STAMP);
	for (const c of await sw.clients.matchAll({ type: 'window' }))
		c.postMessage({ type: 'terrain-offline', at });
}

const OFFLINE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Terrain — offline</title>
<style>body{font-family:'Noto Sans','Noto Sans Arabic',sans-serif;max-inline-size:32rem;margin:3rem auto;padding:1rem;line-height:1.5}p{margin-block:0.8rem}</style></head><body>
<p lang="en" dir="ltr">You are offline and this screen needs the server. The map, the incident lists, areas and the report form work offline; reports you send wait in the outbox.</p>
<p lang="ar" dir="rtl">أنت غير متصل، وهذه الشاشة تحتاج إلى الخادم. الخريطة وقوائم الحوادث والمناطق ونموذج الإبلاغ تعمل دون اتصال، والبلاغات التي ترسلها تنتظر في صندوق الصادر.</p>
<p lang="ckb" dir="rtl">تۆ دەرهێڵیت و ئەم شاشەیە پێویستی بە ڕاژەکارە. نەخشە، لیستی ڕووداوەکان، ناوچەکان و فۆڕمی ڕاپۆرت بەبێ هێڵ کار دەکەن؛ ئەو ڕاپۆرتانەی دەینێریت لە سندوقی ناردندا چاوەڕێ دەکەن.</p>
<p><a href="/map">Terrain · الخريطة · نەخشە</a></p></body></html>`;

function offlineAnswer(req: Request): Response {
	if (req.mode === 'navigate')
		return new Response(OFFLINE_PAGE, {
			status: 503,
			headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }
		});
	return new Response(JSON.stringify('offline'), {
		status: 503,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
	});
}

async function networkFirst(req: Request, path: string): Promise<Response> {
	try {
		const res = await fetch(req);
		// An expired session: the page lands on the sign-in form, the API says 401.
		if ((res.redirected && new URL(res.url).pathname === '/login') || res.status === 401)
			await wipeData();
		else if (
			res.ok &&
			res.type === 'basic' &&
			!res.redirected &&
			isKeepable(path) &&
			!forbidsStorage(res.headers.get('cache-control'))
		)
			await keep(req, res.clone());
		return res;
	} catch {
		if (isKeepable(path)) {
			const cache = await caches.open(DATA_CACHE);
			// A page's server data does not depend on its query (the map keeps its view there).
			const hit =
				(await cache.match(req.url)) ??
				(req.mode === 'navigate' || path.endsWith('/__data.json')
					? await cache.match(req.url, { ignoreSearch: true })
					: undefined);
			if (hit) {
				await tellServedFromCache(hit);
				return hit;
			}
		}
		return offlineAnswer(req);
	}
}

async function shellFirst(req: Request): Promise<Response> {
	const cache = await caches.open(SHELL);
	const hit = await cache.match(req.url);
	if (hit) return hit;
	const res = await fetch(req);
	if (res.ok && res.type === 'basic') await cache.put(req.url, res.clone());
	return res;
}

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	if (req.method !== 'GET') return;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin) return;
	const path = url.pathname;
	// Server-sent events and need-to-know data go straight to the network, never near a cache.
	if (path === '/api/v1/alerts/stream' || isSensitive(path)) return;
	if (BUILD.has(path) || FILES.has(path)) return event.respondWith(shellFirst(req));
	if (req.mode === 'navigate' || path.startsWith('/api/') || path.endsWith('/__data.json'))
		return event.respondWith(networkFirst(req, path));
});

sw.addEventListener('message', (event) => {
	const msg = event.data as { type?: string; urls?: string[] } | null;
	// The first visit ran before this worker: the page lists what it loaded (mostly answered from
	// the HTTP cache) so that the next visit opens offline.
	if (msg?.type === 'warm' && Array.isArray(msg.urls))
		event.waitUntil(
			Promise.all(
				msg.urls.map(async (u) => {
					const url = new URL(u, sw.location.origin);
					if (url.origin !== sw.location.origin) return;
					const req = new Request(url.href, { credentials: 'same-origin' });
					if (BUILD.has(url.pathname) || FILES.has(url.pathname))
						await shellFirst(req).catch(() => undefined);
					else if (isKeepable(url.pathname))
						await networkFirst(req, url.pathname).catch(() => undefined);
				})
			)
		);
	if (msg?.type === 'precache') event.waitUntil(precache().catch(() => undefined));
	if (msg?.type === 'wipe') event.waitUntil(wipeData());
});
