/**
 * POST /api/v1/incidents/report/batch (issue 14), on both engines: many reports in one request,
 * each under its client id as idempotency key, answered one by one and in order. Replaying the
 * same batch, or sending in a batch a report already sent alone, creates nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import * as batch from '../../src/routes/api/v1/incidents/report/batch/+server.ts';
import * as incidents from '../../src/lib/server/incidents/index.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';

type Result = {
	id: string;
	status: number;
	incident?: { id: string; location_name: string; notes: string };
	errors?: Record<string, string>;
	message?: string;
};

const report = (tag: string, n: number, extra: Record<string, unknown> = {}) => ({
	event_date: '2026-11-0' + ((n % 9) + 1),
	event_type: 'protests',
	coordinates: `36.${10 + n}, 43.${10 + n}`,
	location_name: `${tag} place ${n}`,
	notes: `${tag} report ${n}`,
	...extra
});

describe.each(engineNames())('batched reports on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(
			`insert into public.areas (pcode, level, name_en, geom) values ('IQG97', 1, 'Batchland', st_multi(st_makeenvelope(42, 35.5, 44.5, 37, 4326)))`
		);
		u = await makeRoles(e.db);
		setDb(e.db);
	});
	afterAll(async () => e?.close());

	const count = async (tag: string) =>
		Number(
			(
				await e.db.queryOwner<{ n: string }>(
					'select count(*) as n from public.incidents where location_name like $1',
					[`${tag} %`]
				)
			)[0].n
		);
	const send = (as: CallerUser, items: unknown) =>
		callRoute<{ results: Result[] }>(batch.POST, as, '/api/v1/incidents/report/batch', {
			body: { items }
		});

	it('stores each item once, answers each in order, and a replay changes nothing', async () => {
		const tag = `B${Date.now().toString(36)}`;
		const items = [
			{ id: `${tag}-1`, body: report(tag, 1) },
			{ id: `${tag}-2`, body: report(tag, 2, { event_type: 'no such type' }) },
			{ id: `${tag}-3`, body: report(tag, 3) }
		];
		const first = await send(u.field, items);
		expect(first.status, first.text).toBe(200);
		expect(first.body.results.map((r) => [r.id, r.status])).toEqual([
			[`${tag}-1`, 201],
			[`${tag}-2`, 400],
			[`${tag}-3`, 201]
		]);
		expect(first.body.results[0].incident?.notes).toBe(`${tag} report 1`);
		expect(first.body.results[2].incident?.location_name).toBe(`${tag} place 3`);
		expect(Object.keys(first.body.results[1].errors ?? {})).toEqual(['event_type']);
		expect(await count(tag)).toBe(2);

		// The same batch again (the answer was lost on the way back): the same answers, no new rows.
		const again = await send(u.field, items);
		expect(again.body.results.map((r) => r.status)).toEqual([201, 400, 201]);
		expect(again.body.results[0].incident?.id).toBe(first.body.results[0].incident?.id);
		expect(again.body.results[2].incident?.id).toBe(first.body.results[2].incident?.id);
		expect(await count(tag)).toBe(2);
	});

	it('recognises a report first sent alone under the same id', async () => {
		const tag = `S${Date.now().toString(36)}`;
		const alone = await incidents.create(
			u.analyst,
			report(tag, 1),
			{},
			{ idempotencyKey: `${tag}-1` }
		);
		expect(alone.ok).toBe(true);
		const r = await send(u.analyst, [
			{ id: `${tag}-1`, body: report(tag, 1) },
			{ id: `${tag}-2`, body: report(tag, 2) }
		]);
		expect(r.body.results.map((x) => x.status)).toEqual([201, 201]);
		expect(r.body.results[0].incident?.id).toBe(alone.ok ? alone.incident.id : 'not created');
		expect(await count(tag)).toBe(2);
		// The same id for another report is that item's 422, not the batch's.
		const reused = await send(u.analyst, [
			{ id: `${tag}-1`, body: report(tag, 9) },
			{ id: `${tag}-3`, body: report(tag, 3) }
		]);
		expect(reused.body.results.map((x) => x.status)).toEqual([422, 201]);
		expect(await count(tag)).toBe(3);
	});

	it('refuses viewers, and envelopes that are not a list of {id, body}', async () => {
		const tag = `V${Date.now().toString(36)}`;
		expect((await send(u.viewer, [{ id: `${tag}-1`, body: report(tag, 1) }])).status).toBe(403);
		expect((await send(u.field, [])).status).toBe(400);
		expect((await send(u.field, [{ id: 'has space', body: report(tag, 1) }])).status).toBe(400);
		expect((await send(u.field, [{ body: report(tag, 1) }])).status).toBe(400);
		expect(await count(tag)).toBe(0);
	});
});
