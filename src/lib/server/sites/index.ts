/**
 * The site registries, server side: checkpoints, health facilities, IDP camps, displacement
 * locations and our own sites. A few verbs over the SQL functions of
 * 20261203100000_site_registries.sql, used alike by the pages, /api/v1/sites and the tests. Each
 * runs as the signed-in user, so RLS and the functions decide who may change what.
 */
import { rpc, DbError, type CallerUser } from '../db/index.ts';
import { FilterError } from '../../domain/filters.ts';
import { REGISTRY_KINDS, type RegistryKind } from '../../domain/registries.ts';
import { checkArea, outsideMessage, type AreaCheck, type OperatingArea } from './area.ts';

export { REGISTRY_KINDS, type RegistryKind };

export interface Settings {
	operating_area: OperatingArea;
	checkpoint_stale_days: number;
	site_match_m: number;
	/** The classification marking of printed documents; '' = the standard one. */
	document_classification: string;
}

export interface SiteWrite {
	id: string;
	inserted: boolean;
	changed: string[];
}

export type Site = Record<string, unknown> & { id: string; name: string; lon: number; lat: number };

/** "field: message" from a SQL function → a FilterError (400 naming the field). */
async function fieldErrors<T>(p: Promise<T>): Promise<T> {
	try {
		return await p;
	} catch (e) {
		if (e instanceof DbError && e.code === '22023') {
			const m = /^([a-z_][a-z0-9_.[\]]*): (.+)$/s.exec(e.message);
			if (m) throw new FilterError(m[1], m[2]);
		}
		throw e;
	}
}

export function getSettings(user: CallerUser) {
	return rpc<Settings>('app_settings_get', {}, user);
}

export function setSetting(user: CallerUser, key: string, value: unknown) {
	return fieldErrors(rpc<Settings>('app_setting_set', { p_key: key, p_value: value }, user));
}

/**
 * Several settings at once, all or none (the settings page, PATCH /api/v1/settings). A value
 * equal to the one in force writes nothing and leaves no audit row.
 */
export function updateSettings(user: CallerUser, patch: Record<string, unknown>) {
	return fieldErrors(rpc<Settings>('app_settings_update', { p_patch: patch }, user));
}

/** Where a point lies with respect to the configured operating area. */
export async function checkLocation(
	user: CallerUser,
	lon: number,
	lat: number
): Promise<AreaCheck> {
	const s = await getSettings(user);
	return checkArea(lon, lat, s.operating_area);
}

/**
 * Refuses (400 naming `field`) a point outside the operating area unless the caller confirmed
 * it; the message names the country and a swap that would land inside.
 */
export async function requireInsideArea(
	user: CallerUser,
	lon: number,
	lat: number,
	confirmed: boolean,
	field = 'coordinates'
): Promise<void> {
	if (confirmed) return;
	const c = await checkLocation(user, lon, lat);
	if (!c.inside) throw new FilterError(field, outsideMessage(c));
}

export function listSites(user: CallerUser, kind: RegistryKind) {
	return rpc<{ type: 'FeatureCollection'; features: unknown[] }>(
		'sites_geojson',
		{ p_kind: kind },
		user
	);
}

export function getSite(user: CallerUser, kind: RegistryKind, id: string) {
	return rpc<Site | null>('site_json', { p_kind: kind, p_id: id }, user);
}

export function populationHistory(user: CallerUser, kind: RegistryKind, id: string) {
	return rpc<{ as_of: string; population: number | null; households: number | null }[]>(
		'site_population_history',
		{ p_kind: kind, p_id: id },
		user
	);
}

/**
 * Creates (id null) or changes a site with the fields given; fields not given stay as they are.
 * `lon`/`lat` move it (checked against the operating area unless `confirm_outside_area`).
 */
export async function saveSite(
	user: CallerUser,
	kind: RegistryKind,
	id: string | null,
	fields: Record<string, unknown>
): Promise<{ write: SiteWrite; site: Site | null }> {
	const { confirm_outside_area, ...p } = fields;
	if ('lon' in p || 'lat' in p) {
		const lon = Number(p.lon);
		const lat = Number(p.lat);
		if (!Number.isFinite(lon) || lon < -180 || lon > 180)
			throw new FilterError('lon', 'must be a number between -180 and 180');
		if (!Number.isFinite(lat) || lat < -90 || lat > 90)
			throw new FilterError('lat', 'must be a number between -90 and 90');
		p.lon = lon;
		p.lat = lat;
		await requireInsideArea(user, lon, lat, confirm_outside_area === true, 'lat');
	}
	const write = await fieldErrors(
		rpc<SiteWrite>('site_write', { p_kind: kind, p_id: id, p }, user)
	);
	return { write, site: await getSite(user, kind, write.id) };
}

export function deleteSite(user: CallerUser, kind: RegistryKind, id: string) {
	return fieldErrors(
		rpc<{ id: string; deleted: boolean }>('site_delete', { p_kind: kind, p_id: id }, user)
	);
}
