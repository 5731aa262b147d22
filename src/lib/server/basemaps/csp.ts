/**
 * The Content-Security-Policy with the origins of the online basemaps an operator registered
 * (./online.ts) added to connect-src and img-src, and no others: the browser may reach a hosted
 * style only once an admin has chosen to offer it, and never any other outside host. With no
 * online basemap the policy is exactly the base one ('self' only).
 *
 * The list is read from the basemap folder at most every few seconds (the CLI adds basemaps from
 * another process, next to a running server) and at once after this process adds or removes one.
 */
import { basemapDir, listBasemaps } from './index.ts';

const REFRESH_MS = 5_000;
let cached: { at: number; origins: Promise<string[]> } | null = null;

/** Drops the cached list (this process just added or removed a basemap). */
export function forgetOrigins(): void {
	cached = null;
}

/** The origins every registered online basemap needs. */
export function onlineOrigins(dir = basemapDir()): Promise<string[]> {
	const now = Date.now();
	if (!cached || now - cached.at > REFRESH_MS) {
		const origins = listBasemaps(dir)
			.then((all) => [
				...new Set(all.flatMap((b) => (b.kind === 'online' ? b.origins : [])).filter(isOrigin))
			])
			.catch(() => [] as string[]);
		cached = { at: now, origins };
	}
	return cached.origins;
}

/** Only a plain scheme://host[:port] may go into the header (a stored file could hold anything). */
function isOrigin(s: unknown): s is string {
	return typeof s === 'string' && /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(s);
}

/** `base` with `origins` added to its connect-src and img-src directives. */
export function withOrigins(base: string, origins: readonly string[]): string {
	if (!origins.length) return base;
	const extra = origins.join(' ');
	return base
		.split('; ')
		.map((d) => (/^(connect-src|img-src) /.test(d) ? `${d} ${extra}` : d))
		.join('; ');
}
