// The map screen's state lives in its URL so that a view can be bookmarked and sent to a
// colleague: the camera (z, c), the incident filters (from, to, type, area — the same names the
// API and the incident list use), which layers are on, how incidents are drawn, and the selected
// feature. Parsing is forgiving: a hand-edited or stale link with one bad value still opens the
// map, with that one value dropped, rather than an error page.
import { EVENT_TYPES, SITE_KINDS, type EventType, type SiteKind } from '../domain/taxonomy.ts';
import { parseBbox } from '../domain/filters.ts';

export const MAP_LAYERS = [
	'incidents',
	'health_facilities',
	'idp_camps',
	'checkpoints',
	'org_sites',
	'governorates',
	'districts'
] as const;
export type MapLayerId = (typeof MAP_LAYERS)[number];

/** What a security analyst opens the map for: incidents, where we are, and how to move. */
export const DEFAULT_LAYERS: readonly MapLayerId[] = ['incidents', 'checkpoints', 'org_sites', 'governorates'];

export type IncidentMode = 'points' | 'density';

export interface MapView {
	zoom: number;
	center: [number, number];
}

export type Selection =
	| { kind: 'incident'; id: string }
	| { kind: SiteKind; id: string }
	| { kind: 'area'; id: string };

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
	selected: Selection | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PCODE = /^[A-Z]{2,3}[A-Z0-9]+$/;
const UUID_ISH = /^[0-9A-Za-z-]{1,64}$/;

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
		if (i > 0 && UUID_ISH.test(id)) {
			if (kind === 'incident') selected = { kind: 'incident', id };
			else if (kind === 'area' && PCODE.test(id)) selected = { kind: 'area', id };
			else if ((SITE_KINDS as readonly string[]).includes(kind)) selected = { kind: kind as SiteKind, id };
		}
	}

	return { view, bbox, from, to, types, area, layers, mode, selected };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/**
 * Writes the state into URL parameters, keeping any parameter the map does not own. Defaults are
 * left out so that a plain `/map` stays plain.
 */
export function mapUrlParams(state: MapUrlState, into = new URLSearchParams()): URLSearchParams {
	const out = new URLSearchParams(into);
	for (const k of ['z', 'c', 'bbox', 'from', 'to', 'type', 'area', 'layers', 'mode', 'sel']) out.delete(k);
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
	const isDefault = layers.length === DEFAULT_LAYERS.length && DEFAULT_LAYERS.every((l) => state.layers.has(l));
	if (!isDefault) out.set('layers', layers.join(','));
	if (state.mode !== 'points') out.set('mode', state.mode);
	if (state.selected) out.set('sel', `${state.selected.kind}:${state.selected.id}`);
	return out;
}

/** The incident filters as API query parameters (the API's names: from, to, type, area). */
export function filterQuery(state: Pick<MapUrlState, 'from' | 'to' | 'types' | 'area'>): URLSearchParams {
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
