/**
 * The ground the contingency tests stand on: a base in a district (a level-2 area of the seeded
 * data), a field user assigned to that district and one assigned elsewhere (IQG99X, no such area),
 * and, when a test needs one ready, a plan for the base. Need-to-know is decided by that
 * assignment, so every test checks it with the same two people.
 *
 * Each test puts its base where its own data is alone (`at`), or on a district's own point; the
 * first district by P-code unless `lastArea` (a test that records area levels keeps off the others').
 */
import { expect } from 'vitest';
import type { Adapter, CallerUser } from '../../../src/lib/server/db/types.ts';
import * as plans from '../../../src/routes/api/v1/contingency/+server.ts';
import { makeUser } from './db.ts';
import { callRoute } from './route.ts';

export interface BaseFixture {
	base: { id: string; pcode: string };
	/** A field user assigned to the base's district. */
	inside: CallerUser;
	/** A field user assigned to a district that does not exist. */
	outside: CallerUser;
}

export async function baseWithFieldStaff(
	db: Adapter,
	o: { name: string; at?: { lon: number; lat: number }; lastArea?: boolean }
): Promise<BaseFixture> {
	const inside = await makeUser(db, 'field');
	const outside = await makeUser(db, 'field');
	const geom = o.at
		? `st_setsrid(st_makepoint(${Number(o.at.lon)}, ${Number(o.at.lat)}), 4326)`
		: 'st_pointonsurface(a.geom)';
	const [base] = await db.queryOwner<{ id: string; pcode: string }>(
		`insert into public.org_sites (name, site_type, admin1_pcode, admin2_pcode, geom)
		 select $1::text, 'base', a.parent_pcode, a.pcode, ${geom}
		 from public.areas a where a.level = 2 order by a.pcode ${o.lastArea ? 'desc' : ''} limit 1
		 returning id, admin2_pcode as pcode`,
		[o.name]
	);
	await db.execOwner(
		`update public.app_users set assigned_areas = '{${base.pcode}}' where id = '${inside.id}';
		 update public.app_users set assigned_areas = '{IQG99X}' where id = '${outside.id}'`
	);
	return { base, inside, outside };
}

/** Saves a plan for the base through the API, as an analyst would, and answers its id. */
export async function addPlan(
	analyst: CallerUser,
	baseId: string,
	plan: Record<string, unknown>
): Promise<string> {
	const saved = await callRoute(plans.POST, analyst, '/api/v1/contingency', {
		body: { base_site_id: baseId, ...plan }
	});
	expect(saved.status, saved.text).toBe(201);
	return saved.body.id;
}
