/**
 * The sediment of the migrations, kept visible: every SQL function defined more than once across
 * supabase/migrations/ (name and migration versions). Its live body is the one in
 * supabase/schemas/, where each function is defined exactly once.
 *
 * A new migration that redefines a function must be added to KNOWN below on purpose (and the
 * function's body in supabase/schemas/ updated; the drift test checks that).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** The migrations, by version, that define each function that has more than one definition. */
// (20261203120000_audit_chain also re-creates, from the catalogue in a DO block, the 11 security
// invoker functions that called public.audit_note, with public.audit_record instead: not
// `create function` text, so not counted here; their bodies in supabase/schemas/ say audit_record.)
const KNOWN: Record<string, string[]> = {
	// a filter geometry keeps the name of the overlay feature it came from (issue 13 item 4)
	'public.filter_geometry_save': ['20261204060000', '20261216100000'],
	'public.filter_geometry_get': ['20261204060000', '20261216100000'],
	'public.filter_geometry_from_overlay': ['20261208300000', '20261216100000'],
	// point-in-polygon on pieces of the area outlines (area_pieces), issue 16
	'public.area_at': ['20261122000300', '20261213100000'],
	'private.import_place_set': ['20261211100000', '20261213100000'],
	// new actors of an import: the name's key once, no per-row subqueries for empty arrays
	'private.actors_before_write': ['20261122002000', '20261213100100'],
	// one check of a client's GeoJSON geometry (public.geojson_geometry), issue 15
	'public.no_go_zone_geometry': ['20261210200100', '20261211400000'],
	'public.proximity_geometry': ['20261122003002', '20261211400000'],
	// alert rules that listen to level changes and checkpoint status changes
	'private.alert_rules_evaluate': ['20261204080000', '20261210200000'],
	'public.alert_rule_save': ['20261204080000', '20261210200000'],
	// checkpoint rules fire for a checkpoint created closed or restricted too
	'private.alert_rules_on_checkpoint': ['20261210200000', '20261211300100'],
	'public.risk_save': ['20261204050100', '20261206200000'],
	// contingency triggers: one per kind and parameters, the base's staff alerted, facts in the body
	'private.contingency_triggers_evaluate': ['20261208400000', '20261209100000'],
	'public.contingency_trigger_add': ['20261208400000', '20261209100000'],
	// the nearest-site finder also measures along the plans' drawn routes, then for every site
	'public.contingency_nearest_sites': ['20261206400000', '20261211300000', '20261212200000'],
	'public.assessment_profile': ['20261204040000', '20261207100000', '20261209300000'],
	'public.incidents_proximity': [
		'20261122003002',
		'20261122003006',
		'20261122004200',
		'20261203140100',
		'20261204010100',
		'20261218100000',
		'20261219100000'
	],
	'public.incidents_map': [
		'20261122000400',
		'20261122006100',
		'20261203140100',
		'20261205010000',
		'20261205010100',
		'20261209300000',
		'20261220200000',
		'20261221100000',
		'20261222100000',
		'20261225300000',
		'20261226300000',
		'20261228100000'
	],
	'public.incidents_geojson': [
		'20261122000400',
		'20261122006100',
		'20261203140100',
		'20261204010100',
		'20261205010000',
		'20261209300000',
		'20261230100000'
	],
	'public.incidents_filtered': [
		'20261122000400',
		'20261122004100',
		'20261203140100',
		'20261209300000'
	],
	'public.incidents_density': [
		'20261122000400',
		'20261122006100',
		'20261203140100',
		'20261205010000',
		'20261209300000',
		'20261224100000',
		'20261225200000',
		'20261228100000',
		'20261229100000',
		'20261230100000',
		'20261231100000'
	],
	'private.audit_row': ['20261122000100', '20261203120000', '20261205060000'],
	'private.seed_begin': ['20261122000600', '20261203120000'],
	'private.seed_end': ['20261122000600', '20261203120000'],
	'public.import_commit_sites': ['20261122001001', '20261203100200'],
	'public.incident_create': ['20261122001000', '20261203100100'],
	'public.app_setting_set': ['20261203100000', '20261205050000', '20261206200100'],
	'public.app_settings_get': ['20261203100000', '20261206200100'],
	'public.incident_update': ['20261122001000', '20261203100100'],
	'public.sites_geojson': ['20261122000500', '20261203100000'],
	'public.area_by_names': ['20261122001001', '20261203110000'],
	'private.movements_overdue_sweep': ['20261203170100', '20261203171000'],
	'public.movement_settings_update': ['20261203170000', '20261203171000', '20261205040000'],
	'public.movement_transition': ['20261203170100', '20261205040000'],
	'private.alert_deliveries_claim': ['20261204080000', '20261205040000'],
	'public.alert_json': ['20261203171000', '20261204080000'],
	'private.session_user': ['20261122000200', '20261122000700'],
	'public.user_set_role': ['20261122000100', '20261203135000'],
	'public.user_disable': ['20261122000200', '20261203135000'],
	'public.user_add': ['20261122000200', '20261203135000'],
	'public.tokens_mine': ['20261122000200', '20261203135000'],
	'public.token_revoke': ['20261122000200', '20261203135000'],
	'public.token_create': ['20261122000200', '20261203135000'],
	'private.token_user': ['20261122000200', '20261203135000', '20261216200000'],
	'private.token_create_for': ['20261122000200', '20261203135000'],
	'private.session_revoke': ['20261122000200', '20261203135000'],
	'private.session_create': ['20261122000200', '20261203135000'],
	'private.password_change': ['20261122000700', '20261203135000'],
	'private.account_disable': ['20261122000200', '20261203135000'],
	// + expires_at and last seen/used, for the embedded engine's session cache (issue 16)
	'private.session_user': ['20261122000200', '20261122000700', '20261203135000', '20261216200000'],
	'public.area_baseline': ['20261122003001', '20261122003007', '20261209300000'],
	'public.audit_log_search': ['20261122002003', '20261203120100'],
	'public.baseline_classify': ['20261122003001', '20261122003006'],
	'public.baseline_row': ['20261122003001', '20261122003006', '20261122003007'],
	'public.baseline_table': ['20261122003001', '20261122003007'],
	'public.companion_card': ['20261122002002', '20261122002004', '20261203100200'],
	'public.contact_get': ['20261122002002', '20261122002005'],
	'public.contact_save': ['20261122002002', '20261204020000'],
	'public.contacts_export': ['20261122002002', '20261122002005'],
	'public.contacts_list': ['20261122002002', '20261122002005'],
	'public.contacts_nearby': ['20261122002002', '20261122002005'],
	'public.import_check': ['20261122001001', '20261122006000'],
	'public.import_commit': [
		'20261122001001',
		'20261122001003',
		'20261122006000',
		'20261205060000',
		'20261206300000',
		'20261211100000'
	],
	'public.import_commit_actors': ['20261122006000', '20261205060000'],
	'public.import_commit_incidents': [
		'20261122001001',
		'20261122001004',
		'20261122005500',
		'20261204090000',
		'20261206300000'
	],
	'public.import_place': ['20261122001001', '20261211100000'],
	'public.import_place_row': ['20261122001001', '20261122001005', '20261203110000'],
	'public.incident_actor': ['20261122001000', '20261122005500'],
	'public.incident_get': [
		'20261122000400',
		'20261203120100',
		'20261203140100',
		'20261204010100',
		'20261230100000'
	],
	'public.incident_history': ['20261122001000', '20261203120100', '20261230100000'],
	'public.actor_get': ['20261122002001', '20261204010100'],
	'public.incident_duplicates': ['20261122001000', '20261203140100', '20261204010100'],
	'public.incident_duplicates_near': ['20261122001000', '20261203140100', '20261204010100'],
	'public.incidents_export': [
		'20261122001002',
		'20261203140100',
		'20261204010100',
		'20261204090100',
		'20261205010000',
		'20261209300000'
	],
	'public.incidents_highlight': ['20261122005100', '20261203140100', '20261209300000'],
	'public.incidents_list': [
		'20261122001000',
		'20261203140100',
		'20261204010100',
		'20261204090100',
		'20261205010000',
		'20261209300000'
	],
	'public.incident_counts_in_place': ['20261204060000', '20261205010000', '20261209300000'],
	'public.incident_counts': [
		'20261122000400',
		'20261203150100',
		'20261209300000',
		'20261220100000',
		'20261222100000',
		'20261225100000'
	],
	'public.incident_stats': [
		'20261122003000',
		'20261122003006',
		'20261203150200',
		'20261209300000',
		'20261220100000',
		'20261223100000',
		'20261225100000',
		'20261226200000',
		'20261231700000'
	],
	'public.incidents_by_area': [
		'20261122003000',
		'20261203150200',
		'20261207200000',
		'20261209300000',
		'20261220100000',
		'20261222100000',
		'20261225100000'
	],
	'public.incidents_time_pattern': [
		'20261122003000',
		'20261122003006',
		'20261209300000',
		'20261221200000',
		'20261231400000'
	],
	'public.incidents_top_actors': [
		'20261122003000',
		'20261122003006',
		'20261209300000',
		'20261221200000',
		'20261231500000'
	],
	'public.briefing_pack': ['20261205030000', '20261209300000'],
	'public.incident_rollup_usable': ['20261203150100', '20261209300000'],
	'public.incident_tile_json': ['20261203150000', '20261209300000'],
	'public.incident_tile_mvt': ['20261203150000', '20261209300000'],
	'public.incident_tile_rows': [
		'20261203150000',
		'20261209300000',
		'20261211200000',
		'20261217100000',
		'20261219200000',
		'20261228100000',
		'20261230100000',
		'20261231100000',
		'20261231300000'
	],
	// the cell rollup's z10 level (aggregated z9–z10 tiles) and no 'day' rows, issue 16
	'private.incident_periods': ['20261211200000', '20261217100000'],
	'private.incident_cell_rollup_apply': ['20261211200000', '20261217100000'],
	'public.incident_tile_cells': [
		'20261211200000',
		'20261217100000',
		'20261219200000',
		'20261224100000',
		'20261225200000',
		'20261226400000',
		'20261228100000',
		'20261229300000'
	],
	// the z12 level (aggregated z11–z12 tiles), issue 16
	'public.incident_cells': ['20261217100000', '20261219200000', '20261229100000'],
	'private.incident_cell_levels': ['20261217100000', '20261219200000'],
	'public.incidents_date_range': ['20261122003000', '20261221200000'],
	'public.incidents_calendar': [
		'20261122003000',
		'20261209300000',
		'20261221200000',
		'20261222100000'
	],
	// dated city views on the z8 cells (p_dated), issue 16
	'public.incident_view_cells': ['20261221100000', '20261225300000'],
	'public.incidents_refined': ['20261205010000', '20261209300000'],
	// the month rollup kept in the same pass (20261220100000)
	// an area's first and last day from (area, day) indexes
	'public.incident_rollup_edge_day': ['20261220100000', '20261231800000'],
	'private.incident_rollup_apply': [
		'20261203150100',
		'20261220100000',
		'20261221200000',
		'20261222100000',
		'20261223100000',
		'20261231400000',
		'20261231500000',
		'20261231700000'
	],
	'private.incident_rollup_clear': [
		'20261203150100',
		'20261220100000',
		'20261221200000',
		'20261222100000',
		'20261223100000',
		'20261231400000',
		'20261231500000'
	],
	'public.incidents_sources': [
		'20261122003005',
		'20261209300000',
		'20261220100000',
		'20261222100000',
		'20261226100000'
	],
	// the extent from an index per edge (20261222200000)
	'public.incident_view_holds_all': ['20261220200000', '20261222200000'],
	'public.risk_suggest': ['20261204050100', '20261209300000'],
	'public.sitrep': ['20261204050000', '20261209300000']
};

// A definition starts a line; bodies that build SQL with format() never do.
const DEFINITION =
	/^create\s+(?:or\s+replace\s+)?function\s+([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)\s*\(/gim;

/** Function name → the files (in order) that define it. */
function definitions(dir: string, label: (file: string) => string): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const file of readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()) {
		for (const m of readFileSync(join(dir, file), 'utf8').matchAll(DEFINITION)) {
			const name = m[1].toLowerCase();
			found.set(name, [...(found.get(name) ?? []), label(file)]);
		}
	}
	return found;
}

const DROP = /^drop\s+function\s+(?:if\s+exists\s+)?([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)\s*\(/gim;

/** Functions the migrations leave in the database: defined, and not dropped after their last definition. */
function live(dir: string): string[] {
	const last = new Map<string, 'defined' | 'dropped'>();
	for (const file of readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()) {
		const sql = readFileSync(join(dir, file), 'utf8');
		const events = [
			...[...sql.matchAll(DEFINITION)].map((m) => [m.index, m[1], 'defined'] as const),
			...[...sql.matchAll(DROP)].map((m) => [m.index, m[1], 'dropped'] as const)
		].sort((a, b) => a[0] - b[0]);
		for (const [, name, what] of events) last.set(name.toLowerCase(), what);
	}
	return [...last].filter(([, what]) => what === 'defined').map(([name]) => name);
}

const migrations = definitions(join(ROOT, 'migrations'), (f) => f.slice(0, 14));
const schemas = definitions(join(ROOT, 'schemas'), (f) => f);

describe('SQL functions defined more than once across the migrations', () => {
	const redefined = Object.fromEntries(
		[...migrations].filter(([, files]) => files.length > 1).sort(([a], [b]) => a.localeCompare(b))
	);

	it('are exactly the known ones (a new redefinition is added to KNOWN on purpose)', () => {
		console.info(
			`${Object.keys(redefined).length} functions redefined across supabase/migrations/ ` +
				`(live bodies in supabase/schemas/):\n` +
				Object.entries(redefined)
					.map(([name, files]) => `  ${name.padEnd(32)} ${files.join(', ')}`)
					.join('\n')
		);
		const added = Object.keys(redefined).filter(
			(n) => JSON.stringify(redefined[n]) !== JSON.stringify(KNOWN[n])
		);
		expect(
			added,
			`new or changed redefinitions (add them to KNOWN in supabase/tests/redefinitions.unit.test.ts on purpose, and update the body in supabase/schemas/): ${added.map((n) => `${n} in ${redefined[n].join(', ')}`).join('; ')}`
		).toEqual([]);
		expect(redefined).toEqual(KNOWN);
	});
});

describe('supabase/schemas/', () => {
	it('defines every function exactly once, the ones the migrations define and no others', () => {
		const twice = [...schemas].filter(([, files]) => files.length > 1);
		expect(twice, 'defined more than once in supabase/schemas/').toEqual([]);
		expect([...schemas.keys()].sort()).toEqual(live(join(ROOT, 'migrations')).sort());
	});
});
