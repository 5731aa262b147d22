/**
 * Importing an actor registry (a stakeholder-mapping spreadsheet) into the seeded demo data:
 * duplicates by name, Arabic name or alias — of an actor already in Terrain or of an earlier row
 * of the file — are problems of their row, like bad cells; all or nothing unless valid-only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import * as imports from '../../src/routes/api/v1/imports/+server.ts';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';

const FILE = join(import.meta.dirname, '../fixtures/import/stakeholders.csv');

const GOOD = [
	'Dohuk Health Directorate',
	"Zakho Women's Association",
	'Sheikh Ahmed al-Jubouri',
	'Kurdistan Diaspora Doctors',
	'Norwegian Refugee Council'
];
const BAD = [
	'Daesh remnants',
	'Qayyarah Tribal Council',
	'Sinjar Resistance Units',
	"Smugglers' network"
];

describe.each(engineNames())('actor registry import on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const actorCount = async () =>
		(await e.db.queryOwner<{ n: number }>('select count(*)::int as n from public.actors'))[0].n;
	const named = (names: string[]) =>
		e.db.queryOwner<{
			name: string;
			name_ar: string | null;
			actor_type: string;
			aliases: string[];
			stance: string;
			influence: number | null;
			interest: number | null;
			lon: number | null;
			lat: number | null;
			notes: string;
			sources: string[];
		}>(
			`select name, name_ar, actor_type, aliases, stance, influence, interest, st_x(hq) as lon, st_y(hq) as lat, notes, sources
			   from public.actors where name = any($1) order by name`,
			[names]
		);

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it("the demo data has the actor the file duplicates by an alias, and none of the file's actors", async () => {
		const [is] = await e.db.queryOwner<{ aliases: string[] }>(
			`select aliases from public.actors where name = 'IS'`
		);
		expect(is.aliases).toContain('Daesh');
		expect(await named([...GOOD, ...BAD])).toEqual([]);
	});

	it('a dry run reports every problem with its row, column and reason, and writes nothing', async () => {
		const before = await actorCount();
		const r = await runImport({
			db: e.db,
			as: u.analyst,
			file: FILE,
			target: 'actors',
			dryRun: true,
			preview: 3
		});
		expect(r.fatal).toBeUndefined();
		expect(r).toMatchObject({ rows_read: 9, valid: 5, errors: 4, committed: false });
		expect(r.mapping).toMatchObject({
			name: 'Name',
			name_ar: 'Arabic name',
			actor_type: 'Type',
			aliases: 'Aliases',
			hq_lat: 'HQ latitude',
			hq_lon: 'HQ longitude'
		});
		expect(r.preview?.rows[0]).toMatchObject({
			name: 'Dohuk Health Directorate',
			actor_type: 'health_authority',
			aliases: ['DoH Dohuk', 'Dohuk DoH'],
			influence: 4
		});
		expect(await actorCount()).toBe(before);
	});

	it('all or nothing: a file with duplicates and bad cells imports nothing and names each problem', async () => {
		const before = await actorCount();
		const r = await runImport({ db: e.db, as: u.analyst, file: FILE, target: 'actors' });
		expect(r.committed).toBe(false);
		expect(r.inserted).toBe(0);
		const problems = r.problems.map((p) => ({ row: p.row, column: p.column, reason: p.reason }));
		expect(problems).toEqual([
			{ row: 4, column: 'Aliases', reason: "'Daesh' is already the actor 'IS' (alias)" },
			{
				row: 6,
				column: 'Arabic name',
				reason: "'الشيخ أحمد الجبوري' is already on row 5 ('Sheikh Ahmed al-Jubouri')"
			},
			{ row: 8, column: 'Influence', reason: 'influence: influence is 1–5 (got 7)' },
			{
				row: 9,
				column: 'Type',
				reason: expect.stringMatching(/^actor_type: "Criminal gang" is not one of state_forces, /)
			}
		]);
		expect(await actorCount()).toBe(before);
		expect(await named([...GOOD, ...BAD])).toEqual([]);
	});

	it('valid-only imports exactly the good rows, with their aliases, type, stance and headquarters', async () => {
		const before = await actorCount();
		const r = await runImport({
			db: e.db,
			as: u.analyst,
			file: FILE,
			target: 'actors',
			validOnly: true
		});
		expect(r).toMatchObject({ committed: true, inserted: 5, updated: 0, skipped: 4, errors: 4 });
		expect(r.problems.map((p) => p.row)).toEqual([4, 6, 8, 9]);
		expect(await actorCount()).toBe(before + 5);
		const rows = await named([...GOOD, ...BAD]);
		expect(rows.map((a) => a.name)).toEqual([...GOOD].sort());
		const byName = Object.fromEntries(rows.map((a) => [a.name, a]));
		expect(byName['Dohuk Health Directorate']).toMatchObject({
			name_ar: 'مديرية صحة دهوك',
			actor_type: 'health_authority',
			aliases: ['DoH Dohuk', 'Dohuk DoH'],
			stance: 'supportive',
			influence: 4,
			interest: 5,
			notes: 'Approves mobile clinic routes',
			sources: ['Field visit 2024-03']
		});
		expect(byName['Dohuk Health Directorate'].lon).toBeCloseTo(42.9503, 4);
		expect(byName['Dohuk Health Directorate'].lat).toBeCloseTo(36.8669, 4);
		expect(byName['Sheikh Ahmed al-Jubouri']).toMatchObject({
			actor_type: 'community_leader',
			aliases: ['Ahmed al-Jubouri'],
			stance: 'neutral',
			lon: null
		});
		expect(byName['Kurdistan Diaspora Doctors']).toMatchObject({
			actor_type: 'diaspora_association',
			aliases: ['KDD']
		});
		expect(byName['Norwegian Refugee Council']).toMatchObject({
			actor_type: 'ingo',
			aliases: ['NRC'],
			name_ar: 'المجلس النرويجي للاجئين'
		});
		// IS kept its profile: a duplicate changes nothing.
		const [is] = await e.db.queryOwner<{ notes: string }>(
			`select notes from public.actors where name = 'IS'`
		);
		expect(is.notes).not.toContain('Hamrin');

		// The same file again: every row is now a duplicate of an actor in Terrain.
		const again = await runImport({
			db: e.db,
			as: u.analyst,
			file: FILE,
			target: 'actors',
			validOnly: true
		});
		expect(again).toMatchObject({ committed: true, inserted: 0 });
		expect(again.problems.find((p) => p.row === 2)?.reason).toBe(
			"'Dohuk Health Directorate' is already the actor 'Dohuk Health Directorate' (name)"
		);
		expect(await actorCount()).toBe(before + 5);
	});

	it('POST /api/v1/imports?into=actors checks the file the same way, and refuses viewers', async () => {
		const post = async (as: CallerUser, path: string) => {
			const url = new URL(path, 'http://terrain.test');
			const request = new Request(url, {
				method: 'POST',
				headers: { 'content-type': 'text/csv' },
				body: readFileSync(FILE, 'utf8')
			});
			const event = {
				url,
				request,
				params: {},
				locals: { user: as, authVia: 'token', locale: 'en' },
				route: { id: null }
			} as unknown as RequestEvent;
			const r = await (imports.POST as (e: RequestEvent) => Promise<Response>)(event);
			return { status: r.status, body: await r.json() };
		};
		expect((await post(u.viewer, '/api/v1/imports?into=actors&dry_run=1')).status).toBe(403);
		const dry = await post(
			u.analyst,
			'/api/v1/imports?into=actors&dry_run=1&filename=stakeholders.csv'
		);
		expect(dry.status).toBe(200);
		expect(dry.body).toMatchObject({ target: 'actors', dry_run: true, rows_read: 9 });
		expect(dry.body.problems.find((p: { row: number }) => p.row === 4)).toMatchObject({
			column: 'Aliases',
			reason: "'Daesh' is already the actor 'IS' (alias)"
		});
	});

	it('a viewer (or a field user) cannot import actors', async () => {
		const before = await actorCount();
		await expect(
			runImport({ db: e.db, as: u.viewer, file: FILE, target: 'actors', validOnly: true })
		).rejects.toThrow(/only analysts and admins/);
		await expect(
			runImport({ db: e.db, as: u.field, file: FILE, target: 'actors', validOnly: true })
		).rejects.toThrow(/only analysts and admins/);
		expect(await actorCount()).toBe(before);
	});
});

describe.each(engineNames())('actor registry import merging duplicates on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it("adds a duplicate row's new spellings to the existing actor's aliases; a duplicate of an earlier row stays an error", async () => {
		const isBefore = (
			await e.db.queryOwner<{ aliases: string[] }>(
				`select aliases from public.actors where name = 'IS'`
			)
		)[0].aliases;
		const dry = await runImport({
			db: e.db,
			as: u.analyst,
			file: FILE,
			target: 'actors',
			dryRun: true,
			mergeDuplicates: true
		});
		expect(dry.problems.find((p) => p.row === 4)).toMatchObject({
			level: 'warning',
			reason:
				"'Daesh' is already the actor 'IS' (alias): the row's other names are added to its aliases"
		});
		expect(dry.problems.find((p) => p.row === 6)).toMatchObject({ level: 'error' });

		const r = await runImport({
			db: e.db,
			as: u.analyst,
			file: FILE,
			target: 'actors',
			validOnly: true,
			mergeDuplicates: true
		});
		expect(r).toMatchObject({ committed: true, inserted: 5, updated: 1, skipped: 3 });
		const [is] = await e.db.queryOwner<{ aliases: string[]; notes: string }>(
			`select aliases, notes from public.actors where name = 'IS'`
		);
		expect(is.aliases).toEqual([...isBefore, 'Daesh remnants']);
		expect(is.notes).not.toContain('Hamrin');
		expect(
			await e.db.queryOwner(
				`select 1 from public.actors where name in ('Daesh remnants', 'Qayyarah Tribal Council')`
			)
		).toEqual([]);
	});
});
