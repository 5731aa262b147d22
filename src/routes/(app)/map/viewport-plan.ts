// The pure half of the incident layers (map-data.svelte.ts runs the requests): what a view and
// its filters are, the keys that say when two views need the same answers, the URLs asked for,
// and the counts computed here from a complete set of points.
import type { EventType } from '$lib/domain/taxonomy';
import type { IncidentPoint, IncidentsResponse } from '$lib/map/types';
import { densityCell, inBbox, type Bbox } from '$lib/map/scales';
import { filterQuery, type IncidentMode, type MapUrlState } from '$lib/map/url-state';

/**
 * Most points the map asks for as JSON. A view with more is drawn from the incident vector tiles
 * (every incident, aggregated where dense) when its filters are ones the tiles take (tilesFit);
 * else as the most recent POINT_LIMIT.
 */
export const POINT_LIMIT = 5_000;

export type Filters = Pick<MapUrlState, 'from' | 'to' | 'types' | 'area'> &
	Partial<Pick<MapUrlState, 'refine'>>;

export interface ViewportQuery {
	/** The exact visible area. */
	bbox: Bbox;
	zoom: number;
	filters: Filters;
	mode: IncidentMode;
	/** False when the incidents layer is off: nothing is fetched and no count is shown. */
	enabled: boolean;
	/** Over POINT_LIMIT, draw from the vector tiles (see tilesFit); else the most recent points. */
	tiles: boolean;
}

export interface Counts {
	total: number;
	fatalities: number;
	byType: Partial<Record<EventType, number>>;
	/** The area the counts are for. */
	bbox: Bbox;
	/** Points drawn, when fewer than total (points mode only). */
	shown: number | null;
}

export interface ServerCounts extends Counts {
	key: string;
}

export const bboxParam = (b: Bbox) => b.map((n) => Number(n.toFixed(5))).join(',');
export const filterKey = (f: Filters) => filterQuery(f).toString();
export const countsKey = (fk: string, bbox: Bbox) => `${fk}|${bboxParam(bbox)}`;

/** What a view asks for: the same key means the same answers. */
export const targetKey = (q: ViewportQuery) =>
	JSON.stringify([
		q.enabled,
		filterKey(q.filters),
		q.mode,
		q.tiles,
		bboxParam(q.bbox),
		q.mode === 'density' ? densityCell(q.zoom) : null
	]);

/** A map API URL: the filters, then the request's own parameters (prefetch builds the same). */
export function mapApiUrl(filters: Filters, path: string, extra: Record<string, string>) {
	const q = filterQuery(filters);
	for (const [k, v] of Object.entries(extra)) q.set(k, v);
	return `/api/v1/map/${path}?${q}`;
}

/**
 * Whether a view over POINT_LIMIT may be drawn from the vector tiles. The tile endpoint takes the
 * shared filters (from, to, type, area) only, and its features carry the event type and
 * fatalities only: a place or a further filter (lens, actor, status…), or points coloured by
 * seriousness or recency, keep the JSON points (capped at the most recent POINT_LIMIT).
 */
export const tilesFit = (st: Pick<MapUrlState, 'refine' | 'pointStyle'>) =>
	!st.refine && (st.pointStyle ?? 'type') === 'type';

/** The tile URL's query for the filters: the shared filters only (see tilesFit). */
export const tileFilterQuery = (f: Filters) => filterQuery({ ...f, refine: undefined }).toString();

export function toServerCounts(r: IncidentsResponse, fk: string, bbox: Bbox): ServerCounts {
	return {
		key: countsKey(fk, bbox),
		total: Number(r.total),
		fatalities: Number(r.fatalities),
		byType: r.by_type ?? {},
		bbox,
		shown: null
	};
}

/** Exact counts for a view from a complete (uncapped) set of points. */
export function countPoints(points: IncidentPoint[], bbox: Bbox): Counts {
	let total = 0;
	let fatalities = 0;
	const byType: Partial<Record<EventType, number>> = {};
	for (const p of points) {
		if (!inBbox(bbox, p[1], p[2])) continue;
		total++;
		fatalities += p[4];
		byType[p[3]] = (byType[p[3]] ?? 0) + 1;
	}
	return { total, fatalities, byType, bbox, shown: null };
}

/** Largest first, so that small symbols drawn later stay visible on top of big ones. */
export function sortForDrawing(points: IncidentPoint[]): IncidentPoint[] {
	return points.slice().sort((a, b) => b[4] - a[4]);
}
