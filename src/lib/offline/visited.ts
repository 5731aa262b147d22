/**
 * The screens this tab has opened that may be kept for offline use (policy.isKeepable), so that
 * the service worker can still keep the ones opened before it controlled the tab (a screen left
 * before its script ran, before the worker had activated): the page hands it this list with its
 * 'warm' message and the worker fetches each (network first) itself. Paths only, in sessionStorage, wiped at
 * sign-out; a sensitive path is never written.
 */
import { isKeepable } from './policy';

const KEY = 'terrain.visited';
const MAX = 30;

function read(): string[] {
	try {
		const v = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
		return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
	} catch {
		return [];
	}
}

/** Notes a page the user opened (its path and query). */
export function noteVisit(url: URL): void {
	if (!isKeepable(url.pathname)) return;
	const here = url.pathname + url.search;
	const list = [here, ...read().filter((x) => x !== here)].slice(0, MAX);
	try {
		sessionStorage.setItem(KEY, JSON.stringify(list));
	} catch {
		// storage full or refused: the worker keeps what it sees from now on
	}
}

/** The pages to hand the worker: each page and its SvelteKit data (for in-app navigation). */
export function visitedUrls(): string[] {
	return read().flatMap((p) => {
		const u = new URL(p, location.origin);
		const data = `${u.pathname.replace(/\/$/, '')}/__data.json${u.search}`;
		return [p, data];
	});
}

export function forgetVisits(): void {
	try {
		sessionStorage.removeItem(KEY);
	} catch {
		// nothing kept
	}
}
