// Overlays and rate shading on the map (issue 13), in Chromium against the real server:
// - a field officer adds a KML as Google Earth exports it (a road, a zone and a checkpoint) through
//   the overlays panel, sees it drawn in its colour, and the map opens it again from the link
//   (ov=<id>); a viewer cannot see it through the API while it is private, and can once it is
//   shared; a file with a self-intersecting zone is refused with the feature's number and name;
//   the hospitals GeoJSON from the shared data is added with every feature; both are deleted;
// - the rate shading's value for a governorate equals its incidents (counted page by page through
//   the incident list) / the population set on its community profile × 100,000, and a governorate
//   with no population reads "no population data", not 0.
// Screenshots at 1366 and 390 px, English and Arabic, in test-results/e2e.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseLanguage } from './helpers/phone.ts';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	Pixels,
	type Rgba,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e, http, sessionCookie, tempDir } from './helpers/server.ts';

const { baseUrl } = e2e();
const STAMP = Date.now();
const MAGENTA: [number, number, number] = [255, 0, 255];
const HOSPITALS = '/work/shared/data/health/gaia_osm_iraq_hospitals.geojson';

// A KML as Google Earth writes it: a Document with shared styles, a Folder, Placemarks with
// names, descriptions with HTML, altitudes (",0") and a clampToGround tessellated line.
const KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2" xmlns:kml="http://www.opengis.net/kml/2.2" xmlns:atom="http://www.w3.org/2005/Atom">
<Document>
	<name>Dohuk routes ${STAMP}.kml</name>
	<Style id="s_road"><LineStyle><color>ff0000ff</color><width>4</width></LineStyle></Style>
	<StyleMap id="m_road"><Pair><key>normal</key><styleUrl>#s_road</styleUrl></Pair></StyleMap>
	<Folder>
		<name>Routes</name>
		<open>1</open>
		<Placemark>
			<name>Dohuk – Zakho road</name>
			<description><![CDATA[<b>Main supply route</b><br/>Checkpoints at both ends]]></description>
			<styleUrl>#m_road</styleUrl>
			<LineString>
				<tessellate>1</tessellate>
				<coordinates>
					43.00,36.86,0 42.95,36.95,0 42.85,37.02,0 42.75,37.10,0 42.68,37.14,0
				</coordinates>
			</LineString>
		</Placemark>
		<Placemark>
			<name>Camp zone</name>
			<Polygon><outerBoundaryIs><LinearRing><coordinates>
				42.90,36.80,0 43.05,36.80,0 43.05,36.90,0 42.90,36.90,0 42.90,36.80,0
			</coordinates></LinearRing></outerBoundaryIs></Polygon>
		</Placemark>
		<Placemark>
			<name>Checkpoint 7</name>
			<Point><coordinates>42.80,37.06,0</coordinates></Point>
		</Placemark>
	</Folder>
</Document>
</kml>
`;
const BAD_KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
	<Placemark><name>Good point</name><Point><coordinates>43,36.9,0</coordinates></Point></Placemark>
	<Placemark><name>Bow tie</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
		43,36 44,37 44,36 43,37 43,36
	</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>
`;

let b: TestBrowser;
let viewer: string;
let analyst: string;
let field: string;
const dir = tempDir('terrain-overlays-');
const kmlPath = join(dir, `Dohuk routes ${STAMP}.kml`);
const badPath = join(dir, 'bow-tie.kml');
writeFileSync(kmlPath, KML);
writeFileSync(badPath, BAD_KML);

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1366, height: 860 } });
	b.page.on('dialog', (d) => void d.accept());
	await signIn(b.page, baseUrl, 'field');
	viewer = await sessionCookie('viewer');
	analyst = await sessionCookie('analyst');
	field = await sessionCookie('field');
});
afterAll(async () => {
	await b?.close();
});

const canvas = () => b.page.locator('.maplibregl-canvas');
const settled = () =>
	b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
const near = (p: Rgba, c: readonly number[], tol = 40) =>
	Math.abs(p[0] - c[0]) <= tol && Math.abs(p[1] - c[1]) <= tol && Math.abs(p[2] - c[2]) <= tol;
const magenta = (img: Pixels) => img.count((p) => near(p, MAGENTA));
const ovParam = () => new URL(b.page.url()).searchParams.get('ov');
const panel = () => b.page.locator('section.overlays');

async function addThroughPanel(path: string, name: string, visibility: string, colour?: string) {
	await b.page.locator('#ov-file').setInputFiles(path);
	await b.page.locator('#ov-name').fill(name);
	await b.page.locator('#ov-visibility').selectOption(visibility);
	if (colour) await b.page.locator('#ov-colour').fill(colour);
	await panel().getByRole('button', { name: 'Add overlay' }).click();
}

describe('overlays on the map', () => {
	const name = `Dohuk routes ${STAMP}`;
	let id = '';

	it('a field officer adds a Google Earth KML through the page and sees it drawn', async () => {
		// Layers off: only the basemap under the overlay, so its colour is unambiguous.
		await b.page.goto(`${baseUrl}/map?z=9&c=42.88,36.97&layers=`);
		await settled();
		const before = magenta(Pixels.fromPng(await canvas().screenshot()));
		expect(before).toBe(0);

		await addThroughPanel(kmlPath, name, 'private', '#ff00ff');
		await expect
			.poll(() => panel().locator('[role="status"]').textContent(), { timeout: 30_000 })
			.toContain(`Added “${name}”: 3 features.`);
		await expect.poll(ovParam).toMatch(/^[0-9a-f-]{36}$/);
		id = ovParam()!;

		// Read back through the API, field by field.
		const r = await http(`/api/v1/overlays/${id}`, { cookie: field });
		expect(r.status).toBe(200);
		const fc = await r.json();
		expect(fc.overlay).toMatchObject({ name, visibility: 'private', mine: true, features: 3 });
		expect(fc.overlay.style.colour).toBe('#ff00ff');
		expect(fc.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual([
			'Dohuk – Zakho road',
			'Camp zone',
			'Checkpoint 7'
		]);
		expect(fc.overlay.geometry_types.sort()).toEqual(['LineString', 'Point', 'Polygon']);

		// Drawn: the road, the zone's outline and the checkpoint in magenta.
		await waitForPixels(canvas(), (img) => magenta(img) > 400, { name: 'overlay-drawn' });
		await expect
			.poll(() =>
				panel()
					.getByRole('checkbox', { name: new RegExp(name) })
					.isChecked()
			)
			.toBe(true);
		await screenshot(b.page, 'map-overlays-1366-en');
	});

	it('the link with ov= opens the map with the overlay drawn', async () => {
		const url = b.page.url();
		expect(url).toContain(`ov=${id}`);
		await b.page.goto('about:blank');
		await b.page.goto(url);
		await settled();
		await waitForPixels(canvas(), (img) => magenta(img) > 400, { name: 'overlay-reloaded' });
		expect(
			await panel()
				.getByRole('checkbox', { name: new RegExp(name) })
				.isChecked()
		).toBe(true);
		// Unticked: gone from the map and from the URL.
		await panel()
			.getByRole('checkbox', { name: new RegExp(name) })
			.uncheck();
		await expect.poll(ovParam).toBeNull();
		await waitForPixels(canvas(), (img) => magenta(img) === 0, { name: 'overlay-off' });
		await panel()
			.getByRole('checkbox', { name: new RegExp(name) })
			.check();
		await expect.poll(ovParam).toBe(id);
	});

	it('a viewer cannot see the private overlay through the API, and can once it is shared', async () => {
		expect((await http(`/api/v1/overlays/${id}`, { cookie: viewer })).status).toBe(404);
		const list = await (await http('/api/v1/overlays', { cookie: viewer })).json();
		expect(list.map((o: { id: string }) => o.id)).not.toContain(id);
		// An analyst neither: private means the owner only.
		expect((await http(`/api/v1/overlays/${id}`, { cookie: analyst })).status).toBe(404);

		const row = panel().locator('li', { hasText: name });
		await row.getByRole('button', { name: 'Share' }).click();
		await row.getByText('Shared', { exact: true }).waitFor();
		const r = await http(`/api/v1/overlays/${id}`, { cookie: viewer });
		expect(r.status).toBe(200);
		expect((await r.json()).overlay).toMatchObject({ visibility: 'organisation', mine: false });
		// And back to private.
		await row.getByRole('button', { name: 'Make private' }).click();
		await row.getByText('Private', { exact: true }).waitFor();
		expect((await http(`/api/v1/overlays/${id}`, { cookie: viewer })).status).toBe(404);
	});

	it('a bad file is refused with what is wrong and where', async () => {
		await addThroughPanel(badPath, `Bad ${STAMP}`, 'private');
		const alert = panel().locator('p.error[role="alert"]');
		await alert.waitFor({ timeout: 30_000 });
		const text = (await alert.textContent())!;
		expect(text).toContain('The file was not added.');
		// Where: the feature's number and name; what: its shape is invalid (crosses itself).
		expect(text).toMatch(/feature 2 \(Bow tie\)/);
		expect(text).toMatch(/invalid|self-intersect/i);
		const list = await (await http('/api/v1/overlays', { cookie: field })).json();
		expect(list.map((o: { name: string }) => o.name)).not.toContain(`Bad ${STAMP}`);
	});

	it('the hospitals GeoJSON is added with all its points, then both overlays are deleted', async () => {
		const expected = JSON.parse(readFileSync(HOSPITALS, 'utf8')).features.filter(
			(f: { geometry: unknown }) => f.geometry
		).length;
		const hname = `Hospitals ${STAMP}`;
		await addThroughPanel(HOSPITALS, hname, 'organisation', '#ff00ff');
		await expect
			.poll(() => panel().locator('[role="status"]').textContent(), { timeout: 30_000 })
			.toContain(`Added “${hname}”: ${expected} features.`);
		const list = await (await http('/api/v1/overlays', { cookie: viewer })).json();
		const h = list.find((o: { name: string }) => o.name === hname);
		expect(h).toMatchObject({ visibility: 'organisation', features: expected, mine: false });

		// Phone and Arabic screens with both drawn, then clean up.
		await shots();
		for (const n of [hname, name]) {
			await panel().locator('li', { hasText: n }).getByRole('button', { name: 'Delete' }).click();
			await panel().locator('li', { hasText: n }).waitFor({ state: 'detached' });
		}
		expect((await http(`/api/v1/overlays/${id}`, { cookie: field })).status).toBe(404);
		expect((await http(`/api/v1/overlays/${h.id}`, { cookie: viewer })).status).toBe(404);
		await expect.poll(ovParam).toBeNull();
	});
});

async function shots() {
	const url = b.page.url();
	await b.page.setViewportSize({ width: 390, height: 844 });
	await b.page.goto(url);
	await settled();
	await screenshot(b.page, 'map-overlays-390-en-map');
	await b.page.locator('.panel-open-button').click();
	await panel().scrollIntoViewIfNeeded();
	await screenshot(b.page, 'map-overlays-390-en-panel');
	await chooseLanguage(b.page, 'ar');
	await b.page.goto(url);
	await settled();
	await screenshot(b.page, 'map-overlays-390-ar-map');
	await b.page.locator('.panel-open-button').click();
	await panel().scrollIntoViewIfNeeded();
	await screenshot(b.page, 'map-overlays-390-ar-panel');
	await b.page.setViewportSize({ width: 1366, height: 860 });
	await b.page.goto(url);
	await settled();
	await panel().scrollIntoViewIfNeeded();
	await screenshot(b.page, 'map-overlays-1366-ar');
	await chooseLanguage(b.page, 'en');
	await b.page.goto(url);
	await settled();
}

// ---- Rates -----------------------------------------------------------------------------------
describe('incidents per 100,000 people', () => {
	const FROM = '2016-10-01';
	const TO = '2016-10-31';
	const POP = 3_729_998;
	let target: { pcode: string; name: string; lon: number; lat: number };
	let other: { pcode: string; name: string; lon: number; lat: number };
	let original: number | null = null;

	beforeAll(async () => {
		const areas = await (await http('/api/v1/areas?level=1', { cookie: analyst })).json();
		const pick = (pcode: string) => {
			const f = areas.features.find(
				(a: { properties: { pcode: string } }) => a.properties.pcode === pcode
			);
			return {
				pcode,
				name: f.properties.name_en as string,
				lon: f.properties.label_lon as number,
				lat: f.properties.label_lat as number
			};
		};
		target = pick('IQG15'); // Ninewa
		other = pick('IQG01'); // Anbar: no population set here
		const g = await (
			await http(`/api/v1/areas/${target.pcode}/community`, { cookie: analyst })
		).json();
		original = g.profile?.population ?? null;
		const r = await http(`/api/v1/areas/${target.pcode}/community`, {
			method: 'PATCH',
			cookie: analyst,
			body: { population: POP, population_date: '2016-10-01' }
		});
		expect(r.status).toBe(200);
		const pops = await (await http('/api/v1/areas/population?level=1', { cookie: analyst })).json();
		expect(pops.find((p: { pcode: string }) => p.pcode === other.pcode)).toBeUndefined();
	});
	afterAll(async () => {
		await http(`/api/v1/areas/${target.pcode}/community`, {
			method: 'PATCH',
			cookie: analyst,
			body: { population: original }
		});
	});

	/** Incidents in the area and period, counted by paging through the incident list. */
	async function countIncidents(pcode: string): Promise<number> {
		let n = 0;
		for (let offset = 0; ; offset += 1000) {
			const r = await http(
				`/api/v1/incidents?area=${pcode}&from=${FROM}&to=${TO}&limit=1000&offset=${offset}`,
				// As the officer whose map is checked: what they may see is what they count.
				{ cookie: field }
			);
			const page = (await r.json()).features.length;
			n += page;
			if (page < 1000) return n;
		}
	}

	async function hoverAt(lon: number, lat: number): Promise<string> {
		await b.page.goto(`${baseUrl}/map?z=7&c=${lon},${lat}&layers=&from=${FROM}&to=${TO}&rate=1`);
		await settled();
		await b.page.locator('[data-testid="rate-legend"]').waitFor();
		const box = (await canvas().boundingBox())!;
		const tip = b.page.locator('.map-wrap .tooltip');
		await expect
			.poll(
				async () => {
					await b.page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2 + 3);
					await b.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
					return (await tip.count()) ? tip.textContent() : '';
				},
				{ timeout: 30_000 }
			)
			.toContain(':');
		return (await tip.textContent())!.trim();
	}

	it('the shaded value equals count / population × 100,000', async () => {
		const n = await countIncidents(target.pcode);
		expect(n).toBeGreaterThan(0);
		const rate = (n / POP) * 100_000;
		const text = await hoverAt(target.lon, target.lat);
		const expected = Number(rate.toFixed(1)).toLocaleString('en-GB');
		expect(text).toBe(
			`${target.name}: ${expected} per 100,000 (${n.toLocaleString('en-GB')} incidents, population ${POP.toLocaleString('en-GB')})`
		);
		expect(new URL(b.page.url()).searchParams.get('rate')).toBe('1');
		await screenshot(b.page, 'map-rates-1366-en');
	});

	it('an area without a population is "no data", not 0', async () => {
		const n = await countIncidents(other.pcode);
		const text = await hoverAt(other.lon, other.lat);
		expect(text).toBe(`${other.name}: no population data (${n.toLocaleString('en-GB')} incidents)`);
		await expect
			.poll(() => b.page.locator('section.rates').textContent())
			.toMatch(/\d+ of \d+ areas have no population figure/);
	});

	it('rate screens in Arabic and on a phone', async () => {
		await chooseLanguage(b.page, 'ar');
		await b.page.goto(`${baseUrl}/map?z=6&c=43.5,34.5&layers=&from=${FROM}&to=${TO}&rate=1`);
		await settled();
		await b.page.locator('[data-testid="rate-legend"]').waitFor();
		await b.page.locator('section.rates').scrollIntoViewIfNeeded();
		expect(await b.page.locator('section.rates').textContent()).toContain('لا بيانات سكان');
		await screenshot(b.page, 'map-rates-1366-ar');
		await b.page.setViewportSize({ width: 390, height: 844 });
		await b.page.reload();
		await settled();
		await b.page.locator('.panel-open-button').click();
		await b.page.locator('section.rates').scrollIntoViewIfNeeded();
		await screenshot(b.page, 'map-rates-390-ar');
		await chooseLanguage(b.page, 'en');
		await b.page.goto(`${baseUrl}/map?z=6&c=43.5,34.5&layers=&from=${FROM}&to=${TO}&rate=1`);
		await settled();
		await b.page.locator('.panel-open-button').click();
		await b.page.locator('section.rates').scrollIntoViewIfNeeded();
		await screenshot(b.page, 'map-rates-390-en');
		await b.page.setViewportSize({ width: 1366, height: 860 });
	});
});
