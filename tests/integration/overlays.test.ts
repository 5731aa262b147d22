/**
 * Map overlays (issue 13) through the API handlers, on PGlite and PostgreSQL: a KML with a road
 * (a line), a zone and a point is stored with all three; a private overlay is invisible to others
 * (list, GET by id, PATCH, DELETE all answer as if it did not exist); an organisation overlay is
 * seen by a viewer, who still cannot add, change or delete one; bad files are refused with the
 * file and the feature named (DOCTYPE, a self-intersecting zone, too many vertices, a zip bomb,
 * not a map file); GPX tracks and KMZ work. Also the area populations behind the rate shading.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { GET as listGet, POST as create } from '../../src/routes/api/v1/overlays/+server.ts';
import {
	DELETE as del,
	GET as oneGet,
	PATCH as patch
} from '../../src/routes/api/v1/overlays/[id]/+server.ts';
import { GET as populationGet } from '../../src/routes/api/v1/areas/population/+server.ts';
import { callRoute } from './helpers/route.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

const KML = readFileSync(join(import.meta.dirname, '../fixtures/overlays/dohuk-routes.kml'));

/** POSTs a multipart upload to the create handler, as hooks.server.ts would after sign-in. */
async function upload(
	as: CallerUser,
	file: { name: string; bytes: Buffer | string },
	fields: Record<string, string> = {}
) {
	const form = new FormData();
	form.set(
		'file',
		new File([typeof file.bytes === 'string' ? file.bytes : new Uint8Array(file.bytes)], file.name)
	);
	for (const [k, v] of Object.entries(fields)) form.set(k, v);
	const url = new URL('http://terrain.test/api/v1/overlays');
	const request = new Request(url, { method: 'POST', body: form });
	const event = {
		url,
		request,
		params: {},
		locals: { user: as, locale: 'en' },
		route: { id: null }
	};
	const r = await (create as (e: RequestEvent) => Promise<Response>)(
		event as unknown as RequestEvent
	);
	return { status: r.status, body: await r.json() };
}

const polygonFeature = (name: string, ring: number[][]) => ({
	type: 'Feature',
	properties: { name },
	geometry: { type: 'Polygon', coordinates: [ring] }
});
const geojson = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe.each(engineNames())('map overlays on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let privateId: string;
	let orgId: string;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	const list = async (as: CallerUser) =>
		(await callRoute<{ id: string }[]>(listGet, as, '/api/v1/overlays')).body.map((o) => o.id);
	const one = (as: CallerUser, id: string) =>
		callRoute(oneGet, as, `/api/v1/overlays/${id}`, { params: { id } });

	it('stores a KML road (a line), a zone and a point, with its name and style', async () => {
		const r = await upload(
			u.analyst,
			{ name: 'dohuk-routes.kml', bytes: KML },
			{
				name: 'Our routes',
				colour: '#1c7ed6',
				width: '4',
				label_field: 'name'
			}
		);
		expect(r.status, JSON.stringify(r.body)).toBe(201);
		expect(r.body).toMatchObject({
			name: 'Our routes',
			visibility: 'private',
			style: { colour: '#1c7ed6', width: 4, label_field: 'name' },
			source_file: 'dohuk-routes.kml',
			mine: true,
			features: 3
		});
		expect([...r.body.geometry_types].sort()).toEqual(['LineString', 'Point', 'Polygon']);
		privateId = r.body.id;

		const g = await one(u.analyst, privateId);
		expect(g.status).toBe(200);
		expect(g.type).toContain('application/geo+json');
		const road = g.body.features.find(
			(f: { geometry: { type: string } }) => f.geometry.type === 'LineString'
		);
		expect(road.properties).toMatchObject({ name: 'Dohuk – Zakho road', class: 'primary' });
		expect(road.geometry.coordinates).toHaveLength(5);
		expect(road.geometry.coordinates[0]).toEqual([42.9885, 36.8669]);
		// Styling that togeojson reads from the KML is not data.
		expect(Object.keys(road.properties).some((k) => /^(stroke|styleUrl)/.test(k))).toBe(false);
		// Stored as PostGIS geometries, checked independently.
		const [row] = await sqlAs<{ n: number; len: number }>(
			e.db,
			u.analyst,
			`select count(*)::int as n,
			        round(max(st_length(geom::geography))::numeric / 1000)::int as len
			   from public.overlay_features where overlay_id = $1`,
			[privateId]
		);
		// Haversine over the five vertices gives 41.7 km.
		expect(row).toEqual({ n: 3, len: 42 });
	});

	it('keeps a private overlay from everyone else, admins included', async () => {
		expect(await list(u.analyst)).toContain(privateId);
		for (const who of ['viewer', 'field', 'admin'] as const) {
			expect(await list(u[who])).not.toContain(privateId);
			expect((await one(u[who], privateId)).status).toBe(404);
			const p = await callRoute(patch, u[who], `/api/v1/overlays/${privateId}`, {
				params: { id: privateId },
				method: 'PATCH',
				body: { name: 'taken' }
			});
			expect(p.status).toBe(404);
			const d = await callRoute(del, u[who], `/api/v1/overlays/${privateId}`, {
				params: { id: privateId },
				method: 'DELETE'
			});
			expect(d.status).toBe(404);
		}
		// Not even the features table leaks it.
		const [row] = await sqlAs<{ n: number }>(
			e.db,
			u.viewer,
			'select count(*)::int as n from public.overlay_features where overlay_id = $1',
			[privateId]
		);
		expect(row.n).toBe(0);
	});

	it('shows an organisation overlay to a viewer, who cannot add, change or delete one', async () => {
		const zone = polygonFeature('Checkpoint zone', [
			[43.0, 36.8],
			[43.1, 36.8],
			[43.1, 36.9],
			[43.0, 36.8]
		]);
		const r = await upload(
			u.field,
			{ name: 'zones.geojson', bytes: geojson(zone) },
			{
				visibility: 'organisation'
			}
		);
		expect(r.status, JSON.stringify(r.body)).toBe(201);
		expect(r.body.name).toBe('zones');
		orgId = r.body.id;
		expect(await list(u.viewer)).toContain(orgId);
		const g = await one(u.viewer, orgId);
		expect(g.body.features[0].geometry.type).toBe('Polygon');
		expect(g.body.overlay.mine).toBe(false);

		const add = await upload(u.viewer, { name: 'zones.geojson', bytes: geojson(zone) });
		expect(add.status).toBe(403);
		const p = await callRoute(patch, u.viewer, `/api/v1/overlays/${orgId}`, {
			params: { id: orgId },
			method: 'PATCH',
			body: { style: { colour: '#000000' } }
		});
		expect(p.status).toBe(403);
		const d = await callRoute(del, u.analyst, `/api/v1/overlays/${orgId}`, {
			params: { id: orgId },
			method: 'DELETE'
		});
		expect(d.status).toBe(403);
	});

	it('restyles by merge (owner, or an admin for an organisation overlay) and deletes', async () => {
		const p = await callRoute(patch, u.admin, `/api/v1/overlays/${orgId}`, {
			params: { id: orgId },
			method: 'PATCH',
			body: { style: { width: 6 } }
		});
		expect(p.status, JSON.stringify(p.body)).toBe(200);
		expect(p.body.style).toMatchObject({ width: 6, colour: '#d9480f' });
		const own = await callRoute(patch, u.analyst, `/api/v1/overlays/${privateId}`, {
			params: { id: privateId },
			method: 'PATCH',
			body: { name: 'Routes (checked)', style: { colour: '#2F9E44' } }
		});
		expect(own.body).toMatchObject({
			name: 'Routes (checked)',
			style: { colour: '#2f9e44', width: 4, label_field: 'name' }
		});
		const bad = await callRoute(patch, u.analyst, `/api/v1/overlays/${privateId}`, {
			params: { id: privateId },
			method: 'PATCH',
			body: { style: { colour: 'red' } }
		});
		expect(bad.status).toBe(400);
		expect(bad.body.parameter).toBe('style.colour');

		const d = await callRoute(del, u.analyst, `/api/v1/overlays/${privateId}`, {
			params: { id: privateId },
			method: 'DELETE'
		});
		expect(d.status).toBe(200);
		expect((await one(u.analyst, privateId)).status).toBe(404);
		const [row] = await sqlAs<{ n: number }>(
			e.db,
			u.analyst,
			'select count(*)::int as n from public.overlay_features where overlay_id = $1',
			[privateId]
		);
		expect(row.n).toBe(0);
	});

	it('refuses bad files with the file and the feature named, and stores nothing of them', async () => {
		const before = (await list(u.analyst)).length;
		const refused = async (name: string, bytes: Buffer | string, pattern: RegExp) => {
			const r = await upload(u.analyst, { name, bytes });
			expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(400);
			expect(r.body.parameter).toBe('file');
			expect(r.body.message).toMatch(pattern);
		};
		await refused(
			'xxe.kml',
			'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml><Placemark><name>&x;</name></Placemark></kml>',
			/xxe\.kml: .*DOCTYPE/
		);
		const bowtie = polygonFeature('Bowtie', [
			[43, 36],
			[43.2, 36.2],
			[43.2, 36],
			[43, 36.2],
			[43, 36]
		]);
		const fine = polygonFeature('Fine', [
			[43, 36],
			[43.1, 36],
			[43.1, 36.1],
			[43, 36]
		]);
		await refused('zones.geojson', geojson(fine, bowtie), /feature 2 \(Bowtie\): invalid geometry/);
		const long = {
			type: 'Feature',
			properties: { name: 'Long road' },
			geometry: {
				type: 'LineString',
				coordinates: Array.from({ length: 10_001 }, (_, i) => [43 + i * 1e-5, 36])
			}
		};
		await refused('roads.geojson', geojson(long), /feature 1 \(Long road\): 10001 vertices/);
		await refused('notes.txt', 'hello', /notes\.txt: not a KML, KMZ, GeoJSON or GPX file/);
		const bomb = new JSZip();
		bomb.file('doc.kml', '<kml>' + ' '.repeat(30 * 1024 * 1024) + '</kml>');
		const bombBytes = await bomb.generateAsync({
			type: 'nodebuffer',
			compression: 'DEFLATE',
			compressionOptions: { level: 9 }
		});
		await refused('bomb.kmz', bombBytes, /bomb\.kmz: .*zip bomb/);
		expect((await list(u.analyst)).length).toBe(before);
	});

	it('reads a GPX track and a KMZ', async () => {
		const gpx = `<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
			<trk><name>Patrol</name><trkseg><trkpt lat="36.86" lon="42.98"/><trkpt lat="36.87" lon="43.00"/><trkpt lat="36.88" lon="43.02"/></trkseg></trk></gpx>`;
		const g = await upload(u.analyst, { name: 'patrol.gpx', bytes: gpx });
		expect(g.status, JSON.stringify(g.body)).toBe(201);
		expect(g.body.geometry_types).toEqual(['LineString']);
		const zip = new JSZip();
		zip.file('doc.kml', KML);
		const kmz = await upload(u.analyst, {
			name: 'routes.kmz',
			bytes: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
		});
		expect(kmz.status, JSON.stringify(kmz.body)).toBe(201);
		expect(kmz.body.features).toBe(3);
	});

	it('gives the population per area where known, and leaves unknown areas out', async () => {
		const [d] = await sqlAs<{ pcode: string; parent: string }>(
			e.db,
			u.admin,
			`select pcode, parent_pcode as parent from public.areas where level = 2 order by pcode limit 1`,
			[]
		);
		await sqlAs(
			e.db,
			u.analyst,
			`select public.area_community_save($1, $2::jsonb)`,
			[d.pcode, JSON.stringify({ population: 250000, population_date: '2024-01-01' })],
			true
		);
		const r = await callRoute(populationGet, u.viewer, '/api/v1/areas/population?level=2');
		expect(r.status).toBe(200);
		expect(r.body).toContainEqual({
			pcode: d.pcode,
			population: 250000,
			population_date: '2024-01-01',
			from_children: false
		});
		// Its governorate has other districts without a figure: no population, not a partial sum.
		const g = await callRoute(populationGet, u.viewer, '/api/v1/areas/population?level=1');
		expect(g.body.find((x: { pcode: string }) => x.pcode === d.parent)).toBeUndefined();
		const bad = await callRoute(populationGet, u.viewer, '/api/v1/areas/population?level=4');
		expect(bad.status).toBe(400);
	});
});
