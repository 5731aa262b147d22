/**
 * Briefing packs on every engine: a pack written by an analyst, compiled for each reader
 * (levels with their movement rules, the 90-day incident count against the incidents table,
 * hibernation sites and assembly points by distance), contacts under need-to-know (a restricted
 * emergency contact for analysts only; nothing for viewers), the RLS matrix of the three tables
 * (drafts for analysts and authors, final packs for readers, versions for analysts), and the
 * "read and understood" acknowledgement of a version (who, when, which version; a stale one
 * refused; a new version asks again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as listRoute from '../../src/routes/api/v1/briefings/+server.ts';
import * as oneRoute from '../../src/routes/api/v1/briefings/[id]/+server.ts';
import * as ackRoute from '../../src/routes/api/v1/briefings/[id]/acknowledgements/+server.ts';
import type {
	BriefingAck,
	BriefingPack,
	CompiledBriefing
} from '../../src/lib/domain/briefings.ts';

describe.each(engineNames())('briefing packs on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let base: { id: string; name: string; gov: string };
	let pack: BriefingPack;
	const one = (id: string) => ({ params: { id } });

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		[base] = await e.db.queryOwner<{ id: string; name: string; gov: string }>(
			`select s.id, s.name, coalesce(s.admin1_pcode, public.area_at(st_x(s.geom), st_y(s.geom), 1)) as gov
			 from public.org_sites s where s.site_type = 'base' order by s.name limit 1`
		);
		// A hibernation site 10 km north of the base and one 300 km away (left out).
		await e.db.queryOwner(
			`insert into public.org_sites (name, site_type, geom)
			 select 'Briefing test safe house', 'hibernation_site', st_translate(geom, 0, 0.09) from public.org_sites where id = $1
			 union all
			 select 'Far away assembly point', 'assembly_point', st_translate(geom, 0, 2.7) from public.org_sites where id = $1`,
			[base.id]
		);
		// Two emergency contacts: a normal one and a restricted armed-group interlocutor.
		await e.db.queryOwner(
			`insert into sensitive.contacts (full_name, role_title, sensitivity, emergency) values
			 ('Nadia Normalcontact', 'Duty officer', 'normal', true),
			 ('Rashid Restrictedcontact', 'Interlocutor', 'restricted', true)`
		);
	});
	afterAll(async () => {
		await e?.close();
	});

	it('an analyst writes a pack; bad input is a clear 400 and nothing is saved', async () => {
		const bad = await callRoute(listRoute.POST, u.analyst, '/api/v1/briefings', {
			body: { base_id: base.id, title: ' ' }
		});
		expect(bad.status).toBe(400);
		const lang = await callRoute(listRoute.POST, u.analyst, '/api/v1/briefings', {
			body: { base_id: base.id, title: 'x', narrative: { de: 'Hallo' } }
		});
		expect(lang.status).toBe(400);
		expect(lang.text).toContain('narrative');
		const noBase = await callRoute(listRoute.POST, u.analyst, '/api/v1/briefings', {
			body: { base_id: '00000000-0000-4000-8000-000000000000', title: 'x' }
		});
		expect(noBase.status).toBe(400);
		expect(noBase.text).toContain('base_id');
		const viewer = await callRoute(listRoute.POST, u.viewer, '/api/v1/briefings', {
			body: { base_id: base.id, title: 'x' }
		});
		expect(viewer.status).toBe(403);
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			'select count(*)::int as n from public.briefing_packs'
		);
		expect(n).toBe(0);

		const r = await callRoute<BriefingPack>(listRoute.POST, u.analyst, '/api/v1/briefings', {
			body: {
				base_id: base.id,
				title: 'Welcome to the base',
				narrative: { en: 'The context **in brief**.', ar: 'السياق باختصار' },
				customs: { en: 'Greet elders first.' }
			}
		});
		expect(r.status).toBe(201);
		pack = r.body;
		expect(pack).toMatchObject({
			base_id: base.id,
			base_name: base.name,
			title: 'Welcome to the base',
			status: 'draft',
			version: 1,
			classification: 'Restricted',
			narrative: { en: 'The context **in brief**.', ar: 'السياق باختصار' },
			customs: { en: 'Greet elders first.' },
			my_acknowledgement: null
		});
	});

	it('drafts are for analysts and the author; final packs for every reader; versions for analysts', async () => {
		for (const who of ['viewer', 'field'] as const) {
			const r = await callRoute(oneRoute.GET, u[who], `/api/v1/briefings/${pack.id}`, one(pack.id));
			expect(r.status, who).toBe(404);
		}
		const p = await callRoute<BriefingPack>(
			oneRoute.PATCH,
			u.analyst,
			`/api/v1/briefings/${pack.id}`,
			{
				...one(pack.id),
				method: 'PATCH',
				body: { status: 'final', customs: { ar: 'تحية كبار السن أولاً' }, version: 1 }
			}
		);
		expect(p.status).toBe(200);
		expect(p.body).toMatchObject({ status: 'final', version: 2 });
		// texts merge per language
		expect(p.body.customs).toEqual({ en: 'Greet elders first.', ar: 'تحية كبار السن أولاً' });
		const stale = await callRoute(oneRoute.PATCH, u.analyst, `/api/v1/briefings/${pack.id}`, {
			...one(pack.id),
			method: 'PATCH',
			body: { title: 'Stale', version: 1 }
		});
		expect(stale.status).toBe(409);
		for (const who of ['viewer', 'field', 'analyst', 'admin'] as const) {
			const list = await callRoute<{ id: string }[]>(listRoute.GET, u[who], '/api/v1/briefings');
			expect(
				list.body.map((x) => x.id),
				who
			).toContain(pack.id);
		}
		const versions = async (who: CallerUser) =>
			(
				await sqlAs<{ n: number }>(
					e.db,
					who,
					'select count(*)::int as n from public.briefing_pack_versions where pack_id = $1',
					[pack.id]
				)
			)[0].n;
		expect(await versions(u.analyst)).toBe(1);
		expect(await versions(u.viewer)).toBe(0);
		// nobody writes the tables around the functions' checks
		await expect(
			sqlAs(
				e.db,
				u.viewer,
				`update public.briefing_packs set title = 'x' where id = $1 returning id`,
				[pack.id]
			).then((r) => r.length)
		).resolves.toBe(0);
		await expect(
			sqlAs(
				e.db,
				u.field,
				`insert into public.briefing_acknowledgements (pack_id, version, user_id) values ($1, 1, $2)`,
				[pack.id, u.viewer.id]
			)
		).rejects.toThrow();
	});

	it('compiles levels, incidents, sites and contacts for each reader under need-to-know', async () => {
		const a = await callRoute<CompiledBriefing>(
			oneRoute.GET,
			u.analyst,
			`/api/v1/briefings/${pack.id}`,
			one(pack.id)
		);
		expect(a.status).toBe(200);
		const b = a.body;
		expect(b.base.id).toBe(base.id);
		expect(b.scale.map((s) => s.level)).toEqual([1, 2, 3, 4, 5]);
		for (const s of b.scale) expect(s.movement.length).toBeGreaterThan(10);
		for (const l of b.levels) expect(l.movement).toBe(b.scale[l.level - 1].movement);
		// the 90 days up to the latest incident of the base's governorate, as the table counts them
		const [{ n, last }] = await e.db.queryOwner<{ n: number; last: string }>(
			`with m as (select max(event_date) as d from public.incidents where admin1_pcode = $1)
			 select count(*)::int as n, to_char((select d from m), 'YYYY-MM-DD') as last from public.incidents, m
			 where admin1_pcode = $1 and event_date between m.d - 89 and m.d`,
			[base.gov]
		);
		expect(b.incidents.to).toBe(last);
		expect(b.incidents.total).toBe(n);
		expect(b.incidents.by_type.reduce((s, t) => s + t.n, 0)).toBe(n);
		// hibernation sites within 100 km, with their distance; the far assembly point left out
		const safe = b.sites.find((s) => s.name === 'Briefing test safe house');
		expect(safe?.distance_km).toBeCloseTo(10, 0);
		expect(b.sites.map((s) => s.name)).not.toContain('Far away assembly point');
		// contacts: analysts see the restricted one, field staff only normal ones, viewers nothing
		const names = (c: CompiledBriefing) => (c.contacts ?? []).map((x) => x.full_name);
		expect(names(b)).toEqual(
			expect.arrayContaining(['Nadia Normalcontact', 'Rashid Restrictedcontact'])
		);
		const f = await callRoute<CompiledBriefing>(
			oneRoute.GET,
			u.field,
			`/api/v1/briefings/${pack.id}`,
			one(pack.id)
		);
		expect(f.status).toBe(200);
		expect(names(f.body)).not.toContain('Rashid Restrictedcontact');
		const v = await callRoute<CompiledBriefing>(
			oneRoute.GET,
			u.viewer,
			`/api/v1/briefings/${pack.id}`,
			one(pack.id)
		);
		expect(v.status).toBe(200);
		expect(v.body.contacts).toBeNull();
		expect(v.body.contacts_hidden).toBe(true);
		expect(v.text).not.toContain('Restrictedcontact');
		expect(v.text).not.toContain('Normalcontact');
		// the contacts named are on the audit log, with the pack
		const [{ audited }] = await e.db.queryOwner<{ audited: number }>(
			`select count(*)::int as audited from public.audit_log
			 where table_name = 'contacts' and actor_id = $1 and detail -> 'filters' ->> 'briefing_pack' = $2`,
			[u.analyst.id, pack.id]
		);
		expect(audited).toBe(1);
	});

	it('records "read and understood" per version: who, when, which version', async () => {
		const stale = await callRoute(
			ackRoute.POST,
			u.viewer,
			`/api/v1/briefings/${pack.id}/acknowledgements`,
			{
				...one(pack.id),
				body: { version: 1 }
			}
		);
		expect(stale.status).toBe(409);
		const r = await callRoute<{ version: number; user_id: string; language: string }>(
			ackRoute.POST,
			u.viewer,
			`/api/v1/briefings/${pack.id}/acknowledgements`,
			{ ...one(pack.id), body: { version: 2, language: 'ar' } }
		);
		expect(r.status).toBe(201);
		expect(r.body).toMatchObject({ version: 2, user_id: u.viewer.id, language: 'ar' });
		// again: the same acknowledgement, not a second one
		const again = await callRoute<{ acknowledged_at: string }>(
			ackRoute.POST,
			u.viewer,
			`/api/v1/briefings/${pack.id}/acknowledgements`,
			{ ...one(pack.id), body: '' }
		);
		expect(again.status).toBe(201);
		const mine = await callRoute<BriefingAck[]>(
			ackRoute.GET,
			u.viewer,
			`/api/v1/briefings/${pack.id}/acknowledgements`,
			one(pack.id)
		);
		expect(mine.body).toHaveLength(1);
		expect(mine.body[0]).toMatchObject({ version: 2, current: true, language: 'ar' });
		// field staff see only their own (none); analysts see the viewer's
		const field = await callRoute<BriefingAck[]>(
			ackRoute.GET,
			u.field,
			`/api/v1/briefings/${pack.id}/acknowledgements`,
			one(pack.id)
		);
		expect(field.body).toHaveLength(0);
		const all = await callRoute<BriefingAck[]>(
			ackRoute.GET,
			u.analyst,
			`/api/v1/briefings/${pack.id}/acknowledgements`,
			one(pack.id)
		);
		expect(all.body.map((x) => x.user_id)).toEqual([u.viewer.id]);
		// a new version: the old acknowledgement is no longer current, and the pack asks again
		await callRoute(oneRoute.PATCH, u.analyst, `/api/v1/briefings/${pack.id}`, {
			...one(pack.id),
			method: 'PATCH',
			body: { narrative: { en: 'Updated context.' } }
		});
		const list = await callRoute<{ id: string; acknowledged: boolean; version: number }[]>(
			listRoute.GET,
			u.viewer,
			'/api/v1/briefings'
		);
		expect(list.body.find((x) => x.id === pack.id)).toMatchObject({
			version: 3,
			acknowledged: false
		});
		const after = await callRoute<BriefingAck[]>(
			ackRoute.GET,
			u.viewer,
			`/api/v1/briefings/${pack.id}/acknowledgements`,
			one(pack.id)
		);
		expect(after.body[0].current).toBe(false);
		// a draft cannot be acknowledged
		const draft = await callRoute<BriefingPack>(listRoute.POST, u.analyst, '/api/v1/briefings', {
			body: { base_id: base.id, title: 'Draft pack' }
		});
		const d = await callRoute(
			ackRoute.POST,
			u.analyst,
			`/api/v1/briefings/${draft.body.id}/acknowledgements`,
			{
				...one(draft.body.id),
				body: {}
			}
		);
		expect(d.status).toBe(400);
	});

	it('a new pack without a marking takes the organisation’s (document_classification)', async () => {
		await e.db.queryOwner(
			`insert into public.app_settings (key, value) values ('document_classification', '"Eyes only"')`
		);
		try {
			const plain = await callRoute<BriefingPack>(listRoute.POST, u.analyst, '/api/v1/briefings', {
				body: { base_id: base.id, title: 'Marked by the organisation' }
			});
			expect(plain.status).toBe(201);
			expect(plain.body.classification).toBe('Eyes only');
			const own = await callRoute<BriefingPack>(listRoute.POST, u.analyst, '/api/v1/briefings', {
				body: { base_id: base.id, title: 'Marked by itself', classification: 'Confidential' }
			});
			expect(own.body.classification).toBe('Confidential');
			// a later edit without a marking keeps the pack's own
			const edited = await callRoute<BriefingPack>(
				oneRoute.PATCH,
				u.analyst,
				`/api/v1/briefings/${own.body.id}`,
				{
					...one(own.body.id),
					method: 'PATCH',
					body: { title: 'Renamed', version: own.body.version }
				}
			);
			expect(edited.status, edited.text).toBe(200);
			expect(edited.body.classification).toBe('Confidential');
		} finally {
			await e.db.queryOwner(
				`delete from public.app_settings where key = 'document_classification'`
			);
		}
		const none = await callRoute<BriefingPack>(listRoute.POST, u.analyst, '/api/v1/briefings', {
			body: { base_id: base.id, title: 'Standard marking' }
		});
		expect(none.body.classification).toBe('Restricted');
	});
});
