// The map screen's state lives in its URL so that a view can be bookmarked and sent to a
// colleague: the camera (z, c), the incident filters (from, to, type, area — the same names the
// API and the incident list use), which layers are on, how incidents are drawn, and the selected
// feature. Parsing is forgiving: a hand-edited or stale link with one bad value still opens the
// map, with that one value dropped, rather than an error page.
import { EVENT_TYPES, SITE_KINDS, type EventType, type SiteKind } from '../domain/taxonomy.ts';
import { MAX_AREAS, parseBbox } from '../domain/filters.ts';
import { ACTOR_TYPES, EDGE_KINDS, type ActorType, type EdgeKind } from '../domain/actors.ts';
import { ISO_DATE, PCODE, UUID } from '../domain/codes.ts';
import { isTimeWindow, type TimeWindow } from './timeline.ts';
import { appendRefine, refineParam } from './map-refine.ts';
import { parsePointStyle, type PointStyle } from './point-style.ts';

export const MAP_LAYERS = [
	'incidents',
	'health_facilities',
	'idp_camps',
	'checkpoints',
	'org_sites',
	'governorates',
	'districts',
	'actor_presence',
	'actor_arcs',
	'area_levels',
	'area_baseline'
] as const;
export type MapLayerId = (typeof MAP_LAYERS)[number];

/** What a security analyst opens the map for: incidents, where we are, and how to move. */
export const DEFAULT_LAYERS: readonly MapLayerId[] = [
	'incidents',
	'checkpoints',
	'org_sites',
	'governorates'
];

/**
 * Layers that shade whole areas. Two translucent fills over the same districts would mix into
 * colours that belong to neither legend (a "High" red under a "falling" green reads as brown), so
 * they behave like radio buttons that can also all be off: switching one on switches the other
 * off, and a hand-made link with both keeps the first.
 */
export const AREA_SHADING_LAYERS = [
	'area_levels',
	'area_baseline'
] as const satisfies readonly MapLayerId[];

/** The layers with every area shading switched off (another shading is about to take the map). */
export function withoutAreaShading(layers: ReadonlySet<MapLayerId>): Set<MapLayerId> {
	const out = new Set(layers);
	for (const l of AREA_SHADING_LAYERS) out.delete(l);
	return out;
}

/** The layers with `layer` switched on or off, keeping at most one area shading on. */
export function withLayer(
	layers: ReadonlySet<MapLayerId>,
	layer: MapLayerId,
	on: boolean
): Set<MapLayerId> {
	const shading = (AREA_SHADING_LAYERS as readonly MapLayerId[]).includes(layer);
	const out = on && shading ? withoutAreaShading(layers) : new Set(layers);
	if (!on) {
		out.delete(layer);
		return out;
	}
	out.add(layer);
	return out;
}

export type IncidentMode = 'points' | 'density';

export interface MapView {
	zoom: number;
	center: [number, number];
}

export type Selection =
	| { kind: 'incident'; id: string }
	| { kind: SiteKind; id: string }
	| { kind: 'area'; id: string }
	/** An actor, picked from its presence areas. */
	| { kind: 'actor'; id: string }
	/** A mapped relationship (its id), picked from its arc. */
	| { kind: 'relationship'; id: string }
	/** Incidents naming two actors (derived, so no id of its own): "<actor a>~<actor b>". */
	| { kind: 'confrontation'; id: string };

export interface MapUrlState {
	/** null when the URL has no camera: the map then shows all of Iraq (or `bbox` if given). */
	view: MapView | null;
	/** A bbox from a link made elsewhere (e.g. the incident list), fitted when there is no view. */
	bbox: [number, number, number, number] | null;
	from: string | null;
	to: string | null;
	/** null = every type; [] = none ticked (nothing to show). */
	types: EventType[] | null;
	/**
	 * The area filter as the URL and the API write it: one P-code or several, comma-separated
	 * (areaCodes splits it). Passed on as is, so every request of the map filters alike.
	 */
	area: string | null;
	layers: ReadonlySet<MapLayerId>;
	mode: IncidentMode;
	/** Actor layers: actor types shown (null = all), as on the network view. */
	actorTypes: ActorType[] | null;
	/** Arcs: relationship kinds shown (null = all), as on the network view. */
	relKinds: EdgeKind[] | null;
	selected: Selection | null;
	/** The time slider's window (`win`); from/to then hold the window it stands on. */
	window: TimeWindow | null;
	/**
	 * The place (a drawn circle, shape or corridor) and the further filters (NGO lens, status, …)
	 * as the API's query string; '' or absent for none. See map-refine.ts.
	 */
	refine?: string;
	/** How incident points are coloured (point-style.ts); absent: by event type. */
	pointStyle?: PointStyle;
	/** Overlays switched on (`ov=<id>,<id>`), in the order they were ticked. */
	overlays?: string[];
	/** Incidents per 100,000 people shaded by area of this level (`rate=1|2|3`); absent: off. */
	rate?: 1 | 2 | 3 | null;
	/**
	 * The basemap drawn (`basemap=<id>`, one an operator added); absent: the built-in one, or the
	 * device's own choice (BasemapSwitcher), which is then written here so a shared link carries it.
	 */
	basemap?: string | null;
}

/** A basemap id as $lib/server/basemaps makes them. */
const BASEMAP_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Overlays drawn at once: a link stays short and the map stays legible. */
export const MAX_OVERLAYS = 20;

const UUID_ISH = /^[0-9A-Za-z-]{1,64}$/;

/** A comma-separated list of known codes: null when absent, all known or only unknown codes. */
function codeList<T extends string>(
	params: URLSearchParams,
	name: string,
	known: readonly T[]
): T[] | null {
	if (!params.has(name)) return null;
	const wanted = new Set(
		params
			.getAll(name)
			.flatMap((t) => t.split(','))
			.map((t) => t.trim())
	);
	const list = known.filter((t) => wanted.has(t));
	if (list.length === 0 && [...wanted].some((t) => t !== '')) return null;
	if (list.length === known.length) return null;
	return list;
}

function isRealDate(s: string | null): s is string {
	if (!s || !ISO_DATE.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function parseMapUrl(params: URLSearchParams): MapUrlState {
	let view: MapView | null = null;
	const z = Number(params.get('z'));
	const c = (params.get('c') ?? '').split(',').map(Number);
	if (params.has('z') && Number.isFinite(z) && c.length === 2 && c.every(Number.isFinite)) {
		const [lon, lat] = c;
		if (Math.abs(lon) <= 180 && Math.abs(lat) <= 85) {
			view = { zoom: Math.min(Math.max(z, 1), 20), center: [lon, lat] };
		}
	}

	let bbox: MapUrlState['bbox'] = null;
	const rawBbox = params.get('bbox');
	if (rawBbox) {
		try {
			bbox = parseBbox(rawBbox);
		} catch {
			bbox = null;
		}
	}

	let from = params.get('from');
	let to = params.get('to');
	if (!isRealDate(from)) from = null;
	if (!isRealDate(to)) to = null;
	if (from && to && from > to) [from, to] = [to, from];

	let types: EventType[] | null = null;
	if (params.has('type')) {
		const wanted = new Set(
			params
				.getAll('type')
				.flatMap((t) => t.split(','))
				.map((t) => t.trim())
		);
		types = EVENT_TYPES.filter((t) => wanted.has(t));
		// Only unknown codes (e.g. an old link): show every type rather than nothing.
		if (types.length === 0 && [...wanted].some((t) => t !== '')) types = null;
		if (types && types.length === EVENT_TYPES.length) types = null;
	}

	const area = areaParam(areaCodes(params.getAll('area').join(',')));

	let layers: Set<MapLayerId>;
	if (params.has('layers')) {
		const wanted = new Set((params.get('layers') ?? '').split(','));
		layers = new Set(MAP_LAYERS.filter((l) => wanted.has(l)));
		const shading = AREA_SHADING_LAYERS.filter((l) => layers.has(l));
		for (const l of shading.slice(1)) layers.delete(l);
	} else {
		layers = new Set(DEFAULT_LAYERS);
	}

	const mode: IncidentMode = params.get('mode') === 'density' ? 'density' : 'points';

	let selected: Selection | null = null;
	const sel = params.get('sel');
	if (sel) {
		const i = sel.indexOf(':');
		const kind = sel.slice(0, i);
		const id = sel.slice(i + 1);
		if (kind === 'confrontation') {
			const pair = id.split('~');
			if (pair.length === 2 && pair.every((x) => UUID.test(x)))
				selected = { kind: 'confrontation', id };
		} else if (i > 0 && UUID_ISH.test(id)) {
			if (kind === 'incident') selected = { kind: 'incident', id };
			else if (kind === 'area' && PCODE.test(id)) selected = { kind: 'area', id };
			else if (kind === 'actor' && UUID.test(id)) selected = { kind: 'actor', id };
			else if (kind === 'relationship' && UUID.test(id)) selected = { kind: 'relationship', id };
			else if ((SITE_KINDS as readonly string[]).includes(kind))
				selected = { kind: kind as SiteKind, id };
		}
	}

	const actorTypes = codeList(params, 'actor_type', ACTOR_TYPES);
	const relKinds = codeList(params, 'rel_kind', EDGE_KINDS);

	const win = params.get('win');
	const window = isTimeWindow(win) ? win : null;
	const refine = refineParam(params);

	return {
		view,
		bbox,
		from,
		to,
		types,
		area,
		layers,
		mode,
		actorTypes,
		relKinds,
		selected,
		window,
		refine,
		pointStyle: parsePointStyle(params.get('style')),
		overlays: [
			...new Set(
				(params.get('ov') ?? '')
					.split(',')
					.map((x) => x.trim().toLowerCase())
					.filter((x) => UUID.test(x))
			)
		].slice(0, MAX_OVERLAYS),
		rate: (['1', '2', '3'] as const).includes(params.get('rate') as '1')
			? (Number(params.get('rate')) as 1 | 2 | 3)
			: null,
		basemap: BASEMAP_ID.test(params.get('basemap') ?? '') ? params.get('basemap') : null
	};
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/**
 * Writes the state into URL parameters, keeping any parameter the map does not own. Defaults are
 * left out so that a plain `/map` stays plain.
 */
export function mapUrlParams(state: MapUrlState, into = new URLSearchParams()): URLSearchParams {
	const out = new URLSearchParams(into);
	for (const k of [
		'z',
		'c',
		'bbox',
		'from',
		'to',
		'type',
		'area',
		'layers',
		'mode',
		'actor_type',
		'rel_kind',
		'sel',
		'win',
		'style',
		'ov',
		'rate',
		'basemap'
	])
		out.delete(k);
	if (state.view) {
		out.set('z', String(round(state.view.zoom, 2)));
		out.set('c', `${round(state.view.center[0], 4)},${round(state.view.center[1], 4)}`);
	} else if (state.bbox) {
		out.set('bbox', state.bbox.join(','));
	}
	if (state.from) out.set('from', state.from);
	if (state.to) out.set('to', state.to);
	if (state.types) out.set('type', state.types.join(','));
	if (state.area) out.set('area', state.area);
	const layers = MAP_LAYERS.filter((l) => state.layers.has(l));
	const isDefault =
		layers.length === DEFAULT_LAYERS.length && DEFAULT_LAYERS.every((l) => state.layers.has(l));
	if (!isDefault) out.set('layers', layers.join(','));
	if (state.mode !== 'points') out.set('mode', state.mode);
	if (state.actorTypes) out.set('actor_type', state.actorTypes.join(','));
	if (state.relKinds) out.set('rel_kind', state.relKinds.join(','));
	if (state.selected) out.set('sel', `${state.selected.kind}:${state.selected.id}`);
	if (state.window) out.set('win', state.window);
	if (state.pointStyle && state.pointStyle !== 'type') out.set('style', state.pointStyle);
	if (state.overlays?.length) out.set('ov', state.overlays.join(','));
	if (state.rate) out.set('rate', String(state.rate));
	if (state.basemap) out.set('basemap', state.basemap);
	return appendRefine(out, state.refine);
}

/** The P-codes of an area filter (valid ones, each once, at most MAX_AREAS; [] for none). */
export function areaCodes(area: string | null | undefined): string[] {
	const codes = (area ?? '')
		.split(',')
		.map((c) => c.trim())
		.filter((c) => PCODE.test(c));
	return [...new Set(codes)].slice(0, MAX_AREAS);
}

/** The area filter for P-codes (null for none), as the URL keeps it. */
export function areaParam(codes: readonly string[]): string | null {
	return codes.length ? codes.join(',') : null;
}

/** The incident filters as API query parameters (the API's names: from, to, type, area). */
export function filterQuery(
	state: Pick<MapUrlState, 'from' | 'to' | 'types' | 'area' | 'refine'>
): URLSearchParams {
	const q = new URLSearchParams();
	if (state.from) q.set('from', state.from);
	if (state.to) q.set('to', state.to);
	if (state.types) q.set('type', state.types.join(','));
	if (state.area) q.set('area', state.area);
	return appendRefine(q, state.refine);
}

/** True when the filters exclude every incident (all event types unticked). */
export function filtersMatchNothing(state: Pick<MapUrlState, 'types'>): boolean {
	return state.types !== null && state.types.length === 0;
}

/**
 * The date the actor layers and security levels are shown as of: the end of the chosen period
 * (`to`), else today (UTC). Relationships, presence and levels are "what stands on that day".
 */
export function asOfDate(state: Pick<MapUrlState, 'to'>, now = new Date()): string {
	return state.to ?? now.toISOString().slice(0, 10);
}
