/**
 * Demo and synthetic data, loaded through the SQL loaders of
 * supabase/migrations/20261122000600_seed_loaders.sql, as the service. This module reads and maps
 * files; the database places every point in its admin areas, links actors and upserts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter } from '../db/types.ts';
import { batches, type ActorRow } from './rows.ts';
import {
	mapAreaFeatures,
	mapOsmHospitals,
	mapSampleCheckpoints,
	mapSampleOrgSites,
	mapUnhcrCamps,
	OSM_SOURCE,
	parseCampsCsv,
	SAMPLE_SOURCE,
	UNHCR_CAMPS_SOURCE
} from './sources.ts';
import {
	prepareAnchors,
	SYNTHETIC_ACTORS,
	SYNTHETIC_SOURCE,
	syntheticIncidents,
	type Anchor
} from './synthetic.ts';
import { mapUcdpRecord, parseUcdpCsv, UCDP_SOURCE, ucdpActors } from './ucdp.ts';

/** The files of supabase/seed that seedDemo reads (see supabase/seed/README.md). */
export const SEED_FILES = {
	adm1: 'irq_admbnda_adm1_cso_20190603.geojson',
	adm2: 'irq_admbnda_adm2_cso_20190603.geojson',
	adm3: 'irq_admbnda_adm3_cso_20190603.geojson',
	ucdp: 'ucdp_ged_irq_hdx_1989-2018.csv',
	hospitals: 'gaia_osm_iraq_hospitals.geojson',
	camps: 'unhcr_iraq_camps_weeklyreport_2014.csv',
	checkpoints: 'sample_checkpoints.json',
	orgSites: 'sample_org_sites.json'
} as const;

/** Rows per loader call: one jsonb array each, small enough to keep a call's memory modest. */
export const BATCH_SIZE = 2000;

type Log = (line: string) => void;

/** What one loader call answers (see the SQL): counts of rows and of how they were placed. */
export interface LoadStats {
	rows: number;
	inserted: number;
	updated?: number;
	unchanged?: number;
	existing?: number;
	placed_inside?: number;
	placed_nearest?: number;
	outside?: number;
	imprecise?: number;
	without_admin1?: number;
}

function sum(into: Record<string, number>, prefix: string, s: LoadStats): void {
	for (const [k, v] of Object.entries(s)) {
		if (typeof v === 'number') into[`${prefix}.${k}`] = (into[`${prefix}.${k}`] ?? 0) + v;
	}
}

async function load(
	db: Adapter,
	fn: string,
	args: Record<string, unknown>,
	rows: readonly unknown[],
	totals: Record<string, number>,
	key: string,
	log: Log
): Promise<void> {
	let done = 0;
	for (const batch of batches(rows, BATCH_SIZE)) {
		// Sent as JSON text: the loaders take one jsonb array, and node-postgres would turn a JS
		// array into a PostgreSQL array literal.
		const stats = await db.rpc<LoadStats>(
			fn,
			{ ...args, p_rows: JSON.stringify(batch) },
			'service'
		);
		sum(totals, key, stats);
		done += batch.length;
		if (rows.length > BATCH_SIZE) log(`  ${key}: ${done}/${rows.length}`);
	}
}

async function readJson(dir: string, file: string): Promise<unknown> {
	try {
		return JSON.parse(await readFile(join(dir, file), 'utf8'));
	} catch (e) {
		throw new Error(`seed file ${join(dir, file)}: ${(e as Error).message}`, { cause: e });
	}
}

async function readText(dir: string, file: string): Promise<string> {
	try {
		return await readFile(join(dir, file), 'utf8');
	} catch (e) {
		throw new Error(`seed file ${join(dir, file)}: ${(e as Error).message}`, { cause: e });
	}
}

/**
 * Loads the demo data in dependency order: areas (parents first), actors, UCDP incidents, OSM
 * hospitals, UNHCR camps, then the sample checkpoints (with the forces that control them) and
 * sample organisation sites. Idempotent: a second run inserts nothing. Answers totals per
 * "table.count" (e.g. incidents.inserted, incidents.placed_nearest).
 */
export async function seedDemo(
	db: Adapter,
	opts: { seedDir: string; log?: Log }
): Promise<Record<string, number>> {
	const log = opts.log ?? (() => {});
	const dir = opts.seedDir;
	const t0 = Date.now();

	// Read and map every file before writing anything, so a bad file fails the whole seed early.
	const areas = [
		...mapAreaFeatures(await readJson(dir, SEED_FILES.adm1), 1),
		...mapAreaFeatures(await readJson(dir, SEED_FILES.adm2), 2),
		...mapAreaFeatures(await readJson(dir, SEED_FILES.adm3), 3)
	];
	const incidents = parseUcdpCsv(await readText(dir, SEED_FILES.ucdp)).map(mapUcdpRecord);
	const hospitals = mapOsmHospitals(await readJson(dir, SEED_FILES.hospitals));
	const camps = mapUnhcrCamps(parseCampsCsv(await readText(dir, SEED_FILES.camps)));
	const checkpoints = mapSampleCheckpoints(await readJson(dir, SEED_FILES.checkpoints));
	const orgSites = mapSampleOrgSites(await readJson(dir, SEED_FILES.orgSites));

	const totals: Record<string, number> = {};
	for (const level of [1, 2, 3] as const) {
		log(`seed: areas level ${level}`);
		await load(
			db,
			'private.load_areas',
			{ p_source: 'cod-ab' },
			areas.filter((a) => a.level === level),
			totals,
			'areas',
			log
		);
	}
	log('seed: actors');
	await load(
		db,
		'private.load_actors',
		{ p_source: UCDP_SOURCE },
		ucdpActors(incidents),
		totals,
		'actors',
		log
	);
	await load(
		db,
		'private.load_actors',
		{ p_source: SAMPLE_SOURCE },
		checkpoints.actors,
		totals,
		'actors',
		log
	);
	log(`seed: ${incidents.length} UCDP GED incidents`);
	await load(
		db,
		'private.load_incidents',
		{ p_source: UCDP_SOURCE },
		incidents,
		totals,
		'incidents',
		log
	);
	log(
		`seed: ${hospitals.length} hospitals, ${camps.length} camps, ${checkpoints.checkpoints.length} checkpoints, ${orgSites.length} sites`
	);
	await load(
		db,
		'private.load_sites',
		{ p_kind: 'health_facilities', p_source: OSM_SOURCE },
		hospitals,
		totals,
		'health_facilities',
		log
	);
	await load(
		db,
		'private.load_sites',
		{ p_kind: 'idp_camps', p_source: UNHCR_CAMPS_SOURCE },
		camps,
		totals,
		'idp_camps',
		log
	);
	await load(
		db,
		'private.load_sites',
		{ p_kind: 'checkpoints', p_source: SAMPLE_SOURCE },
		checkpoints.checkpoints,
		totals,
		'checkpoints',
		log
	);
	await load(
		db,
		'private.load_sites',
		{ p_kind: 'org_sites', p_source: SAMPLE_SOURCE },
		orgSites,
		totals,
		'org_sites',
		log
	);

	log(
		`seed: done in ${((Date.now() - t0) / 1000).toFixed(1)} s — ${totals['incidents.inserted'] ?? 0} incidents new, ` +
			`${totals['incidents.placed_nearest'] ?? 0} placed in the nearest area, ${totals['incidents.without_admin1'] ?? 0} without a governorate`
	);
	return totals;
}

export interface SeedStatus {
	areas: { total: number; by_level: Record<string, number> };
	actors: TableCounts;
	incidents: TableCounts;
	health_facilities: TableCounts;
	idp_camps: TableCounts;
	checkpoints: TableCounts;
	org_sites: TableCounts;
}
interface TableCounts {
	total: number;
	by_source: Record<string, number>;
}

export async function seedStatus(db: Adapter): Promise<SeedStatus> {
	return db.rpc<SeedStatus>('private.seed_status', {}, 'service');
}

/**
 * Whether the demo data is loaded: every part of it, so that a seed interrupted half-way counts
 * as not loaded (running seedDemo again completes it).
 */
export async function isSeeded(db: Adapter): Promise<boolean> {
	const s = await seedStatus(db);
	return (
		(s.areas.by_level['3'] ?? 0) > 0 &&
		(s.incidents.by_source[UCDP_SOURCE] ?? 0) > 0 &&
		(s.health_facilities.by_source[OSM_SOURCE] ?? 0) > 0 &&
		(s.idp_camps.by_source[UNHCR_CAMPS_SOURCE] ?? 0) > 0 &&
		(s.checkpoints.by_source[SAMPLE_SOURCE] ?? 0) > 0 &&
		(s.org_sites.by_source[SAMPLE_SOURCE] ?? 0) > 0
	);
}

/**
 * Loads n synthetic incidents (is_sample = true, upstream_source 'synthetic') around the places
 * where UCDP events happened (or, before the demo seed, inside each sub-district). Deterministic
 * for a seed; re-running with the same seed and n changes nothing. Answers the number of rows
 * sent (inserted or already there).
 */
export async function seedSynthetic(
	db: Adapter,
	n: number,
	opts: { log?: Log; seed?: number } = {}
): Promise<number> {
	const log = opts.log ?? (() => {});
	const seed = opts.seed ?? 1;
	if (!Number.isInteger(n) || n < 0)
		throw new Error(`the number of synthetic incidents must be a whole number ≥ 0 (got ${n})`);
	if (!Number.isInteger(seed)) throw new Error(`the seed must be an integer (got ${seed})`);
	if (n === 0) return 0;
	const t0 = Date.now();
	const anchors = prepareAnchors(await db.rpc<Anchor[]>('private.seed_anchors', {}, 'service'));
	const totals: Record<string, number> = {};
	await load(
		db,
		'private.load_actors',
		{ p_source: SYNTHETIC_SOURCE },
		SYNTHETIC_ACTORS as ActorRow[],
		totals,
		'actors',
		log
	);
	let done = 0;
	while (done < n) {
		const count = Math.min(BATCH_SIZE, n - done);
		const rows = syntheticIncidents(anchors, seed, done, count);
		const stats = await db.rpc<LoadStats>(
			'private.load_incidents',
			{ p_rows: JSON.stringify(rows), p_source: SYNTHETIC_SOURCE },
			'service'
		);
		sum(totals, 'incidents', stats);
		done += count;
		const s = (Date.now() - t0) / 1000;
		log(`synthetic: ${done}/${n} (${s.toFixed(1)} s, ${Math.round(done / s)}/s)`);
	}
	log(
		`synthetic: ${n} incidents in ${((Date.now() - t0) / 1000).toFixed(1)} s — ${totals['incidents.inserted'] ?? 0} new, ` +
			`${totals['incidents.placed_nearest'] ?? 0} placed in the nearest area, ${totals['incidents.outside'] ?? 0} outside every area`
	);
	return n;
}
