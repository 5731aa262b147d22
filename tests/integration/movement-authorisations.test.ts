/**
 * Issue 11, the parts landed by session 10: the access-authorisation register and the check of a
 * movement against it (route risk lists what the team needs; a plain approval is refused while one
 * is missing), workflow steps replayed with an Idempotency-Key, routes read from KML/KMZ/GPX/
 * GeoJSON files, and e-mail in the recipient's language. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { setDb } from '../../src/lib/server/db/index.ts';
import { withRequest } from '../../src/lib/server/db/context.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as list from '../../src/routes/api/v1/movements/+server.ts';
import * as step from '../../src/routes/api/v1/movements/[id]/transition/+server.ts';
import * as needs from '../../src/routes/api/v1/movements/[id]/authorisations/+server.ts';
import * as settings from '../../src/routes/api/v1/movements/settings/+server.ts';
import * as auths from '../../src/routes/api/v1/access-authorisations/+server.ts';
import * as oneAuth from '../../src/routes/api/v1/access-authorisations/[id]/+server.ts';
import { movementRisk } from '../../src/lib/server/movements/index.ts';
import { routeFromFile } from '../../src/lib/server/movements/route-file.ts';
import { setMyLocale } from '../../src/lib/server/alerts/index.ts';
import { composeAlertMail } from '../../src/lib/server/mail/compose.ts';
import { getAlert } from '../../src/lib/server/alerts/index.ts';

const ROUTE = {
	type: 'LineString',
	coordinates: [
		[43.0, 36.867],
		[42.45, 36.63],
		[41.87, 36.32]
	]
};
const plan = (over: Record<string, unknown> = {}) => ({
	purpose: 'Clinic visit',
	departure_at: '2030-05-01T06:00:00Z',
	return_at: '2030-05-02T16:00:00Z',
	route: ROUTE,
	team: [{ name: 'Driver Hassan', role: 'driver' }],
	vehicles: [{ plate: 'DHK 12345', vehicle_type: 'Land Cruiser' }],
	...over
});

describe.each(engineNames())('access authorisations and movement steps on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let district: string;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const create = async (body: unknown) => {
		const r = await callRoute(list.POST, u.field, '/api/v1/movements', { body });
		expect(r.status, r.text).toBe(201);
		return r.body;
	};
	const go = (as: CallerUser, id: string, body: Record<string, unknown>) =>
		callRoute(step.POST, as, '/x', { params: { id }, body });
	const record = (as: CallerUser, body: Record<string, unknown>) =>
		callRoute(auths.POST, as, '/api/v1/access-authorisations', { body });

	it('keeps the register: analysts record and change, field staff and viewers cannot', async () => {
		const body = {
			kind: 'permit',
			holder_type: 'vehicle',
			holder_name: 'White Land Cruiser',
			plate: 'DHK 99',
			pcode: 'IQG15',
			issued_by_name: 'Governorate of Ninewa',
			valid_from: '2030-01-01',
			valid_to: '2030-12-31',
			reference: 'NIN/2030/17',
			notes: 'original in the Dohuk office'
		};
		const r = await record(u.analyst, body);
		expect(r.status, r.text).toBe(201);
		const got = (await callRoute(oneAuth.GET, u.analyst, '/x', { params: { id: r.body.id } })).body;
		for (const [k, v] of Object.entries(body)) expect(got[k], k).toBe(v);
		expect(got.status).toBe('not_yet_valid');
		// PATCH: merge semantics
		const ch = await callRoute(oneAuth.PATCH, u.analyst, '/x', {
			method: 'PATCH',
			params: { id: r.body.id },
			body: { reference: 'NIN/2030/18' }
		});
		expect(ch.status, ch.text).toBe(200);
		expect(ch.body.reference).toBe('NIN/2030/18');
		expect(ch.body.plate).toBe('DHK 99');
		expect((await record(u.field, body)).status).toBe(403);
		expect((await callRoute(auths.GET, u.viewer, '/x')).status).toBe(403);
		// a field user reads only their own (none here)
		expect((await callRoute(auths.GET, u.field, '/x')).body).toEqual([]);
		// bad input: the field named, nothing written
		const n0 = (await callRoute(auths.GET, u.analyst, '/x')).body.length;
		for (const [bad, field] of [
			[{ valid_to: '2029-01-01' }, 'valid_to'],
			[{ plate: null }, 'plate'],
			[{ pcode: 'IQX99' }, 'pcode'],
			[{ issued_by_name: '' }, 'issued_by'],
			[{ holder_type: 'planet' }, 'holder_type']
		] as const) {
			const x = await record(u.analyst, { ...body, ...bad });
			expect(x.status, field).toBe(400);
			expect(x.body.parameter ?? x.body.message).toContain(field);
		}
		expect((await callRoute(auths.GET, u.analyst, '/x')).body.length).toBe(n0);
	});

	it('lists what a team needs on the trip, flags it in the route risk and blocks a plain approval', async () => {
		const m = await create(plan());
		[{ pcode: district }] = await e.db.queryOwner<{ pcode: string }>(
			`select pcode from public.areas where level = 2 and pcode = any ($1::text[]) order by pcode limit 1`,
			[m.areas]
		);
		// nothing needed yet (no district at level 4, none listed)
		let need = (await callRoute(needs.GET, u.field, '/x', { params: { id: m.id } })).body;
		expect(need.items).toEqual([]);
		expect(need.missing).toBe(0);
		// an admin lists the district: two holders (the driver, the vehicle) need one there
		const s = await callRoute(settings.PATCH, u.admin, '/x', {
			method: 'PATCH',
			body: { authorisation_pcodes: [district] }
		});
		expect(s.status, s.text).toBe(200);
		need = (await callRoute(needs.GET, u.field, '/x', { params: { id: m.id } })).body;
		expect(need.items.map((i: { holder: string; status: string }) => [i.holder, i.status])).toEqual(
			[
				['Driver Hassan', 'missing'],
				['DHK 12345', 'missing']
			]
		);
		const risk = (await movementRisk(u.field, m))!;
		expect(risk.authorisations?.missing).toBe(2);
		expect(risk.reasons.map((r) => r.rule)).toContain('authorisation_missing');
		expect(risk.recommendation).not.toBe('go');

		// the driver's letter covers the district; the vehicle's permit ends mid-trip
		await record(u.analyst, {
			kind: 'letter',
			holder_type: 'staff',
			holder_name: 'driver hassan',
			pcode: district,
			issued_by_name: 'Asayish',
			valid_from: '2030-04-01',
			valid_to: '2030-06-30'
		});
		await record(u.analyst, {
			kind: 'permit',
			holder_type: 'vehicle',
			plate: 'dhk12345',
			pcode: null,
			issued_by_name: 'Ministry of Interior',
			valid_from: '2030-01-01',
			valid_to: '2030-05-01'
		});
		need = (await callRoute(needs.GET, u.field, '/x', { params: { id: m.id } })).body;
		expect(need.items.map((i: { status: string }) => i.status)).toEqual([
			'valid',
			'expires_during'
		]);

		// approval: a plain one is refused naming the vehicle; with conditions it goes
		expect((await go(u.field, m.id, { to: 'submitted' })).status).toBe(200);
		const plain = await go(u.admin, m.id, { to: 'approved' });
		expect(plain.status, plain.text).toBe(400);
		expect(plain.body.parameter ?? plain.body.message).toContain('authorisations');
		expect(plain.text).toContain('DHK 12345');
		const cond = await go(u.admin, m.id, {
			to: 'approved_conditions',
			conditions: 'renew the vehicle permit at the Ninewa office on the way'
		});
		expect(cond.status, cond.text).toBe(200);
		expect(cond.body.status).toBe('approved_conditions');
	});

	it('approves plainly once every authorisation is valid for the whole trip', async () => {
		const m = await create(plan({ vehicles: [] }));
		expect((await go(u.field, m.id, { to: 'submitted' })).status).toBe(200);
		// the driver's letter (previous test) covers the trip: nothing missing
		const r = await go(u.admin, m.id, { to: 'approved' });
		expect(r.status, r.text).toBe(200);
	});

	it('takes a workflow step once when it is replayed with the same Idempotency-Key', async () => {
		await callRoute(settings.PATCH, u.admin, '/x', {
			method: 'PATCH',
			body: { authorisation_pcodes: [] }
		});
		const m = await create(plan());
		expect((await go(u.field, m.id, { to: 'submitted' })).status).toBe(200);
		expect((await go(u.admin, m.id, { to: 'approved' })).status).toBe(200);
		const out = () =>
			withRequest({ idempotencyKey: `check-out-${m.id}` }, () =>
				go(u.field, m.id, { to: 'under_way' })
			);
		const first = await out();
		expect(first.status, first.text).toBe(200);
		const again = await out();
		expect(again.status, again.text).toBe(200);
		expect(again.body.checked_out_at).toBe(first.body.checked_out_at);
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from sensitive.movement_events where movement_id = $1 and to_status = 'under_way'`,
			[m.id]
		);
		expect(n).toBe(1);
		// without the key, the same step again is refused: it is the key that makes the replay safe
		expect((await go(u.field, m.id, { to: 'under_way' })).status).toBe(400);
		// a key reused for another step is refused, not answered with the check-out
		const other = await withRequest({ idempotencyKey: `check-out-${m.id}` }, () =>
			go(u.field, m.id, { to: 'completed' })
		);
		expect(other.status).toBe(422);
	});

	it('keeps the language a user chose and hands it to the e-mail sender', async () => {
		await setMyLocale(u.analyst, 'ar');
		await setMyLocale(u.analyst, 'fr');
		await setMyLocale(u.admin, 'ar');
		await expect(setMyLocale(u.admin, 'de')).rejects.toThrow(/locale/);
		await e.db.execOwner(
			`insert into public.alerts (kind, severity, title, body, target_users, target_roles)
			 values ('authorisation_expiring', 'warning', 'An access authorisation expires on 2030-05-01',
			         '{"valid_to": "2030-05-01"}', '{}', '{admin,analyst}')`
		);
		const due = await e.db.rpc<
			{ user_id: string; locale: string; alert_id: string; role: AppRole; email: string }[]
		>('private.alert_deliveries_claim', { p_limit: 500, p_lease_seconds: 300 }, 'service');
		const mine = (id: string) => due.filter((d) => d.user_id === id);
		expect(mine(u.analyst.id).map((d) => d.locale)).toContain('fr');
		expect(mine(u.admin.id).map((d) => d.locale)).toContain('ar');
		const d = mine(u.admin.id).at(-1)!;
		const a = await getAlert({ id: d.user_id, email: d.email, role: d.role }, d.alert_id);
		const mail = composeAlertMail(a, 'https://t.example', 'ar');
		expect(mail.subject).toContain('تصريح وصول');
		expect(mail.text).toContain('2030-05-01');
		expect(mail.text).toContain('https://t.example/movements/authorisations');
	});
});

describe('routes from files', () => {
	const enc = (s: string) => new TextEncoder().encode(s);
	const gpx = (body: string) =>
		`<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">${body}</gpx>`;

	it('reads a GPX track, a KML line, a KMZ and GeoJSON', async () => {
		const g = await routeFromFile(
			'dohuk-sinjar.gpx',
			enc(
				gpx(
					`<wpt lat="36.86" lon="43.0"><name>Base</name></wpt><trk><name>Dohuk to Sinjar</name><trkseg><trkpt lat="36.867" lon="43.0"/><trkpt lat="36.63" lon="42.45"/><trkpt lat="36.32" lon="41.87"/></trkseg></trk>`
				)
			)
		);
		expect(g.route.type).toBe('LineString');
		expect(g.route.coordinates).toEqual([
			[43, 36.867],
			[42.45, 36.63],
			[41.87, 36.32]
		]);
		expect(g.name).toBe('Dohuk to Sinjar');
		const kml = `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Road</name><LineString><coordinates>43.0,36.867 41.87,36.32</coordinates></LineString></Placemark></Document></kml>`;
		expect((await routeFromFile('road.kml', enc(kml))).route.coordinates).toHaveLength(2);
		const zip = new JSZip();
		zip.file('doc.kml', kml);
		const kmz = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
		const k = await routeFromFile('road.kmz', kmz);
		expect(k.name).toBe('Road');
		expect(k.source).toBe('road.kmz');
		const gj = await routeFromFile(
			'r.geojson',
			enc(
				JSON.stringify({
					type: 'FeatureCollection',
					features: [{ type: 'Feature', properties: {}, geometry: ROUTE }]
				})
			)
		);
		expect(gj.route).toEqual(ROUTE);
	});

	it('refuses a file without a line, naming the file and its features', async () => {
		await expect(
			routeFromFile(
				'camps.gpx',
				enc(
					gpx(
						`<wpt lat="36.86" lon="43.0"><name>Khanke camp</name></wpt><wpt lat="36.3" lon="41.8"><name>Sinjar</name></wpt>`
					)
				)
			)
		).rejects.toThrow(/camps\.gpx: no line.*"Khanke camp" \(Point\), "Sinjar" \(Point\)/);
		await expect(
			routeFromFile('empty.geojson', enc('{"type":"FeatureCollection","features":[]}'))
		).rejects.toThrow(/empty\.geojson: no features/);
		await expect(
			routeFromFile(
				'bomb.kml',
				enc('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "a">]><kml></kml>')
			)
		).rejects.toThrow(/bomb\.kml: .*DOCTYPE/);
		await expect(routeFromFile('route.shp', enc('x'))).rejects.toThrow(/route\.shp: give a \.kml/);
	});
});
