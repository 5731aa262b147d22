/**
 * The reopened assessment's page (/assess/[id]) on every engine: its load and form actions run
 * the assessments verbs as the caller, so the SQL's RLS decides who reads, edits and finalises:
 * a draft is its author's and the analysts'; field staff cannot touch another's draft; viewers
 * read only final assessments (without contact names) and never edit; a final one is read-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, type Engine } from './helpers/db.ts';
import { create } from '../../src/lib/server/assessments/index.ts';
import * as page from '../../src/routes/(app)/assess/[id]/+page.server.ts';

const FIXTURE = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG01', 1, 'Alpha', 'ألفا', null, st_multi(st_makeenvelope(42, 36, 44, 37.5, 4326)));
insert into public.incidents (event_date, event_type, geom, admin1_pcode, status)
select date '2016-01-01' + i, 'battles', st_setsrid(st_point(42.5, 36.5), 4326), 'IQG01', 'verified'
from generate_series(1, 5) i;
insert into sensitive.contacts (id, full_name, sensitivity) values
  ('00000000-0000-4000-8000-0000000000d2', 'Secret Commander', 'restricted');
insert into sensitive.contact_areas (contact_id, pcode) values ('00000000-0000-4000-8000-0000000000d2', 'IQG01');
`;

type Out = { status?: number; data?: Record<string, unknown> } | Record<string, unknown>;
const form = (o: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(o)) f.set(k, v);
	return new Request('http://terrain.test/x', { method: 'POST', body: f });
};
const ev = (user: CallerUser, id: string, body: Record<string, string> = {}) =>
	({ locals: { user }, params: { id }, request: form(body) }) as never;

describe.each(engineNames())('the reopened assessment page on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let id = '';

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
		id = (await create(u.analyst, 'Alpha', { area: 'IQG01' }, 'first')).id;
	});
	afterAll(async () => e?.close());

	const load = (who: CallerUser) =>
		page.load(ev(who, id)) as Promise<{ a: Record<string, unknown>; canEdit: boolean }>;
	const act = (name: 'save' | 'finalise' | 'rerun', who: CallerUser, body = {}) =>
		(page.actions[name] as (e: never) => Promise<Out>)(ev(who, id, body));

	it('a draft: its author and analysts read and edit it; a viewer gets 404', async () => {
		const a = await load(u.analyst);
		expect(a.a.status).toBe('draft');
		expect(a.canEdit).toBe(true);
		expect(JSON.stringify(a.a.snapshot)).toContain('Secret Commander');
		await expect(load(u.viewer)).rejects.toMatchObject({ status: 404 });
		const saved = await act('save', u.admin, { title: ' Alpha, edited ', notes: '**bold**' });
		expect(saved).toEqual({ saved: true });
		const b = await load(u.analyst);
		expect(b.a).toMatchObject({ title: 'Alpha, edited', notes: '**bold**' });
	});

	it('field staff cannot change another’s draft; a blank title is refused by name', async () => {
		const other = await makeUser(e.db, 'field');
		await expect(load(other)).rejects.toMatchObject({ status: 404 });
		const r = (await act('save', other, { title: 'mine now', notes: '' })) as {
			status: number;
			data: { message: string };
		};
		expect(r.status).toBe(404);
		const blank = (await act('save', u.analyst, { title: '  ', notes: '' })) as {
			status: number;
			data: { field: string };
		};
		expect(blank.status).toBe(400);
		expect(blank.data.field).toBe('title');
		expect((await load(u.analyst)).a.title).toBe('Alpha, edited');
	});

	it('a viewer cannot finalise; the analyst does; then the viewer reads it, without names', async () => {
		// The viewer does not see the draft at all: not found, and nothing changed.
		const v = (await act('finalise', u.viewer)) as { status: number };
		expect(v.status).toBe(404);
		expect(await act('finalise', u.analyst)).toEqual({ finalised: true });
		const r = await load(u.viewer);
		expect(r.a.status).toBe('final');
		expect(r.canEdit).toBe(false);
		expect(JSON.stringify(r.a)).not.toContain('Secret Commander');
		// Final: nobody changes it any more, the analyst included (42501 → 403, the SQL's words).
		const late = (await act('save', u.analyst, { title: 'again', notes: '' })) as {
			status: number;
			data: { message: string };
		};
		expect(late.status).toBe(403);
		expect(late.data.message).toMatch(/final assessment cannot be changed/);
	});

	it('run again lists what changed, and keeps the snapshot', async () => {
		await e.db
			.execOwner(`insert into public.incidents (event_date, event_type, geom, admin1_pcode, status)
			values ('2016-06-01', 'battles', st_setsrid(st_point(42.6, 36.6), 4326), 'IQG01', 'verified')`);
		const r = (await act('rerun', u.viewer)) as {
			changes: { key: string; before: number; after: number }[];
		};
		expect(r.changes.find((c) => c.key === 'incidents.total')).toEqual({
			key: 'incidents.total',
			before: 5,
			after: 6
		});
		const a = await load(u.analyst);
		expect((a.a.snapshot as { incidents: { total: number } }).incidents.total).toBe(5);
	});
});
