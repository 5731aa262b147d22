// Everything the map screen fetches, in one place (the map components themselves fetch nothing).
//
// Incidents follow the viewport and the filters. To stay smooth with 100k incidents the server
// caps the points (most recent first) and aggregates density on a grid; the counts it returns are
// exact. Where the points are complete (not capped) they are fetched for the view plus a margin,
// so a short pan needs no request and the counts for the exact view are computed here from them.
// Where they are capped, each view asks for exactly itself and the counts come with the points.
// Density mode asks for the grid (with a margin) and for the exact view's counts side by side.
// Every new request aborts the previous one, so a late answer never overwrites a newer view.
import type { EventType, SiteKind } from '$lib/domain/taxonomy';
import type {
	AreaCollection,
	DensityCell,
	IncidentDetail,
	IncidentPoint,
	IncidentsResponse,
	SitesByKind
} from '$lib/map/types';
import {
	bboxContains,
	clampBbox,
	densityCell,
	expandBbox,
	inBbox,
	roundBboxOut,
	type Bbox
} from '$lib/map/scales';
import {
	filterQuery,
	filtersMatchNothing,
	type IncidentMode,
	type MapUrlState
} from '$lib/map/url-state';
import type { BaselineTable, CurrentLevel } from '$lib/domain/analysis-types';
import type {
	ArcRow,
	EnrichedArc,
	PresenceCollection,
	RelationshipsAsOf
} from '$lib/map/layers/actor-data';
import { enrichArcs } from '$lib/map/layers/actor-data';
import { prefetchJson, takePrefetched } from './prefetch';

/** Most points the map asks for; beyond this the density mode shows everything. */
export const POINT_LIMIT = 5_000;
/** Fraction of the view added on each side when fetching points. */
const MARGIN = 0.15;
const DEBOUNCE_MS = 200;

export type Filters = Pick<MapUrlState, 'from' | 'to' | 'types' | 'area'>;

export interface ViewportQuery {
	/** The exact visible area. */
	bbox: Bbox;
	zoom: number;
	filters: Filters;
	mode: IncidentMode;
	/** False when the incidents layer is off: nothing is fetched and no count is shown. */
	enabled: boolean;
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

interface PointsSet {
	filterKey: string;
	bbox: Bbox;
	total: number;
	capped: boolean;
}
interface DensitySet {
	filterKey: string;
	bbox: Bbox;
	cell: number;
}
interface ServerCounts extends Counts {
	key: string;
}
/** The requests one view needs; `key` names the view they are for (see targetKey). */
interface Plan {
	key: string;
	fk: string;
	filters: Filters;
	/** The exact view (the same array as `points` or `counts` when they are for the view). */
	view: Bbox;
	points: Bbox | null;
	density: { bbox: Bbox; cell: number } | null;
	counts: Bbox | null;
}

export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
	// The time slider asks for its next step ahead (see prefetch); a failed prefetch asks again.
	const early = takePrefetched<T>(url);
	if (early) {
		try {
			return await early;
		} catch {
			// fall through to a fresh request, which reports its own error
		}
	}
	const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
	if (!res.ok) {
		let message = `${res.status} ${res.statusText}`;
		try {
			const body = await res.json();
			if (body?.message) message = body.message;
		} catch {
			// not JSON: keep the status line
		}
		throw new HttpError(res.status, message);
	}
	return res.json() as Promise<T>;
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';
const bboxParam = (b: Bbox) => b.map((n) => Number(n.toFixed(5))).join(',');
export const filterKey = (f: Filters) => filterQuery(f).toString();
/** A map API URL: the filters, then the request's own parameters (prefetch builds the same). */
function mapApiUrl(filters: Filters, path: string, extra: Record<string, string>) {
	const q = filterQuery(filters);
	for (const [k, v] of Object.entries(extra)) q.set(k, v);
	return `/api/v1/map/${path}?${q}`;
}

export class MapData {
	/** Points sorted so that big symbols are drawn first (under the small ones). */
	points = $state.raw<IncidentPoint[]>([]);
	density = $state.raw<DensityCell[]>([]);
	/** The grid size (degrees) `density` was aggregated on. */
	densityCell = $state(0);
	sites = $state.raw<SitesByKind>({});
	areas = $state.raw<{ 1?: AreaCollection; 2?: AreaCollection }>({});
	detail = $state.raw<{ id: string; data: IncidentDetail | null; error: string | null } | null>(
		null
	);
	loading = $state(false);
	error = $state<string | null>(null);

	// The layers that follow the filters (dates, types, area) but not the viewport: each is one
	// request per filter change, the previous one aborted (see #keyed).
	presence = $state.raw<PresenceCollection | null>(null);
	arcs = $state.raw<EnrichedArc[] | null>(null);
	levels = $state.raw<CurrentLevel[] | null>(null);
	baseline = $state.raw<BaselineTable | null>(null);
	/** The newest incident's date: the baseline's default as_of, as on /analysis/baseline. */
	latestIncident = $state<string | null>(null);
	/** Requests of those layers under way. */
	contextLoading = $state(0);
	/** Bumped by retry(): the page reads it so that it asks again for the layers that failed. */
	attempt = $state(0);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a private registry, never rendered; not state
	#keys = new Map<string, { key: string; controller: AbortController; done: boolean }>();

	#query = $state.raw<ViewportQuery | null>(null);
	#pointsSet = $state.raw<PointsSet | null>(null);
	#densitySet = $state.raw<DensitySet | null>(null);
	#serverCounts = $state.raw<ServerCounts | null>(null);
	#lastCounts: Counts | null = null;

	#inflight: { key: string; controller: AbortController } | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a private promise cache, never rendered; not state
	#once = new Map<string, Promise<unknown>>();
	#detailController: AbortController | null = null;

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
				q.mode === 'points' && p?.capped && p.filterKey === fk ? this.points.length : null;
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
		if (this.#timer) clearTimeout(this.#timer);
		// The same view and filters as the requests under way: let them finish.
		if (this.#inflight && this.#inflight.key === targetKey(q)) return;
		const plan = this.#plan(q);
		if (!plan) {
			this.#inflight?.controller.abort();
			this.#inflight = null;
			this.loading = false;
			return;
		}
		this.loading = true;
		this.#timer = setTimeout(() => this.#run(plan), DEBOUNCE_MS);
	}

	#plan(q: ViewportQuery): Plan | null {
		if (!q.enabled || filtersMatchNothing(q.filters)) {
			if (!q.enabled) {
				this.points = [];
				this.density = [];
				this.#pointsSet = null;
				this.#densitySet = null;
			}
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
			const same = p && p.filterKey === fk && p.bbox.every((n, i) => n === q.bbox[i]);
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
			if (this.points.length) {
				this.points = [];
				this.#pointsSet = null;
			}
		}
		if (counts && this.#serverCounts?.key === countsKey(fk, counts)) counts = null;
		if (!points && !density && !counts) return null;
		return { key: targetKey(q), fk, filters: q.filters, view: q.bbox, points, density, counts };
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
			getJson<IncidentsResponse>(
				url('incidents', { bbox: bboxParam(bbox), limit: '1' }),
				signal
			).then((r) => {
				if (signal.aborted) return;
				this.#serverCounts = toServerCounts(r, plan.fk, bbox);
			});
		try {
			const jobs: Promise<unknown>[] = [];
			if (plan.counts) jobs.push(countsReq(plan.counts));
			if (plan.points) {
				const bbox = plan.points;
				jobs.push(
					getJson<IncidentsResponse>(
						url('incidents', { bbox: bboxParam(bbox), limit: String(POINT_LIMIT) }),
						signal
					).then(async (r) => {
						if (signal.aborted) return;
						const capped = r.points.length < Number(r.total);
						this.points = sortForDrawing(r.points);
						this.#pointsSet = { filterKey: plan.fk, bbox, total: Number(r.total), capped };
						if (!capped) return;
						// Capped: the counts must come from the server, for exactly the view.
						if (bbox === plan.view) this.#serverCounts = toServerCounts(r, plan.fk, bbox);
						else await countsReq(plan.view);
					})
				);
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
			this.error = e instanceof Error ? e.message : String(e);
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
			prefetchJson(
				mapApiUrl(filters, 'incidents', { bbox: bboxParam(q.bbox), limit: String(POINT_LIMIT) })
			);
		} else {
			const bbox = roundBboxOut(expandBbox(q.bbox, MARGIN));
			const cell = String(densityCell(q.zoom));
			prefetchJson(mapApiUrl(filters, 'density', { bbox: bboxParam(bbox), cell }));
			prefetchJson(mapApiUrl(filters, 'incidents', { bbox: bboxParam(q.bbox), limit: '1' }));
		}
	}

	/** Loads a site registry once (they are small: hundreds to a few thousand rows). */
	ensureSites(kind: SiteKind) {
		this.#loadOnce(`sites:${kind}`, () =>
			getJson<SitesByKind[SiteKind]>(`/api/v1/sites/${kind}`).then((fc) => {
				this.sites = { ...this.sites, [kind]: fc };
			})
		);
	}

	ensureAreas(level: 1 | 2) {
		this.#loadOnce(`areas:${level}`, () =>
			getJson<AreaCollection>(`/api/v1/areas?level=${level}`).then((fc) => {
				this.areas = { ...this.areas, [level]: fc };
			})
		);
	}

	/**
	 * Loads what a layer needs for `key` (its request URL(s)) unless that is what it has or is
	 * loading. A new key aborts the request for the old one; the old data stays on screen until
	 * the new arrives, so a change of date does not blank the map. `key` null clears the layer.
	 */
	#keyed<T>(
		name: string,
		key: string | null,
		load: (signal: AbortSignal) => Promise<T>,
		set: (v: T | null) => void
	) {
		const cur = this.#keys.get(name);
		if (cur && cur.key === key) return;
		const finish = (k: { done: boolean }) => {
			if (k.done) return;
			k.done = true;
			this.contextLoading--;
		};
		if (cur) {
			cur.controller.abort();
			finish(cur);
		}
		if (key === null) {
			this.#keys.delete(name);
			set(null);
			return;
		}
		const controller = new AbortController();
		const me = { key, controller, done: false };
		this.#keys.set(name, me);
		this.contextLoading++;
		load(controller.signal)
			.then(
				(v) => {
					if (this.#keys.get(name) === me) set(v);
				},
				(e: unknown) => {
					if (isAbort(e) || this.#keys.get(name) !== me) return;
					// Let the same key be asked again (the retry button, or the next change).
					this.#keys.delete(name);
					this.error = e instanceof Error ? e.message : String(e);
				}
			)
			.finally(() => finish(me));
	}

	/** Actor presence areas standing on `asOf`, of some actor types (null = all); null: layer off. */
	loadPresence(q: { asOf: string; types: string[] | null } | null) {
		const url = q
			? // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local query builder, turned into a string at once; not state
				`/api/v1/actors/presence?${new URLSearchParams({ as_of: q.asOf, ...(q.types ? { type: q.types.join(',') } : {}) })}`
			: null;
		this.#keyed(
			'presence',
			url,
			(signal) => getJson<PresenceCollection>(url!, signal),
			(v) => (this.presence = v)
		);
	}

	/**
	 * Relationship arcs with the network view's filters. The arcs carry names, not actor ids; the
	 * relationships standing on the same date (same kinds) give the ids, for links to the actors.
	 */
	loadArcs(
		q: { asOf: string; kinds: string[] | null; types: string[] | null; area: string | null } | null
	) {
		let key: string | null = null;
		let rels = '';
		if (q) {
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local query builder, turned into a string at once; not state
			const a = new URLSearchParams({ as_of: q.asOf });
			if (q.kinds) a.set('kind', q.kinds.join(','));
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local query builder, turned into a string at once; not state
			const r = new URLSearchParams(a);
			if (q.types) a.set('type', q.types.join(','));
			// The arcs take one area; with several (area=A,B) they are not narrowed.
			if (q.area && !q.area.includes(',')) a.set('area', q.area);
			key = `/api/v1/actors/arcs?${a}`;
			rels = `/api/v1/relationships?${r}`;
		}
		this.#keyed(
			'arcs',
			key,
			async (signal) => {
				const [rows, known] = await Promise.all([
					getJson<ArcRow[]>(key!, signal),
					getJson<RelationshipsAsOf>(rels, signal)
				]);
				return enrichArcs(rows, known);
			},
			(v) => (this.arcs = v)
		);
	}

	/** The security level in force per district on `asOf`; null: layer off. */
	loadLevels(asOf: string | null) {
		const url = asOf ? `/api/v1/stats/levels?level=2&as_of=${asOf}` : null;
		this.#keyed(
			'levels',
			url,
			(signal) => getJson<CurrentLevel[]>(url!, signal),
			(v) => (this.levels = v)
		);
	}

	/** The baseline flags per district as of `asOf`; null: layer off. */
	loadBaseline(asOf: string | null) {
		const url = asOf ? `/api/v1/stats/baseline?level=2&as_of=${asOf}` : null;
		this.#keyed(
			'baseline',
			url,
			(signal) => getJson<BaselineTable>(url!, signal),
			(v) => (this.baseline = v)
		);
	}

	/** The newest incident's date (once). */
	ensureLatestIncident() {
		this.#loadOnce('latest', () =>
			getJson<{ last_date: string | null }[]>('/api/v1/stats/sources').then((sources) => {
				const last = sources
					.map((x) => x.last_date)
					.filter((d): d is string => !!d)
					.sort()
					.pop();
				// No incidents at all: today, as the baseline page does.
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- today's date, read once; not state
				this.latestIncident = last ?? new Date().toISOString().slice(0, 10);
			})
		);
	}

	#loadOnce(key: string, load: () => Promise<void>) {
		if (this.#once.has(key)) return;
		const p = load().catch((e: unknown) => {
			// Let a later call try again.
			this.#once.delete(key);
			this.error = e instanceof Error ? e.message : String(e);
		});
		this.#once.set(key, p);
	}

	/** The incident behind a clicked point, for the details panel. */
	loadIncident(id: string | null) {
		if (this.detail?.id === id) return;
		this.#detailController?.abort();
		if (!id) {
			this.detail = null;
			return;
		}
		const controller = new AbortController();
		this.#detailController = controller;
		this.detail = { id, data: null, error: null };
		getJson<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`, controller.signal).then(
			(data) => {
				if (this.detail?.id === id) this.detail = { id, data, error: null };
			},
			(e: unknown) => {
				if (isAbort(e) || this.detail?.id !== id) return;
				this.detail = { id, data: null, error: e instanceof Error ? e.message : String(e) };
			}
		);
	}

	retry() {
		this.error = null;
		// Failed layer requests were forgotten (see #keyed): the page asks again when this changes.
		this.attempt++;
		this.#serverCounts = null;
		this.#pointsSet = null;
		this.#densitySet = null;
		if (this.#query) this.update(this.#query);
	}

	destroy() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#inflight?.controller.abort();
		this.#detailController?.abort();
		for (const k of this.#keys.values()) k.controller.abort();
	}
}

const countsKey = (fk: string, bbox: Bbox) => `${fk}|${bboxParam(bbox)}`;
/** What a view asks for: the same key means the same answers. */
const targetKey = (q: ViewportQuery) =>
	JSON.stringify([
		q.enabled,
		filterKey(q.filters),
		q.mode,
		bboxParam(q.bbox),
		q.mode === 'density' ? densityCell(q.zoom) : null
	]);

function toServerCounts(r: IncidentsResponse, fk: string, bbox: Bbox): ServerCounts {
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
