// Everything the map screen fetches, in one place (the map components themselves fetch nothing):
// the incident layers here, the context layers in ContextLayers (context-layers.svelte.ts), which
// MapData extends so that the page and its panels read one object.
//
// Incidents follow the viewport and the filters. To stay smooth with 100k incidents the server
// caps the points (most recent first) and aggregates density on a grid; the counts it returns are
// exact. Where the points are complete (not capped) they are fetched for the view plus a margin,
// so a short pan needs no request and the counts for the exact view are computed here from them.
// Where they would be capped, each view asks for exactly itself with `complete=true`: the answer
// is then the counts alone, and the view is drawn from the incident vector tiles (every incident,
// aggregated where dense; maplibre fetches them) — unless the filters are ones the tiles do not
// take (tilesFit), when the most recent POINT_LIMIT points come with the counts as before.
// Density mode asks for the grid (with a margin) and for the exact view's counts side by side.
// Every new request aborts the previous one, so a late answer never overwrites a newer view.
import type { DensityCell, IncidentPoint, IncidentsResponse } from '$lib/map/types';
import {
	bboxContains,
	clampBbox,
	densityCell,
	expandBbox,
	roundBboxOut,
	type Bbox
} from '$lib/map/scales';
import { filtersMatchNothing } from '$lib/map/url-state';
import { getJson, isAbort, messageOf } from '$lib/map/fetch-json';
import { prefetchJson } from '$lib/map/prefetch';
import { ContextLayers } from './context-layers.svelte';
import {
	POINT_LIMIT,
	bboxParam,
	countPoints,
	countsKey,
	filterKey,
	mapApiUrl,
	sortForDrawing,
	targetKey,
	tileFilterQuery,
	toServerCounts,
	type Counts,
	type Filters,
	type ServerCounts,
	type ViewportQuery
} from './viewport-plan';

/** Fraction of the view added on each side when fetching points. */
const MARGIN = 0.15;
/** Views that follow each other within this time ask once, for the last (a pan, a zoom). */
const DEBOUNCE_MS = 200;

interface PointsSet {
	filterKey: string;
	bbox: Bbox;
	total: number;
	capped: boolean;
	/** Whether the request allowed the tiles (ViewportQuery.tiles). */
	tilesAllowed: boolean;
	/** Over the limit and drawn from the tiles (no points were sent). */
	tiles: boolean;
}
interface DensitySet {
	filterKey: string;
	bbox: Bbox;
	cell: number;
}
/** The requests one view needs; `key` names the view they are for (see targetKey). */
interface Plan {
	key: string;
	fk: string;
	filters: Filters;
	tiles: boolean;
	/** The exact view (the same array as `points` or `counts` when they are for the view). */
	view: Bbox;
	points: Bbox | null;
	density: { bbox: Bbox; cell: number } | null;
	counts: Bbox | null;
}

/** The points request: with `complete=true` (tiles allowed) an answer over the limit has none. */
const pointsUrl = (filters: Filters, bbox: Bbox, tiles: boolean) =>
	mapApiUrl(filters, 'incidents', {
		bbox: bboxParam(bbox),
		limit: String(POINT_LIMIT),
		...(tiles ? { complete: 'true' } : {})
	});

/** The counts request: `complete` tells the server to look for no point when more than one. */
const COUNTS_ONLY = (bbox: Bbox) => ({ bbox: bboxParam(bbox), limit: '1', complete: 'true' });

export class MapData extends ContextLayers {
	/** Points sorted so that big symbols are drawn first (under the small ones). */
	points = $state.raw<IncidentPoint[]>([]);
	density = $state.raw<DensityCell[]>([]);
	/** The grid size (degrees) `density` was aggregated on. */
	densityCell = $state(0);
	/**
	 * The tile URL's filters (tileQuery) while the view is drawn from the incident vector tiles,
	 * else null. Set from the answer that said the view is over POINT_LIMIT, so a filter change
	 * keeps the old tiles on screen until the new counts say how to draw.
	 */
	tileQuery = $state<string | null>(null);
	loading = $state(false);

	#query = $state.raw<ViewportQuery | null>(null);
	#pointsSet = $state.raw<PointsSet | null>(null);
	#densitySet = $state.raw<DensitySet | null>(null);
	#serverCounts = $state.raw<ServerCounts | null>(null);
	#lastCounts: Counts | null = null;

	#inflight: { key: string; controller: AbortController } | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** The targetKey of the plan the timer will run. */
	#waiting: string | null = null;
	/** Whether a view has been asked for yet. */
	#asked = false;

	/** Counts for the current view and filters, or null until they are known. */
	counts: Counts | null = $derived.by(() => {
		const q = this.#query;
		if (!q || !q.enabled) return null;
		const fk = filterKey(q.filters);
		if (filtersMatchNothing(q.filters))
			return { total: 0, fatalities: 0, byType: {}, bbox: q.bbox, shown: null };
		const p = this.#pointsSet;
		if (
			q.mode === 'points' &&
			p &&
			!p.capped &&
			p.filterKey === fk &&
			bboxContains(p.bbox, q.bbox)
		) {
			return countPoints(this.points, q.bbox);
		}
		const s = this.#serverCounts;
		if (s && s.key === countsKey(fk, q.bbox)) {
			const shown =
				q.mode === 'points' && p?.capped && !p.tiles && p.filterKey === fk
					? this.points.length
					: null;
			return { ...s, shown };
		}
		return null;
	});

	/** The last known counts, kept on screen (dimmed) while new ones load. */
	get displayCounts(): { counts: Counts | null; stale: boolean } {
		const c = this.counts;
		if (c) this.#lastCounts = c;
		return { counts: c ?? this.#lastCounts, stale: !c };
	}

	/** Brings incidents and counts up to date with a view; cheap to call often. */
	update(query: ViewportQuery) {
		// The view at the precision requests use, so that counts computed here from the points and
		// counts from the server are for exactly the same box.
		const q = { ...query, bbox: clampBbox(query.bbox).map((n) => Number(n.toFixed(5))) as Bbox };
		this.#query = q;
		const key = targetKey(q);
		// The same view and filters as the requests about to go: the calls repeating them (the URL's
		// echo, other state settling as the page starts) must not keep putting them off.
		if (this.#timer && this.#waiting === key) return;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		// The same view and filters as the requests under way: let them finish.
		if (this.#inflight && this.#inflight.key === key) return;
		const plan = this.#plan(q);
		if (!plan) {
			this.#inflight?.controller.abort();
			this.#inflight = null;
			this.loading = false;
			return;
		}
		this.loading = true;
		// The page's first view asks at once: it is what the user is waiting for, and 200 ms later
		// its request would queue behind the page's other calls for one of the browser's six
		// connections (B5, scripts/bench-first-paint.ts).
		if (!this.#asked) {
			this.#asked = true;
			void this.#run(plan);
			return;
		}
		this.#waiting = key;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.#run(plan);
		}, DEBOUNCE_MS);
	}

	#plan(q: ViewportQuery): Plan | null {
		if (!q.enabled || filtersMatchNothing(q.filters)) {
			// Nothing to draw (layer off, or every type unticked): the last filters' drawing goes.
			this.points = [];
			this.tileQuery = null;
			this.density = [];
			this.#pointsSet = null;
			this.#densitySet = null;
			return null;
		}
		const fk = filterKey(q.filters);
		const fetchBbox = roundBboxOut(expandBbox(q.bbox, MARGIN));
		let points: Bbox | null = null;
		let density: { bbox: Bbox; cell: number } | null = null;
		let counts: Bbox | null = null;

		if (q.mode === 'points') {
			const p = this.#pointsSet;
			const complete = p && p.filterKey === fk && !p.capped;
			// Complete points serve any view inside their box. Otherwise ask for the exact view: when
			// the answer is capped (the most recent N), its exact counts come with it in one request.
			// The margin is only worth it where the points are complete, i.e. a pan needs no request.
			// The exact view already asked for (capped or not) is not asked for again: the map reports
			// its first view before and after the basemap loads, and the URL echoes it back.
			const same =
				p &&
				p.filterKey === fk &&
				(!p.capped || p.tilesAllowed === q.tiles) &&
				p.bbox.every((n, i) => n === q.bbox[i]);
			if (!same && !(complete && bboxContains(p.bbox, q.bbox)))
				points = complete ? fetchBbox : q.bbox;
			if (this.density.length) {
				this.density = [];
				this.#densitySet = null;
			}
		} else {
			const cell = densityCell(q.zoom);
			const d = this.#densitySet;
			if (!(d && d.filterKey === fk && d.cell === cell && bboxContains(d.bbox, q.bbox))) {
				density = { bbox: fetchBbox, cell };
			}
			counts = q.bbox;
			if (this.points.length || this.tileQuery) {
				this.points = [];
				this.tileQuery = null;
				this.#pointsSet = null;
			}
		}
		if (counts && this.#serverCounts?.key === countsKey(fk, counts)) counts = null;
		if (!points && !density && !counts) return null;
		return {
			key: targetKey(q),
			fk,
			filters: q.filters,
			tiles: q.tiles,
			view: q.bbox,
			points,
			density,
			counts
		};
	}

	async #run(plan: Plan) {
		this.#inflight?.controller.abort();
		const controller = new AbortController();
		const me = { key: plan.key, controller };
		this.#inflight = me;
		const { signal } = controller;
		const url = (path: string, extra: Record<string, string>) =>
			mapApiUrl(plan.filters, path, extra);
		const countsReq = (bbox: Bbox) =>
			getJson<IncidentsResponse>(url('incidents', COUNTS_ONLY(bbox)), signal).then((r) => {
				if (signal.aborted) return;
				this.#serverCounts = toServerCounts(r, plan.fk, bbox);
			});
		try {
			const jobs: Promise<unknown>[] = [];
			if (plan.counts) jobs.push(countsReq(plan.counts));
			if (plan.points) {
				const pointsReq = (bbox: Bbox): Promise<void> =>
					getJson<IncidentsResponse>(pointsUrl(plan.filters, bbox, plan.tiles), signal).then(
						async (r) => {
							if (signal.aborted) return;
							const total = Number(r.total);
							const capped = r.points.length < total;
							// The view plus its margin is over the limit: the view itself may not be.
							if (capped && plan.tiles && bbox !== plan.view) return pointsReq(plan.view);
							const tiles = capped && plan.tiles;
							this.points = sortForDrawing(r.points);
							this.tileQuery = tiles ? tileFilterQuery(plan.filters) : null;
							this.#pointsSet = {
								filterKey: plan.fk,
								bbox,
								total,
								capped,
								tilesAllowed: plan.tiles,
								tiles
							};
							if (!capped) return;
							// Capped: the counts must come from the server, for exactly the view.
							if (bbox === plan.view) this.#serverCounts = toServerCounts(r, plan.fk, bbox);
							else await countsReq(plan.view);
						}
					);
				jobs.push(pointsReq(plan.points));
			}
			if (plan.density) {
				const { bbox, cell } = plan.density;
				jobs.push(
					getJson<DensityCell[]>(
						url('density', { bbox: bboxParam(bbox), cell: String(cell) }),
						signal
					).then((cells) => {
						if (signal.aborted) return;
						this.density = cells;
						this.densityCell = cell;
						this.#densitySet = { filterKey: plan.fk, bbox, cell };
					})
				);
			}
			await Promise.all(jobs);
			if (this.#inflight !== me) return;
			this.error = null;
		} catch (e) {
			if (isAbort(e) || this.#inflight !== me) return;
			this.error = messageOf(e);
		}
		if (this.#inflight === me) {
			this.#inflight = null;
			this.loading = false;
		}
	}

	/**
	 * Asks ahead for what the current view will need under other filters (the time slider's next
	 * window), as #plan would ask for it: a new filter never has complete points yet, so points
	 * mode asks for the exact view; density mode for the grid with its margin and the view's counts.
	 */
	prefetch(filters: Filters) {
		const q = this.#query;
		if (!q || !q.enabled || filtersMatchNothing(filters)) return;
		if (filterKey(filters) === filterKey(q.filters)) return;
		if (q.mode === 'points') {
			prefetchJson(pointsUrl(filters, q.bbox, q.tiles));
		} else {
			const bbox = roundBboxOut(expandBbox(q.bbox, MARGIN));
			const cell = String(densityCell(q.zoom));
			prefetchJson(mapApiUrl(filters, 'density', { bbox: bboxParam(bbox), cell }));
			prefetchJson(mapApiUrl(filters, 'incidents', COUNTS_ONLY(q.bbox)));
		}
	}

	retry() {
		super.retry();
		this.#serverCounts = null;
		this.#pointsSet = null;
		this.#densitySet = null;
		if (this.#query) this.update(this.#query);
	}

	destroy() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#inflight?.controller.abort();
		super.destroy();
	}
}
