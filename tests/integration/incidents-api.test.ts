/**
 * The /api/v1 handlers of incident reporting, import and export (src/routes/api/v1/{incidents/report,imports,exports})
 * against a real database, per role: validation errors per field, the workflow, imports from a
 * request body, exports that stream only what the caller may see.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import * as exports from '../../src/routes/api/v1/exports/+server.ts';
import * as imports from '../../src/routes/api/v1/imports/+server.ts';
import * as report from '../../src/routes/api/v1/incidents/report/+server.ts';
import * as reportMerge from '../../src/routes/api/v1/incidents/report/[id]/merge/+server.ts';
import * as reportOne from '../../src/routes/api/v1/incidents/report/[id]/+server.ts';
import * as reportTransition from '../../src/routes/api/v1/incidents/report/[id]/transition/+server.ts';
import { incidentPaths } from '../../src/lib/server/incidents/openapi.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';

type Handler = (event: RequestEvent) => Promise<Response>;

// `unknown`: each route's handler is typed by its own params and route id.
async function call(
	handler: unknown,
	as: CallerUser | null,
	path: string,
	o: {
		params?: Record<string, string>;
		method?: string;
		body?: unknown;
		raw?: string;
		type?: string;
	} = {}
) {
	const url = new URL(path, 'http://terrain.test');
	const method = o.method ?? (o.body === undefined && o.raw === undefined ? 'GET' : 'POST');
	const request = new Request(url, {
		method,
		headers: { 'content-type': o.type ?? 'application/json' },
		body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body))
	});
	const event = {
		url,
		request,
		params: o.params ?? {},
		locals: { user: as, authVia: as ? 'token' : null, locale: 'en' },
		route: { id: null }
	} as unknown as RequestEvent;
	const r = await (handler as Handler)(event);
	const type = r.headers.get('content-type') ?? '';
	return {
		status: r.status,
		type,
		headers: r.headers,
		body: type.includes('json') && !type.includes('geo') ? await r.json() : await r.text()
	};
}

describe.each(engineNames())('incident API on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let id = '';

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(
			`insert into public.areas (pcode, level, name_en, geom) values ('IQG98', 1, 'Testland', st_multi(st_makeenvelope(42, 35.5, 44.5, 37, 4326)))`
		);
		u = await makeRoles(e.db);
		setDb(e.db);
	});
	afterAll(async () => e?.close());

	it('creates a report from typed DMS coordinates and answers 201 with duplicates', async () => {
		const r = await call(report.POST, u.field, '/api/v1/incidents/report', {
			body: {
				event_date: '2024-06-01',
				event_type: 'riots',
				coordinates: `36°20'24"N 43°07'48"E`,
				notes: 'Crowd at the gate',
				actor1: { name: 'Protesters (Iraq)' }
			}
		});
		expect(r.status).toBe(201);
		expect(r.body.incident).toMatchObject({
			status: 'reported',
			reported_by: u.field.id,
			admin1_pcode: 'IQG98',
			actor1: 'Protesters (Iraq)'
		});
		expect(r.body.incident.lat).toBeCloseTo(36.34, 5);
		expect(r.body.duplicates).toEqual([]);
		id = r.body.incident.id;
	});

	it('answers 400 naming each wrong field, in English', async () => {
		const r = await call(report.POST, u.field, '/api/v1/incidents/report', {
			body: { event_date: '2024-02-30', event_type: 'riot', coordinates: '120.5, 36.3' }
		});
		expect(r.status).toBe(400);
		expect(r.body.errors).toEqual({
			event_date: 'Not a real calendar date.',
			event_type: 'Choose an event type.'
		});
		const swapped = await call(report.POST, u.field, '/api/v1/incidents/report', {
			body: { event_date: '2024-02-01', event_type: 'riots', coordinates: '120.5, 36.3' }
		});
		expect(swapped.body).toMatchObject({
			parameter: 'coordinates',
			errors: { coordinates: 'Latitude and longitude look swapped.' }
		});
		expect(
			(await call(report.POST, u.viewer, '/api/v1/incidents/report', { body: {} })).status
		).toBe(403);
		expect((await call(report.POST, null, '/api/v1/incidents/report', { body: {} })).status).toBe(
			401
		);
	});

	it('lists with full-text search and respects RLS', async () => {
		const a = await call(
			report.GET,
			u.analyst,
			'/api/v1/incidents/report?q=crowd&sort=fatalities&dir=asc'
		);
		expect(a.body).toMatchObject({ total: 1, page: 1 });
		expect((await call(report.GET, u.viewer, '/api/v1/incidents/report?q=crowd')).body.total).toBe(
			0
		);
		expect(
			(await call(report.GET, u.viewer, '/api/v1/incidents/report?sort=colour')).body
		).toMatchObject({ parameter: 'sort' });
	});

	it('edits, verifies and shows the history; field staff and viewers may not', async () => {
		expect(
			(await call(reportOne.POST, u.field, '/x', { params: { id }, body: { fatalities: 1 } }))
				.status
		).toBe(403);
		const ed = await call(reportOne.POST, u.analyst, '/x', {
			params: { id },
			body: { fatalities: 2, coordinates: '36.5, 43.5' }
		});
		expect(ed.status).toBe(200);
		expect(ed.body).toMatchObject({ fatalities: 2, lat: 36.5, lon: 43.5 });
		expect(
			(await call(reportOne.POST, u.analyst, '/x', { params: { id }, body: { fatalities: -1 } }))
				.body.errors
		).toEqual({ fatalities: 'A whole number, 0 or more.' });
		expect(
			(
				await call(reportTransition.POST, u.viewer, '/x', {
					params: { id },
					body: { to: 'verified' }
				})
			).status
		).toBe(403);
		expect(
			(
				await call(reportTransition.POST, u.analyst, '/x', {
					params: { id },
					body: { to: 'rejected' }
				})
			).body.message
		).toMatch(/^reason: /);
		expect(
			(
				await call(reportTransition.POST, u.analyst, '/x', {
					params: { id },
					body: { to: 'verified' }
				})
			).body.status
		).toBe('verified');
		const full = await call(reportOne.GET, u.analyst, '/x', { params: { id } });
		expect(full.body.history.map((h: { action: string }) => h.action)).toEqual([
			'insert',
			'update',
			'transition'
		]);
		// A viewer sees only what was theirs to see at the time: from its verification on, the
		// editor as a role (issue 10, need-to-know in history).
		const g = await call(reportOne.GET, u.viewer, '/x', { params: { id } });
		expect(g.status).toBe(200);
		expect(g.body.history.map((h: { action: string }) => h.action)).toEqual(['transition']);
		expect(g.body.history[0].actor).toEqual({ role: 'analyst' });
		expect(g.body.duplicates).toBeUndefined();
		expect(
			(
				await call(reportOne.GET, u.viewer, '/x', {
					params: { id: '00000000-0000-0000-0000-000000000000' }
				})
			).status
		).toBe(404);
	});

	it('merges a duplicate and undoes it', async () => {
		const other = (
			await call(report.POST, u.analyst, '/api/v1/incidents/report', {
				body: {
					event_date: '2024-06-01',
					event_type: 'riots',
					lon: 43.5,
					lat: 36.505,
					source: 'Radio'
				}
			})
		).body;
		expect(other.duplicates.map((d: { id: string }) => d.id)).toContain(id);
		const m = await call(reportMerge.POST, u.analyst, '/x', {
			params: { id },
			body: { other: other.incident.id }
		});
		expect(m.status).toBe(200);
		const undo = await call(reportMerge.DELETE, u.analyst, `/x?merge=${m.body.merge_id}`, {
			params: { id },
			method: 'DELETE'
		});
		expect(undo.body.restored.merged_into).toBeNull();
	});

	it('imports a request body, and refuses viewers', async () => {
		const csv = readFileSync(
			join(import.meta.dirname, '..', 'fixtures', 'import', 'hxl_incidents.csv'),
			'utf8'
		);
		expect(
			(
				await call(imports.POST, u.viewer, '/api/v1/imports?into=incidents', {
					raw: csv,
					type: 'text/csv'
				})
			).status
		).toBe(403);
		const dry = await call(
			imports.POST,
			u.analyst,
			'/api/v1/imports?into=incidents&dry_run=1&filename=hxl.csv',
			{ raw: csv, type: 'text/csv' }
		);
		expect(dry.body).toMatchObject({ dry_run: true, rows_read: 2, valid: 2, preset: 'hxl' });
		const done = await call(
			imports.POST,
			u.analyst,
			'/api/v1/imports?into=incidents&filename=hxl.csv',
			{ raw: csv, type: 'text/csv' }
		);
		expect(done.body).toMatchObject({ committed: true, inserted: 2, source: 'hxl' });
		const bad = await call(
			imports.POST,
			u.analyst,
			'/api/v1/imports?into=incidents&filename=x.kml',
			{
				raw: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><kml/>',
				type: 'application/octet-stream'
			}
		);
		expect(bad.status).toBe(422);
		expect(bad.body.fatal.message).toMatch(/DOCTYPE/);
		expect(
			(await call(imports.POST, u.analyst, '/api/v1/imports?into=planets', { raw: csv })).body
		).toMatchObject({ parameter: 'into' });
		const list = await call(imports.GET, u.analyst, '/api/v1/imports');
		expect(list.body.jobs.length).toBeGreaterThanOrEqual(1);
	});

	it('exports as a streamed, named file, only what the caller may see', async () => {
		const csv = await call(exports.GET, u.viewer, '/api/v1/exports?format=csv');
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-disposition')).toMatch(
			/terrain-incidents-\d{4}-\d{2}-\d{2}\.csv/
		);
		expect((csv.body as string).split('\r\n').filter(Boolean).length).toBe(2 + 1); // header, HXL, the verified one
		const kml = await call(
			exports.GET,
			u.analyst,
			'/api/v1/exports?format=kml&from=2024-05-01&type=riots'
		);
		expect(kml.type).toBe('application/vnd.google-earth.kml+xml');
		expect((kml.body as string).match(/<Placemark/g)?.length).toBe(3); // two reports and the HXL file's riot
		expect((await call(exports.GET, u.analyst, '/api/v1/exports?format=pdf')).body).toMatchObject({
			parameter: 'format'
		});
	});

	it('describes each of its routes in OpenAPI with auth and error answers', () => {
		expect(Object.keys(incidentPaths).sort()).toEqual([
			'/exports',
			'/imports',
			'/incidents/report',
			'/incidents/report/{id}',
			'/incidents/report/{id}/merge',
			'/incidents/report/{id}/transition'
		]);
		for (const [path, ops] of Object.entries(incidentPaths)) {
			for (const [method, o] of Object.entries(ops)) {
				expect(Object.keys(o!.responses), `${method} ${path}`).toContain('401');
			}
		}
	});
});
