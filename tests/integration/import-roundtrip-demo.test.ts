/**
 * The demo data knows many UCDP events only to their district, governorate or the country (no
 * deeper admin area). Exporting them and importing the file back must change nothing: the import
 * keeps the depth the file states instead of placing each point down to a sub-district.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportIncidents } from '../../src/lib/server/export/index.ts';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';

const DEPTHS = `
  select count(*) filter (where admin1_pcode is null)::int as none,
         count(*) filter (where admin1_pcode is not null and admin2_pcode is null)::int as governorate,
         count(*) filter (where admin2_pcode is not null and admin3_pcode is null)::int as district,
         count(*) filter (where admin3_pcode is not null)::int as sub_district,
         md5(string_agg(concat_ws('|', id, admin1_pcode, admin2_pcode, admin3_pcode, st_astext(geom)), ',' order by id)) as digest
  from public.incidents`;

describe.each(engineNames())('demo data export → import on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const tmp = mkdtempSync(join(tmpdir(), 'terrain-demo-roundtrip-'));

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it('imports every demo incident back unchanged, keeping the area depth each one is known to', async () => {
		const [before] = await e.db.queryOwner<{
			none: number;
			governorate: number;
			district: number;
			sub_district: number;
			digest: string;
		}>(DEPTHS);
		// The demo data really has incidents known only to each depth (else this test proves nothing).
		expect(before.none).toBeGreaterThan(0);
		expect(before.governorate).toBeGreaterThan(0);
		expect(before.district).toBeGreaterThan(0);

		const parts: Buffer[] = [];
		for await (const c of exportIncidents({ db: e.db, as: u.analyst, format: 'csv' }))
			parts.push(Buffer.from(c));
		const file = join(tmp, 'demo.csv');
		writeFileSync(file, Buffer.concat(parts));

		const r = await runImport({ db: e.db, as: u.analyst, file, target: 'incidents' });
		expect(r).toMatchObject({
			preset: 'terrain',
			committed: true,
			inserted: 0,
			updated: 0,
			unchanged: 7473
		});
		const [after] = await e.db.queryOwner<typeof before>(DEPTHS);
		expect(after).toEqual(before);
	}, 300_000);
});
