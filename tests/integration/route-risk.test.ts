/**
 * POST /api/v1/movements/risk on every engine: the corridor counts are checked against a plain
 * ST_DWithin on geography written here independently (as the table owner, on the rows the caller
 * may see), the areas against ST_Intersects, and each recommendation rule fires with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as risk from '../../src/routes/api/v1/movements/risk/+server.ts';
import * as settings from '../../src/routes/api/v1/movements/settings/+server.ts';

// Dohuk → Sinjar along the main road through Faysh Khabur's side, Zummar and Rabia: a real-shaped
// 170 km line with bends, so the corridor is not one box.
const DOHUK_SINJAR = {
	type: 'LineString',
	coordinates: [
		[43.0, 36.867],
		[42.85, 36.82],
		[42.67, 36.72],
		[42.45, 36.63],
		[42.25, 36.57],
		[42.1, 36.45],
		[41.87, 36.32]
	]
};
const PERIOD = { from: '2014-01-01', to: '2017-12-31' };

describe.each(engineNames())('route risk on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const post = (as: CallerUser, body: unknown) =>
		callRoute(risk.POST, as, '/api/v1/movements/risk', { body });

	/** The same question, asked by hand: ST_DWithin on geography over the rows `where` allows. */
	async function independent(km: number, where: string) {
		const rows = await e.db.queryOwner<{ event_type: string; n: number }>(
			`select event_type, count(*)::int as n from public.incidents
			 where event_date between $1 and $2 and (${where})
			   and st_dwithin(geom::geography, st_setsrid(st_geomfromgeojson($3), 4326)::geography, $4)
			 group by event_type`,
			[PERIOD.from, PERIOD.to, JSON.stringify(DOHUK_SINJAR), km * 1000]
		);
		return Object.fromEntries(rows.map((r) => [r.event_type, r.n]));
	}

	it('counts the incidents in the corridor exactly as ST_DWithin does, by type, for each role', async () => {
		for (const [who, where] of [
			[u.analyst, 'true'],
			[u.viewer, "status = 'verified' and confidentiality <> 'restricted'"]
		] as const) {
			for (const km of [1, 5, 20]) {
				const r = await post(who, { route: DOHUK_SINJAR, corridor_km: km, ...PERIOD });
				expect(r.status, r.text).toBe(200);
				const expected = await independent(km, where);
				const total = Object.values(expected).reduce((a, b) => a + b, 0);
				expect(r.body.incidents.total, `${who.role} ${km} km`).toBe(total);
				expect(r.body.incidents.by_type).toEqual(expected);
				expect(r.body.from).toBe(PERIOD.from);
				expect(r.body.to).toBe(PERIOD.to);
				const p = r.body.incidents.by_precision;
				expect(p.exact + p.near + p.area).toBe(total);
			}
		}
		const wide = await independent(20, 'true');
		expect(Object.values(wide).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
	});

	it('lists the areas the route crosses (ST_Intersects) and the checkpoints in the corridor', async () => {
		const r = await post(u.analyst, { route: DOHUK_SINJAR, corridor_km: 5, ...PERIOD });
		const areas = await e.db.queryOwner<{ pcode: string }>(
			`select pcode from public.areas where level between 1 and 3
			   and st_intersects(geom, st_setsrid(st_geomfromgeojson($1), 4326)) order by pcode`,
			[JSON.stringify(DOHUK_SINJAR)]
		);
		expect(r.body.areas.map((a: { pcode: string }) => a.pcode).sort()).toEqual(
			areas.map((a) => a.pcode)
		);
		expect(areas.length).toBeGreaterThan(3);
		for (const a of r.body.areas) expect(a).toHaveProperty('level');
		const cps = await e.db.queryOwner<{ id: string }>(
			`select id from public.checkpoints
			 where st_dwithin(geom::geography, st_setsrid(st_geomfromgeojson($1), 4326)::geography, 5000) order by id`,
			[JSON.stringify(DOHUK_SINJAR)]
		);
		expect(r.body.checkpoints.map((c: { id: string }) => c.id).sort()).toEqual(
			cps.map((c) => c.id)
		);
	});

	it('counts each stop within its own radius', async () => {
		const sinjar = [41.87, 36.32];
		const r = await post(u.analyst, {
			route: DOHUK_SINJAR,
			stops: [{ type: 'Point', coordinates: sinjar, name: 'Sinjar' }],
			stop_km: 10,
			...PERIOD
		});
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.incidents where event_date between $1 and $2
			   and st_dwithin(geom::geography, st_setsrid(st_point($3, $4), 4326)::geography, 10000)`,
			[PERIOD.from, PERIOD.to, sinjar[0], sinjar[1]]
		);
		expect(r.status, r.text).toBe(200);
		expect(r.body.stops).toHaveLength(1);
		expect(r.body.stops[0].name).toBe('Sinjar');
		expect(r.body.stops[0].total).toBe(n);
	});

	it('recommends from explicit rules, each with its reason', async () => {
		// A quiet route far from every incident: go.
		const quiet = {
			type: 'LineString',
			coordinates: [
				[47.9, 29.2],
				[47.95, 29.25]
			]
		};
		const go = await post(u.analyst, { route: quiet, ...PERIOD });
		expect(go.status, go.text).toBe(200);
		expect(go.body.incidents.total).toBe(0);
		expect(go.body.recommendation).toBe('go');
		expect(go.body.reasons).toEqual([]);

		// Busy corridor: at least conditions, and the reason names the count.
		const busy = await post(u.analyst, { route: DOHUK_SINJAR, corridor_km: 20, ...PERIOD });
		expect(['conditions', 'no_go']).toContain(busy.body.recommendation);
		expect(busy.body.reasons.map((x: { rule: string }) => x.rule)).toContain(
			busy.body.incidents.total >= 100 ? 'incidents_no_go' : 'incidents_conditions'
		);

		// A level 5 on a crossed district forbids the movement; the reason names the area.
		const district = busy.body.areas.find((a: { admin_level: number }) => a.admin_level === 2);
		await e.db.execOwner(
			`insert into public.area_security_levels (pcode, level, note, effective_date, recorded_by)
			 values ('${district.pcode}', 5, 'test', current_date - 1, '${u.analyst.id}')`
		);
		const nogo = await post(u.analyst, { route: DOHUK_SINJAR, ...PERIOD });
		expect(nogo.body.recommendation).toBe('no_go');
		expect(nogo.body.highest_level).toBe(5);
		const reason = nogo.body.reasons.find((x: { rule: string }) => x.rule === 'area_level_no_go');
		expect(reason.message).toContain(district.name_en);

		// A drawn no-go zone on the quiet route.
		await e.db.execOwner(
			`insert into public.no_go_zones (name, geom) values ('Test zone',
			   st_multi(st_makeenvelope(47.92, 29.21, 47.93, 29.24, 4326)))`
		);
		const zone = await post(u.analyst, { route: quiet, ...PERIOD });
		expect(zone.body.recommendation).toBe('no_go');
		expect(zone.body.no_go_zones.map((z: { name: string }) => z.name)).toEqual(['Test zone']);
	});

	it('takes its thresholds from settings that only admins change, with merge semantics', async () => {
		const before = (await callRoute(settings.GET, u.viewer, '/x')).body;
		const refused = await callRoute(settings.PATCH, u.analyst, '/x', {
			method: 'PATCH',
			body: { corridor_km: 7 }
		});
		expect(refused.status).toBe(403);
		const ok = await callRoute(settings.PATCH, u.admin, '/x', {
			method: 'PATCH',
			body: { conditions_incidents: 3 }
		});
		expect(ok.status, ok.text).toBe(200);
		expect(ok.body.conditions_incidents).toBe(3);
		expect(ok.body.corridor_km).toBe(before.corridor_km);
		const bad = await callRoute(settings.PATCH, u.admin, '/x', {
			method: 'PATCH',
			body: { conditions_level: 9 }
		});
		expect(bad.status).toBe(400);
	});

	it('refuses what is not a line, with the field named', async () => {
		const polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[43, 36],
					[43.1, 36],
					[43.1, 36.1],
					[43, 36]
				]
			]
		};
		for (const [body, field] of [
			[{ route: polygon }, 'route'],
			[{ route: { type: 'LineString', coordinates: [[43, 36]] } }, 'route'],
			[{ route: DOHUK_SINJAR, corridor_km: 0 }, 'corridor_km'],
			[{ route: DOHUK_SINJAR, from: '2017-01-01', to: '2016-01-01' }, 'to'],
			[{ route: DOHUK_SINJAR, from: '2017-02-30' }, 'from']
		] as const) {
			const r = await post(u.analyst, body);
			expect(r.status, JSON.stringify(body)).toBe(400);
			expect(String(r.body.parameter)).toMatch(new RegExp(`^${field}`));
		}
		const anon = await callRoute(risk.POST, null, '/x', { body: { route: DOHUK_SINJAR } });
		expect(anon.status).toBe(401);
	});
});
