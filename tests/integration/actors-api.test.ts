/**
 * /api/v1/actors, /relationships and /contacts route handlers against a real database, per role:
 * the same need-to-know as the UI (a viewer's token gets no contacts, a field user's only those
 * of their areas), and 400 naming the parameter or field on bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';

import * as actors from '../../src/routes/api/v1/actors/+server.ts';
import * as actor from '../../src/routes/api/v1/actors/[id]/+server.ts';
import * as network from '../../src/routes/api/v1/actors/network/+server.ts';
import * as presence from '../../src/routes/api/v1/actors/presence/+server.ts';
import * as arcs from '../../src/routes/api/v1/actors/arcs/+server.ts';
import * as relationships from '../../src/routes/api/v1/relationships/+server.ts';
import * as relationship from '../../src/routes/api/v1/relationships/[id]/+server.ts';
import * as contacts from '../../src/routes/api/v1/contacts/+server.ts';
import * as contact from '../../src/routes/api/v1/contacts/[id]/+server.ts';
import * as nearby from '../../src/routes/api/v1/contacts/nearby/+server.ts';
import * as exporter from '../../src/routes/api/v1/contacts/export/+server.ts';
import * as scope from '../../src/routes/api/v1/contacts/scope/+server.ts';

const call = callRoute;

const IS = '00000000-0000-0000-00a0-000000000002';
const GOV = '00000000-0000-0000-00a0-000000000001';
const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG91', 1, 'Northland', null, st_multi(st_makeenvelope(43, 36, 44, 37, 4326))),
  ('IQD911', 2, 'West District', 'IQG91', st_multi(st_makeenvelope(43, 36, 43.5, 37, 4326))),
  ('IQD912', 2, 'East District', 'IQG91', st_multi(st_makeenvelope(43.5, 36, 44, 37, 4326)));
insert into public.actors (id, name, actor_type) values ('${GOV}', 'Government of Iraq', 'state_forces'), ('${IS}', 'IS', 'armed_group');
insert into public.incidents (event_date, event_type, geom, actor1_id, actor2_id, status) values
  ('2014-06-10', 'battles', st_point(43.1, 36.1, 4326), '${GOV}', '${IS}', 'verified');
insert into sensitive.contacts (id, full_name, sensitivity) values
  ('00000000-0000-0000-0000-0000000000d1', 'Dana West', 'normal'),
  ('00000000-0000-0000-0000-0000000000d2', 'Emre East', 'normal'),
  ('00000000-0000-0000-0000-0000000000f1', 'Rashid Restricted', 'restricted');
insert into sensitive.contact_areas (contact_id, pcode) values
  ('00000000-0000-0000-0000-0000000000d1', 'IQD911'),
  ('00000000-0000-0000-0000-0000000000d2', 'IQD912'),
  ('00000000-0000-0000-0000-0000000000f1', 'IQD911');
`;

describe.each(engineNames())('actor and contact API on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
		await e.db.queryOwner(`update public.app_users set assigned_areas = $2 where id = $1`, [
			u.field.id,
			['IQD911']
		]);
	});
	afterAll(async () => e?.close());

	describe('actors and relationships', () => {
		it('lists actors for every role and asks anonymous callers to sign in', async () => {
			const r = await call(actors.GET, u.viewer, '/api/v1/actors?q=daesh');
			expect(r.status).toBe(200);
			expect(r.body.actors.map((a: { name: string }) => a.name)).toEqual(['IS']);
			expect((await call(actors.GET, null, '/api/v1/actors')).status).toBe(401);
		});

		it('answers 400 naming the parameter', async () => {
			expect((await call(actors.GET, u.viewer, '/api/v1/actors?type=aliens')).body).toMatchObject({
				parameter: 'type'
			});
			expect((await call(actors.GET, u.viewer, '/api/v1/actors?area=mosul')).body).toMatchObject({
				parameter: 'area'
			});
			expect((await call(actors.GET, u.viewer, '/api/v1/actors?limit=0')).body).toMatchObject({
				parameter: 'limit'
			});
			expect(
				(await call(relationships.GET, u.viewer, '/api/v1/relationships?as_of=2015-13-01')).body
			).toMatchObject({ parameter: 'as_of' });
			expect(
				(await call(relationships.GET, u.viewer, '/api/v1/relationships?kind=friendship')).body
			).toMatchObject({ parameter: 'kind' });
			expect((await call(arcs.GET, u.viewer, '/api/v1/actors/arcs?as_of=yesterday')).status).toBe(
				400
			);
			expect(
				(await call(presence.GET, u.viewer, '/api/v1/actors/presence?actor=42')).body
			).toMatchObject({ parameter: 'actor' });
			expect(
				(await call(actor.GET, u.viewer, '/api/v1/actors/x', { params: { id: 'x' } })).body
			).toMatchObject({ parameter: 'id' });
		});

		it('creates actors, refuses probable duplicates with 409 and the matches, and bad fields with 400', async () => {
			const created = await call(actors.POST, u.field, '/api/v1/actors', {
				body: { name: 'Tel Kaif council', actor_type: 'community_leader', influence: 2 }
			});
			expect(created.status).toBe(201);
			const dup = await call(actors.POST, u.analyst, '/api/v1/actors', {
				body: { name: 'Daesh', actor_type: 'armed_group' }
			});
			expect(dup.status).toBe(409);
			expect(dup.body).toMatchObject({
				parameter: 'name',
				duplicates: [{ id: IS, name: 'IS', matched: ['Daesh'] }]
			});
			const bad = await call(actors.POST, u.analyst, '/api/v1/actors', {
				body: { name: 'X', influence: 7, stance: 'friendly' }
			});
			expect(bad.status).toBe(400);
			expect(Object.keys(bad.body.errors).sort()).toEqual(['influence', 'stance']);
			expect(
				(await call(actors.POST, u.viewer, '/api/v1/actors', { body: { name: 'Y' } })).status
			).toBe(403);
			expect(
				(
					await call(actor.POST, u.field, `/api/v1/actors/${IS}`, {
						params: { id: IS },
						body: { name: 'IS' }
					})
				).status
			).toBe(403);
		});

		it('maps relationships and shows them as of a date; refuses self-relationships and reversed dates', async () => {
			const body = {
				source_actor_id: GOV,
				target_actor_id: IS,
				kind: 'rivalry',
				valid_from: '2014-01-01',
				valid_to: '2017-12-31'
			};
			const r = await call(relationships.POST, u.analyst, '/api/v1/relationships', { body });
			expect(r.status).toBe(201);
			const self = await call(relationships.POST, u.analyst, '/api/v1/relationships', {
				body: { ...body, target_actor_id: GOV }
			});
			expect(self).toMatchObject({ status: 400, body: { parameter: 'target_actor_id' } });
			const reversed = await call(relationships.POST, u.analyst, '/api/v1/relationships', {
				body: { ...body, valid_from: '2018-01-01' }
			});
			expect(reversed).toMatchObject({ status: 400, body: { parameter: 'valid_to' } });
			expect(
				(await call(relationships.POST, u.field, '/api/v1/relationships', { body })).status
			).toBe(403);

			const in2015 = await call(
				relationships.GET,
				u.viewer,
				'/api/v1/relationships?as_of=2015-06-01'
			);
			expect(in2015.body.relationships.map((x: { kind: string }) => x.kind)).toEqual(['rivalry']);
			expect(in2015.body.confrontations).toEqual([
				expect.objectContaining({ incidents: 1, first_date: '2014-06-10' })
			]);
			const in2019 = await call(
				relationships.GET,
				u.viewer,
				'/api/v1/relationships?as_of=2019-01-01&kind=rivalry'
			);
			expect(in2019.body).toMatchObject({ relationships: [], confrontations: [] });
			const net = await call(network.GET, u.viewer, '/api/v1/actors/network');
			expect(net.body.edges).toHaveLength(1);
			expect(
				(
					await call(relationship.DELETE, u.viewer, '/x', {
						params: { id: r.body.id },
						method: 'DELETE'
					})
				).status
			).toBe(403);
			expect(
				(
					await call(relationship.DELETE, u.analyst, '/x', {
						params: { id: r.body.id },
						method: 'DELETE'
					})
				).status
			).toBe(200);
		});

		it('asks what to do with what depends on an actor before deleting it', async () => {
			const r = await call(actor.DELETE, u.admin, `/api/v1/actors/${IS}`, {
				params: { id: IS },
				method: 'DELETE'
			});
			expect(r).toMatchObject({ status: 400, body: { parameter: 'mode' } });
			expect(
				(
					await call(actor.DELETE, u.admin, `/api/v1/actors/${IS}?mode=reassign`, {
						params: { id: IS },
						method: 'DELETE'
					})
				).body
			).toMatchObject({ parameter: 'target' });
			expect(
				(
					await call(actor.DELETE, u.admin, `/api/v1/actors/${IS}?mode=burn`, {
						params: { id: IS },
						method: 'DELETE'
					})
				).body
			).toMatchObject({ parameter: 'mode' });
			expect(
				(
					await call(actor.DELETE, u.analyst, `/api/v1/actors/${IS}?mode=detach`, {
						params: { id: IS },
						method: 'DELETE'
					})
				).status
			).toBe(403);
		});
	});

	describe('contacts', () => {
		const names = (b: { contacts: { full_name: string }[] }) =>
			b.contacts.map((c) => c.full_name).sort();

		it("gives a viewer's token no contacts, a field user's only their areas, an analyst's all", async () => {
			for (const h of [contacts.GET]) {
				expect((await call(h, u.viewer, '/api/v1/contacts')).status).toBe(403);
			}
			expect(
				(await call(nearby.GET, u.viewer, '/api/v1/contacts/nearby?lon=43.1&lat=36.1')).status
			).toBe(403);
			expect(
				(
					await call(contact.GET, u.viewer, '/x', {
						params: { id: '00000000-0000-0000-0000-0000000000d1' }
					})
				).status
			).toBe(403);
			expect(names((await call(contacts.GET, u.field, '/api/v1/contacts')).body)).toEqual([
				'Dana West'
			]);
			expect(names((await call(contacts.GET, u.analyst, '/api/v1/contacts')).body)).toEqual([
				'Dana West',
				'Emre East',
				'Rashid Restricted'
			]);
			expect(
				(
					await call(contact.GET, u.field, '/x', {
						params: { id: '00000000-0000-0000-0000-0000000000f1' }
					})
				).status
			).toBe(404);
			const near = await call(nearby.GET, u.field, '/api/v1/contacts/nearby?lon=43.1&lat=36.1');
			expect(near.status).toBe(200);
			expect(names(near.body)).toEqual(['Dana West']);
			expect((await call(contacts.GET, null, '/api/v1/contacts')).status).toBe(401);
		});

		it('lets admins set the areas that decide which contacts a field user sees', async () => {
			const other = await makeRoles(e.db);
			expect(names((await call(contacts.GET, other.field, '/api/v1/contacts')).body)).toEqual([]);
			expect(
				(
					await call(scope.POST, u.analyst, '/x', {
						body: { user_id: other.field.id, areas: ['IQD912'] }
					})
				).status
			).toBe(403);
			expect(
				(
					await call(scope.POST, u.admin, '/x', {
						body: { user_id: other.field.id, areas: ['mosul'] }
					})
				).body
			).toMatchObject({ parameter: 'areas' });
			expect(
				(
					await call(scope.POST, u.admin, '/x', {
						body: { user_id: other.field.id, areas: ['IQX1'] }
					})
				).body
			).toMatchObject({ parameter: 'areas' });
			expect(
				(await call(scope.POST, u.admin, '/x', { body: { user_id: 'me', areas: [] } })).body
			).toMatchObject({ parameter: 'user_id' });
			const r = await call(scope.POST, u.admin, '/x', {
				body: { user_id: other.field.id, areas: ['IQD912'] }
			});
			expect(r).toMatchObject({ status: 200, body: { assigned_areas: ['IQD912'] } });
			expect(names((await call(contacts.GET, other.field, '/api/v1/contacts')).body)).toEqual([
				'Emre East'
			]);
		});

		it('answers 400 naming the parameter or field', async () => {
			expect(
				(await call(nearby.GET, u.field, '/api/v1/contacts/nearby?lon=abc&lat=36')).body
			).toMatchObject({ parameter: 'lon' });
			expect(
				(await call(nearby.GET, u.field, '/api/v1/contacts/nearby?lon=43')).body
			).toMatchObject({ parameter: 'lat' });
			expect(
				(await call(nearby.GET, u.field, '/api/v1/contacts/nearby?lon=43&lat=36&radius=-1')).body
			).toMatchObject({ parameter: 'radius' });
			expect(
				(await call(contacts.GET, u.analyst, '/api/v1/contacts?sensitivity=secret')).body
			).toMatchObject({ parameter: 'sensitivity' });
			const badPhone = await call(contacts.POST, u.analyst, '/api/v1/contacts', {
				body: { full_name: 'New', phones: [{ number: '0750 111 1111' }, { number: 'call me' }] }
			});
			expect(badPhone).toMatchObject({ status: 400, body: { parameter: 'phones[1].number' } });
			const badArea = await call(contacts.POST, u.analyst, '/api/v1/contacts', {
				body: { full_name: 'New', areas: ['IQX0'] }
			});
			expect(badArea).toMatchObject({
				status: 400,
				body: { parameter: 'areas', message: 'areas: unknown P-code IQX0' }
			});
		});

		it('adds a contact with phones in any usual form, stored in E.164', async () => {
			const r = await call(contacts.POST, u.analyst, '/api/v1/contacts', {
				body: {
					full_name: 'Layla New',
					phones: [{ number: '0750 444 4444', phone_type: 'office' }],
					areas: ['IQD911']
				}
			});
			expect(r.status).toBe(201);
			expect(r.body.phones).toEqual([
				expect.objectContaining({ number: '+9647504444444', phone_type: 'office' })
			]);
			expect(
				(await call(contacts.POST, u.field, '/api/v1/contacts', { body: { full_name: 'Nope' } }))
					.status
			).toBe(403);
		});

		it('exports CSV and vCard for analysts and admins only, audited', async () => {
			const csv = await call(exporter.GET, u.analyst, '/api/v1/contacts/export?format=csv');
			expect(csv.status).toBe(200);
			expect(csv.type).toBe('text/csv; charset=utf-8');
			expect(csv.headers.get('content-disposition')).toMatch(
				/attachment; filename="terrain-contacts-\d{4}-\d{2}-\d{2}\.csv"/
			);
			expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(5); // header + 4 contacts
			const vcf = await call(
				exporter.GET,
				u.admin,
				'/api/v1/contacts/export?format=vcard&sensitivity=restricted'
			);
			expect(vcf.text.match(/BEGIN:VCARD/g)).toHaveLength(1);
			expect((await call(exporter.GET, u.field, '/api/v1/contacts/export?format=csv')).status).toBe(
				403
			);
			expect(
				(await call(exporter.GET, u.viewer, '/api/v1/contacts/export?format=csv')).status
			).toBe(403);
			expect(
				(await call(exporter.GET, u.analyst, '/api/v1/contacts/export?format=xlsx')).body
			).toMatchObject({ parameter: 'format' });
			const audit = await e.db.queryOwner<{ n: number }>(
				`select count(*)::int as n from public.audit_log where action = 'export' and table_name = 'contacts'`
			);
			expect(audit[0].n).toBe(2);
		});
	});
});
