/**
 * The registries kept current (issue 9): /api/v1/sites/{kind} POST/PATCH/DELETE per role, a
 * checkpoint's status and verification, a camp's population history, re-import matching by id
 * and by name + distance, and PATCH with merge semantics on actors.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute as call } from './helpers/route.ts';

import * as list from '../../src/routes/api/v1/sites/[kind]/+server.ts';
import * as one from '../../src/routes/api/v1/sites/[kind]/[id]/+server.ts';
import * as population from '../../src/routes/api/v1/sites/[kind]/[id]/population/+server.ts';
import * as actor from '../../src/routes/api/v1/actors/[id]/+server.ts';
import * as relationships from '../../src/routes/api/v1/relationships/+server.ts';
import * as relationship from '../../src/routes/api/v1/relationships/[id]/+server.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'registries');
const IS = '00000000-0000-0000-00a0-000000000002';
const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG91', 1, 'Northland', null, st_multi(st_makeenvelope(42, 36, 44, 37.5, 4326)));
insert into public.actors (id, name, name_ar, actor_type, aliases, notes) values
  ('${IS}', 'IS', 'داعش', 'armed_group', '{ISIL,Daesh}', 'old notes');
insert into public.actors (name, actor_type) values ('Army', 'state_forces');
`;

describe.each(engineNames())('site registries on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let cp = '';

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const auditCount = async () =>
		(
			await sqlAs<{ n: number }>(
				e.db,
				u.admin,
				`select count(*)::int as n from public.audit_log where table_name = 'checkpoints'`
			)
		)[0].n;

	it('lets an analyst add a checkpoint, verified now', async () => {
		const r = await call(list.POST, u.analyst, '/api/v1/sites/checkpoints', {
			params: { kind: 'checkpoints' },
			body: { name: 'Gate 4', lon: 43.1, lat: 36.3, opening_hours: '06:00-18:00', road: 'Route 2' }
		});
		expect(r.status, r.text).toBe(201);
		cp = r.body.id;
		expect(r.body.site.status).toBe('open');
		expect(r.body.site.opening_hours).toBe('06:00-18:00');
		expect(r.body.site.admin1_pcode).toBe('IQG91');
		expect(r.body.site.last_verified_at).toBeTruthy();
		expect(r.body.site.stale).toBe(false);
	});

	it('closes a checkpoint by PATCH: seen at once in the list, with a new last-verified time', async () => {
		const before = (await call(one.GET, u.viewer, '/', { params: { kind: 'checkpoints', id: cp } }))
			.body;
		await new Promise((r) => setTimeout(r, 20));
		const r = await call(one.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { kind: 'checkpoints', id: cp },
			body: { status: 'closed', status_reason: 'Road works' }
		});
		expect(r.status, r.text).toBe(200);
		expect(r.body.changed).toEqual(
			expect.arrayContaining(['status', 'status_reason', 'last_verified_at'])
		);
		const all = await call(list.GET, u.viewer, '/', { params: { kind: 'checkpoints' } });
		const f = all.body.features.find((x: { id: string }) => x.id === cp);
		expect(f.properties.status).toBe('closed');
		expect(f.properties.status_reason).toBe('Road works');
		expect(f.properties.opening_hours).toBe('06:00-18:00'); // not sent: kept
		expect(f.properties.road).toBe('Route 2');
		expect(new Date(f.properties.last_verified_at).getTime()).toBeGreaterThan(
			new Date(before.last_verified_at).getTime()
		);
		expect(f.properties.last_verified_by).toBe(u.analyst.id);
	});

	it('refuses a viewer or field user (403) and changes nothing', async () => {
		const n = await auditCount();
		for (const who of [u.viewer, u.field]) {
			const r = await call(one.PATCH, who, '/', {
				method: 'PATCH',
				params: { kind: 'checkpoints', id: cp },
				body: { status: 'open' }
			});
			expect(r.status).toBe(403);
		}
		const s = (await call(one.GET, u.viewer, '/', { params: { kind: 'checkpoints', id: cp } }))
			.body;
		expect(s.status).toBe('closed');
		expect(await auditCount()).toBe(n);
		const d = await call(one.DELETE, u.analyst, '/', {
			method: 'DELETE',
			params: { kind: 'checkpoints', id: cp }
		});
		expect(d.status).toBe(403);
	});

	it('answers 400 naming the field for a bad value or an unknown field', async () => {
		const bad = await call(one.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { kind: 'checkpoints', id: cp },
			body: { status: 'half-open' }
		});
		expect(bad.status).toBe(400);
		expect(bad.body.parameter).toBe('status');
		const unknown = await call(one.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { kind: 'checkpoints', id: cp },
			body: { colour: 'red' }
		});
		expect(unknown.status).toBe(400);
		expect(unknown.body.parameter).toBe('colour');
	});

	it('writes nothing when a PATCH changes nothing', async () => {
		const n = await auditCount();
		const r = await call(one.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { kind: 'checkpoints', id: cp },
			body: { road: 'Route 2', lon: 43.1, lat: 36.3 }
		});
		expect(r.status).toBe(200);
		expect(r.body.changed).toEqual([]);
		expect(await auditCount()).toBe(n);
	});

	it('refuses a point outside the operating area unless confirmed, naming the country', async () => {
		const r = await call(list.POST, u.analyst, '/', {
			params: { kind: 'checkpoints' },
			body: { name: 'Paris gate', lon: 2.35, lat: 48.85 }
		});
		expect(r.status).toBe(400);
		expect(r.body.parameter).toBe('lat');
		expect(r.body.message).toMatch(/France/);
		const ok = await call(list.POST, u.analyst, '/', {
			params: { kind: 'checkpoints' },
			body: { name: 'Paris gate', lon: 2.35, lat: 48.85, confirm_outside_area: true }
		});
		expect(ok.status).toBe(201);
		const del = await call(one.DELETE, u.admin, '/', {
			method: 'DELETE',
			params: { kind: 'checkpoints', id: ok.body.id }
		});
		expect(del.status).toBe(200);
	});

	it('keeps a camp population history', async () => {
		const c = await call(list.POST, u.analyst, '/', {
			params: { kind: 'idp_camps' },
			body: {
				name: 'Test camp',
				lon: 42.9,
				lat: 36.8,
				population: 1000,
				population_date: '2024-01-01'
			}
		});
		expect(c.status, c.text).toBe(201);
		await call(one.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { kind: 'idp_camps', id: c.body.id },
			body: { population: 1200, population_date: '2024-03-01' }
		});
		const h = await call(population.GET, u.viewer, '/', {
			params: { kind: 'idp_camps', id: c.body.id }
		});
		expect(h.body.map((x: { population: number }) => x.population)).toEqual([1000, 1200]);
		expect(h.body.map((x: { as_of: string }) => x.as_of)).toEqual(['2024-01-01', '2024-03-01']);
	});

	it('adds a displacement location with population by shelter type', async () => {
		const r = await call(list.POST, u.analyst, '/', {
			params: { kind: 'displacement_locations' },
			body: {
				name: 'Sumel town',
				lon: 42.85,
				lat: 36.86,
				population: 500,
				shelter: { host_family: 300, rented: 200 }
			}
		});
		expect(r.status, r.text).toBe(201);
		expect(r.body.site.shelter).toEqual({ host_family: 300, rented: 200 });
	});

	it('re-imports checkpoints: updates the status, verifies, never duplicates; twice changes nothing', async () => {
		const imp = (f: string) =>
			runImport({
				db: e.db,
				as: u.analyst,
				file: join(FIX, f),
				target: 'checkpoints',
				source: 'partner-cps',
				map: { upstream_id: 'id' }
			});
		const first = await imp('checkpoints-1.csv');
		expect(first.inserted).toBe(2);
		const second = await imp('checkpoints-2.csv');
		expect([second.inserted, second.updated, second.unchanged]).toEqual([0, 1, 1]);
		const again = await imp('checkpoints-2.csv');
		expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 2]);
		const rows = await sqlAs<{ name: string; status: string; verified: boolean; actor: string }>(
			e.db,
			u.admin,
			`select c.name, c.status, c.last_verified_at > now() - interval '1 minute' as verified, a.name as actor
			 from public.checkpoints c left join public.actors a on a.id = c.controlling_actor_id
			 where c.upstream_source = 'partner-cps' order by c.name`
		);
		expect(rows).toEqual([
			{ name: 'Checkpoint Alpha', status: 'closed', verified: true, actor: 'Army' },
			{ name: 'Checkpoint Bravo', status: 'open', verified: true, actor: 'Army' }
		]);
	});

	it('re-imports camps without ids by name and distance: population updated, no second Domiz', async () => {
		const imp = (f: string, source: string) =>
			runImport({ db: e.db, as: u.analyst, file: join(FIX, f), target: 'idp_camps', source });
		expect((await imp('camps-1.csv', 'dtm-jan')).inserted).toBe(2);
		// Next month's list, under another source name: matched by name within 500 m.
		const next = await imp('camps-2.csv', 'dtm-jun');
		expect([next.inserted, next.updated, next.unchanged]).toEqual([0, 1, 1]);
		const again = await imp('camps-2.csv', 'dtm-jun');
		expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 2]);
		const domiz = await sqlAs<{ id: string; population: number }>(
			e.db,
			u.admin,
			`select id, population from public.idp_camps where name = 'Domiz'`
		);
		expect(domiz.map((d) => d.population)).toEqual([32500]);
		const h = await call(population.GET, u.viewer, '/', {
			params: { kind: 'idp_camps', id: domiz[0].id }
		});
		expect(h.body.map((x: { population: number }) => x.population)).toEqual([30000, 32500]);
	});

	it('PATCHes an actor with merge semantics: only notes sent, aliases and Arabic name kept', async () => {
		const r = await call(actor.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { id: IS },
			body: { notes: 'new notes' }
		});
		expect(r.status, r.text).toBe(200);
		const a = (await call(actor.GET, u.viewer, '/', { params: { id: IS } })).body;
		expect(a.notes).toBe('new notes');
		expect(a.aliases).toEqual(['ISIL', 'Daesh']);
		expect(a.name_ar).toBe('داعش');
		expect(a.actor_type).toBe('armed_group');
		const bad = await call(actor.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { id: IS },
			body: { stance: 'furious' }
		});
		expect(bad.status).toBe(400);
		const viewer = await call(actor.PATCH, u.viewer, '/', {
			method: 'PATCH',
			params: { id: IS },
			body: { notes: 'x' }
		});
		expect(viewer.status).toBe(403);
	});

	it('PATCHes a relationship with merge semantics', async () => {
		const army = (
			await sqlAs<{ id: string }>(e.db, u.admin, `select id from public.actors where name = 'Army'`)
		)[0].id;
		const c = await call(relationships.POST, u.analyst, '/', {
			body: {
				source_actor_id: army,
				target_actor_id: IS,
				kind: 'armed_confrontation',
				confidence: 'high',
				source: 'UN report',
				valid_from: '2014-06-01'
			}
		});
		expect(c.status, c.text).toBeLessThan(300);
		const r = await call(relationship.PATCH, u.analyst, '/', {
			method: 'PATCH',
			params: { id: c.body.id },
			body: { notes: 'seen again' }
		});
		expect(r.status, r.text).toBe(200);
		const row = (
			await sqlAs<Record<string, unknown>>(
				e.db,
				u.admin,
				`select kind, confidence, source, valid_from::text, notes from public.relationships where id = $1`,
				[c.body.id]
			)
		)[0];
		expect(row).toEqual({
			kind: 'armed_confrontation',
			confidence: 'high',
			source: 'UN report',
			valid_from: '2014-06-01',
			notes: 'seen again'
		});
	});
});
