// The map screen's state lives in its URL so that a view can be bookmarked and sent to a
// colleague: the camera (z, c), the incident filters (from, to, type, area — the same names the
// API and the incident list use), which layers are on, how incidents are drawn, and the selected
// feature. Parsing is forgiving: a hand-edited or stale link with one bad value still opens the
// map, with that one value dropped, rather than an error page.
import { EVENT_TYPES, SITE_KINDS, type EventType, type SiteKind } from '../domain/taxonomy.ts';
import { parseBbox } from '../domain/filters.ts';
import { ACTOR_TYPES, EDGE_KINDS, type ActorType, type EdgeKind } from '../domain/actors.ts';
import { ISO_DATE, PCODE, UUID } from '../domain/codes.ts';

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

/** The layers with `layer` switched on or off, keeping at most one area shading on. */
export function withLayer(
	layers: ReadonlySet<MapLayerId>,
	layer: MapLayerId,
	on: boolean
): Set<MapLayerId> {
	const out = new Set(layers);
	if (!on) {
		out.delete(layer);
		return out;
	}
	if ((AREA_SHADING_LAYERS as readonly MapLayerId[]).includes(layer)) {
		for (const l of AREA_SHADING_LAYERS) out.delete(l);
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
	area: string | null;
	layers: ReadonlySet<MapLayerId>;
	mode: IncidentMode;
	/** Actor layers: actor types shown (null = all), as on the network view. */
	actorTypes: ActorType[] | null;
	/** Arcs: relationship kinds shown (null = all), as on the network view. */
	relKinds: EdgeKind[] | null;
	selected: Selection | null;
}

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

	const rawArea = params.get('area')?.trim() ?? '';
	const area = PCODE.test(rawArea) ? rawArea : null;

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

	return { view, bbox, from, to, types, area, layers, mode, actorTypes, relKinds, selected };
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
		'sel'
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
	return out;
}

/** The incident filters as API query parameters (the API's names: from, to, type, area). */
export function filterQuery(
	state: Pick<MapUrlState, 'from' | 'to' | 'types' | 'area'>
): URLSearchParams {
	const q = new URLSearchParams();
	if (state.from) q.set('from', state.from);
	if (state.to) q.set('to', state.to);
	if (state.types) q.set('type', state.types.join(','));
	if (state.area) q.set('area', state.area);
	return q;
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
