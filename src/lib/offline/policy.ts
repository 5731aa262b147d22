/**
 * What the browser may keep for offline use (issue 14): shared by the service worker (what it
 * stores) and hooks.server.ts (which responses say `no-cache` instead of `no-store`). An
 * allow-list, because a forgotten route must stay off the device; the deny-list runs first and
 * wins, so a later allow rule can never let need-to-know data (contacts, movement plans, the audit
 * log, users, tokens, alerts, exports) into Cache Storage.
 */

/** Never stored, whatever the allow-list says. */
const DENY: RegExp[] = [
	/^\/contacts(\/|$)/,
	/^\/movements(\/|$)/,
	/^\/alerts(\/|$)/,
	/^\/admin(\/|$)/,
	/^\/account(\/|$)/,
	/^\/import(\/|$)/,
	/^\/(login|logout|password|lang)(\/|$)/,
	/^\/incidents\/export(\/|$)/,
	/^\/api\/v1\/(contacts|movements|alerts|audit|users|tokens|me|settings|exports|imports|proximity)(\/|$)/
];

/** Pages (HTML and their __data.json) whose latest copy is kept. */
const PAGES: RegExp[] = [
	/^\/map$/,
	/^\/incidents$/,
	/^\/incidents\/new$/,
	/^\/areas$/,
	/^\/areas\/[A-Za-z0-9]+$/
];

/** Read-only API data behind those pages: map layers, incident lists, areas and levels. */
const API: RegExp[] = [
	/^\/api\/v1\/map\/(incidents|density)$/,
	/^\/api\/v1\/tiles\/incidents\/\d+\/\d+\/\d+\.mvt$/,
	/^\/api\/v1\/incidents\/(report|counts)$/,
	/^\/api\/v1\/areas(\/list)?$/,
	/^\/api\/v1\/areas\/[A-Za-z0-9]+(\/levels)?$/,
	/^\/api\/v1\/sites\/[a-z_]+$/,
	/^\/api\/v1\/stats\/(levels|baseline|sources|areas)$/,
	/^\/api\/v1\/actors\/(presence|arcs)$/,
	/^\/api\/v1\/relationships$/,
	// Detailed basemaps (public map data): the list, and each tile seen, for the map offline.
	/^\/api\/v1\/basemaps$/,
	/^\/api\/v1\/basemaps\/[a-z0-9-]+\/\d+\/\d+\/\d+\.mvt$/
];

const DATA_SUFFIX = /\/__data\.json$/;

/** The page a SvelteKit data request belongs to (`/map/__data.json` → `/map`). */
export function pagePath(pathname: string): string {
	return DATA_SUFFIX.test(pathname) ? pathname.replace(DATA_SUFFIX, '') || '/' : pathname;
}

export function isSensitive(pathname: string): boolean {
	const p = pagePath(pathname);
	return DENY.some((r) => r.test(p));
}

/** May the latest copy of this path be kept on the device (given a response without no-store)? */
export function isKeepable(pathname: string): boolean {
	if (isSensitive(pathname)) return false;
	const p = pagePath(pathname);
	return PAGES.some((r) => r.test(p)) || API.some((r) => r.test(p));
}

/** The response itself forbids storage: the server's word is final, even on an allowed path. */
export function forbidsStorage(cacheControl: string | null): boolean {
	return /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl ?? '');
}
