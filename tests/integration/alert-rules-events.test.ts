/**
 * Alert rules that listen to area level changes and checkpoint status changes (issue 11, point 6),
 * on every engine: the database raises the alert when a level is recorded or a checkpoint's status
 * is set, for the rule's areas (a governorate's level reaching its districts) or checkpoints near
 * its sites (counted independently here with ST_DWithin on geography), optionally only at a
 * minimum level or to a given status; not on a re-assessment at the same level, nor for a rule on
 * incidents; bad input refused with the field named; the alert reaches the owner only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as rules from '../../src/routes/api/v1/alerts/rules/+server.ts';
import { alertTitle } from '../../src/lib/domain/contingency-words.ts';
import { translator } from '../../src/lib/i18n/index.ts';

// an alert's body, read loosely: each test names the keys it looks at
type Rec = Record<string, unknown> & { changes?: unknown; previous_status?: unknown };

describe.each(engineNames())('alert rules on levels and checkpoints on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let district: { pcode: string; parent: string; name_ar: string | null };
	let site: { id: string; lon: number; lat: number };

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		[district] = await e.db.queryOwner(
			`select pcode, parent_pcode as parent, name_ar from public.areas
			 where level = 2 order by pcode desc limit 1`
		);
		[site] = await e.db.queryOwner(
			`insert into public.org_sites (name, site_type, geom)
			 values ('Rule base', 'base', st_setsrid(st_point(20.5, 10.5), 4326))
			 returning id, st_x(geom) as lon, st_y(geom) as lat`
		);
	});
	afterAll(async () => e?.close());

	const newRule = async (as: CallerUser, body: Record<string, unknown>) => {
		const r = await callRoute(rules.POST, as, '/x', { body });
		expect(r.status, r.text).toBe(201);
		return r.body as { id: string };
	};
	const fired = (ruleId: string) =>
		e.db.queryOwner<{ id: string; kind: string; severity: string; title: string; body: Rec }>(
			`select id, kind, severity, title, body from public.alerts where rule_id = $1 order by created_at`,
			[ruleId]
		);
	const level = (pcode: string, n: number, daysAgo = 0) =>
		e.db.rpc(
			'area_level_record',
			{
				p_pcode: pcode,
				p_level: n,
				p_note: `level ${n}`,
				p_effective_date: new Date(Date.now() - daysAgo * 864e5).toISOString().slice(0, 10)
			},
			u.analyst
		);

	it('refuses a bad rule with a message naming the field', async () => {
		const bad = async (body: Record<string, unknown>, field: string) => {
			const r = await callRoute(rules.POST, u.field, '/x', { body });
			expect(r.status, JSON.stringify(body)).toBe(400);
			expect(r.body.message, JSON.stringify(body)).toMatch(new RegExp(`^${field}: `));
		};
		await bad({ name: 'x', listens_to: 'weather', target: 'areas', pcodes: ['IQ'] }, 'listens_to');
		await bad({ name: 'x', listens_to: 'area_level', target: 'sites' }, 'target');
		await bad({ name: 'x', listens_to: 'area_level', target: 'areas' }, 'pcodes');
		await bad(
			{
				name: 'x',
				listens_to: 'area_level',
				target: 'areas',
				pcodes: [district.pcode],
				min_level: 9
			},
			'min_level'
		);
		await bad({ name: 'x', listens_to: 'checkpoint_status', target: 'movements' }, 'target');
		await bad(
			{ name: 'x', listens_to: 'checkpoint_status', target: 'sites', checkpoint_status: 'burnt' },
			'checkpoint_status'
		);
		expect((await callRoute(rules.GET, u.field, '/x')).body).toEqual([]);
	});

	it('fires on a level change in the areas, at the minimum level, once per change', async () => {
		const any = await newRule(u.field, {
			name: 'Governorate levels',
			listens_to: 'area_level',
			target: 'areas',
			pcodes: [district.parent]
		});
		const high = await newRule(u.field, {
			name: 'District high',
			listens_to: 'area_level',
			target: 'areas',
			pcodes: [district.pcode],
			min_level: 4
		});
		// an incident rule on the same area never fires on a level
		const inc = await newRule(u.field, {
			name: 'Incidents',
			target: 'areas',
			pcodes: [district.pcode]
		});
		await level(district.pcode, 2);
		expect(await fired(any.id)).toHaveLength(1);
		expect(await fired(high.id)).toHaveLength(0);
		await level(district.pcode, 2); // the same level again: not a change
		expect(await fired(any.id)).toHaveLength(1);
		await level(district.pcode, 4);
		const [a] = await fired(high.id);
		expect(a).toMatchObject({ kind: 'area_level_rule', severity: 'critical' });
		expect(a.body.changes).toEqual([
			expect.objectContaining({ pcode: district.pcode, level: 4, previous_level: 2 })
		]);
		expect(await fired(any.id)).toHaveLength(2);
		// the governorate's own level reaches the district rule; history raises nothing
		await level(district.parent, 5);
		expect(await fired(high.id)).toHaveLength(2);
		await level(district.pcode, 1, 60);
		expect(await fired(any.id)).toHaveLength(3);
		expect(await fired(inc.id)).toHaveLength(0);
		// the owner reads it in their feed, worded in their language; an analyst does not see it
		const feed = await e.db.rpc<{ id: string; kind: string; title: string; body: Rec }[]>(
			'alerts_list',
			{},
			u.field
		);
		const mine = feed.find((x) => x.id === a.id)!;
		expect(alertTitle(mine, translator('en'), 'en')).toMatch(/^District high: .*is now 4$/);
		const ar = alertTitle(mine, translator('ar'), 'ar');
		expect(ar).toContain('المستوى الأمني');
		if (district.name_ar) expect(ar).toContain(district.name_ar);
		const theirs = await e.db.rpc<{ id: string }[]>('alerts_list', {}, u.analyst);
		expect(theirs.some((x) => x.id === a.id)).toBe(false);
	});

	it('fires on checkpoints near our site changing status, counted with ST_DWithin', async () => {
		const cps = await e.db.queryOwner<{ id: string }>(
			`insert into public.checkpoints (name, status, geom)
			 select 'Rule CP ' || km, 'open',
			        st_project(st_setsrid(st_point(${site.lon}, ${site.lat}), 4326)::geography, km * 1000,
			                   radians(45))::geometry
			 from unnest(array[2, 9.8, 10.3, 25]::float8[]) km returning id`
		);
		const closedOnly = await newRule(u.field, {
			name: 'Closed near base',
			listens_to: 'checkpoint_status',
			target: 'sites',
			site_ids: [site.id],
			radius_km: 10,
			checkpoint_status: 'closed'
		});
		const anyChange = await newRule(u.field, {
			name: 'Any change near base',
			listens_to: 'checkpoint_status',
			target: 'sites',
			site_ids: [site.id],
			radius_km: 10
		});
		const ids = `'{${cps.map((c) => c.id).join(',')}}'::uuid[]`;
		await e.db.execOwner(
			`update public.checkpoints set status = 'restricted' where id = any (${ids})`
		);
		await e.db.execOwner(`update public.checkpoints set notes = 'n' where id = any (${ids})`);
		await e.db.execOwner(`update public.checkpoints set status = 'closed' where id = any (${ids})`);
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.checkpoints c, public.org_sites s
			 where s.id = $1 and c.id = any (${ids})
			   and st_dwithin(c.geom::geography, s.geom::geography, 10000)`,
			[site.id]
		);
		expect(n).toBe(2);
		const closed = await fired(closedOnly.id);
		expect(closed).toHaveLength(n);
		expect(closed.every((x) => x.kind === 'checkpoint_rule' && x.severity === 'critical')).toBe(
			true
		);
		expect(closed.map((x) => x.body.previous_status)).toEqual(['restricted', 'restricted']);
		expect(await fired(anyChange.id)).toHaveLength(2 * n);
		expect(alertTitle(closed[0], translator('fr'), 'fr')).toMatch(/^Closed near base : .* fermé$/);
		// turned off: nothing more
		await e.db.execOwner(
			`update public.alert_rules set enabled = false where id = '${anyChange.id}'`
		);
		await e.db.execOwner(`update public.checkpoints set status = 'open' where id = any (${ids})`);
		expect(await fired(anyChange.id)).toHaveLength(2 * n);
	});

	it('fires on checkpoints in the watched area: closing, or created closed; none outside', async () => {
		// a district of the rule, and another district (of another governorate) outside it
		const [outside] = await e.db.queryOwner<{ pcode: string; parent: string }>(
			`select pcode, parent_pcode as parent from public.areas
			 where level = 2 and parent_pcode <> $1 order by pcode limit 1`,
			[district.parent]
		);
		const inArea = await newRule(u.field, {
			name: 'Closed in district',
			listens_to: 'checkpoint_status',
			target: 'areas',
			pcodes: [district.pcode],
			checkpoint_status: 'closed'
		});
		// a checkpoint placed in an area (its position inside, its P-codes as the registry sets them)
		const place = (name: string, a: { pcode: string; parent: string }, status: string) =>
			e.db.queryOwner<{ id: string }>(
				`insert into public.checkpoints (name, status, geom, admin1_pcode, admin2_pcode)
				 select $1, $2, st_pointonsurface(a.geom), a.parent_pcode, a.pcode
				 from public.areas a where a.pcode = $3 returning id`,
				[name, status, a.pcode]
			);
		const [open] = await place('Area CP open', district, 'open');
		expect(await fired(inArea.id)).toHaveLength(0);
		// in the area, closing: an alert naming the area
		await e.db.execOwner(`update public.checkpoints set status = 'closed' where id = '${open.id}'`);
		let got = await fired(inArea.id);
		expect(got).toHaveLength(1);
		expect(got[0].body.checkpoint_name).toBe('Area CP open');
		expect(got[0].body.previous_status).toBe('open');
		expect(got[0].severity).toBe('critical');
		// in the area, created already closed: an alert too (not only an update to closed)
		await place('Area CP born closed', district, 'closed');
		got = await fired(inArea.id);
		expect(got).toHaveLength(2);
		expect(got[1].body.checkpoint_name).toBe('Area CP born closed');
		expect(got[1].body.previous_status).toBeNull();
		expect(got[1].title).toBe('Closed in district: new checkpoint Area CP born closed is closed');
		expect(alertTitle(got[1], translator('en'), 'en')).toBe(
			'Closed in district: checkpoint Area CP born closed is now closed'
		);
		// created restricted: not the rule's status; outside the area, closed either way: nothing
		await place('Area CP born restricted', district, 'restricted');
		const [away] = await place('Away CP', outside, 'open');
		await e.db.execOwner(`update public.checkpoints set status = 'closed' where id = '${away.id}'`);
		await place('Away CP born closed', outside, 'closed');
		expect(await fired(inArea.id)).toHaveLength(2);
		// a rule on our site's surroundings hears a checkpoint created closed near it, too
		const nearSite = await newRule(u.field, {
			name: 'Born closed near base',
			listens_to: 'checkpoint_status',
			target: 'sites',
			site_ids: [site.id],
			radius_km: 5
		});
		await e.db.execOwner(
			`insert into public.checkpoints (name, status, geom)
			 values ('Near CP born closed', 'closed',
			         st_project(st_setsrid(st_point(${site.lon}, ${site.lat}), 4326)::geography, 1000, 0)::geometry),
			        ('Near CP born open', 'open',
			         st_project(st_setsrid(st_point(${site.lon}, ${site.lat}), 4326)::geography, 1500, 0)::geometry)`
		);
		const near = await fired(nearSite.id);
		expect(near.map((x) => x.body.checkpoint_name)).toEqual(['Near CP born closed']);
	});
});
