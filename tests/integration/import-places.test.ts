/**
 * Imports of files from other sources, on PGlite and PostgreSQL, against the real COD-AB areas
 * (the seeded database): the gazetteer (every governorate and district under its common
 * spellings, level by level, ambiguity refused with candidates, admins extend it), dates as
 * people write them, value mappings, placement without silent loss of precision, re-import
 * counts (the dry run's numbers are the commit's; twice changes nothing), encodings detected by
 * chardet, and bad input refused fast with a clear message.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportOptions } from '../../src/lib/server/import/pipeline.ts';
import { gazetteer } from '../../src/lib/server/gazetteer/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const SEED = join(import.meta.dirname, '..', '..', 'supabase', 'seed');

type Area = { pcode: string; name_en: string; name_ar: string; parent: string };
function areas(level: 1 | 2): Area[] {
	const d = JSON.parse(
		readFileSync(join(SEED, `irq_admbnda_adm${level}_cso_20190603.geojson`), 'utf8')
	) as { features: { properties: Record<string, string> }[] };
	return d.features.map((f) => ({
		pcode: f.properties[`ADM${level}_PCODE`],
		name_en: f.properties[`ADM${level}_EN`],
		name_ar: f.properties[`ADM${level}_AR`].trim(),
		parent: f.properties.ADM1_PCODE
	}));
}

/** How people write a COD-AB name: without "Al-", another case, "-ah"/"-a", joined words, Arabic without "ال". */
function variants(a: Area): string[] {
	const bare = a.name_en.replace(/\bAl-/g, '').replace(/\s+/g, ' ').trim();
	const out = new Set([
		a.name_en,
		a.name_ar,
		bare,
		bare.toUpperCase(),
		`al ${bare.toLowerCase()}`,
		`El-${bare}`,
		bare.replace(/-/g, ' '),
		/a$/.test(bare) ? `${bare}h` : /ah$/.test(bare) ? bare.slice(0, -1) : bare,
		a.name_ar.replace(/(^|\s)ال/g, '$1'),
		a.name_ar.replace(/ة$/, 'ه')
	]);
	return [...out].filter(Boolean);
}

describe.each(engineNames())('imports of files from other sources on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const tmp = mkdtempSync(join(tmpdir(), 'terrain-places-'));
	const place = async (a1: string | null, a2: string | null, a3: string | null = null) =>
		(
			await sqlAs<{ pcode: string | null; problem: { level: string; reason: string } | null }>(
				e.db,
				u.analyst,
				`select pcode, problem from public.place_by_names($1, $2, $3)`,
				[a1, a2, a3]
			)
		)[0];
	const run = (file: string, o: Partial<ImportOptions> = {}) =>
		runImport({ db: e.db, as: u.analyst, file, target: 'incidents', ...o });
	const write = (name: string, content: string | Buffer) => {
		const p = join(tmp, name);
		writeFileSync(p, content);
		return p;
	};

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 300_000);
	afterAll(async () => e?.close());

	it('finds every governorate under its common spellings, in the governorate column only', async () => {
		const govs = areas(1);
		expect(govs).toHaveLength(18);
		const misses: string[] = [];
		for (const g of govs)
			for (const v of variants(g)) {
				const r = await place(v, null);
				if (r.pcode !== g.pcode) misses.push(`${v} → ${r.pcode ?? r.problem?.reason}`);
			}
		// Former names and spellings the keys cannot derive come from the seeded gazetteer.
		for (const [v, pcode] of [
			['Tameem', 'IQG13'],
			['التأميم', 'IQG13'],
			['Kirkuk', 'IQG13'],
			['Basra', 'IQG02'],
			['Dhi Qar', 'IQG17'],
			['Thi-Qar', 'IQG17'],
			['Nineveh', 'IQG15'],
			['Salahuddin', 'IQG16'],
			['Hawler', 'IQG11'],
			['Karbala', 'IQG12']
		])
			if ((await place(v, null)).pcode !== pcode) misses.push(`${v} ≠ ${pcode}`);
		expect(misses).toEqual([]);
	});

	it('finds every district under its common spellings, alone and within its governorate', async () => {
		const districts = areas(2);
		const govName = new Map(areas(1).map((g) => [g.pcode, g.name_en]));
		expect(districts).toHaveLength(101);
		const misses: string[] = [];
		for (const d of districts)
			for (const v of variants(d)) {
				const within = await place(govName.get(d.parent)!, v);
				if (within.pcode !== d.pcode)
					misses.push(`${d.parent}/${v} → ${within.pcode ?? within.problem?.reason}`);
			}
		for (const [v, pcode] of [
			['Nassriya', 'IQG17Q04'],
			['Nasiriyah', 'IQG17Q04'],
			['Al-Hawiga', 'IQG13Q01'],
			['Hawija', 'IQG13Q01'],
			['Falluja', 'IQG01Q01'],
			['Fallujah', 'IQG01Q01'],
			['Ramadi', 'IQG01Q03'],
			['Baiji', 'IQG16Q03'],
			['Tal Afar', 'IQG15Q08'],
			['Tuz Khurmatu', 'IQG16Q07'],
			['Kirkuk', 'IQG13Q04']
		])
			if ((await place(null, v)).pcode !== pcode) misses.push(`${v} ≠ ${pcode}`);
		expect(misses).toEqual([]);
	});

	it('refuses an ambiguous name with the candidates, and lets admins add a name (with its source)', async () => {
		// "Madina" is al-Midaina (Basrah) or al-Mada'in (Baghdad): said so, not guessed.
		const r = await place(null, 'Madina');
		expect(r.pcode).toBeNull();
		expect(r.problem).toMatchObject({ level: 'error' });
		expect(r.problem!.reason).toMatch(/ambiguous/);
		expect(r.problem!.reason).toContain('IQG02Q04');
		expect(r.problem!.reason).toContain('IQG08Q04');
		// Within a governorate it is one.
		expect((await place('Basrah', 'Madina')).pcode).toBe('IQG02Q04');

		expect((await place('Hewlêr Province', null)).pcode).toBeNull();
		await expect(
			gazetteer.add(e.db, u.analyst, { pcode: 'IQG11', name: 'Hewlêr Province', source: 'test' })
		).rejects.toMatchObject({ httpStatus: 403 });
		const added = await gazetteer.add(e.db, u.admin, {
			pcode: 'IQG11',
			name: 'Hewlêr Province',
			kind: 'variant',
			source: 'partner file, December 2026'
		});
		expect(added).toMatchObject({
			pcode: 'IQG11',
			kind: 'variant',
			source: 'partner file, December 2026'
		});
		expect((await place('Hewler province', null)).pcode).toBe('IQG11');
		expect(await gazetteer.lookup(e.db, u.viewer, 'kirkuk')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ pcode: 'IQG13', level: 1 }),
				expect.objectContaining({ pcode: 'IQG13Q04', level: 2 })
			])
		);
	});

	it('imports a file with everyday dates, spellings and a value mapping; the dry run counts what the commit does; twice changes nothing', async () => {
		const file = join(FIXTURES, 'casualties_places.csv');
		const values = {
			event_type: {
				gunfire: 'violence_against_civilians/Attack',
				'air strike': 'explosions_remote_violence/Air/drone strike'
			}
		};
		const map = { admin1: 'Governorate', admin2: 'District', event_type: 'Weapon' };
		// Without a source: the dry run suggests one; the commit refuses to guess.
		const unnamed = await run(file, { dryRun: true, map, values });
		expect(unnamed.source_needed).toBe(true);
		expect(unnamed.mapping.upstream_id).toBe('Location ID');
		expect((await run(file, { map, values })).fatal?.message).toMatch(/name the source/);

		const dry = await run(file, { dryRun: true, map, values, source: 'casualty-list' });
		expect(dry).toMatchObject({ rows_read: 7, errors: 0, inserted: 7, updated: 0, unchanged: 0 });
		expect(dry.placement).toMatchObject({ point: 0, admin2: 4, admin1: 3 });
		const done = await run(file, { map, values, source: 'casualty-list' });
		expect(done).toMatchObject({
			committed: true,
			inserted: 7,
			updated: 0,
			unchanged: 0,
			skipped: 0
		});
		expect(done.placement).toEqual(dry.placement);

		const rows = await sqlAs<Record<string, unknown>>(
			e.db,
			u.admin,
			`select upstream_id, event_date::text, event_type, sub_event_type, admin1_pcode, admin2_pcode, geo_precision
			   from public.incidents where upstream_source = 'casualty-list' order by upstream_id`
		);
		expect(rows).toEqual([
			{
				upstream_id: 'C-001',
				event_date: '2003-03-20',
				event_type: 'explosions_remote_violence',
				sub_event_type: 'Remote explosive/landmine/IED',
				admin1_pcode: 'IQG02',
				admin2_pcode: null,
				geo_precision: 3
			},
			{
				upstream_id: 'C-002',
				event_date: '2003-03-21',
				event_type: 'violence_against_civilians',
				sub_event_type: 'Attack',
				admin1_pcode: 'IQG17',
				admin2_pcode: 'IQG17Q04',
				geo_precision: 3
			},
			{
				upstream_id: 'C-003',
				event_date: '2003-03-22',
				event_type: 'explosions_remote_violence',
				sub_event_type: 'Air/drone strike',
				admin1_pcode: 'IQG13',
				admin2_pcode: 'IQG13Q01',
				geo_precision: 3
			},
			{
				upstream_id: 'C-004',
				event_date: '2003-03-23',
				event_type: 'explosions_remote_violence',
				sub_event_type: 'Remote explosive/landmine/IED',
				admin1_pcode: 'IQG13',
				admin2_pcode: null,
				geo_precision: 3
			},
			{
				upstream_id: 'C-005',
				event_date: '2003-03-24',
				event_type: 'violence_against_civilians',
				sub_event_type: 'Attack',
				admin1_pcode: 'IQG01',
				admin2_pcode: 'IQG01Q01',
				geo_precision: 3
			},
			{
				upstream_id: 'C-006',
				event_date: '2003-03-25',
				event_type: 'explosions_remote_violence',
				sub_event_type: 'Remote explosive/landmine/IED',
				admin1_pcode: 'IQG01',
				admin2_pcode: 'IQG01Q03',
				geo_precision: 3
			},
			{
				upstream_id: 'C-007',
				event_date: '2003-03-26',
				event_type: 'explosions_remote_violence',
				sub_event_type: 'Air/drone strike',
				admin1_pcode: 'IQG04',
				admin2_pcode: null,
				geo_precision: 3
			}
		]);

		// The value mapping is remembered: the next file with a "Weapon" column needs none.
		const again = await run(file, { dryRun: true, map, source: 'casualty-list' });
		expect(again).toMatchObject({ errors: 0, inserted: 0, updated: 0, unchanged: 7 });
		expect(again.problems.map((p) => p.reason).join('\n')).toMatch(/imported before/);
		expect(await run(file, { map, source: 'casualty-list' })).toMatchObject({
			committed: true,
			inserted: 0,
			updated: 0,
			unchanged: 7
		});

		// Next month's list: one row changed, one new.
		const next = write(
			'casualties-2003-04.csv',
			readFileSync(file, 'utf8').replace(
				'C-007,26-Mar-03,Najaf,,air strike,0,',
				'C-007,26-Mar-03,Najaf,,air strike,5,'
			) + 'C-008,02-Apr-03,Babil,Al-Hilla,IED,1,\n'
		);
		expect(await run(next, { dryRun: true, map, source: 'casualty-list' })).toMatchObject({
			inserted: 1,
			updated: 1,
			unchanged: 6
		});
		expect(await run(next, { map, source: 'casualty-list' })).toMatchObject({
			committed: true,
			inserted: 1,
			updated: 1,
			unchanged: 6
		});
		// Under another source name the same ids are pointed out.
		const other = await run(next, { dryRun: true, map, source: 'someone-else' });
		expect(other.problems.map((p) => p.reason).join('\n')).toMatch(
			/8 of the file's ids are already in Terrain under the source "casualty-list"/
		);
	});

	it('asks for the day/month order when the file does not show it; reads it when it does', async () => {
		const ambiguous = write(
			'ambiguous.csv',
			'id,date,type,governorate\nA1,03/04/2005,battles,Basra\nA2,05/06/2005,battles,Basra\n'
		);
		const asked = await run(ambiguous, { dryRun: true, source: 'amb' });
		expect(asked.fatal).toMatchObject({ code: 'date_order', row: 2, column: 'date' });
		expect(asked.fatal!.message).toMatch(/3 April 2005 or March 4, 2005/);
		const mdy = await run(ambiguous, { dryRun: true, source: 'amb', dateOrder: 'mdy', preview: 2 });
		expect(mdy.preview!.rows.map((r) => r.event_date)).toEqual(['2005-03-04', '2005-05-06']);
		const shown = write(
			'shown.csv',
			'id,date,type,governorate\nA1,3/4/2005,battles,Basra\nA2,3/20/2005,battles,Basra\n'
		);
		const read = await run(shown, { dryRun: true, source: 'amb', preview: 2 });
		expect(read.date_order).toEqual({ order: 'mdy', from: 'file' });
		expect(read.preview!.rows.map((r) => r.event_date)).toEqual(['2005-03-04', '2005-03-20']);
		const forms = write(
			'forms.csv',
			'id,date,type,governorate\nF1,20.03.2003,battles,Basra\nF2,37700,battles,Basra\nF3,2003-03-20,battles,Basra\nF4,20-Mar-2003,battles,Basra\n'
		);
		const f = await run(forms, { dryRun: true, source: 'forms', preview: 4 });
		expect(f.preview!.rows.map((r) => r.event_date)).toEqual([
			'2003-03-20',
			'2003-03-20',
			'2003-03-20',
			'2003-03-20'
		]);
	});

	it('never loses precision silently: a district not found is a warning, a point outside the area named too', async () => {
		const p = write(
			'precision.csv',
			'id,date,type,governorate,district,lat,lon\nP1,2020-01-02,battles,Basra,Atlantis,,\nP2,2020-01-02,battles,Basra,,36.34,43.13\nP3,2020-01-02,battles,Ninewa,,36.34,43.13\n'
		);
		const r = await run(p, { dryRun: true, source: 'precision' });
		expect(r.errors).toBe(0);
		const byRow = Object.fromEntries(r.problems.map((x) => [x.row, x]));
		expect(byRow[2]).toMatchObject({ level: 'warning', column: 'district' });
		expect(byRow[2].reason).toMatch(/"Atlantis" was not found.*placed in Al-Basrah \(IQG02\)/);
		expect(byRow[3]).toMatchObject({ level: 'warning' });
		expect(byRow[3].reason).toMatch(/lies in Ninewa \(IQG15\), not in Al-Basrah \(IQG02\)/);
		expect(byRow[4]).toBeUndefined();
		expect(r.placement).toMatchObject({ point: 2, admin1: 1 });
	});

	it('reads Windows-1252 and Windows-1256 by a real detector, and the encoding can be chosen', async () => {
		const latin = write(
			'latin.csv',
			Buffer.from(
				'id,date,type,governorate,notes\nL1,2020-01-02,battles,Basra,Señor García visited the café\nL2,2020-01-03,battles,Basra,Peña\n',
				'latin1'
			)
		);
		const r = await run(latin, { dryRun: true, source: 'latin', preview: 2 });
		expect(r.encoding).toBe('windows-1252');
		expect(r.preview!.rows[0].notes).toBe('Señor García visited the café');
		const arabic = await run(join(FIXTURES, 'arabic_windows1256.csv'), {
			dryRun: true,
			source: 'ar'
		});
		expect(arabic.encoding).toBe('windows-1256');
		const forced = await run(latin, {
			dryRun: true,
			source: 'latin',
			preview: 1,
			encoding: 'windows-1256'
		});
		expect(forced.encoding).toBe('windows-1256');
		expect(forced.preview!.rows[0].notes).not.toBe('Señor García visited the café');
	});

	it('refuses bad input fast and clearly, echoing nothing of the file', async () => {
		const deep = write('deep.geojson', '['.repeat(200_000) + ']'.repeat(200_000));
		const d = await run(deep, { dryRun: true, source: 'deep' });
		expect(d.fatal).toMatchObject({ code: 'bad_input' });
		expect(d.fatal!.message).toMatch(/nested more than 64 levels/);

		const nul = write(
			'nul.csv',
			'id,date,type,governorate\nN1,2020-01-02,battles,Basra\nN2,2020-01-02,batt\u0000les,Basra\n'
		);
		const n = await run(nul, { dryRun: true, source: 'nul' });
		expect(n.problems).toContainEqual(
			expect.objectContaining({ row: 3, column: 'type', level: 'error' })
		);
		expect(n.problems.find((p) => p.row === 3)!.reason).toMatch(/NUL character/);

		const blob = write('blob.csv', Buffer.alloc(50 * 1024 * 1024, 'x'));
		const t0 = Date.now();
		const b = await run(blob, { dryRun: true, source: 'blob' });
		expect(Date.now() - t0).toBeLessThan(20_000); // generous: a shared machine; today it is well under a second
		expect(b.fatal).toMatchObject({ code: 'bad_input' });
		expect(b.fatal!.message).toMatch(/no line break/);
		expect(JSON.stringify(b).length).toBeLessThan(5000);
	});

	it('promises the numbers that happen: "the N valid rows" are what valid-only imports', async () => {
		const mixed = write(
			'mixed.csv',
			'id,date,type,governorate\nM1,2020-01-02,battles,Basra\nM2,not a date,battles,Basra\nM3,2020-01-02,battles,Atlantis\nM4,2020-01-03,battles,Najaf\n'
		);
		const refused = await run(mixed, { source: 'mixed' });
		expect(refused.committed).toBe(false);
		// M3's place is only found wanting in SQL: it is not counted as valid.
		expect(refused.valid).toBe(2);
		const partial = await run(mixed, { source: 'mixed', validOnly: true });
		expect(partial).toMatchObject({ committed: true, inserted: 2, skipped: 2 });
	});
});
