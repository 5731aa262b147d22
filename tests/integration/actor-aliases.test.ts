/**
 * An incident that names an actor by an alias or another spelling ("Daesh", "ISIL", "داعش") is
 * linked to the registered actor ("IS" in the demo data), through the import and the report form,
 * instead of creating a duplicate actor that splits the actor's incidents.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';

const CSV = [
	'id,event_date,event_type,actor1,actor2,lat,lon,fatalities,source',
	'alias-1,2019-02-01,battles,Government of Iraq,Daesh,36.34,43.13,2,Test tracker',
	'alias-2,2019-02-02,battles,ISIL,government of iraq,36.35,43.12,0,Test tracker',
	'alias-3,2019-02-03,battles,داعش,Sons of the Valley,36.36,43.11,1,Test tracker',
	'alias-4,2019-02-04,battles,Sons of the Valley,SONS OF THE VALLEY,36.37,43.10,0,Test tracker'
].join('\n');

describe.each(engineNames())('actors named by alias on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const actors = () =>
		e.db.queryOwner<{ id: string; name: string }>(`select id, name from public.actors`);
	const linked = () =>
		e.db.queryOwner<{ upstream_id: string; a1: string | null; a2: string | null }>(
			`select i.upstream_id, a1.name as a1, a2.name as a2 from public.incidents i
			 left join public.actors a1 on a1.id = i.actor1_id left join public.actors a2 on a2.id = i.actor2_id
			 where i.upstream_id like 'alias-%' order by i.upstream_id`
		);

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it('links imported incidents to the registered actor, and adds a new name only once', async () => {
		const before = await actors();
		expect(before.some((a) => a.name === 'IS')).toBe(true);
		const file = join(mkdtempSync(join(tmpdir(), 'terrain-alias-')), 'tracker.csv');
		writeFileSync(file, CSV);
		const r = await runImport({
			db: e.db,
			as: u.analyst,
			file,
			target: 'incidents',
			source: 'alias-test'
		});
		expect(r).toMatchObject({ committed: true, inserted: 4 });
		expect(await linked()).toEqual([
			{ upstream_id: 'alias-1', a1: 'Government of Iraq', a2: 'IS' },
			{ upstream_id: 'alias-2', a1: 'IS', a2: 'Government of Iraq' },
			{ upstream_id: 'alias-3', a1: 'IS', a2: 'Sons of the Valley' },
			{ upstream_id: 'alias-4', a1: 'Sons of the Valley', a2: 'Sons of the Valley' }
		]);
		const added = (await actors())
			.filter((a) => !before.some((b) => b.id === a.id))
			.map((a) => a.name);
		expect(added).toEqual(['Sons of the Valley']);
	});

	it('links a reported incident to the registered actor when the reporter types an alias', async () => {
		const r = await e.db.rpc<{ incident: { actor1_id: string; actor2_id: string } }>(
			'incident_create',
			{
				p: {
					event_date: '2019-03-01',
					event_type: 'battles',
					lon: 43.13,
					lat: 36.34,
					actor1: 'ISIL',
					actor2: 'daesh'
				}
			},
			u.field
		);
		const [is] = (await actors()).filter((a) => a.name === 'IS');
		expect(r.incident.actor1_id).toBe(is.id);
		expect(r.incident.actor2_id).toBe(is.id);
		expect((await actors()).filter((a) => /^(isil|daesh)$/i.test(a.name))).toEqual([]);
	});
});
