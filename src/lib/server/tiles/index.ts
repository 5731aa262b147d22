/**
 * Vector tiles of incidents (GET /api/v1/tiles/incidents/{z}/{x}/{y}.mvt), as the caller sees
 * them. What a tile holds is decided by one SQL function (incident_tile_rows, see
 * supabase/schemas/30_incidents.sql); PostgreSQL encodes it with ST_AsMVT, and the embedded
 * PGlite, whose PostGIS has no ST_AsMVT, returns the same rows for @maplibre/vt-pbf to encode:
 * the same features on either engine.
 */
import { createHash } from 'node:crypto';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { getDb } from '../db/index.ts';
import type { Adapter, CallerUser } from '../db/types.ts';
import { filterArgs, FilterError, type IncidentFilters } from '../../domain/filters.ts';

export const TILE_LAYER = 'incidents';
export const TILE_EXTENT = 4096;
export const MAX_ZOOM = 24;

export interface TileAddress {
	z: number;
	x: number;
	y: number;
}

/** {z}/{x}/{y} from the path: whole numbers, x and y inside the zoom's grid; else a 400. */
export function tileAddress(params: { z?: string; x?: string; y?: string }): TileAddress {
	const out: Record<string, number> = {};
	for (const k of ['z', 'x', 'y'] as const) {
		const raw = params[k] ?? '';
		if (!/^\d{1,8}$/.test(raw)) throw new FilterError(k, 'expected a whole number');
		out[k] = Number(raw);
	}
	if (out.z > MAX_ZOOM) throw new FilterError('z', `must be between 0 and ${MAX_ZOOM}`);
	const n = 2 ** out.z;
	if (out.x >= n) throw new FilterError('x', `must be between 0 and ${n - 1} at zoom ${out.z}`);
	if (out.y >= n) throw new FilterError('y', `must be between 0 and ${n - 1} at zoom ${out.z}`);
	return out as unknown as TileAddress;
}

type TileRow = [number, number, string | null, string | null, number | null, number | null];

/** incident_tile_json's rows as one MVT layer (null properties left out, as ST_AsMVT does). */
export function encodeTileRows(rows: TileRow[]): Uint8Array {
	const features = rows.map(([px, py, id, eventType, fatalities, count]) => {
		const tags: Record<string, string | number> = {};
		if (id !== null) tags.id = id;
		if (eventType !== null) tags.event_type = eventType;
		if (fatalities !== null) tags.fatalities = Number(fatalities);
		if (count !== null) tags.count = Number(count);
		return { type: 1 as const, geometry: [[px, py]], tags };
	});
	return fromGeojsonVt(
		{ [TILE_LAYER]: { features } as never },
		{ version: 2, extent: TILE_EXTENT }
	);
}

/**
 * The data version tiles are keyed on (bumped in the same transaction as every incident write).
 * Read before the tile, so a write in between can only make an ETag older than its tile, never
 * newer: the next request then gets the tile again instead of keeping stale data.
 */
export async function incidentDataVersion(user: CallerUser, db?: Adapter): Promise<string> {
	const v = await (db ?? (await getDb())).rpc<number | string>('incident_data_version', {}, user);
	return String(v);
}

/** A strong ETag: the data version, and who asks for which tile with which filters. */
export function tileEtag(version: string, user: CallerUser, key: string): string {
	const h = createHash('sha256').update(`${user.id}|${user.role}|${key}`).digest('base64url');
	return `"${version}-${h.slice(0, 22)}"`;
}

export async function incidentTile(
	user: CallerUser,
	t: TileAddress,
	filters: IncidentFilters,
	db?: Adapter
): Promise<Uint8Array> {
	const d = db ?? (await getDb());
	const { p_from, p_to, p_types, p_area } = filterArgs(filters);
	const args = { p_z: t.z, p_x: t.x, p_y: t.y, p_from, p_to, p_types, p_area };
	if (d.kind === 'embedded') {
		return encodeTileRows(await d.rpc<TileRow[]>('incident_tile_json', args, user));
	}
	return new Uint8Array(
		Buffer.from(await d.rpc<string>('incident_tile_mvt', args, user), 'base64')
	);
}
