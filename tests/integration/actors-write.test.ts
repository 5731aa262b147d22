/**
 * What a hand write of actors leaves (issue 16, 20261213100100): actors_before_write computes a
 * name's key once and skips the work empty arrays make pointless, and the actors are audited per
 * statement (private.audit_statement) instead of per row. Neither may change what a person's
 * insert, edit or delete of actors gives: the same tidy row (aliases trimmed and without repeats
 * or the name itself, the hints of known actors, NULL arrays made empty, name_keys as
 * actor_name_keys computes them) and one audit entry per row, with its before and after, under
 * the person's id. On PGlite and, with TEST_DATABASE_URL, on PostgreSQL+PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

type Actor = {
	id: string;
	name: string;
	name_ar: string | null;
	aliases: string[];
	sources: string[];
	name_keys: string[];
	keys_as_reference: string[];
};
type Entry = {
	action: string;
	actor_id: string | null;
	row_id: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
};

describe.each(engineNames())('hand writes of actors on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	const lastId = async () =>
		Number(
			(
				await e.db.queryOwner<{ m: string }>(
					`select coalesce(max(id), 0) as m from public.audit_log`
				)
			)[0].m
		);
	const entriesSince = (id: number) =>
		e.db.queryOwner<Entry>(
			`select action, actor_id, row_id, before, after from public.audit_log
			  where id > $1 and table_name = 'actors' order by id`,
			[id]
		);
	const current = async (ids: string[]) =>
		(
			await e.db.queryOwner<{ j: Record<string, unknown> }>(
				`select to_jsonb(a) as j from public.actors a where a.id = any ($1::uuid[]) order by a.name`,
				[ids]
			)
		).map((r) => r.j);

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		u = await makeRoles(e.db);
	}, 300_000);
	afterAll(async () => e?.close());

	it('tidies each row as before and audits every row of an insert, an edit and a delete', async () => {
		const start = await lastId();
		const made = await sqlAs<Actor>(
			e.db,
			u.analyst,
			`insert into public.actors (name, name_ar, aliases, sources) values
			   ('  IS  ', null, '{}', '{}'),
			   ('Mahdi Army ', ' ', null, null),
			   ('Peshmerga Unit 7', ' بيشمركة ', array[' PU7 ', '', 'pu7', 'Peshmerga unit 7', 'Zakho PU'],
			    array[' https://example.org/pu7 ', ' '])
			 returning id, name, name_ar, aliases, sources, name_keys,
			           public.actor_name_keys(name, name_ar, aliases) as keys_as_reference`,
			[],
			true
		);
		const by = Object.fromEntries(made.map((a) => [a.name, a]));
		// A known actor's hints (IS → its aliases and Arabic name) when it comes with no aliases.
		expect(by['IS'].name_ar).toBe('الدولة الإسلامية');
		expect(by['IS'].aliases).toContain('Daesh');
		// NULL aliases are not "no aliases": no hints, and the arrays come out empty.
		expect(by['Mahdi Army']).toMatchObject({ name_ar: null, aliases: [], sources: [] });
		expect(by['Peshmerga Unit 7']).toMatchObject({
			name_ar: 'بيشمركة',
			aliases: ['PU7', 'Zakho PU'],
			sources: ['https://example.org/pu7']
		});
		for (const a of made) expect(a.name_keys, a.name).toEqual(a.keys_as_reference);
		expect(by['Mahdi Army'].name_keys).toEqual(['mahdi army']);

		const ids = made.map((a) => a.id);
		const inserted = await entriesSince(start);
		expect(inserted.map((x) => [x.action, x.actor_id, x.before])).toEqual(
			made.map(() => ['insert', u.analyst.id, null])
		);
		expect(inserted.map((x) => x.row_id).sort()).toEqual([...ids].sort());
		const rowsNow = await current(ids);
		expect(
			[...inserted]
				.sort((a, b) => String(a.after?.name).localeCompare(String(b.after?.name)))
				.map((x) => x.after)
		).toEqual(rowsNow);

		// One edit of two rows: an entry each, before and after.
		const beforeEdit = await lastId();
		await sqlAs(
			e.db,
			u.analyst,
			`update public.actors set notes = 'seen in Zakho' where id = any ($1::uuid[])`,
			[ids.slice(1)],
			true
		);
		const edited = await entriesSince(beforeEdit);
		expect(edited.map((x) => x.action)).toEqual(['update', 'update']);
		for (const x of edited) {
			expect(x.actor_id).toBe(u.analyst.id);
			expect(x.before).toMatchObject({ id: x.row_id, notes: '' });
			expect(x.after).toMatchObject({ id: x.row_id, notes: 'seen in Zakho' });
		}
		expect(edited.map((x) => x.row_id).sort()).toEqual(ids.slice(1).sort());

		// A delete by an admin: its before.
		const beforeDelete = await lastId();
		await sqlAs(e.db, u.admin, `delete from public.actors where id = $1`, [ids[0]], true);
		const deleted = await entriesSince(beforeDelete);
		expect(deleted.map((x) => [x.action, x.actor_id, x.row_id, x.after])).toEqual([
			['delete', u.admin.id, ids[0], null]
		]);
		expect(deleted[0].before).toMatchObject({ id: ids[0], name: 'IS' });
	}, 120_000);
});
