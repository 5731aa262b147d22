/**
 * Location fuzzing (issue #10, point 5), on every engine: a viewer, and a field user outside the
 * incident's area, never receive a sensitive incident's exact coordinates through any endpoint —
 * each raw response body (the files of every export format included) is searched for the exact
 * lon/lat as text — nor can they find the exact point by filtering (a tiny bbox or proximity
 * radius around it finds nothing). Analysts, and the field user whose area it is, get the exact
 * point; the coarse point is the same on every path and every call; non-sensitive incidents are
 * untouched.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';

import * as geojsonApi from '../../src/routes/api/v1/incidents/+server.ts';
import * as detailApi from '../../src/routes/api/v1/incidents/[id]/+server.ts';
import * as countsApi from '../../src/routes/api/v1/incidents/counts/+server.ts';
import * as reportApi from '../../src/routes/api/v1/incidents/report/+server.ts';
import * as reportIdApi from '../../src/routes/api/v1/incidents/report/[id]/+server.ts';
import * as mapPoints from '../../src/routes/api/v1/map/incidents/+server.ts';
import * as mapDensity from '../../src/routes/api/v1/map/density/+server.ts';
import * as mapHighlight from '../../src/routes/api/v1/map/highlight/+server.ts';
import * as exportsApi from '../../src/routes/api/v1/exports/+server.ts';
import * as proximityApi from '../../src/routes/api/v1/proximity/+server.ts';
import * as statsIncidents from '../../src/routes/api/v1/stats/incidents/+server.ts';
import * as statsAreas from '../../src/routes/api/v1/stats/areas/+server.ts';
import * as statsTime from '../../src/routes/api/v1/stats/time-of-day/+server.ts';
import * as statsCalendar from '../../src/routes/api/v1/stats/calendar/+server.ts';
import * as statsSources from '../../src/routes/api/v1/stats/sources/+server.ts';
import * as statsActors from '../../src/routes/api/v1/stats/actors/+server.ts';

const S1 = '00000000-0000-0000-00f0-000000000001'; // affects us: sensitive by default
const S2 = '00000000-0000-0000-00f0-000000000002'; // marked sensitive, in no area: grid
const N1 = '00000000-0000-0000-00f0-000000000003'; // not sensitive
const X1 = '00000000-0000-0000-00f0-000000000004'; // affects us, explicitly not sensitive

const EXACT: Record<string, [number, number]> = {
	[S1]: [43.712345, 36.287654],
	[S2]: [40.123456, 33.456789]
};
const N1_POINT: [number, number] = [43.654321, 36.345678];

const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG91', 1, 'Fuzz Governorate', null, st_multi(st_makeenvelope(43, 35, 45, 37, 4326))),
  ('IQD9101', 2, 'Fuzz District', 'IQG91', st_multi(st_makeenvelope(43.5, 36.0, 44.0, 36.5, 4326))),
  ('IQD9102', 2, 'Other District', 'IQG91', st_multi(st_makeenvelope(44.0, 36.0, 44.5, 36.5, 4326))),
  ('IQS910101', 3, 'Fuzz Sub-district', 'IQD9101', st_multi(st_makeenvelope(43.6, 36.2, 43.9, 36.4, 4326)));
insert into public.incidents (id, event_date, event_type, geom, admin1_pcode, admin2_pcode, admin3_pcode,
                              fatalities, status, confidentiality, affects_us, sensitive_location, location_name, source)
values
  ('${S1}', '2024-05-02', 'battles', st_setsrid(st_point(${EXACT[S1][0]}, ${EXACT[S1][1]}), 4326),
   'IQG91', 'IQD9101', 'IQS910101', 1, 'verified', 'internal', true, null, 'our office', 'staff'),
  ('${S2}', '2024-05-03', 'battles', st_setsrid(st_point(${EXACT[S2][0]}, ${EXACT[S2][1]}), 4326),
   null, null, null, 0, 'verified', 'internal', false, true, 'desert road', 'staff'),
  ('${N1}', '2024-05-04', 'battles', st_setsrid(st_point(${N1_POINT[0]}, ${N1_POINT[1]}), 4326),
   'IQG91', 'IQD9101', 'IQS910101', 2, 'verified', 'internal', false, null, 'market', 'press'),
  ('${X1}', '2024-05-05', 'protests', st_setsrid(st_point(43.8, 36.3), 4326),
   'IQG91', 'IQD9101', 'IQS910101', 0, 'verified', 'internal', true, false, 'square', 'press');
`;

/** The exact coordinates as any emitter could print them: 3 decimals, truncated or rounded. */
function exactStrings(id: string): string[] {
	const out = new Set<string>();
	for (const v of EXACT[id]) {
		out.add((Math.trunc(v * 1000) / 1000).toFixed(3));
		out.add(v.toFixed(3));
	}
	return [...out];
}

/** What a response carries as text: the body, or every cell of an XLSX workbook. */
async function bodyText(r: { type: string | null; text: string }, raw?: ArrayBuffer) {
	if (raw && r.type?.includes('spreadsheetml')) {
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(raw);
		const cells: string[] = [];
		wb.eachSheet((ws) =>
			ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? ''))))
		);
		return cells.join('\n');
	}
	return r.text;
}

describe.each(engineNames())('location fuzzing on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let fieldIn: CallerUser;
	let fieldOut: CallerUser;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		setDb(e.db);
		u = await makeRoles(e.db);
		fieldIn = await makeUser(e.db, 'field', `field-in-${engineName}@test.org`);
		fieldOut = await makeUser(e.db, 'field', `field-out-${engineName}@test.org`);
		await e.db.rpc(
			'private.account_set_areas',
			{ p_email: fieldIn.email, p_areas: ['IQD9101'] },
			'service'
		);
		await e.db.rpc(
			'private.account_set_areas',
			{ p_email: fieldOut.email, p_areas: ['IQD9102'] },
			'service'
		);
	}, 180_000);
	afterAll(async () => e?.close());

	const detail = async (as: CallerUser, id: string) => {
		const r = await callRoute(detailApi.GET, as, `/api/v1/incidents/${id}`, { params: { id } });
		expect(r.status).toBe(200);
		return r.body as {
			lon: number;
			lat: number;
			geo_precision: number;
			location_fuzzed: boolean;
			sensitive_location: boolean;
		};
	};

	// Every endpoint that emits or filters by incident coordinates, as a table.
	const WIDE = 'bbox=35,30,50,40';
	const pointAt = (id: string) =>
		encodeURIComponent(JSON.stringify({ type: 'Point', coordinates: EXACT[id] }));
	const ENDPOINTS: [string, unknown, string, Record<string, string>?][] = [
		['map points', mapPoints.GET, `/api/v1/map/incidents?${WIDE}`],
		['density (finest cell)', mapDensity.GET, `/api/v1/map/density?${WIDE}&cell=0.001`],
		['analysis highlight', mapHighlight.GET, `/api/v1/map/highlight?from=2024-01-01`],
		['GeoJSON API', geojsonApi.GET, `/api/v1/incidents?${WIDE}`],
		['GeoJSON API, no bbox', geojsonApi.GET, `/api/v1/incidents`],
		['detail S1', detailApi.GET, `/api/v1/incidents/${S1}`, { id: S1 }],
		['detail S2', detailApi.GET, `/api/v1/incidents/${S2}`, { id: S2 }],
		['incident list', reportApi.GET, `/api/v1/incidents/report?${WIDE}`],
		['report S1', reportIdApi.GET, `/api/v1/incidents/report/${S1}`, { id: S1 }],
		['report S2', reportIdApi.GET, `/api/v1/incidents/report/${S2}`, { id: S2 }],
		['export CSV', exportsApi.GET, `/api/v1/exports?format=csv`],
		['export GeoJSON', exportsApi.GET, `/api/v1/exports?format=geojson`],
		['export KML', exportsApi.GET, `/api/v1/exports?format=kml`],
		['export XLSX', exportsApi.GET, `/api/v1/exports?format=xlsx`],
		[
			'proximity S1 (wide)',
			proximityApi.GET,
			`/api/v1/proximity?km=50&days=36600&as_of=2024-12-31&geometry=${pointAt(S1)}`
		],
		[
			'proximity S2 (wide)',
			proximityApi.GET,
			`/api/v1/proximity?km=50&days=36600&as_of=2024-12-31&geometry=${pointAt(S2)}`
		],
		['stats: incidents', statsIncidents.GET, `/api/v1/stats/incidents?${WIDE}`],
		['stats: areas', statsAreas.GET, `/api/v1/stats/areas?${WIDE}`],
		['stats: time of day', statsTime.GET, `/api/v1/stats/time-of-day?${WIDE}`],
		['stats: calendar', statsCalendar.GET, `/api/v1/stats/calendar?${WIDE}`],
		['stats: sources', statsSources.GET, `/api/v1/stats/sources?${WIDE}`],
		['stats: actors', statsActors.GET, `/api/v1/stats/actors?${WIDE}`],
		['counts', countsApi.GET, `/api/v1/incidents/counts`]
	];

	async function fetchText(as: CallerUser, handler: unknown, path: string, params = {}) {
		// Exports stream a file: read the raw bytes so an XLSX can be opened.
		const url = new URL(path, 'http://terrain.test');
		const r = await callRoute(handler, as, path, { params });
		if (r.type?.includes('spreadsheetml')) {
			const again = await (handler as (ev: unknown) => Promise<Response>)({
				url,
				request: new Request(url),
				params,
				locals: { user: as, authVia: 'token', locale: 'en' },
				route: { id: null }
			});
			return { status: again.status, text: await bodyText(r, await again.arrayBuffer()) };
		}
		return { status: r.status, text: r.text };
	}

	for (const who of ['viewer', 'field user outside the area'] as const) {
		it(`never gives a ${who} the exact point, through any endpoint`, async () => {
			const as = who === 'viewer' ? u.viewer : fieldOut;
			const leaks: string[] = [];
			for (const [name, handler, path, params] of ENDPOINTS) {
				const r = await fetchText(as, handler, path, params);
				expect(r.status, name).toBe(200);
				for (const id of [S1, S2])
					for (const s of exactStrings(id)) if (r.text.includes(s)) leaks.push(`${name}: ${s}`);
				// the exact point's 1/16° cell, the key of incidents_cell_date_idx, places it too
				if (r.text.includes('geo_cell')) leaks.push(`${name}: geo_cell`);
			}
			expect(leaks).toEqual([]);
		});
	}

	it('gives analysts the exact points on the same endpoints (the check can fail)', async () => {
		for (const [name, handler, path, params] of ENDPOINTS.filter(([n]) =>
			/map points|GeoJSON API$|detail S1|list|export (CSV|KML|XLSX)|proximity S1/.test(n)
		)) {
			const r = await fetchText(u.analyst, handler, path, params);
			expect(r.status, name).toBe(200);
			expect(
				exactStrings(S1).some((s) => r.text.includes(s)),
				name
			).toBe(true);
		}
		const d = await detail(u.analyst, S1);
		expect([d.lon, d.lat]).toEqual(EXACT[S1]);
		expect(d.location_fuzzed).toBe(false);
		expect(d.sensitive_location).toBe(true);
	});

	it('shows a viewer the sub-district centre, or a grid cell where there is no area, as coarse', async () => {
		const d1 = await detail(u.viewer, S1);
		expect(d1.location_fuzzed).toBe(true);
		expect(d1.geo_precision).toBe(3);
		// ST_PointOnSurface of the sub-district 43.6–43.9 × 36.2–36.4: inside it, not the exact point
		expect(d1.lon).toBeGreaterThan(43.6);
		expect(d1.lon).toBeLessThan(43.9);
		expect(d1.lat).toBeGreaterThan(36.2);
		expect(d1.lat).toBeLessThan(36.4);
		const d2 = await detail(u.viewer, S2);
		expect(d2.location_fuzzed).toBe(true);
		// the centre of a 10 km cell: within ~7 km of the point, not on it
		const km = Math.hypot(
			(d2.lon - EXACT[S2][0]) * 111.32 * Math.cos((EXACT[S2][1] * Math.PI) / 180),
			(d2.lat - EXACT[S2][1]) * 110.574
		);
		expect(km).toBeGreaterThan(0.1);
		expect(km).toBeLessThan(7.1);
	});

	it('returns the same coarse point every time and on every path', async () => {
		const a = await detail(u.viewer, S1);
		const b = await detail(fieldOut, S1);
		expect([b.lon, b.lat]).toEqual([a.lon, a.lat]);
		// an unrelated edit does not move it
		await callRoute(reportIdApi.POST, u.analyst, `/api/v1/incidents/report/${S1}`, {
			params: { id: S1 },
			body: { notes: 'edited' }
		});
		const c = await detail(u.viewer, S1);
		expect([c.lon, c.lat]).toEqual([a.lon, a.lat]);
		const map = await callRoute(mapPoints.GET, u.viewer, `/api/v1/map/incidents?${WIDE}`);
		const p = (map.body.points as [string, number, number][]).find((x) => x[0] === S1)!;
		expect([p[1], p[2]]).toEqual([Number(a.lon.toFixed(5)), Number(a.lat.toFixed(5))]);
	});

	it('does not let a viewer find the exact point by a tiny bbox or radius', async () => {
		const [x, y] = EXACT[S1];
		const tiny = `bbox=${x - 0.0005},${y - 0.0005},${x + 0.0005},${y + 0.0005}`;
		const near = `/api/v1/proximity?km=0.1&days=36600&as_of=2024-12-31&geometry=${pointAt(S1)}`;
		for (const [as, n] of [
			[u.viewer, 0],
			[fieldOut, 0],
			[u.analyst, 1],
			[fieldIn, 1]
		] as const) {
			const m = await callRoute(mapPoints.GET, as, `/api/v1/map/incidents?${tiny}`);
			expect(m.body.total, `map as ${as.email}`).toBe(as === fieldIn ? 0 : n);
			const s = await callRoute(statsIncidents.GET, as, `/api/v1/stats/incidents?${tiny}`);
			expect(s.status).toBe(200);
			expect(s.body.total, `stats as ${as.email}`).toBe(as === fieldIn ? 0 : n);
			const g = await callRoute(geojsonApi.GET, as, `/api/v1/incidents?${tiny}`);
			expect(g.body.total, `geojson as ${as.email}`).toBe(as === fieldIn ? 0 : n);
			const p = await callRoute(proximityApi.GET, as, near);
			expect(p.body.total, `proximity as ${as.email}`).toBe(n);
		}
		// ...while the same radius around the point a viewer is shown finds it
		const c = await detail(u.viewer, S1);
		const around = encodeURIComponent(
			JSON.stringify({ type: 'Point', coordinates: [c.lon, c.lat] })
		);
		const p = await callRoute(
			proximityApi.GET,
			u.viewer,
			`/api/v1/proximity?km=0.1&days=36600&as_of=2024-12-31&geometry=${around}`
		);
		expect(p.body.incidents.map((i: { id: string }) => i.id)).toEqual([S1]);
	});

	it('shows the field user whose area it is the exact point, and others coarse', async () => {
		const inArea = await detail(fieldIn, S1);
		expect([inArea.lon, inArea.lat]).toEqual(EXACT[S1]);
		expect(inArea.location_fuzzed).toBe(false);
		const outside = await detail(fieldIn, S2);
		expect(outside.location_fuzzed).toBe(true);
		expect((await detail(fieldOut, S1)).location_fuzzed).toBe(true);
	});

	it('leaves incidents that are not sensitive exact for everyone', async () => {
		for (const as of [u.viewer, fieldOut, u.analyst]) {
			const d = await detail(as, N1);
			expect([d.lon, d.lat]).toEqual(N1_POINT);
			expect(d.location_fuzzed).toBe(false);
			expect(d.geo_precision).toBe(1);
		}
		// affects us but explicitly not sensitive: stays exact
		const x = await detail(u.viewer, X1);
		expect([x.lon, x.lat]).toEqual([43.8, 36.3]);
		expect(x.sensitive_location).toBe(false);
	});

	// The place name gave the exact place back ("our office"): readers who see the coarse point
	// read the area's name instead, on every endpoint above.
	for (const who of ['viewer', 'field user outside the area'] as const) {
		it(`never gives a ${who} a sensitive incident's place name`, async () => {
			const as = who === 'viewer' ? u.viewer : fieldOut;
			const leaks: string[] = [];
			for (const [name, handler, path, params] of ENDPOINTS) {
				const r = await fetchText(as, handler, path, params);
				for (const s of ['our office', 'desert road'])
					if (r.text.includes(s)) leaks.push(`${name}: ${s}`);
			}
			expect(leaks).toEqual([]);
			const d = (await detail(as, S1)) as unknown as { location_name: string | null };
			expect(d.location_name).toBe('Fuzz Sub-district');
			// not sensitive: its own name, for everyone
			expect(((await detail(as, N1)) as unknown as { location_name: string }).location_name).toBe(
				'market'
			);
		});
	}

	// A search matched the stored place name: "office" found exactly the incidents at our office,
	// whose coarse points then told a viewer where the office is. Readers shown the area's name
	// no longer find it by the stored one, in the list and in exports; the rest of what they are
	// shown still finds it.
	it('does not let a search find a sensitive incident by the place name its reader is not shown', async () => {
		const found = async (as: CallerUser, handler: unknown, path: string) =>
			(await callRoute(handler as never, as, path)).text.includes(S1);
		const list = `/api/v1/incidents/report?${WIDE}&q=office`;
		const csv = `/api/v1/exports?format=csv&q=office`;
		expect(await found(u.analyst, reportApi.GET, list)).toBe(true);
		expect(await found(u.analyst, exportsApi.GET, csv)).toBe(true);
		for (const as of [u.viewer, fieldOut]) {
			expect(await found(as, reportApi.GET, list), as.email).toBe(false);
			expect(await found(as, exportsApi.GET, csv), as.email).toBe(false);
			// what they are shown (its source here) still finds it
			const bySource = `/api/v1/incidents/report?${WIDE}&q=staff`;
			expect(await found(as, reportApi.GET, bySource), as.email).toBe(true);
		}
	});

	it('gives analysts and the field user of the area the place name itself', async () => {
		for (const as of [u.analyst, fieldIn]) {
			const d = (await detail(as, S1)) as unknown as { location_name: string };
			expect(d.location_name, as.email).toBe('our office');
		}
		const list = await callRoute(reportApi.GET, u.analyst, `/api/v1/incidents/report?${WIDE}`);
		expect(list.text).toContain('our office');
	});

	it('logs a list read of restricted incidents as one audit row per request', async () => {
		const R1 = '00000000-0000-0000-00f0-0000000000a1';
		const R2 = '00000000-0000-0000-00f0-0000000000a2';
		await e.db.execOwner(`
			insert into public.incidents (id, event_date, event_type, geom, status, confidentiality, source)
			values ('${R1}', '2024-07-01', 'riots', st_setsrid(st_point(43.7, 36.1), 4326), 'verified', 'restricted', 'x'),
			       ('${R2}', '2024-07-02', 'riots', st_setsrid(st_point(43.7, 36.1), 4326), 'verified', 'restricted', 'x')
			on conflict do nothing`);
		const count = async (via: string) =>
			(
				await e.db.queryOwner<{ n: number; ids: string[] | null }>(
					`select count(*)::int as n, (array_agg(detail -> 'ids' order by id desc))[1] as ids from public.audit_log
					 where action = 'list' and table_name = 'incidents' and detail ->> 'via' = $1`,
					[via]
				)
			)[0];
		const before = await count('incidents_list');
		const r = await callRoute(reportApi.GET, u.analyst, `/api/v1/incidents/report?${WIDE}`);
		expect(r.status).toBe(200);
		const after = await count('incidents_list');
		expect(after.n).toBe(before.n + 1);
		expect([...(after.ids ?? [])].sort()).toEqual([R1, R2]);
		const g0 = await count('incidents_geojson');
		await callRoute(geojsonApi.GET, u.analyst, `/api/v1/incidents?${WIDE}`);
		expect((await count('incidents_geojson')).n).toBe(g0.n + 1);
		// a reader who sees no restricted incident leaves no such row
		const v0 = await count('incidents_list');
		await callRoute(reportApi.GET, u.viewer, `/api/v1/incidents/report?${WIDE}`);
		expect((await count('incidents_list')).n).toBe(v0.n);
	});

	it('keeps earlier and later exact points out of the history a viewer reads', async () => {
		const created = await callRoute(reportApi.POST, u.analyst, '/api/v1/incidents/report', {
			body: {
				event_date: '2024-06-02',
				event_type: 'battles',
				lon: 43.611111,
				lat: 36.233333,
				status: 'verified',
				sensitive_location: true
			}
		});
		const id = created.body.incident.id as string;
		const moved = await callRoute(reportIdApi.POST, u.analyst, `/api/v1/incidents/report/${id}`, {
			params: { id },
			body: { lon: 43.844444, lat: 36.377777 }
		});
		expect(moved.status).toBe(200);
		const exact = ['43.611', '36.233', '43.844', '36.377', '36.378'];
		const path = `/api/v1/incidents/report/${id}`;
		for (const as of [u.viewer, fieldOut]) {
			const r = await callRoute(reportIdApi.GET, as, path, { params: { id } });
			expect(r.status).toBe(200);
			expect(r.body.history.length).toBeGreaterThan(0);
			expect(exact.filter((s) => r.text.includes(s))).toEqual([]);
		}
		const a = await callRoute(reportIdApi.GET, u.analyst, path, { params: { id } });
		expect(a.text).toContain('43.611111');
		expect(a.text).toContain('43.844444');
	});

	it('is set by analysts through the API, defaults from "affects us", and refused to field staff', async () => {
		const body = {
			event_date: '2024-06-01',
			event_type: 'riots',
			lon: 43.777777,
			lat: 36.222222,
			status: 'verified',
			confidentiality: 'internal'
		};
		const created = await callRoute(reportApi.POST, u.analyst, '/api/v1/incidents/report', {
			body: { ...body, sensitive_location: true }
		});
		expect(created.status).toBe(201);
		const id = created.body.incident.id as string;
		expect(created.body.incident.sensitive_location).toBe(true);
		expect((await detail(u.viewer, id)).location_fuzzed).toBe(true);

		// PATCH-style edit of the flag alone
		const off = await callRoute(reportIdApi.POST, u.analyst, `/api/v1/incidents/report/${id}`, {
			params: { id },
			body: { sensitive_location: false }
		});
		expect(off.status).toBe(200);
		expect(off.body.sensitive_location).toBe(false);
		expect([(await detail(u.viewer, id)).lon, (await detail(u.viewer, id)).lat]).toEqual([
			43.777777, 36.222222
		]);
		// the default: an incident that affects us, reported without the field, is sensitive
		const plain = await callRoute(reportApi.POST, u.analyst, '/api/v1/incidents/report', {
			body: { ...body, affects_us: true }
		});
		expect(plain.body.incident.sensitive_location).toBe(true);
		// …and setting "affects us" later turns it on
		const later = await callRoute(reportApi.POST, u.analyst, '/api/v1/incidents/report', {
			body
		});
		const lid = later.body.incident.id as string;
		expect(later.body.incident.sensitive_location).toBe(false);
		await callRoute(reportIdApi.POST, u.analyst, `/api/v1/incidents/report/${lid}`, {
			params: { id: lid },
			body: { affects_us: true }
		});
		expect((await detail(u.analyst, lid)).sensitive_location).toBe(true);

		const bad = await callRoute(reportIdApi.POST, u.analyst, `/api/v1/incidents/report/${id}`, {
			params: { id },
			body: { sensitive_location: 'yes' }
		});
		expect(bad.status).toBe(400);
		expect(bad.body.parameter).toBe('sensitive_location');
		const field = await callRoute(reportApi.POST, fieldIn, '/api/v1/incidents/report', {
			body: { ...body, status: undefined, sensitive_location: false }
		});
		expect(field.status).toBe(400);
		expect(field.body.parameter).toBe('sensitive_location');
	});
});
