/** The outlines a sitrep's small map draws: the areas of its group level inside its scope. */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { areas } from '../map/index.ts';
import type { CallerUser } from '../db/types.ts';
import type { Sitrep } from '../../domain/reports.ts';

type Outlines = FeatureCollection<Polygon | MultiPolygon, { pcode: string; parent_pcode?: string }>;

export async function sitrepOutlines(user: CallerUser, s: Sitrep): Promise<Outlines> {
	const all = await areas<Outlines>(user, s.group_level, s.group_level === 1 ? 0.01 : 0.003);
	const scope = s.area?.pcode;
	if (!scope) return all;
	return {
		...all,
		features: all.features.filter(
			(f) => f.properties.pcode === scope || f.properties.parent_pcode === scope
		)
	};
}
