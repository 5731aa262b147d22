// Incident reporting in Chromium against the real server: a field user reports an incident by
// clicking the map, an analyst verifies it, a viewer then sees it in the list and on its page;
// an analyst imports a partner's CSV through the mapping step; an export comes back in unchanged.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';
import { E2E_IMPORT_MAX_MB } from './helpers/limits.ts';

const { baseUrl } = e2e();
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
// A word no demo record contains, to find this test's incident by full-text search.
const TAG = `zebrafinch${Date.now().toString(36)}`;

describe('report → verify → see', () => {
	let field: TestBrowser;
	let analyst: TestBrowser;
	let viewer: TestBrowser;
	let incidentUrl = '';

	beforeAll(async () => {
		[field, analyst, viewer] = await Promise.all([openBrowser(), openBrowser(), openBrowser()]);
		await signIn(field.page, baseUrl, 'field');
		await signIn(analyst.page, baseUrl, 'analyst');
		await signIn(viewer.page, baseUrl, 'viewer');
	});
	afterAll(async () => {
		await Promise.all([field, analyst, viewer].map((b) => b?.close()));
	});

	it('shows errors next to the fields before sending an incomplete report', async () => {
		const p = field.page;
		await p.goto(`${baseUrl}/incidents/new`);
		await p.locator('button[type="submit"]').click();
		await expect
			.poll(() => p.locator('label:has(select[name="event_type"]) .error').textContent())
			.toBe('Choose an event type.');
		await expect
			.poll(() => p.locator('label:has([data-testid="coordinates"]) .error').textContent())
			.toMatch(/Give a location/);
		expect(new URL(p.url()).pathname).toBe('/incidents/new');
	});

	it('lets a field user place an incident by clicking the map and send it', async () => {
		const p = field.page;
		await p.goto(`${baseUrl}/incidents/new`);
		const map = p.locator('[data-testid="point-map"]');
		await map.locator('.maplibregl-canvas').waitFor();
		const box = (await map.boundingBox())!;
		await p.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
		await expect
			.poll(() => p.locator('[data-testid="coordinates"]').inputValue())
			.toMatch(/^-?\d+\.\d+, -?\d+\.\d+$/);
		await expect.poll(() => p.locator('.understood').textContent()).toMatch(/MGRS 38/);
		await p.locator('select[name="event_type"]').selectOption('violence_against_civilians');
		await p.locator('select[name="sub_event_type"]').selectOption('Abduction/forced disappearance');
		await p.locator('input[name="abductions"]').fill('2');
		await p.locator('input[name="serious"]').check();
		await p
			.locator('textarea[name="notes"]')
			.fill(`Two drivers stopped and taken at a checkpoint ${TAG}`);
		await Promise.all([
			p.waitForURL(/\/incidents\/[0-9a-f-]{36}\?created=1$/),
			p.locator('button[type="submit"]').click()
		]);
		incidentUrl = p.url().replace(/\?.*$/, '');
		await expect
			.poll(() => p.locator('[data-testid="incident-status"]').textContent())
			.toBe('Reported');
		expect(await p.locator('[data-testid="history"]').textContent()).toMatch(/Reported/);
		await screenshot(p, 'incident-reported');
	});

	it('hides the unverified report from a viewer', async () => {
		const r = await viewer.page.goto(incidentUrl);
		expect(r?.status()).toBe(404);
		await viewer.page.goto(`${baseUrl}/incidents?q=${TAG}`);
		expect(await viewer.page.locator('[data-testid="incident-total"]').textContent()).toBe(
			'0 incidents'
		);
	});

	it('lets an analyst verify it, recording who did what in the history', async () => {
		const p = analyst.page;
		await p.goto(incidentUrl);
		await p.getByRole('button', { name: 'Verify' }).click();
		await expect
			.poll(() => p.locator('[data-testid="incident-status"]').textContent())
			.toBe('Verified');
		const history = await p.locator('[data-testid="history"]').textContent();
		expect(history).toMatch(/Status changed/);
		expect(history).toMatch(/reported\s*→\s*verified/);
	});

	it('lets the analyst edit it, the edit showing before → after in the history', async () => {
		const p = analyst.page;
		await Promise.all([p.waitForURL(/\/edit$/), p.getByRole('link', { name: 'Edit' }).click()]);
		expect(await p.locator('textarea[name="notes"]').inputValue()).toContain(TAG);
		await p.locator('input[name="injuries"]').fill('1');
		await p.locator('select[name="source_reliability"]').selectOption('B');
		await Promise.all([
			p.waitForURL(incidentUrl),
			p.getByRole('button', { name: 'Save changes' }).click()
		]);
		const history = await p.locator('[data-testid="history"]').textContent();
		expect(history).toMatch(/Edited/);
		expect(history).toMatch(/injuries\s*—\s*→\s*1/);
		expect(history).toMatch(/source_reliability\s*—\s*→\s*B/);
		// Nothing else changed: the location kept its precision, the status its value.
		expect(history).not.toMatch(/geo_precision/);
		expect(await p.locator('[data-testid="incident-status"]').textContent()).toBe('Verified');
	});

	it('then shows it to the viewer in the searchable list and on its page', async () => {
		const p = viewer.page;
		await p.goto(`${baseUrl}/incidents?q=${TAG}`);
		expect(await p.locator('[data-testid="incident-total"]').textContent()).toBe('1 incidents');
		await Promise.all([p.waitForURL(incidentUrl), p.locator('tbody tr a').first().click()]);
		expect(await p.locator('[data-testid="incident-status"]').textContent()).toBe('Verified');
		expect(await p.getByRole('button', { name: 'Verify' }).count()).toBe(0);
		expect(viewer.requests.foreign()).toEqual([]);
	});
});

describe('import and export', () => {
	let b: TestBrowser;
	beforeAll(async () => {
		b = await openBrowser();
		await signIn(b.page, baseUrl, 'analyst');
	});
	afterAll(async () => b?.close());

	it('imports a partner tracker through the column-mapping step, with progress', async () => {
		const p = b.page;
		const source = `partner-${TAG}`;
		await p.goto(`${baseUrl}/import`);
		await p
			.locator('[data-testid="import-file"]')
			.setInputFiles(join(FIXTURES, 'partner_tracker.csv'));
		await p.getByRole('button', { name: 'Check the file (dry run)' }).click();
		// "Position" is recognised as the location, "Incident No" as the partner's id; ids from
		// elsewhere need a source name, which the page asks for before it lets the file in.
		await expect
			.poll(() => p.locator('[data-testid="import-dry"]').textContent())
			.toMatch(/Dry run: 3 rows read\. Importing would add 3, update 0 and leave 0 unchanged/);
		expect(await p.locator('select[data-field="coordinates"]').inputValue()).toBe('Position');
		expect(await p.locator('select[data-field="upstream_id"]').inputValue()).toBe('Incident No');
		expect(await p.getByTestId('import-source-needed').isVisible()).toBe(true);
		// The user's own choices: the village as the place name, the source's name.
		await p.locator('select[data-field="location_name"]').selectOption('Village');
		await p.getByTestId('import-source').fill(source);
		await p.getByTestId('import-check-again').click();
		await expect
			.poll(() => p.locator('[data-testid="import-dry"]').textContent())
			.toMatch(/Importing would add 3, update 0 and leave 0 unchanged; 0 rows have problems/);
		expect(await p.getByTestId('import-source-needed').count()).toBe(0);
		expect(await p.locator('table.preview tbody tr').count()).toBe(3);
		// The page says how far it is while the upload and the commit run: record what it showed.
		await p.evaluate(() => {
			const w = window as unknown as { progressSeen: string[] };
			w.progressSeen = [];
			new MutationObserver(() => {
				const el = document.querySelector('[data-testid="import-progress"]');
				if (el?.textContent) w.progressSeen.push(el.textContent);
			}).observe(document.body, { subtree: true, childList: true, characterData: true });
		});
		await p.getByRole('button', { name: 'Import', exact: true }).click();
		await expect
			.poll(() => p.locator('[data-testid="import-result"]').textContent(), { timeout: 60_000 })
			.toMatch(/Imported: 3 new/);
		await screenshot(p, 'import-done');
		const seen = await p.evaluate(
			() => (window as unknown as { progressSeen: string[] }).progressSeen
		);
		expect(seen.join('\n')).toMatch(/Uploading… \d+%/);

		// Read back through the API, field by field (DMS and MGRS positions were understood).
		const cookie = await sessionCookie('analyst');
		const res = await http(`/api/v1/exports?dataset=incidents&format=geojson`, { cookie });
		expect(res.status).toBe(200);
		const fc = (await res.json()) as { features: { properties: Record<string, unknown> }[] };
		const mine = fc.features
			.map((f) => f.properties)
			.filter((x) => x.upstream_source === source)
			.sort((x, y) => String(x.upstream_id).localeCompare(String(y.upstream_id)));
		const round = (v: unknown) => Math.round(Number(v) * 1000) / 1000;
		expect(
			mine.map((x) => [
				x.upstream_id,
				x.event_date,
				x.event_type,
				x.sub_event_type,
				round(x.lat),
				round(x.lon),
				x.location_name,
				x.injuries,
				x.notes,
				x.status
			])
		).toEqual([
			[
				'P-17',
				'2024-04-03',
				'violence_against_civilians',
				null,
				36.34,
				43.13,
				'Bartella',
				1,
				'Staff car stopped at an informal checkpoint; driver beaten',
				'reported'
			],
			[
				'P-18',
				'2024-04-15',
				'violence_against_civilians',
				'Abduction/forced disappearance',
				36.335,
				42.994,
				null,
				0,
				'Contractor abducted near the road',
				'reported'
			],
			[
				'P-19',
				'2024-04-16',
				'protests',
				null,
				36.3,
				43.2,
				'Bashiqa',
				null,
				'Sit-in outside the municipality',
				'reported'
			]
		]);
		// And in the list a user searches.
		await p.goto(`${baseUrl}/incidents?q=informal+checkpoint`);
		expect(
			Number((await p.locator('[data-testid="incident-total"]').textContent())!.split(' ')[0])
		).toBeGreaterThanOrEqual(1);
	});

	it('reports a bad file with its rows and columns, and writes nothing', async () => {
		const p = b.page;
		await p.goto(`${baseUrl}/import`);
		await p.locator('[data-testid="import-file"]').setInputFiles(join(FIXTURES, 'bad_rows.csv'));
		await p.getByRole('button', { name: 'Check the file (dry run)' }).click();
		await p.locator('[data-testid="import-problems"]').waitFor();
		const text = await p.locator('[data-testid="import-problems"]').textContent();
		expect(text).toMatch(/3\s*date\s*event_date: "2024-13-45" is not a real calendar date/);
		expect(text).toMatch(/latitude and longitude look swapped/);
		expect(await p.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
	});

	it('exports the filtered list and imports it back without changes, through uploads above 512 KB', async () => {
		const cookie = await sessionCookie('analyst');
		const exp = await http('/incidents/export?format=csv&type=battles', { cookie });
		expect(exp.status).toBe(200);
		expect(exp.headers.get('content-disposition')).toMatch(
			/attachment; filename="terrain-incidents-.*\.csv"/
		);
		const csv = await exp.text();
		const rows = csv.split('\r\n').filter(Boolean).length - 2;
		expect(rows).toBeGreaterThan(1000);
		// adapter-node alone would refuse anything over 512 KB; `terrain serve` raises its body limit
		// to the import limit, so a real tracker can be uploaded through the web.
		expect(csv.length).toBeGreaterThan(600 * 1024);
		const back = await http('/import/upload?into=incidents&filename=export.csv', {
			method: 'POST',
			cookie,
			body: csv,
			headers: { 'content-type': 'application/octet-stream' }
		});
		expect(await back.json()).toMatchObject({
			preset: 'terrain',
			committed: true,
			inserted: 0,
			updated: 0,
			unchanged: rows
		});

		// A file over the import limit gets a clear answer, not a crash.
		const big = await http('/import/upload?into=incidents&filename=big.csv', {
			method: 'POST',
			cookie,
			body: 'x'.repeat((E2E_IMPORT_MAX_MB + 1) * 1024 * 1024),
			headers: { 'content-type': 'application/octet-stream' }
		});
		expect(big.status).toBe(413);
		expect(await big.json()).toMatchObject({ message: expect.stringMatching(/larger than/) });
	});
});
