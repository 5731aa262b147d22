// The spatial filter every incident view accepts beside the shared filters (issue 13):
//   geometry=<GeoJSON>          inside a polygon (ST_Intersects); with within_km, within that
//                               distance of it (a corridor around a line)
//   geometry_id=<uuid>          the same, with a geometry stored by POST /api/v1/filter-geometries
//   lat=…&lon=…&within_km=…     a circle (ST_DWithin on geography, metres)
//   precise=true                exact locations only (no town, district or governorate centres)
// The SQL decides the rest (one of geometry / geometry_id / lat-lon; a point or line needs a
// distance); the checks here give a script author the parameter's name in a 400 at once.
import { FilterError } from './filters.ts';
import { UUID } from './codes.ts';

export interface SpatialFilter {
	geometry?: unknown;
	geometryId?: string;
	lat?: number;
	lon?: number;
	withinKm?: number;
	preciseOnly?: boolean;
}

export const SPATIAL_PARAMS = ['geometry', 'geometry_id', 'lat', 'lon', 'within_km', 'precise'];

function num(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
	const raw = params.get(name)?.trim();
	if (!raw) return undefined;
	const n = Number(raw);
	if (!Number.isFinite(n)) throw new FilterError(name, 'expected a number');
	if (n < min || n > max) throw new FilterError(name, `must be between ${min} and ${max}`);
	return n;
}

export function parseSpatialFilter(params: URLSearchParams): SpatialFilter {
	const out: SpatialFilter = {};
	const geometry = params.get('geometry')?.trim();
	if (geometry) {
		try {
			out.geometry = JSON.parse(geometry);
		} catch {
			throw new FilterError('geometry', 'expected GeoJSON');
		}
	}
	const id = params.get('geometry_id')?.trim();
	if (id) {
		if (!UUID.test(id)) throw new FilterError('geometry_id', 'expected a UUID');
		out.geometryId = id.toLowerCase();
	}
	out.lat = num(params, 'lat', -90, 90);
	out.lon = num(params, 'lon', -180, 180);
	if ((out.lat === undefined) !== (out.lon === undefined))
		throw new FilterError(out.lat === undefined ? 'lat' : 'lon', 'give both lat and lon');
	out.withinKm = num(params, 'within_km', 0.001, 500);
	if (out.lat !== undefined && out.withinKm === undefined)
		throw new FilterError('within_km', 'is required with lat and lon');
	const precise = params.get('precise');
	if (precise !== null && precise !== '') {
		if (!['true', 'false', '1', '0'].includes(precise))
			throw new FilterError('precise', 'expected true or false');
		out.preciseOnly = precise === 'true' || precise === '1';
	}
	const places = [out.geometry, out.geometryId, out.lat].filter((v) => v !== undefined).length;
	if (places > 1) throw new FilterError('geometry', 'give one of geometry, geometry_id or lat/lon');
	if (!places && out.withinKm !== undefined)
		throw new FilterError('within_km', 'needs lat/lon, geometry or geometry_id');
	for (const k of Object.keys(out) as (keyof SpatialFilter)[])
		if (out[k] === undefined) delete out[k];
	return out;
}

export const hasSpatialFilter = (s: SpatialFilter) =>
	s.geometry !== undefined || s.geometryId !== undefined || s.lat !== undefined || !!s.preciseOnly;

/** The SQL functions' named arguments for a spatial filter. */
export function spatialArgs(s: SpatialFilter): Record<string, unknown> {
	return {
		p_geometry: s.geometry ?? null,
		p_geometry_id: s.geometryId ?? null,
		p_lon: s.lon ?? null,
		p_lat: s.lat ?? null,
		p_within_km: s.withinKm ?? null,
		p_precise_only: s.preciseOnly ?? false
	};
}
