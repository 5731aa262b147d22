// Drawing the map's place filter (issue 13): a circle (a point and a radius), a polygon, or a
// corridor (a line and a distance). The sketch itself is the shared drawing tool
// ($lib/map/draw: the same DrawState as Analysis → Proximity). When a sketch is finished the
// filter goes into the URL: a circle as lat/lon/within_km, a shape or a line stored on the
// server (POST /api/v1/filter-geometries) and linked by geometry_id, so that a detailed shape
// never makes a link too long. The shape a link carries is fetched back to be drawn.
// An overlay's feature (a road, a zone, a point) becomes the filter the same way: the server
// stores it from the overlay (fromOverlay), so the browser never resends a long road.
import type { Geometry } from 'geojson';
import { DrawState } from '$lib/map/draw/draw-state.svelte';
import { toGeometry, validateSketch, type DrawMode, type Sketch } from '$lib/map/draw/sketch';
import type { SpatialFilter } from '$lib/domain/spatial-filter';

export type PlaceTool = 'circle' | 'polygon' | 'corridor';
export const PLACE_TOOLS: readonly PlaceTool[] = ['circle', 'polygon', 'corridor'];
const MODE: Record<PlaceTool, DrawMode> = { circle: 'point', polygon: 'polygon', corridor: 'line' };

async function sendJson<T>(url: string, init?: RequestInit): Promise<T> {
	const res = await fetch(url, {
		...init,
		headers: { accept: 'application/json', 'content-type': 'application/json' }
	});
	const body = await res.json().catch(() => null);
	if (!res.ok) throw new Error(body?.message ?? `${res.status} ${res.statusText}`);
	return body as T;
}

export class SpatialDraw {
	/** The tool being drawn with; null when not drawing (clicks then select features). */
	tool = $state<PlaceTool | null>(null);
	/** The radius of a circle, the half-width of a corridor. */
	km = $state(10);
	saving = $state(false);
	error = $state<string | null>(null);
	/** The stored shape the URL's geometry_id names, once fetched (name: an overlay feature's). */
	shape = $state.raw<{ id: string; geometry: Geometry; name?: string | null } | null>(null);
	/**
	 * The overlay feature the filter in force was made from, to name it before its stored shape
	 * is fetched back. A line or polygon keeps its name on the server with the shape (so a link
	 * names it in any browser); a point travels as lat/lon, so its name is kept in this tab's
	 * sessionStorage only.
	 */
	source = $state.raw<{ key: string; name: string } | null>(readSource());
	readonly draw: DrawState;
	#apply: (place: SpatialFilter | null) => void;

	constructor(apply: (place: SpatialFilter | null) => void) {
		this.#apply = apply;
		this.draw = new DrawState('polygon', (s) => this.#changed(s));
	}

	start(tool: PlaceTool) {
		this.error = null;
		this.tool = tool;
		this.draw.load({ mode: MODE[tool], vertices: [], done: false });
	}

	cancel() {
		this.tool = null;
		this.draw.clear();
	}

	clearFilter() {
		this.cancel();
		this.#apply(null);
	}

	#changed(s: Sketch) {
		if (s.done && this.tool && !this.saving) void this.commit();
	}

	/** Puts the finished sketch into the URL (storing a shape or a line first). */
	async commit() {
		const tool = this.tool;
		const s = this.draw.sketch;
		if (!tool || !s.done) return;
		const v = validateSketch(s);
		if (!v.ok) {
			this.draw.refused = v;
			return;
		}
		const km = Number(this.km);
		if (tool !== 'polygon' && !(km > 0 && km <= 500)) {
			this.error = 'km';
			return;
		}
		if (tool === 'circle') {
			const [lon, lat] = s.vertices[0];
			this.#apply({ lat, lon, withinKm: km });
			this.cancel();
			return;
		}
		const geometry = toGeometry(s);
		this.saving = true;
		try {
			const saved = await sendJson<{ id: string }>('/api/v1/filter-geometries', {
				method: 'POST',
				body: JSON.stringify(geometry)
			});
			if (geometry) this.shape = { id: saved.id, geometry };
			this.#apply({ geometryId: saved.id, ...(tool === 'corridor' ? { withinKm: km } : {}) });
			this.cancel();
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		} finally {
			this.saving = false;
		}
	}

	/**
	 * Filters by an overlay's feature (`feature` its number; null for the whole overlay): a line
	 * becomes a corridor of `km`, a polygon filters inside it, a point becomes a circle of `km`.
	 * Resolves to true once the filter is in the URL; false (with `error` set) otherwise.
	 */
	async fromOverlay(overlayId: string, feature: number | null, km: number, name: string) {
		this.cancel();
		this.error = null;
		const dist = Number(km);
		this.saving = true;
		try {
			const saved = await sendJson<{
				id: string;
				kind: 'line' | 'polygon' | 'point';
				point?: [number, number];
			}>('/api/v1/filter-geometries', {
				method: 'POST',
				body: JSON.stringify({ overlay_id: overlayId, feature, name })
			});
			if (saved.kind !== 'polygon' && !(dist > 0 && dist <= 500)) {
				this.error = 'km';
				return false;
			}
			let place: SpatialFilter;
			if (saved.kind === 'point' && saved.point) {
				const [lon, lat] = saved.point;
				place = { lat, lon, withinKm: dist };
			} else {
				place = { geometryId: saved.id, ...(saved.kind === 'polygon' ? {} : { withinKm: dist }) };
			}
			this.source = { key: placeKey(place), name };
			keepSource(this.source);
			this.#apply(place);
			return true;
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
			return false;
		} finally {
			this.saving = false;
		}
	}

	/** The name of the overlay feature the place in force came from, if it did. */
	sourceName(place: SpatialFilter): string | null {
		if (place.geometryId && this.shape?.id === place.geometryId && this.shape.name)
			return this.shape.name;
		return this.source && this.source.key === placeKey(place) ? this.source.name : null;
	}

	/** Changes the distance of the circle or corridor in force (the place stays). */
	setKm(place: SpatialFilter, km: number) {
		if (!(km > 0 && km <= 500)) {
			this.error = 'km';
			return;
		}
		this.error = null;
		const { preciseOnly: _p, ...rest } = place;
		void _p;
		this.#apply({ ...rest, withinKm: km });
	}

	/** Fetches the shape a link names (once per id), to draw it. */
	ensureShape(id: string | undefined) {
		if (!id || this.shape?.id === id) return;
		sendJson<{ id: string; geometry: Geometry; name?: string | null }>(
			`/api/v1/filter-geometries/${encodeURIComponent(id)}`
		).then(
			(g) => (this.shape = g),
			(e: unknown) => (this.error = e instanceof Error ? e.message : String(e))
		);
	}
}

/** What identifies a place apart from its distance (a corridor keeps its name when widened). */
function placeKey(p: SpatialFilter): string {
	return p.geometryId ?? (p.lat !== undefined ? `${p.lat},${p.lon}` : '');
}

const SOURCE_KEY = 'terrain.placeSource';

function readSource(): { key: string; name: string } | null {
	try {
		const v = JSON.parse(sessionStorage.getItem(SOURCE_KEY) ?? 'null');
		return typeof v?.key === 'string' && typeof v?.name === 'string' ? v : null;
	} catch {
		return null; // no storage (server render, private mode): named in this page only
	}
}

function keepSource(source: { key: string; name: string }) {
	try {
		sessionStorage.setItem(SOURCE_KEY, JSON.stringify(source));
	} catch {
		// storage full or refused: the name lasts until the page is left
	}
}
