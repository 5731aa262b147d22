// What the map's selection and area filter point at, looked up in the loaded layers: the feature
// the details panel shows, the halo drawn around it, and the actor presence inside the area filter.
// Derived from the URL's state and MapData; nothing here fetches.
import { areaList } from '$lib/map/area-list.svelte';
import { SITE_KINDS, type SiteKind } from '$lib/domain/taxonomy';
import { listJoin, type Locale } from '$lib/i18n';
import { areaName } from '$lib/map/labels';
import type { PresenceCollection } from '$lib/map/layers/actor-data';
import { incidentRadius } from '$lib/map/scales';
import { areaCodes, type MapUrlState } from '$lib/map/url-state';
import type { MapData } from './map-data.svelte';

type PresenceFeature = PresenceCollection['features'][number];

export class MapSelection {
	#state: () => MapUrlState;
	#data: MapData;
	#locale: () => Locale;

	constructor(state: () => MapUrlState, data: MapData, locale: () => Locale) {
		this.#state = state;
		this.#data = data;
		this.#locale = locale;
	}

	/** An admin area (governorate or district) among those loaded. */
	findArea(pcode: string | null | undefined) {
		if (!pcode) return null;
		for (const level of [1, 2] as const) {
			const f = this.#data.areas[level]?.features.find((a) => a.properties.pcode === pcode);
			if (f) return f;
		}
		return null;
	}

	/** An area's name in the reader's language, or null while its outline is not loaded. */
	areaLabel = (pcode: unknown) => {
		const f = this.findArea(typeof pcode === 'string' ? pcode : null);
		return f ? areaName(f.properties, this.#locale()) : null;
	};

	site = $derived.by(() => {
		const sel = this.#state().selected;
		if (!sel || !(SITE_KINDS as readonly string[]).includes(sel.kind)) return null;
		return (
			this.#data.sites[sel.kind as SiteKind]?.features.find(
				(f) => String(f.properties.id ?? f.id) === sel.id
			) ?? null
		);
	});

	area = $derived.by(() => {
		const sel = this.#state().selected;
		return sel?.kind === 'area' ? (this.findArea(sel.id)?.properties ?? null) : null;
	});

	/** Where the selected incident or site is, and how big its ring is drawn. */
	halo = $derived.by((): { position: [number, number] | null; radius: number } => {
		const sel = this.#state().selected;
		const data = this.#data;
		if (sel?.kind === 'incident') {
			const p = data.points.find((x) => x[0] === sel.id);
			if (p) return { position: [p[1], p[2]], radius: incidentRadius(p[4]) };
			const d = data.detail?.id === sel.id ? data.detail.data : null;
			if (d)
				return { position: [Number(d.lon), Number(d.lat)], radius: incidentRadius(d.fatalities) };
		} else if (this.site) {
			return { position: this.site.geometry.coordinates, radius: 10 };
		}
		return { position: null, radius: 0 };
	});

	/** Presence within the area filter: areas on its lineage (above or below it), and drawn shapes. */
	presenceFeatures = $derived.by((): PresenceFeature[] => {
		const all = this.#data.presence?.features ?? [];
		const codes = areaCodes(this.#state().area);
		if (!codes.length) return all;
		return all.filter((f) => {
			const p = f.properties.pcode;
			return !p || codes.some((a) => p.startsWith(a) || a.startsWith(p));
		});
	});

	actor = $derived.by(() => {
		const sel = this.#state().selected;
		const presence = this.#data.presence;
		if (sel?.kind !== 'actor' || !presence) return null;
		return {
			loaded: true,
			features: presence.features.filter((f) => f.properties.actor_id === sel.id)
		};
	});

	arc = $derived.by(() => {
		const sel = this.#state().selected;
		const arcs = this.#data.arcs;
		if ((sel?.kind !== 'relationship' && sel?.kind !== 'confrontation') || !arcs) return null;
		return { loaded: true, arc: arcs.find((a) => a.key === sel.id) ?? null };
	});

	/** The selected area's security level, when the levels layer is on. */
	level = $derived.by(() => {
		const pcode = this.area?.pcode;
		if (!pcode || !this.#state().layers.has('area_levels')) return null;
		return this.#data.levels?.find((l) => l.pcode === pcode) ?? null;
	});

	/** The selected area's baseline trend, when the baseline layer is on. */
	trend = $derived.by(() => {
		const pcode = this.area?.pcode;
		if (!pcode || !this.#state().layers.has('area_baseline')) return null;
		return this.#data.baseline?.rows.find((r) => r.pcode === pcode) ?? null;
	});

	/** The area filter's names (one area or several), for the panel and the export's caption. */
	areaFilterName = $derived.by(() => {
		const names = areaCodes(this.#state().area).map(
			(a) => this.areaLabel(a) ?? areaList.name(a, this.#locale()) ?? a
		);
		return names.length ? listJoin(this.#locale(), names) : null;
	});
}
