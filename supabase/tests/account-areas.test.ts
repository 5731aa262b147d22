/**
 * A field user's areas, set from the command line (private.areas_check, private.account_set_areas:
 * the server's service role only) or by an admin (public.user_set_areas, what the users page
 * calls): who may call which, that an unknown P-code changes nothing, and that the areas set
 * decide the contacts the field user then sees — on PGlite and, with TEST_DATABASE_URL, on
 * PostgreSQL+PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import {
	engineNames,
	makeRoles,
	makeUser,
	openEngine,
	type Engine
} from '../../tests/integration/helpers/db.ts';

const FIXTURE = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG81', 1, 'Hillside', 'التلال', null, st_multi(st_makeenvelope(43, 36, 44, 37, 4326))),
  ('IQG81Q01', 2, 'Upper Valley', 'الوادي الأعلى', 'IQG81', st_multi(st_makeenvelope(43, 36, 43.5, 37, 4326))),
  ('IQG82', 1, 'Riverside', null, null, st_multi(st_makeenvelope(45, 33, 46, 34, 4326)));
insert into sensitive.contacts (id, full_name, sensitivity) values
  ('00000000-0000-0000-0000-0000000008a1', 'Hala Hillside', 'normal'),
  ('00000000-0000-0000-0000-0000000008a2', 'Rami Riverside', 'normal'),
  ('00000000-0000-0000-0000-0000000008a3', 'Hidden Hillside', 'restricted');
insert into sensitive.contact_areas (contact_id, pcode) values
  ('00000000-0000-0000-0000-0000000008a1', 'IQG81Q01'),
  ('00000000-0000-0000-0000-0000000008a2', 'IQG82'),
  ('00000000-0000-0000-0000-0000000008a3', 'IQG81Q01');
`;

describe.each(engineNames())("field users' areas on %s", (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let target: CallerUser;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
		target = await makeUser(e.db, 'field');
	});
	afterAll(async () => e?.close());

	const stored = async () =>
		(
			await e.db.queryOwner<{ a: string[] }>(
				`select assigned_areas as a from public.app_users where id = $1`,
				[target.id]
			)
		)[0].a;
	const seen = async () =>
		(await e.db.rpc<{ contacts: { full_name: string }[] }>('contacts_list', {}, target)).contacts
			.map((c) => c.full_name)
			.sort();

	it('lets the service set areas by e-mail, with their names, and the field user then sees those contacts', async () => {
		expect(await seen()).toEqual([]);
		const r = await e.db.rpc<{
			email: string;
			role: string;
			areas: { pcode: string; name_en: string; name_ar: string | null }[];
		}>(
			'private.account_set_areas',
			{ p_email: `  ${target.email.toUpperCase()} `, p_areas: ['IQG81Q01', 'IQG81Q01'] },
			'service'
		);
		expect(r).toMatchObject({
			email: target.email,
			role: 'field',
			areas: [{ pcode: 'IQG81Q01', name_en: 'Upper Valley', name_ar: 'الوادي الأعلى' }]
		});
		expect(await stored()).toEqual(['IQG81Q01']);
		// Normal contacts of the area, never the restricted one, nothing of the other governorate.
		expect(await seen()).toEqual(['Hala Hillside']);
		await e.db.rpc(
			'private.account_set_areas',
			{ p_email: target.email, p_areas: ['IQG82'] },
			'service'
		);
		expect(await seen()).toEqual(['Rami Riverside']);
	});

	it('refuses an unknown P-code, naming it, and changes nothing', async () => {
		await e.db.rpc(
			'private.account_set_areas',
			{ p_email: target.email, p_areas: ['IQG82'] },
			'service'
		);
		await expect(
			e.db.rpc(
				'private.account_set_areas',
				{ p_email: target.email, p_areas: ['IQG81', 'IQX404'] },
				'service'
			)
		).rejects.toMatchObject({ code: '22023', message: 'areas: unknown P-code IQX404' });
		await expect(
			e.db.rpc('private.areas_check', { p_areas: ['IQX405', 'IQX406'] }, 'service')
		).rejects.toMatchObject({ code: '22023', message: 'areas: unknown P-code IQX405' });
		expect(await stored()).toEqual(['IQG82']);
		expect(
			await e.db.rpc('private.areas_check', { p_areas: ['IQG82', 'IQG81'] }, 'service')
		).toEqual([
			{ pcode: 'IQG81', level: 1, name_en: 'Hillside', name_ar: 'التلال' },
			{ pcode: 'IQG82', level: 1, name_en: 'Riverside', name_ar: null }
		]);
		await expect(
			e.db.rpc('private.account_set_areas', { p_email: 'ghost@test.org', p_areas: [] }, 'service')
		).rejects.toMatchObject({ code: 'P0002' });
	});

	it('refuses every signed-in role and anonymous callers the service functions', async () => {
		for (const who of [u.admin, u.analyst, u.field, u.viewer, 'anon'] as const) {
			const label = typeof who === 'string' ? who : who.role;
			await expect(
				e.db.rpc('private.account_set_areas', { p_email: target.email, p_areas: ['IQG81'] }, who),
				label
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc('private.areas_check', { p_areas: ['IQG81'] }, who),
				label
			).rejects.toMatchObject({ code: '42501' });
		}
		expect(await stored()).toEqual(['IQG82']);
	});

	it('lets only admins set areas through user_set_areas (the users page), unknown P-codes refused', async () => {
		for (const who of [u.analyst, u.field, u.viewer] as const) {
			await expect(
				e.db.rpc('user_set_areas', { p_user_id: target.id, p_areas: ['IQG81'] }, who),
				who.role
			).rejects.toMatchObject({ code: '42501' });
		}
		await expect(
			e.db.rpc('user_set_areas', { p_user_id: target.id, p_areas: ['IQX1'] }, u.admin)
		).rejects.toMatchObject({ code: '22023' });
		expect(await stored()).toEqual(['IQG82']);
		expect(
			await e.db.rpc('user_set_areas', { p_user_id: target.id, p_areas: ['IQG81'] }, u.admin)
		).toMatchObject({ assigned_areas: ['IQG81'] });
		// The governorate covers the district inside it.
		expect(await seen()).toEqual(['Hala Hillside']);
	});
});
