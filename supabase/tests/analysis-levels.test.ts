/**
 * Security levels of areas (record, history, level in force, refusals, audit) and the area
 * profile, on every engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { SECURITY_SCALE } from '../../src/lib/domain/analysis-levels.ts';
import {
	engineNames,
	makeRoles,
	openEngine,
	sqlAs,
	type Engine
} from '../../tests/integration/helpers/db.ts';

const FIXTURE = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG81', 1, 'Northland', 'الشمال', null, st_multi(st_makeenvelope(42, 36, 44, 37, 4326))),
  ('IQD8101', 2, 'North West', 'الشمال الغربي', 'IQG81', st_multi(st_makeenvelope(42, 36, 43, 37, 4326))),
  ('IQD8102', 2, 'North East', 'الشمال الشرقي', 'IQG81', st_multi(st_makeenvelope(43, 36, 44, 37, 4326))),
  ('IQS810101', 3, 'Hill', 'التل', 'IQD8101', st_multi(st_makeenvelope(42, 36, 43, 37, 4326))),
  ('IQG82', 1, 'Southland', 'الجنوب', null, st_multi(st_makeenvelope(42, 35, 44, 36, 4326)));
insert into public.org_sites (name, site_type, geom, is_sample) values
  ('Office North', 'office', st_setsrid(st_point(42.5, 36.5), 4326), true),
  ('Base South', 'base', st_setsrid(st_point(43.5, 35.5), 4326), true);
insert into public.health_facilities (name, facility_type, geom) values ('Hill Hospital', 'hospital', st_setsrid(st_point(42.6, 36.6), 4326));
insert into public.idp_camps (name, population, geom) values ('Hill Camp', 5000, st_setsrid(st_point(42.7, 36.4), 4326));
insert into public.checkpoints (name, status, geom, controlled_by) values ('East Gate', 'restricted', st_setsrid(st_point(43.2, 36.2), 4326), 'Police');
`;

const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (n: number) =>
	new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

type Level = {
	id: string;
	pcode: string;
	level: number;
	note: string;
	effective_date: string;
	recorded_by: string;
	recorded_by_name: string;
};
type Current = {
	pcode: string;
	level: number;
	source_pcode: string;
	inherited: boolean;
	colour: string;
	effective_date: string;
	note: string;
};

describe.each(engineNames())('security levels on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const record = (as: CallerUser, a: Record<string, unknown>) =>
		e.db.rpc<Level>(
			'area_level_record',
			{ p_pcode: 'IQD8101', p_level: 3, p_note: 'Clashes on the main road.', ...a },
			as
		);

	it('has the scale the UI shows', async () => {
		const scale = await e.db.rpc<
			{ level: number; key: string; name: string; colour: string; movement: string }[]
		>('security_levels_scale', {}, u.viewer);
		expect(scale).toEqual(
			SECURITY_SCALE.map(({ level, key, name, colour, movement }) => ({
				level,
				key,
				name,
				colour,
				movement
			}))
		);
	});

	it('lets an analyst and an admin record a level, in their own name, and keeps every one', async () => {
		const a = await record(u.analyst, {
			p_level: 2,
			p_note: '  Calm week.  ',
			p_effective_date: '2018-01-01'
		});
		expect(a).toMatchObject({
			pcode: 'IQD8101',
			level: 2,
			note: 'Calm week.',
			effective_date: '2018-01-01',
			recorded_by: u.analyst.id,
			recorded_by_name: 'analyst'
		});
		await record(u.admin, {
			p_level: 4,
			p_note: 'IED on the road to the camp.',
			p_effective_date: '2018-03-10'
		});
		const c = await record(u.analyst, { p_level: 3 }); // effective today by default
		expect(c.effective_date).toBe(today());

		const history = await e.db.rpc<Level[]>('area_levels', { p_pcode: 'IQD8101' }, u.viewer);
		expect(history.map((h) => [h.level, h.effective_date])).toEqual([
			[3, today()],
			[4, '2018-03-10'],
			[2, '2018-01-01']
		]);
		expect(history[1].recorded_by_name).toBe('admin');
	});

	it('audits every recorded level', async () => {
		const r = await record(u.analyst, {
			p_level: 1,
			p_note: 'Audited.',
			p_effective_date: '2017-06-01'
		});
		const rows = await e.db.queryOwner<{
			actor_id: string;
			action: string;
			after: { note: string };
		}>(
			`select actor_id, action, after from public.audit_log where table_name = 'area_security_levels' and row_id = $1`,
			[r.id]
		);
		expect(rows).toEqual([
			expect.objectContaining({
				actor_id: u.analyst.id,
				action: 'insert',
				after: expect.objectContaining({ note: 'Audited.' })
			})
		]);
	});

	it('refuses field staff and viewers, and says why', async () => {
		for (const role of ['viewer', 'field'] as const) {
			await expect(record(u[role], {})).rejects.toMatchObject({
				code: '42501',
				message: 'only analysts and admins can record a security level'
			});
			// nor may they write the table directly
			await expect(
				sqlAs(
					e.db,
					u[role],
					`insert into public.area_security_levels (pcode, level, note, effective_date, recorded_by) values ('IQD8101', 1, 'x', '2018-01-01', $1)`,
					[u[role].id]
				)
			).rejects.toThrow(/row-level security/);
		}
		await expect(record('anon' as unknown as CallerUser, {})).rejects.toThrow();
	});

	it('refuses a level outside 1–5, a future date, an empty note and an unknown P-code', async () => {
		await expect(record(u.analyst, { p_level: 0 })).rejects.toMatchObject({
			code: '22023',
			message: 'level: must be a whole number from 1 to 5'
		});
		await expect(record(u.analyst, { p_level: 6 })).rejects.toThrow(/^level: /);
		await expect(record(u.analyst, { p_level: null })).rejects.toThrow(/^level: /);
		await expect(record(u.analyst, { p_effective_date: daysFromToday(2) })).rejects.toMatchObject({
			code: '22023',
			message: expect.stringMatching(/^effective_date: .* is in the future$/)
		});
		await expect(record(u.analyst, { p_note: '   ' })).rejects.toMatchObject({
			code: '22023',
			message: 'note: must not be empty'
		});
		await expect(record(u.analyst, { p_note: null })).rejects.toThrow(/^note: must not be empty/);
		await expect(record(u.analyst, { p_note: 'x'.repeat(2001) })).rejects.toThrow(
			/^note: must have at most 2000/
		);
		await expect(record(u.analyst, { p_pcode: 'IQX404' })).rejects.toMatchObject({
			code: 'P0002',
			message: 'pcode: no area with P-code IQX404'
		});
		await expect(e.db.rpc('area_levels', { p_pcode: 'IQX404' }, u.viewer)).rejects.toMatchObject({
			code: 'P0002'
		});
		// the table itself refuses the same (a direct insert by an analyst)
		const direct = (level: number, note: string, date: string) =>
			sqlAs(
				e.db,
				u.analyst,
				`insert into public.area_security_levels (pcode, level, note, effective_date) values ('IQD8101', $1, $2, $3)`,
				[level, note, date]
			);
		await expect(direct(7, 'x', '2018-01-01')).rejects.toThrow(/foreign key/);
		await expect(direct(2, ' ', '2018-01-01')).rejects.toThrow(/check constraint/);
		await expect(direct(2, 'x', daysFromToday(3))).rejects.toThrow(/in the future/);
		await expect(direct(2, 'x', '2018-01-01')).resolves.toEqual([]);
	});

	it('never lets anyone change or delete an assessment', async () => {
		for (const role of ['admin', 'analyst'] as const) {
			await expect(
				sqlAs(e.db, u[role], `update public.area_security_levels set level = 5`)
			).rejects.toThrow(/permission denied/);
			await expect(sqlAs(e.db, u[role], `delete from public.area_security_levels`)).rejects.toThrow(
				/permission denied/
			);
		}
	});

	it('gives the level in force per area on a date, inherited from the governorate where the area has none', async () => {
		await record(u.analyst, {
			p_pcode: 'IQG81',
			p_level: 2,
			p_note: 'Governorate-wide.',
			p_effective_date: '2018-02-01'
		});
		const on = async (date: string | null, level?: number) =>
			Object.fromEntries(
				(
					await e.db.rpc<Current[]>(
						'area_levels_current',
						{ p_as_of: date, p_level: level ?? null },
						u.viewer
					)
				).map((c) => [c.pcode, c])
			);

		const march = await on('2018-03-15');
		expect(march.IQD8101).toMatchObject({
			level: 4,
			source_pcode: 'IQD8101',
			inherited: false,
			effective_date: '2018-03-10',
			colour: '#b2182b'
		});
		expect(march.IQD8102).toMatchObject({ level: 2, source_pcode: 'IQG81', inherited: true });
		expect(march.IQS810101).toMatchObject({ level: 4, source_pcode: 'IQD8101', inherited: true });
		expect(march.IQG81).toMatchObject({ level: 2, inherited: false });
		expect(march.IQG82).toBeUndefined(); // nothing recorded there

		const jan = await on('2018-01-15');
		expect(jan.IQD8101.level).toBe(2);
		expect(jan.IQD8102).toBeUndefined(); // the governorate's level starts in February

		const now = await on(null, 2);
		expect(Object.keys(now).sort()).toEqual(['IQD8101', 'IQD8102']);
		expect(now.IQD8101.level).toBe(3);
	});

	it('puts the area, its hierarchy, its sites and its level on one profile', async () => {
		const p = await e.db.rpc<{
			name_ar: string;
			ancestors: { pcode: string }[];
			children: { pcode: string }[];
			org_sites: { name: string; is_sample: boolean }[];
			health_facilities: { name: string }[];
			idp_camps: { name: string; population: number }[];
			checkpoints: { name: string; status: string; controlled_by: string }[];
			current_level: Current;
			bbox: number[];
		}>('area_profile', { p_pcode: 'IQD8101' }, u.viewer);
		expect(p.name_ar).toBe('الشمال الغربي');
		expect(p.ancestors.map((a) => a.pcode)).toEqual(['IQG81']);
		expect(p.children.map((a) => a.pcode)).toEqual(['IQS810101']);
		expect(p.org_sites).toEqual([
			expect.objectContaining({ name: 'Office North', is_sample: true })
		]);
		expect(p.health_facilities.map((s) => s.name)).toEqual(['Hill Hospital']);
		expect(p.idp_camps).toEqual([expect.objectContaining({ name: 'Hill Camp', population: 5000 })]);
		expect(p.checkpoints).toEqual([]);
		expect(p.current_level.level).toBe(3);
		expect(p.bbox).toEqual([42, 36, 43, 37]);

		const east = await e.db.rpc<{
			checkpoints: { name: string; controlled_by: string }[];
			current_level: Current;
		}>('area_profile', { p_pcode: 'IQD8102' }, u.viewer);
		expect(east.checkpoints).toEqual([
			expect.objectContaining({ name: 'East Gate', controlled_by: 'Police' })
		]);
		expect(east.current_level).toMatchObject({ level: 2, inherited: true });
		await expect(e.db.rpc('area_profile', { p_pcode: 'IQX404' }, u.viewer)).rejects.toMatchObject({
			code: 'P0002'
		});
	});
});
