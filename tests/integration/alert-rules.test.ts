/**
 * Alert rules on every engine: a rule (categories × seriousness/fatalities × radius around our
 * sites, a movement's route, or areas) fires in the database when incidents are written; an import
 * (several statements, one transaction) raises one grouped alert; an incident fires a rule once;
 * and a rule sees only what its owner may read (the incidents' RLS, mirrored by
 * private.incident_readable_by, which is compared here with RLS itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as rules from '../../src/routes/api/v1/alerts/rules/+server.ts';
import * as oneRule from '../../src/routes/api/v1/alerts/rules/[id]/+server.ts';
import * as alertsApi from '../../src/routes/api/v1/alerts/+server.ts';
import * as moves from '../../src/routes/api/v1/movements/+server.ts';
import * as step from '../../src/routes/api/v1/movements/[id]/transition/+server.ts';

interface Spot {
	km: number;
	az?: number;
	serious?: boolean;
	ngo?: boolean;
	fatalities?: number;
	days_ago?: number;
	type?: string;
	status?: string;
	conf?: string;
	by?: string | null;
}

describe.each(engineNames())('alert rules on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let site: { id: string; name: string; lon: number; lat: number };

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		[site] = await e.db.queryOwner(
			`select id, name, st_x(geom) as lon, st_y(geom) as lat from public.org_sites
			 where status = 'open' and site_type = 'base' order by name limit 1`
		);
	});
	afterAll(async () => {
		await e?.close();
	});

	/** Incidents at a distance and bearing from the site, written in one statement. */
	const insertSql = (spots: Spot[]) =>
		`insert into public.incidents (event_date, event_type, geom, serious, affects_ngos, fatalities,
		                               status, confidentiality, reported_by, notes)
		 select current_date - coalesce((x ->> 'days_ago')::int, 0), coalesce(x ->> 'type', 'battles'),
		        st_project(st_setsrid(st_makepoint(${site.lon}, ${site.lat}), 4326)::geography,
		                   (x ->> 'km')::float8 * 1000, radians(coalesce((x ->> 'az')::float8, 90)))::geometry,
		        coalesce((x ->> 'serious')::boolean, false), coalesce((x ->> 'ngo')::boolean, false),
		        (x ->> 'fatalities')::int, coalesce(x ->> 'status', 'verified'), coalesce(x ->> 'conf', 'internal'),
		        nullif(x ->> 'by', '')::uuid, 'alert-rule test ' || o
		 from jsonb_array_elements('${JSON.stringify(spots)}'::jsonb) with ordinality t(x, o)`;
	const insert = async (spots: Spot[]) => {
		const rows = await e.db.queryOwner<{ id: string }>(insertSql(spots) + ' returning id');
		return rows.map((r) => r.id);
	};
	const ruleAlerts = (ruleId: string) =>
		e.db.queryOwner<{
			id: string;
			incident_ids: string[];
			severity: string;
			movement_id: string | null;
		}>(
			`select id, incident_ids, severity, movement_id from public.alerts where rule_id = $1 order by created_at`,
			[ruleId]
		);
	const newRule = async (as: CallerUser, body: Record<string, unknown>) => {
		const r = await callRoute(rules.POST, as, '/api/v1/alerts/rules', { body });
		expect(r.status, r.text).toBe(201);
		return r.body as { id: string };
	};

	it('refuses a bad rule with a message naming the field', async () => {
		const bad = async (body: Record<string, unknown>, field: string) => {
			const r = await callRoute(rules.POST, u.field, '/api/v1/alerts/rules', { body });
			expect(r.status, JSON.stringify(body)).toBe(400);
			expect(r.body.parameter ?? r.text, JSON.stringify(body)).toContain(field);
		};
		await bad({ target: 'sites' }, 'name');
		await bad({ name: 'x', target: 'roads' }, 'target');
		await bad({ name: 'x', target: 'sites', radius_km: 0 }, 'radius_km');
		await bad({ name: 'x', target: 'sites', event_types: ['picnics'] }, 'event_types');
		await bad({ name: 'x', target: 'areas' }, 'pcodes');
		await bad({ name: 'x', target: 'areas', pcodes: ['NOPE99'] }, 'pcodes');
		await bad({ name: 'x', target: 'sites', colour: 'red' }, 'colour');
		expect((await callRoute(rules.GET, u.field, '/x')).body).toEqual([]);
	});

	it('fires once per statement on what matches, counted independently with ST_DWithin', async () => {
		const rule = await newRule(u.analyst, {
			name: 'Serious near the base',
			target: 'sites',
			site_ids: [site.id],
			radius_km: 10,
			seriousness: 'ngo',
			max_age_days: 7
		});
		const ids = await insert([
			{ km: 2, serious: true }, // fires
			{ km: 9.5, ngo: true, az: 200 }, // fires (affects NGOs, inside 10 km)
			{ km: 3 }, // not serious
			{ km: 10.6, serious: true }, // outside the radius
			{ km: 2, serious: true, days_ago: 30 } // too old
		]);
		const fired = await ruleAlerts(rule.id);
		expect(fired).toHaveLength(1);
		expect([...fired[0].incident_ids].sort()).toEqual([ids[0], ids[1]].sort());
		expect(fired[0].severity).toBe('critical');
		// the same question asked of PostGIS directly
		const indep = await e.db.queryOwner<{ id: string }>(
			`select i.id from public.incidents i, public.org_sites s
			 where s.id = $1 and i.id = any ($2::uuid[]) and (i.serious or i.affects_ngos or i.affects_us)
			   and i.event_date >= current_date - 7
			   and st_dwithin(i.geom::geography, s.geom::geography, 10000)`,
			[site.id, ids]
		);
		expect(indep.map((r) => r.id).sort()).toEqual([...fired[0].incident_ids].sort());

		// the owner sees it, with the incidents; nobody else does
		const mine = (await callRoute(alertsApi.GET, u.analyst, '/x')).body as {
			id: string;
			incidents: { id: string }[];
			incident_count: number;
		}[];
		const a = mine.find((x) => x.id === fired[0].id);
		expect(a?.incident_count).toBe(2);
		expect(a?.incidents.map((i) => i.id).sort()).toEqual([ids[0], ids[1]].sort());
		const theirs = (await callRoute(alertsApi.GET, u.admin, '/x')).body as { id: string }[];
		expect(theirs.map((x) => x.id)).not.toContain(fired[0].id);

		// an edit of an incident that already fired raises nothing new
		await e.db.queryOwner(
			`update public.incidents set notes = 'edited' where id = any ($1::uuid[])`,
			[ids]
		);
		expect(await ruleAlerts(rule.id)).toHaveLength(1);
		// disabled: nothing
		const off = await callRoute(oneRule.PATCH, u.analyst, '/x', {
			params: { id: rule.id },
			body: { enabled: false }
		});
		expect(off.status, off.text).toBe(200);
		expect(off.body.radius_km).toBe(10);
		await insert([{ km: 1, serious: true }]);
		expect(await ruleAlerts(rule.id)).toHaveLength(1);
		// someone else cannot change or delete it
		const steal = await callRoute(oneRule.PATCH, u.field, '/x', {
			params: { id: rule.id },
			body: { enabled: true }
		});
		expect(steal.status).toBe(404);
		expect(
			(await callRoute(oneRule.DELETE, u.admin, '/x', { params: { id: rule.id } })).status
		).toBe(404);
		expect(
			(await callRoute(oneRule.DELETE, u.analyst, '/x', { params: { id: rule.id } })).status
		).toBe(200);
	});

	it('groups an import (many statements, one transaction) into one alert', async () => {
		const rule = await newRule(u.analyst, {
			name: 'Everything by the base',
			target: 'sites',
			site_ids: [site.id],
			radius_km: 5,
			event_types: ['explosions_remote_violence']
		});
		const batch = (n: number) =>
			Array.from({ length: n }, (_, k) => ({
				km: 1 + k * 0.1,
				type: 'explosions_remote_violence'
			}));
		await e.db.execOwner(
			`${insertSql(batch(3))}; ${insertSql(batch(4))}; ${insertSql([{ km: 1 }])};`
		);
		const fired = await ruleAlerts(rule.id);
		expect(fired).toHaveLength(1);
		expect(fired[0].incident_ids).toHaveLength(7);
		expect(fired[0].severity).toBe('warning');
		await insert(batch(2));
		expect((await ruleAlerts(rule.id)).map((a) => a.incident_ids.length)).toEqual([7, 2]);
	});

	it("sees with its owner's eyes: a viewer's rule waits for verification and never sees restricted", async () => {
		const rule = await newRule(u.viewer, {
			name: 'Viewer watch',
			target: 'sites',
			site_ids: [site.id],
			radius_km: 5,
			seriousness: 'serious'
		});
		const [reported, restricted] = await insert([
			{ km: 1, serious: true, status: 'reported', by: u.field.id },
			{ km: 1, serious: true, conf: 'restricted' }
		]);
		expect(await ruleAlerts(rule.id)).toHaveLength(0);
		await e.db.queryOwner(`update public.incidents set status = 'verified' where id = $1`, [
			reported
		]);
		const fired = await ruleAlerts(rule.id);
		expect(fired).toHaveLength(1);
		expect(fired[0].incident_ids).toEqual([reported]);
		expect(fired[0].incident_ids).not.toContain(restricted);
	});

	it('mirrors the incidents policies exactly for every role (private.incident_readable_by)', async () => {
		const ids = await insert([
			{ km: 30, status: 'reported' },
			{ km: 30, status: 'reported', by: u.field.id },
			{ km: 30, status: 'verified' },
			{ km: 30, status: 'verified', conf: 'restricted' },
			{ km: 30, status: 'verified', conf: 'public' },
			{ km: 30, status: 'rejected', by: u.field.id },
			{ km: 30, status: 'archived' }
		]);
		for (const role of ['admin', 'analyst', 'field', 'viewer'] as AppRole[]) {
			const seen = (
				await sqlAs<{ id: string }>(
					e.db,
					u[role],
					`select id from public.incidents where id = any ($1::uuid[])`,
					[ids]
				)
			).map((r) => r.id);
			const predicted = (
				await e.db.queryOwner<{ id: string }>(
					`select i.id from public.incidents i
					 where i.id = any ($1::uuid[])
					   and private.incident_readable_by($2, $3::uuid, i.status, i.confidentiality, i.reported_by)`,
					[ids, role, u[role].id]
				)
			).map((r) => r.id);
			expect(predicted.sort(), role).toEqual(seen.sort());
		}
	});

	it("fires on an approved movement's route, and only for those who may read the movement", async () => {
		const route = {
			type: 'LineString',
			coordinates: [
				[site.lon + 0.5, site.lat + 0.5],
				[site.lon + 0.8, site.lat + 0.5]
			]
		};
		const m = (
			await callRoute(moves.POST, u.field, '/x', {
				body: {
					purpose: 'Rule route visit',
					departure_at: new Date(Date.now() + 3600e3).toISOString(),
					return_at: new Date(Date.now() + 7200e3).toISOString(),
					route
				}
			})
		).body;
		const go = (as: CallerUser, to: string) =>
			callRoute(step.POST, as, '/x', { params: { id: m.id }, body: { to } });
		expect((await go(u.field, 'submitted')).status).toBe(200);
		const ok = await go(u.analyst, 'approved');
		if (ok.status !== 200) return expect.fail(ok.text); // a seeded level-3 area would need calls
		const other = await makeUser(e.db, 'field');
		const mineRule = await newRule(u.field, {
			name: 'My route',
			target: 'movements',
			radius_km: 3
		});
		const otherRule = await newRule(other, {
			name: 'Not my route',
			target: 'movements',
			radius_km: 3
		});
		const [near] = await e.db.queryOwner<{ id: string }>(
			`insert into public.incidents (event_date, event_type, geom, status)
			 values (current_date, 'riots', st_setsrid(st_makepoint($1, $2), 4326), 'verified') returning id`,
			[site.lon + 0.65, site.lat + 0.51]
		);
		const fired = await ruleAlerts(mineRule.id);
		expect(fired).toHaveLength(1);
		expect(fired[0].movement_id).toBe(m.id);
		expect(fired[0].incident_ids).toEqual([near.id]);
		expect(await ruleAlerts(otherRule.id)).toHaveLength(0);
	});
});
