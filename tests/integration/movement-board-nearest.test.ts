/**
 * Issue 11 on PGlite and PostgreSQL: the live movements board's server-sent events (a state change
 * made by one user reaches the analyst's open stream through LISTEN/NOTIFY, with the board row and
 * never the route, stops or team; a field user outside the movement's areas hears nothing; a viewer
 * gets 403) and the nearest safe-site finder (distances equal to PostGIS's own ST_Distance on
 * geography computed here independently, nearest first; need-to-know: field staff only the plans
 * of their bases, viewers 403; bad input refused with the parameter named).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { liveHub } from '../../src/lib/server/live/index.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import { baseWithFieldStaff } from './helpers/contingency.ts';
import * as list from '../../src/routes/api/v1/movements/+server.ts';
import * as step from '../../src/routes/api/v1/movements/[id]/transition/+server.ts';
import * as board from '../../src/routes/api/v1/movements/stream/+server.ts';
import * as plans from '../../src/routes/api/v1/contingency/+server.ts';
import * as nearest from '../../src/routes/api/v1/contingency/nearest/+server.ts';

const plan = {
	purpose: 'Board test visit',
	departure_at: '2030-01-01T06:00:00Z',
	return_at: '2030-01-01T16:00:00Z',
	// far from every seeded area: no safe-access call is needed to approve it
	route: {
		type: 'LineString',
		coordinates: [
			[10, 10],
			[10.1, 10.1]
		]
	},
	team: [{ name: 'Driver Hassan', role: 'driver', phone: '+9647501234567' }]
};

const waitFor = async (cond: () => boolean, ms = 8000) => {
	const t0 = Date.now();
	while (!cond() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
	return cond();
};

/** An open SSE stream as a list of its events, read in the background until closed. */
function events(res: Response, abort: AbortController) {
	const got: { event: string; data: Record<string, unknown> }[] = [];
	const state = { connected: false };
	let raw = '';
	const reader = res.body!.getReader();
	const dec = new TextDecoder();
	void (async () => {
		for (;;) {
			const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
			if (done) return;
			raw += dec.decode(value);
			let i: number;
			while ((i = raw.indexOf('\n\n')) >= 0) {
				const block = raw.slice(0, i);
				raw = raw.slice(i + 2);
				if (block.includes(': connected')) state.connected = true;
				const ev = /^event: (.*)$/m.exec(block)?.[1];
				const data = /^data: (.*)$/m.exec(block)?.[1];
				// `ready` is the stream's own handshake (sent once LISTEN is in place), not news.
				if (ev === 'ready') state.connected = true;
				else if (ev && data) got.push({ event: ev, data: JSON.parse(data) });
			}
		}
	})();
	return { got, state, close: () => abort.abort() };
}

describe.each(engineNames())('live movements board and nearest safe site on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let stranger: CallerUser;
	let inBase: CallerUser;
	let base: { id: string; pcode: string };

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		// the hub listens on the database of its first subscriber: start afresh on this engine
		await liveHub().close();
		u = await makeRoles(e.db);
		({
			base,
			inside: inBase,
			outside: stranger
		} = await baseWithFieldStaff(e.db, { name: 'Nearest test base' }));
	});
	afterAll(async () => {
		await liveHub().close();
		await e?.close();
	});

	it('delivers each state change live to those who may read the movement, and no route', async () => {
		// streams are opened through the handler with an abortable request (callRoute reads the
		// whole body, which never ends for a stream)
		const stream = async (as: CallerUser) => {
			const abort = new AbortController();
			const request = new Request('http://terrain.test/api/v1/movements/stream', {
				signal: abort.signal
			});
			const res = await (board.GET as unknown as (ev: unknown) => Promise<Response>)({
				request,
				url: new URL(request.url),
				locals: { user: as },
				params: {}
			});
			return { res, abort };
		};
		const viewer = await stream(u.viewer);
		expect(viewer.res.status).toBe(403);
		const a = await stream(u.analyst);
		const s = await stream(stranger);
		expect(a.res.status).toBe(200);
		expect(a.res.headers.get('content-type')).toBe('text/event-stream');
		expect(a.res.headers.get('cache-control')).toContain('no-store');
		const analyst = events(a.res, a.abort);
		const outsider = events(s.res, s.abort);
		try {
			expect(await waitFor(() => analyst.state.connected && outsider.state.connected)).toBe(true);
			const m = (await callRoute(list.POST, u.field, '/api/v1/movements', { body: plan })).body;
			const seen = () => analyst.got.filter((x) => x.data.id === m.id).map((x) => x.data.status);
			// each step, then its event on the open stream (a row is read when its notice arrives)
			for (const [who, to] of [
				[u.field, 'submitted'],
				[u.analyst, 'approved'],
				[u.field, 'under_way'],
				[u.field, 'completed']
			] as const) {
				const r = await callRoute(step.POST, who, '/x', { params: { id: m.id }, body: { to } });
				expect(r.status, r.text).toBe(200);
				expect(await waitFor(() => seen().includes(to)), to).toBe(true);
			}
			const last = analyst.got.find((x) => x.data.status === 'completed')!;
			expect(last.event).toBe('movement');
			expect(last.data.purpose).toBe(plan.purpose);
			expect(last.data.checked_in_at).toBeTruthy();
			expect(last.data.team_size).toBe(1);
			// the board row never carries where the team goes, nor who they are
			for (const k of ['route', 'stops', 'team', 'vehicles', 'last_position', 'lon', 'lat'])
				expect(last.data, k).not.toHaveProperty(k);
			// the outsider's stream was open all along and heard nothing of it
			await new Promise((r) => setTimeout(r, 300));
			expect(outsider.got).toEqual([]);
			// the SQL seam refuses a viewer, and gives an outsider nothing
			await expect(
				sqlAs(e.db, u.viewer, `select public.movement_board_item($1)`, [m.id])
			).rejects.toThrow(/field staff, analysts and admins/);
			const [row] = await sqlAs<{ v: unknown }>(
				e.db,
				stranger,
				`select public.movement_board_item($1) as v`,
				[m.id]
			);
			expect(row.v).toBeNull();
		} finally {
			analyst.close();
			outsider.close();
		}
	});

	it('finds the nearest safe sites by the same distance PostGIS gives, within need-to-know', async () => {
		const sites = [
			{
				name: 'Far hibernation house',
				role: 'hibernation_site',
				lon: 43.5,
				lat: 36.2,
				capacity: 30
			},
			{ name: 'Near assembly point', role: 'assembly_point', lon: 43.01, lat: 36.87 },
			{ name: 'Mid safe haven', role: 'safe_haven', lon: 43.2, lat: 36.6, comms: 'Thuraya' },
			{ name: 'Unplaced site', role: 'hibernation_site' }
		];
		const saved = await callRoute(plans.POST, u.analyst, '/api/v1/contingency', {
			body: { base_site_id: base.id, kind: 'hibernation', sites }
		});
		expect(saved.status, saved.text).toBe(201);
		const at = { lon: 43.0, lat: 36.867 };
		const ask = (as: CallerUser, q: string) =>
			callRoute(nearest.GET, as, `/api/v1/contingency/nearest?${q}`);
		const r = await ask(inBase, `lat=${at.lat}&lon=${at.lon}`);
		expect(r.status, r.text).toBe(200);
		// independently: ST_Distance on geography for each placed site of the plan, and for our
		// registered hibernation sites and assembly points (the seeded sample has some near Dohuk)
		const expected = (roles: string[] | null, withPlan: boolean) =>
			e.db.queryOwner<{ name: string; km: number }>(
				`select name, km from (
				   select s ->> 'name' as name, s ->> 'role' as role,
				          round((st_distance(st_makepoint((s ->> 'lon')::float8, (s ->> 'lat')::float8)::geography,
				                             st_makepoint($1, $2)::geography) / 1000)::numeric, 3)::float8 as km
				   from jsonb_array_elements($3::jsonb) s where s ? 'lon' and $5
				   union all
				   select name, site_type, round((st_distance(geom::geography, st_makepoint($1, $2)::geography)
				                                  / 1000)::numeric, 3)::float8
				   from public.org_sites where site_type in ('hibernation_site', 'assembly_point') and status = 'open'
				 ) x where $4::text[] is null or role = any ($4::text[]) order by km limit 5`,
				[at.lon, at.lat, JSON.stringify(sites), roles, withPlan]
			);
		const want = await expected(null, true);
		expect(want.length).toBeGreaterThanOrEqual(3);
		type Got = {
			name: string;
			distance_km: number;
			base_name: string | null;
			plan_kind: string | null;
			plan_id: string | null;
		};
		const got = r.body as Got[];
		expect(got.map((x) => x.name)).toEqual(want.map((w) => w.name));
		got.forEach((x, i) => expect(x.distance_km).toBeCloseTo(want[i].km, 3));
		const near = got.find((x) => x.name === 'Near assembly point')!;
		expect(near.base_name).toBe('Nearest test base');
		expect(near.plan_kind).toBe('hibernation');
		// a kind and a limit
		const hib = (await ask(inBase, `lat=${at.lat}&lon=${at.lon}&role=hibernation_site`))
			.body as Got[];
		expect(hib.map((x) => x.name)).toEqual(
			(await expected(['hibernation_site'], true)).map((w) => w.name)
		);
		expect(hib.map((x) => x.name)).toContain('Far hibernation house');
		expect((await ask(u.admin, `lat=${at.lat}&lon=${at.lon}&limit=1`)).body).toHaveLength(1);
		// need-to-know: a field user of another area finds none of the plan's sites (only the
		// registry's); a viewer is refused
		const other = (await ask(stranger, `lat=${at.lat}&lon=${at.lon}`)).body as Got[];
		expect(other.map((x) => x.name)).toEqual((await expected(null, false)).map((w) => w.name));
		expect(other.every((x) => x.plan_id === null)).toBe(true);
		expect((await ask(u.viewer, `lat=${at.lat}&lon=${at.lon}`)).status).toBe(403);
		await expect(
			sqlAs(e.db, u.viewer, `select public.contingency_nearest_sites(43, 36)`)
		).rejects.toThrow(/field staff, analysts and admins/);
		// bad input names the parameter
		for (const [q, p] of [
			['lat=95&lon=43', 'lat'],
			['lat=36&lon=abc', 'lon'],
			['lon=43', 'lat'],
			['lat=36&lon=43&role=tent', 'role'],
			['lat=36&lon=43&limit=0', 'limit']
		]) {
			const bad = await ask(u.analyst, q);
			expect(bad.status, q).toBe(400);
			expect(bad.body.parameter, q).toBe(p);
		}
		// the read is audited
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.audit_log
			 where action = 'read' and table_name = 'contingency_plans' and detail ->> 'nearest' = 'true'`
		);
		expect(n).toBeGreaterThan(0);
	});
});
