/**
 * The map's whole view (20261220200000_map_whole_view): when the box holds every incident the
 * caller may see, incidents_map answers from the year and month rollups (20261222100000) and the
 * date index; the answer is the scan's, for every role, filter and point limit. The scan is reached with a status filter
 * naming every status, which changes no row but is a further filter the rollup does not know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import {
	engineNames,
	makeRoles,
	openEngine,
	sqlAs,
	type Engine
} from '../../tests/integration/helpers/db.ts';

const ALL_STATUSES = ['reported', 'verified', 'rejected', 'archived'];
const WHOLE = { p_west: 30, p_south: 20, p_east: 60, p_north: 45 };

describe.each(engineNames())('the map whole view on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	const holds = async (as: CallerUser, box: Record<string, number>) =>
		(
			await sqlAs<{ h: boolean }>(
				e.db,
				as,
				'select public.incident_view_holds_all($1, $2, $3, $4) as h',
				[box.p_west, box.p_south, box.p_east, box.p_north]
			)
		)[0].h;

	it('knows a box that holds every incident from one that does not', async () => {
		const [ext] = await e.db.queryOwner<{ w: number; s: number; e: number; n: number }>(
			'select min(lon) as w, min(lat) as s, max(lon) as e, max(lat) as n from public.incidents'
		);
		for (const role of ['analyst', 'viewer'] as const) {
			expect(await holds(u[role], WHOLE)).toBe(true);
			// a box just inside the incidents' own extent on one side leaves some out
			for (const cut of [
				{ ...WHOLE, p_west: ext.w + 0.01 },
				{ ...WHOLE, p_east: ext.e - 0.01 },
				{ ...WHOLE, p_south: ext.s + 0.01 },
				{ ...WHOLE, p_north: ext.n - 0.01 }
			])
				expect({ role, cut, h: await holds(u[role], cut) }).toEqual({ role, cut, h: false });
		}
	});

	it('answers the whole view as the scan does, for every role and filter', async () => {
		const filters: Record<string, unknown>[] = [
			{},
			{ p_from: '2014-01-01', p_to: '2017-12-31', p_types: ['battles', 'riots'] },
			{ p_area: ['IQG15'] },
			{ p_from: '2016-03-01', p_to: '2016-08-31', p_area: ['IQD1502'] },
			// whole years from the year rollup and the months around them from the month rollup
			{ p_from: '2014-03-01', p_to: '2017-10-31' },
			{ p_to: '2016-06-30', p_types: ['battles'] },
			// odd ends (20261225100000): whole years and months, and the ends' days
			{ p_from: '2014-03-17', p_to: '2016-11-05' },
			{ p_from: '2016-03-05', p_to: '2016-04-10', p_types: ['battles'] },
			{ p_from: '2016-12-05', p_to: '2017-01-20' },
			{ p_from: '2015-06-10', p_area: ['IQG15'] },
			{ p_to: '2016-06-17' }
		];
		let points = 0;
		for (const role of ['admin', 'analyst', 'viewer'] as const) {
			for (const f of filters) {
				for (const limit of [50, 20000]) {
					const args = { ...WHOLE, ...f, p_limit: limit };
					const [whole, scan] = await Promise.all([
						e.db.rpc<{ total: number; points: unknown[] }>('incidents_map', args, u[role]),
						e.db.rpc<unknown>('incidents_map', { ...args, p_status: ALL_STATUSES }, u[role])
					]);
					expect({ role, args, whole }).toEqual({ role, args, whole: scan });
					points += whole.points.length;
				}
			}
		}
		expect(points).toBeGreaterThan(1000);
	});
});
