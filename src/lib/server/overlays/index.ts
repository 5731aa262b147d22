/** Map overlays and area populations (supabase/schemas/85_overlays.sql), run as the caller. */
import { call } from '../analysis/index.ts';
import type { CallerUser } from '../db/types.ts';
import type { OverlayFeature } from './parse.ts';

export { overlayFeatures, OVERLAY_MAX_VERTICES } from './parse.ts';

import type { OverlayVisibility } from '../../domain/overlays.ts';
export { OVERLAY_VISIBILITIES, type OverlayVisibility } from '../../domain/overlays.ts';

export interface OverlayStyle {
	colour: string;
	width: number;
	label_field: string | null;
}

export interface Overlay {
	id: string;
	name: string;
	visibility: OverlayVisibility;
	style: OverlayStyle;
	source_file: string | null;
	mine: boolean;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	features: number;
	geometry_types: string[];
	bbox: [number, number, number, number] | null;
}

export interface OverlayCollection {
	type: 'FeatureCollection';
	overlay: Overlay;
	features: (OverlayFeature & { id: number })[];
}

export interface AreaPopulation {
	pcode: string;
	population: number;
	population_date: string | null;
	from_children: boolean;
}

export const listOverlays = (as: CallerUser) => call<Overlay[]>('overlays_list', {}, as);

/** One overlay's features; null when the caller does not see it. */
export const getOverlay = (as: CallerUser, id: string) =>
	call<OverlayCollection | null>('overlay_geojson', { p_id: id }, as);

export const createOverlay = (
	as: CallerUser,
	o: {
		name: string;
		visibility: OverlayVisibility;
		style: Partial<OverlayStyle>;
		features: OverlayFeature[];
		sourceFile: string | null;
	}
) =>
	call<Overlay>(
		'overlay_create',
		{
			p_name: o.name,
			p_visibility: o.visibility,
			p_style: o.style,
			// An array argument must travel as JSON text (node-postgres would send a SQL array).
			p_features: JSON.stringify(o.features),
			p_source_file: o.sourceFile
		},
		as
	);

export const updateOverlay = (
	as: CallerUser,
	id: string,
	patch: Partial<{ name: string; visibility: OverlayVisibility; style: Partial<OverlayStyle> }>
) => call<Overlay>('overlay_update', { p_id: id, p: patch }, as);

export const deleteOverlay = (as: CallerUser, id: string) =>
	call<{ id: string; deleted: true }>('overlay_delete', { p_id: id }, as);

/** Population per area of a level, where known (own figure, or all children's). */
export const areaPopulations = (as: CallerUser, level: 1 | 2 | 3) =>
	call<AreaPopulation[]>('area_populations', { p_level: level }, as);
