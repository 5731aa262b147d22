/**
 * Input caps, so that no single request can hold the server (the embedded engine runs one call at
 * a time): request bodies per endpoint, JSON nesting, and vertex counts of drawn geometries.
 * Result sizes are capped where each list is read (params.ts: INCIDENTS_PAGE, MAP_POINTS; the
 * proximity `limit`).
 */
import { FilterError } from '../../domain/filters.ts';

/** Every body except an import upload: forms and JSON. TERRAIN_BODY_MAX_KB overrides it. */
export function bodyLimitBytes(): number {
	const kb = Number(process.env.TERRAIN_BODY_MAX_KB ?? 1024);
	return Number.isFinite(kb) && kb > 0 ? Math.floor(kb * 1024) : 1024 * 1024;
}

/**
 * Import uploads: the only bodies that may be large. They keep their own limit
 * (TERRAIN_IMPORT_MAX_MB, enforced by the importer as it spools the file).
 */
const IMPORT_UPLOADS = new Set(['/api/v1/imports', '/import/upload']);

export function isImportUpload(pathname: string): boolean {
	return IMPORT_UPLOADS.has(pathname.replace(/\/$/, ''));
}

export const MAX_JSON_DEPTH = 32;
export const MAX_VERTICES = 10_000;

/** How deeply a parsed JSON value nests (iterative: a hostile body must not overflow the stack). */
export function jsonDepth(value: unknown): number {
	let max = 0;
	const stack: [unknown, number][] = [[value, 0]];
	while (stack.length) {
		const [v, d] = stack.pop()!;
		if (v === null || typeof v !== 'object') continue;
		if (d + 1 > max) max = d + 1;
		if (max > MAX_JSON_DEPTH) return max;
		for (const c of Array.isArray(v) ? v : Object.values(v)) stack.push([c, d + 1]);
	}
	return max;
}

/** 400 naming `field` when a JSON value nests deeper than MAX_JSON_DEPTH. */
export function checkDepth(field: string, value: unknown): void {
	if (jsonDepth(value) > MAX_JSON_DEPTH)
		throw new FilterError(field, `is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`);
}

/** Counts the positions in a GeoJSON geometry, Feature or FeatureCollection (iteratively). */
export function countVertices(geojson: unknown): number {
	let n = 0;
	const stack: unknown[] = [geojson];
	while (stack.length) {
		const v = stack.pop();
		if (!v || typeof v !== 'object') continue;
		if (Array.isArray(v)) {
			if (v.length >= 2 && typeof v[0] === 'number') n++;
			else for (const c of v) stack.push(c);
			continue;
		}
		const o = v as Record<string, unknown>;
		for (const k of ['coordinates', 'geometry', 'geometries', 'features'])
			if (k in o) stack.push(o[k]);
	}
	return n;
}

/** 400 naming `field` when a geometry has more than MAX_VERTICES positions. */
export function checkVertices(field: string, geojson: unknown): void {
	const n = countVertices(geojson);
	if (n > MAX_VERTICES)
		throw new FilterError(
			field,
			`has ${n} vertices; at most ${MAX_VERTICES} are accepted (simplify the shape)`
		);
}
