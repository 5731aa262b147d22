/**
 * Online basemaps (issue 13, point 5: "An online style URL remains an option"), added with
 * `terrain basemap add-url URL` or on /admin/basemaps, kept beside the offline ones as
 * `<dir>/<id>.json` with `kind: 'online'` (see ./index.ts; no file of tiles).
 *
 * Adding one reads the style once, from this server: to refuse what the map could not draw
 * (not a version-8 style, a `mapbox://` URL) and to learn every origin the browser will need
 * (the style's, its TileJSON's and tiles', its sprite's). The pages' Content-Security-Policy opens
 * those origins and no others (./csp.ts). The browser itself fetches nothing from them until a user
 * picks the basemap.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StyleSpecification } from '../../map/basemap-style.ts';
import { absoluteUrl, styleUrls, type OnlineBasemapInfo } from '../../map/online-basemap.ts';
import { basemapDir, BasemapError, slug } from './index.ts';
import { forgetOrigins } from './csp.ts';

/** A style or TileJSON larger than this is not one (styles are tens of kB). */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

type Fetch = typeof fetch;

/** An http(s) URL with no user name or password in it, or a BasemapError saying why not. */
export function checkedUrl(raw: string, what = 'url'): URL {
	let u: URL;
	try {
		u = new URL(raw.trim());
	} catch {
		throw new BasemapError(`${what}: not a URL: ${raw}`);
	}
	if (u.protocol === 'mapbox:')
		throw new BasemapError(
			`${what}: mapbox:// URLs need Mapbox's own client; give the style's https URL`
		);
	if (u.protocol !== 'https:' && u.protocol !== 'http:')
		throw new BasemapError(`${what}: must be an http or https URL`);
	if (u.username || u.password)
		throw new BasemapError(`${what}: must not hold a user name or password`);
	return u;
}

async function getJson(
	url: string,
	what: string,
	fetchFn: Fetch
): Promise<Record<string, unknown>> {
	let res: Response;
	try {
		res = await fetchFn(url, {
			headers: { accept: 'application/json' },
			redirect: 'error',
			signal: AbortSignal.timeout(TIMEOUT_MS)
		});
	} catch (e) {
		throw new BasemapError(`${what}: could not be read from ${url} (${(e as Error).message})`);
	}
	if (!res.ok) throw new BasemapError(`${what}: ${url} answered HTTP ${res.status}`);
	const text = await res.text();
	if (text.length > MAX_JSON_BYTES) throw new BasemapError(`${what}: ${url} is too large`);
	try {
		const v = JSON.parse(text);
		if (v && typeof v === 'object' && !Array.isArray(v)) return v;
	} catch {
		// said below
	}
	throw new BasemapError(`${what}: ${url} is not JSON`);
}

/** The origins the style needs, its TileJSONs read for the origins of their tiles. */
async function originsOf(style: StyleSpecification, styleUrl: string, fetchFn: Fetch) {
	const origins = new Set([new URL(styleUrl).origin]);
	const urls = styleUrls(style, styleUrl);
	for (const u of urls) origins.add(checkedUrl(u, 'style').origin);
	for (const s of Object.values(style.sources ?? {}) as Record<string, unknown>[]) {
		if (typeof s.url !== 'string') continue;
		const tjUrl = absoluteUrl(s.url, styleUrl);
		const tj = await getJson(tjUrl, 'TileJSON', fetchFn);
		const tiles = Array.isArray(tj.tiles) ? tj.tiles : [];
		for (const t of tiles)
			if (typeof t === 'string') origins.add(checkedUrl(absoluteUrl(t, tjUrl), 'TileJSON').origin);
	}
	return [...origins].sort();
}

/** Reads and checks the style at `url`, then registers it; its id is new each time. */
export async function addOnlineBasemap(
	url: string,
	name?: string,
	dir = basemapDir(),
	fetchFn: Fetch = fetch
): Promise<OnlineBasemapInfo> {
	const u = checkedUrl(url);
	const style = (await getJson(u.href, 'style', fetchFn)) as unknown as StyleSpecification;
	if (style.version !== 8 || !Array.isArray(style.layers) || typeof style.sources !== 'object')
		throw new BasemapError(`style: ${u.href} is not a MapLibre style (version 8, sources, layers)`);
	const origins = await originsOf(style, u.href, fetchFn);
	const label = (name ?? (typeof style.name === 'string' ? style.name : u.hostname)).trim();
	if (!label) throw new BasemapError('the name is empty');
	const info: OnlineBasemapInfo = {
		id: `${slug(label)}-${randomBytes(3).toString('hex')}`,
		kind: 'online',
		name: label,
		added: new Date().toISOString(),
		style: u.href,
		origins
	};
	await mkdir(dir, { recursive: true });
	await writeFile(join(dir, `${info.id}.json`), JSON.stringify(info, null, '\t') + '\n');
	forgetOrigins();
	return info;
}
