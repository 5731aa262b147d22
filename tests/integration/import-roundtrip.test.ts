/**
 * Export → import: every export format brought into an empty Terrain gives the same incidents;
 * exports contain only what the exporting user may see, and each export is in the audit log.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	exportIncidents,
	exportSites,
	type ExportFormat
} from '../../src/lib/server/export/index.ts';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import type { Adapter, AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

const AREAS = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG98', 1, 'Testland', 'أرض الاختبار', null, st_multi(st_makeenvelope(42, 35.5, 44.5, 37, 4326))),
  ('IQD9801', 2, 'West District', null, 'IQG98', st_multi(st_makeenvelope(42, 35.5, 43.5, 37, 4326))),
  ('IQD9802', 2, 'East District', null, 'IQG98', st_multi(st_makeenvelope(43.5, 35.5, 44.5, 37, 4326)));
`;

// What an incident is, independent of where it lives (ids and timestamps differ between databases).
const SNAPSHOT = `
  select coalesce(i.upstream_source, 'terrain') as k_source, coalesce(i.upstream_id, i.id::text) as k_id,
         i.event_date::text, to_char(i.event_time, 'HH24:MI') as event_time, i.time_precision, i.event_type,
         i.sub_event_type, a1.name as actor1, a2.name as actor2, round(st_x(i.geom)::numeric, 6)::text as lon,
         round(st_y(i.geom)::numeric, 6)::text as lat, i.geo_precision, i.location_name, i.admin1_pcode,
         i.admin2_pcode, i.admin3_pcode, i.fatalities, i.injuries, i.abductions, i.affects_us, i.affects_ngos,
         i.serious, i.ops_impact, i.source, i.source_scale, i.source_reliability, i.info_credibility,
         i.confidentiality, i.status, i.notes
  from public.incidents i
  left join public.actors a1 on a1.id = i.actor1_id left join public.actors a2 on a2.id = i.actor2_id
  order by 1, 2`;

async function drain(chunks: AsyncIterable<string | Uint8Array>, file: string): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const c of chunks)
		parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c));
	const buf = Buffer.concat(parts);
	writeFileSync(file, buf);
	return buf;
}

describe.each(engineNames())('export and re-import on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const tmp = mkdtempSync(join(tmpdir(), 'terrain-export-test-'));
	const report = (as: CallerUser, p: Record<string, unknown>) =>
		e.db.rpc<{ incident: { id: string } }>('incident_create', { p }, as);

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(AREAS);
		u = await makeRoles(e.db);
		// Published data, and our own reports with everything a report can hold.
		const acled = await runImport({
			db: e.db,
			as: u.analyst,
			file: join(import.meta.dirname, '..', 'fixtures', 'import', 'acled_iraq.csv'),
			target: 'incidents'
		});
		expect(acled.inserted).toBe(4);
		await report(u.analyst, {
			event_date: '2024-05-01',
			event_time: '14:30',
			event_type: 'violence_against_civilians',
			sub_event_type: 'Abduction/forced disappearance',
			lon: 43.2,
			lat: 36.4,
			location_name: 'Bartella, "checkpoint 7"',
			actor1: 'Unknown gunmen',
			actor2: 'Aid workers',
			fatalities: 0,
			injuries: 1,
			abductions: 2,
			affects_us: true,
			affects_ngos: true,
			serious: true,
			ops_impact: 'high',
			source: 'Driver, by phone',
			source_reliability: 'B',
			info_credibility: 2,
			confidentiality: 'restricted',
			status: 'verified',
			notes: 'Two staff taken at an informal checkpoint;\nreleased next day. =SUM(A1) اختطاف موظفين'
		});
		await report(u.analyst, {
			event_date: '2024-05-02',
			event_type: 'protests',
			lon: 43.6,
			lat: 36.2,
			confidentiality: 'public',
			status: 'verified',
			notes: 'Sit-in, peaceful'
		});
		await report(u.field, {
			event_date: '2024-05-03',
			event_type: 'riots',
			lon: 43.1,
			lat: 36.1,
			notes: 'Field report, not verified yet'
		});
	});
	afterAll(async () => e?.close());

	const snapshot = (db: Adapter) => sqlAs<Record<string, unknown>>(db, u.admin, SNAPSHOT);

	it.each(['csv', 'geojson', 'kml', 'xlsx'] as ExportFormat[])(
		'gives the same incidents back from %s in an empty database',
		async (format) => {
			const file = join(tmp, `all.${format}`);
			await drain(exportIncidents({ db: e.db, as: u.admin, format, pageSize: 3 }), file);
			const fresh = await openEngine(engineName, 'migrated');
			try {
				await fresh.db.execOwner(AREAS);
				// The same user ids, so the snapshot reads as admin there too.
				for (const role of ['admin', 'analyst'] as const) {
					await fresh.db.execOwner(
						`insert into public.app_users (id, email, role) values ('${u[role].id}', '${u[role].email}', '${role}')`
					);
				}
				const r = await runImport({ db: fresh.db, as: u.analyst, file, target: 'incidents' });
				expect(r, JSON.stringify(r.problems.slice(0, 3)) + (r.fatal?.message ?? '')).toMatchObject({
					preset: 'terrain',
					committed: true,
					inserted: 7,
					errors: 0
				});
				expect(await sqlAs(fresh.db, u.admin, SNAPSHOT)).toEqual(await snapshot(e.db));
			} finally {
				await fresh.close();
			}
		}
	);

	it('changes nothing when an export is imported back into the database it came from', async () => {
		const file = join(tmp, 'again.csv');
		await drain(exportIncidents({ db: e.db, as: u.admin, format: 'csv' }), file);
		const before = await snapshot(e.db);
		const r = await runImport({ db: e.db, as: u.analyst, file, target: 'incidents' });
		expect(r).toMatchObject({ committed: true, inserted: 0, updated: 0, unchanged: 7 });
		expect(await snapshot(e.db)).toEqual(before);
	});

	it('exports only what the user may see, and records each export in the audit log', async () => {
		const count = async (as: CallerUser) => {
			const buf = await drain(
				exportIncidents({ db: e.db, as, format: 'geojson' }),
				join(tmp, `${as.role}.geojson`)
			);
			return (
				JSON.parse(buf.toString('utf8')) as {
					features: { properties: { status: string; confidentiality: string } }[];
				}
			).features;
		};
		expect((await count(u.analyst)).length).toBe(7);
		const viewer = await count(u.viewer);
		// ACLED's 4 (verified, public) and the public protest; not the restricted one, not the field report.
		expect(viewer.length).toBe(5);
		expect(
			viewer.every(
				(f) => f.properties.status === 'verified' && f.properties.confidentiality !== 'restricted'
			)
		).toBe(true);
		expect((await count(u.field)).length).toBe(6);
		const notes = await sqlAs<{ actor_id: string; detail: { format: string; rows: number } }>(
			e.db,
			u.admin,
			`select actor_id, detail from public.audit_log where action = 'export' and actor_id = $1`,
			[u.viewer.id]
		);
		expect(notes).toEqual([{ actor_id: u.viewer.id, detail: { format: 'geojson', rows: 5 } }]);
	});

	it('filters an export like the map, writes an HXL row, and styles KML by type', async () => {
		const csv = (
			await drain(
				exportIncidents({
					db: e.db,
					as: u.analyst,
					format: 'csv',
					filters: { types: ['protests'] }
				}),
				join(tmp, 'p.csv')
			)
		).toString('utf8');
		const lines = csv.split('\r\n');
		expect(lines[0]).toMatch(/^\uFEFFid,upstream_source,upstream_id,event_date/);
		expect(lines[1]).toMatch(/^#event\+code\+terrain,#meta\+dataset,#event\+id,#date\+occurred/);
		expect(lines.filter((l) => l.includes(',protests,')).length).toBe(2);
		expect(lines.length).toBe(5); // header, HXL, 2 rows, final empty
		const found = (
			await drain(
				exportIncidents({ db: e.db, as: u.analyst, format: 'csv', q: 'checkpoint' }),
				join(tmp, 'q.csv')
			)
		).toString('utf8');
		expect(found.split('\r\n').length).toBe(4);
		expect(found).toContain(
			'"Two staff taken at an informal checkpoint;\nreleased next day. =SUM(A1) اختطاف موظفين"'
		);
		const kml = (
			await drain(exportIncidents({ db: e.db, as: u.analyst, format: 'kml' }), join(tmp, 'all.kml'))
		).toString('utf8');
		expect(kml).toContain('<Style id="battles"><IconStyle><color>ff005ed5</color>');
		expect(kml).toContain('<styleUrl>#violence_against_civilians</styleUrl>');
		await runImport({
			db: e.db,
			as: u.analyst,
			file: join(import.meta.dirname, '..', 'fixtures', 'import', 'camps.xlsx'),
			target: 'idp_camps',
			validOnly: true
		});
		const sites = (
			await drain(
				exportSites({ db: e.db, as: u.viewer, format: 'csv', kind: 'idp_camps' }),
				join(tmp, 'camps.csv')
			)
		).toString('utf8');
		expect(sites.split('\r\n').filter(Boolean).length).toBe(5); // header, HXL, 3 camps
		expect(sites).toContain('ديبكة');
	});
});
