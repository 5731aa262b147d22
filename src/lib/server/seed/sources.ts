/**
 * The other seed sources → loader rows: COD-AB boundaries, OpenStreetMap hospitals, the UNHCR
 * 2014 camp report and the two hand-made sample files. Pure functions; provenance in
 * supabase/seed/README.md.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { SITE_TYPES } from '../../domain/taxonomy.ts';
import {
	hasArabic,
	type ActorRow,
	type AreaRow,
	type CampRow,
	type CheckpointRow,
	type HealthFacilityRow,
	type OrgSiteRow
} from './rows.ts';

interface Feature {
	type: 'Feature';
	id?: string | number;
	properties: Record<string, unknown> | null;
	geometry: { type: string; coordinates: unknown } | null;
}
interface FeatureCollection {
	type: 'FeatureCollection';
	features: Feature[];
}

function asFeatureCollection(json: unknown, what: string): FeatureCollection {
	const fc = json as FeatureCollection;
	if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
		throw new Error(`${what}: not a GeoJSON FeatureCollection`);
	}
	return fc;
}

function str(v: unknown): string {
	return typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v).trim();
}

// ---------------------------------------------------------------------------------------------
// COD-AB administrative boundaries (properties ADM{n}_PCODE, ADM{n}_EN, ADM{n}_AR, and the
// parent's ADM{n-1}_PCODE). Level 0 (the country, P-code 'IQ') is not loaded: areas.pcode
// requires at least three characters, and nothing needs a level-0 row.

export function mapAreaFeatures(json: unknown, level: 1 | 2 | 3): AreaRow[] {
	const fc = asFeatureCollection(json, `COD-AB level ${level}`);
	return fc.features.map((f, i) => {
		const p = f.properties ?? {};
		const pcode = str(p[`ADM${level}_PCODE`]);
		const name_en = str(p[`ADM${level}_EN`]);
		if (!pcode || !name_en)
			throw new Error(
				`COD-AB level ${level}, feature ${i}: ADM${level}_PCODE and ADM${level}_EN are required`
			);
		if (!f.geometry || !['Polygon', 'MultiPolygon'].includes(f.geometry.type)) {
			throw new Error(`COD-AB ${pcode}: geometry must be a Polygon or MultiPolygon`);
		}
		const parent = level > 1 ? str(p[`ADM${level - 1}_PCODE`]) : '';
		if (level > 1 && !parent)
			throw new Error(`COD-AB ${pcode}: ADM${level - 1}_PCODE (the parent) is missing`);
		return {
			pcode,
			level,
			name_en,
			name_ar: str(p[`ADM${level}_AR`]) || null,
			parent_pcode: parent || null,
			geometry: f.geometry
		};
	});
}

// ---------------------------------------------------------------------------------------------
// OpenStreetMap hospitals. This extract carries only osm_id, name, type and timestamp; the
// name:en / name:ar tags are read when present. A name in Arabic script is also the Arabic name.

export const OSM_SOURCE = 'osm';

function point(f: Feature, what: string): { lon: number; lat: number } {
	const g = f.geometry;
	const c = g?.coordinates as number[] | undefined;
	if (
		!g ||
		g.type !== 'Point' ||
		!Array.isArray(c) ||
		!Number.isFinite(c[0]) ||
		!Number.isFinite(c[1])
	) {
		throw new Error(`${what}: geometry must be a Point`);
	}
	return { lon: c[0], lat: c[1] };
}

export function mapOsmHospitals(json: unknown): HealthFacilityRow[] {
	const fc = asFeatureCollection(json, 'OSM hospitals');
	return fc.features.map((f, i) => {
		const p = f.properties ?? {};
		const osmId = str(p.osm_id);
		if (!/^\d+$/.test(osmId)) throw new Error(`OSM hospitals, feature ${i}: osm_id is missing`);
		const name = str(p.name);
		const nameEn = str(p['name:en']);
		const nameAr = str(p['name:ar']) || (hasArabic(name) ? name : '');
		const edited = str(p.timestamp);
		return {
			upstream_id: osmId,
			name: nameEn || name || nameAr || 'Unnamed hospital',
			name_ar: nameAr || null,
			facility_type: 'hospital',
			...point(f, `OSM hospital ${osmId}`),
			notes: [
				`OpenStreetMap element ${osmId}${edited ? `, last edited ${edited.slice(0, 10)}` : ''}.`,
				name ? '' : 'No name in OpenStreetMap.'
			]
				.filter(Boolean)
				.join(' '),
			source: 'OpenStreetMap (© OpenStreetMap contributors, ODbL)',
			is_sample: false
		};
	});
}

// ---------------------------------------------------------------------------------------------
// UNHCR Iraq camp weekly report, 2014 (47 camps). Columns read: LOCATION, ID_CAMP, LOCATION_T,
// Status, LATITUDE, LONGITUDE, Individual, Managing Organisation, date, and a few descriptive
// ones for the notes. The Governorate column is not used: placement is by point-in-polygon.

export const UNHCR_CAMPS_SOURCE = 'unhcr-2014';

const CAMP_COLUMNS = [
	'LOCATION',
	'ID_CAMP',
	'LOCATION_T',
	'Status',
	'LATITUDE',
	'LONGITUDE',
	'Individual',
	'Managing Organisation',
	'date'
];

const CAMP_STATUS: Record<string, CampRow['status']> = {
	open: 'open',
	'under development': 'under_construction',
	'suggested camp location': 'planned'
};
const CAMP_TYPE: Record<string, CampRow['camp_type']> = {
	'idps camps': 'idp',
	'refugee camp': 'refugee',
	// Collective centres (public buildings housing displaced families) are IDP sites here.
	'collective center': 'idp'
};
// Placeholders the report uses where the managing organisation was not yet known.
const NO_ORG = new Set(['', 'tbd', 'to be updated', 'none', 'na', 'n/a']);

function slug(s: string): string {
	return s
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

function dmyToIso(s: string): string | null {
	const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
	if (!m) return null;
	const [, d, mo, y] = m;
	const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
	return Number.isNaN(Date.parse(iso)) ? null : iso;
}

export function parseCampsCsv(text: string): Record<string, string>[] {
	const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
	if (parsed.errors.length)
		throw new Error(`UNHCR camps CSV: ${parsed.errors[0].message} (row ${parsed.errors[0].row})`);
	const missing = CAMP_COLUMNS.filter((c) => !(parsed.meta.fields ?? []).includes(c));
	if (missing.length) throw new Error(`UNHCR camps CSV: missing column(s) ${missing.join(', ')}`);
	return parsed.data;
}

export function mapUnhcrCamps(records: readonly Record<string, string>[]): CampRow[] {
	// ID_CAMP is not unique in the 2014 report (two pairs of camps share one); such camps get the
	// id plus their name, which stays stable from one load of this file to the next.
	const idCount = new Map<string, number>();
	for (const r of records) idCount.set(str(r.ID_CAMP), (idCount.get(str(r.ID_CAMP)) ?? 0) + 1);

	return records.map((r) => {
		const id = str(r.ID_CAMP);
		const name = str(r.LOCATION).replace(/\s+/g, ' ');
		if (!id || !name)
			throw new Error(
				`UNHCR camps: a row has no ID_CAMP or LOCATION (${JSON.stringify(r).slice(0, 120)})`
			);
		const status = CAMP_STATUS[str(r.Status).toLowerCase()];
		if (!status) throw new Error(`UNHCR camp ${id}: unknown Status "${r.Status}"`);
		const campType = CAMP_TYPE[str(r.LOCATION_T).toLowerCase()];
		if (!campType) throw new Error(`UNHCR camp ${id}: unknown LOCATION_T "${r.LOCATION_T}"`);
		const lat = Number(str(r.LATITUDE));
		const lon = Number(str(r.LONGITUDE));
		if (!Number.isFinite(lat) || !Number.isFinite(lon) || !str(r.LATITUDE) || !str(r.LONGITUDE)) {
			throw new Error(`UNHCR camp ${id}: LATITUDE/LONGITUDE missing`);
		}
		const individuals = str(r.Individual);
		const population = individuals === '' ? null : Number(individuals);
		if (population !== null && (!Number.isInteger(population) || population < 0)) {
			throw new Error(
				`UNHCR camp ${id}: Individual must be a whole number (got "${r.Individual}")`
			);
		}
		const org = str(r['Managing Organisation']);
		const notes = [
			str(r.LOCATION_T) === 'Collective center' ? 'Collective centre.' : '',
			str(r['Current status']) &&
				`Status note: ${str(r['Current status']).replace(/\s*\n\s*/g, '; ')}`,
			str(r['Active Services']) && `Services: ${str(r['Active Services'])}.`,
			str(r['Main Area of origin of the population']) &&
				`Origin: ${str(r['Main Area of origin of the population'])}`,
			str(r['Planned capacity (number of persons)']) &&
			str(r['Planned capacity (number of persons)']) !== '0'
				? `Planned capacity: ${str(r['Planned capacity (number of persons)'])} persons.`
				: '',
			str(r['Population Figure Source']) &&
			!['na', ''].includes(str(r['Population Figure Source']).toLowerCase())
				? `Population figure: ${str(r['Population Figure Source'])}.`
				: '',
			str(r['Opening Date']) && `Opened ${str(r['Opening Date'])}.`
		]
			.filter(Boolean)
			.join(' ');
		return {
			upstream_id: (idCount.get(id) ?? 0) > 1 ? `${id}/${slug(name)}` : id,
			name,
			name_ar: null,
			camp_type: campType,
			status,
			population,
			// The report counts tents and caravans, not households.
			households: null,
			managing_org: NO_ORG.has(org.toLowerCase()) ? null : org,
			population_date: dmyToIso(str(r.date)),
			lon,
			lat,
			notes,
			source: 'UNHCR Iraq camp weekly report, 2014',
			is_sample: false
		};
	});
}

// ---------------------------------------------------------------------------------------------
// Hand-made samples (supabase/seed/sample_*.json). Validated strictly: they are edited by hand.

export const SAMPLE_SOURCE = 'sample';

const lon = z.number().min(38.7).max(48.8);
const lat = z.number().min(29).max(37.4);

const checkpointsFile = z.object({
	actors: z.array(
		z.object({
			name: z.string().min(1),
			actor_type: z.enum(['state_forces', 'armed_group', 'militia'])
		})
	),
	checkpoints: z
		.array(
			z.object({
				id: z.string().regex(/^[a-z0-9-]+$/),
				name: z.string().min(1),
				name_ar: z.string().min(1).nullable(),
				road: z.string().min(1),
				controlled_by: z.string().min(1),
				status: z.enum(['open', 'restricted', 'closed']),
				last_verified_at: z.iso.datetime({ offset: true }).nullable(),
				lon,
				lat,
				notes: z.string()
			})
		)
		.min(1)
});

const orgSitesFile = z.object({
	sites: z
		.array(
			z.object({
				id: z.string().regex(/^[a-z0-9-]+$/),
				name: z.string().min(1),
				site_type: z.enum(SITE_TYPES),
				lon,
				lat,
				notes: z.string()
			})
		)
		.min(1)
});

const SAMPLE_NOTE = 'SAMPLE data made up for the demo: not a real record.';

function parseSample<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
	const r = schema.safeParse(json);
	if (!r.success) {
		const issue = r.error.issues[0];
		throw new Error(`${what}: ${issue.path.join('.')}: ${issue.message}`);
	}
	return r.data;
}

export function mapSampleCheckpoints(json: unknown): {
	actors: ActorRow[];
	checkpoints: CheckpointRow[];
} {
	const f = parseSample(checkpointsFile, json, 'sample_checkpoints.json');
	const known = new Set(f.actors.map((a) => a.name.toLowerCase()));
	for (const c of f.checkpoints) {
		if (!known.has(c.controlled_by.toLowerCase())) {
			throw new Error(
				`sample_checkpoints.json: ${c.id} is controlled by "${c.controlled_by}", which is not in actors`
			);
		}
	}
	return {
		actors: f.actors.map((a) => ({ ...a, notes: 'Named by the sample checkpoints.' })),
		checkpoints: f.checkpoints.map((c) => ({
			upstream_id: c.id,
			name: c.name,
			name_ar: c.name_ar,
			road: c.road,
			controlled_by: c.controlled_by,
			status: c.status,
			last_verified_at: c.last_verified_at,
			lon: c.lon,
			lat: c.lat,
			notes: [c.notes, SAMPLE_NOTE].filter(Boolean).join(' '),
			source: 'Terrain sample data',
			is_sample: true
		}))
	};
}

export function mapSampleOrgSites(json: unknown): OrgSiteRow[] {
	const f = parseSample(orgSitesFile, json, 'sample_org_sites.json');
	return f.sites.map((s) => ({
		upstream_id: s.id,
		name: s.name,
		site_type: s.site_type,
		lon: s.lon,
		lat: s.lat,
		notes: [s.notes, SAMPLE_NOTE].filter(Boolean).join(' '),
		source: 'Terrain sample data',
		is_sample: true
	}));
}
