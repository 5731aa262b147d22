// Records you can trust (issue 9), in Chromium against the real server: the report form keeps
// every typed field when the event type is chosen last, an unchanged edit keeps the location
// precision and records no history, unknown fatalities stay unknown, a point outside the
// operating area needs a confirmation naming the country (and a swap is offered), a checkpoint
// is added, changed and closed through its registry page, and the companion card shows exactly
// the ticked contacts with all their phones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydrated, openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const TAG = `kestrel${Date.now().toString(36)}`;

describe('records you can trust', () => {
	let analyst: TestBrowser;
	let cookie = '';

	beforeAll(async () => {
		analyst = await openBrowser();
		await signIn(analyst.page, baseUrl, 'analyst');
		cookie = await sessionCookie('analyst');
	});
	afterAll(async () => analyst?.close());

	const api = async (path: string) => {
		const r = await http(path, { cookie });
		expect(r.status, path).toBe(200);
		return r.json();
	};

	it('keeps every typed field when the type is chosen last, and reads back field by field', async () => {
		const p = analyst.page;
		await p.goto(`${baseUrl}/incidents/new`);
		// The date is typed day first, as the field's hint says (DateField, not the browser's input).
		await p.getByTestId('date-field').fill('15/03/2024');
		await p.locator('input[name="event_time"]').fill('14:30');
		await p.locator('select[name="time_precision"]').selectOption('exact');
		await p.locator('[data-testid="coordinates"]').fill('36.34, 43.13');
		await p.locator('input[name="location_name"]').fill(`Bartella road ${TAG}`);
		await p.locator('input[name="source"]').fill('Driver, by phone');
		// Now the type, after all the above: nothing typed may be wiped or reset.
		await p.locator('select[name="event_type"]').selectOption('violence_against_civilians');
		expect(await p.getByTestId('date-field').inputValue()).toBe('15/03/2024');
		expect(await p.locator('input[name="event_date"]').inputValue()).toBe('2024-03-15');
		expect(await p.locator('input[name="event_time"]').inputValue()).toBe('14:30');
		expect(await p.locator('select[name="time_precision"]').inputValue()).toBe('exact');
		expect(await p.locator('[data-testid="coordinates"]').inputValue()).toBe('36.34, 43.13');
		expect(await p.locator('input[name="location_name"]').inputValue()).toBe(
			`Bartella road ${TAG}`
		);
		expect(await p.locator('input[name="source"]').inputValue()).toBe('Driver, by phone');
		await p.locator('select[name="sub_event_type"]').selectOption('Abduction/forced disappearance');
		await p.locator('input[name="actor1"]').fill('Unknown gunmen');
		// Fatalities left empty: not known.
		await p.locator('input[name="injuries"]').fill('1');
		await p.locator('input[name="abductions"]').fill('2');
		await p.locator('input[name="affects_ngos"]').check();
		await p.locator('select[name="ops_impact"]').selectOption('high');
		await p.locator('select[name="source_reliability"]').selectOption('B');
		await p.locator('select[name="info_credibility"]').selectOption('2');
		await p.locator('select[name="confidentiality"]').selectOption('restricted');
		await p.locator('textarea[name="notes"]').fill(`Two staff taken ${TAG}`);
		// Changing the type again keeps the rest too.
		expect(await p.locator('input[name="event_date"]').inputValue()).toBe('2024-03-15');
		await Promise.all([
			p.waitForURL(/\/incidents\/[0-9a-f-]{36}\?created=1/),
			p.locator('button[type="submit"]').click()
		]);
		const id = /\/incidents\/([0-9a-f-]{36})/.exec(p.url())![1];
		expect(await p.locator('[data-testid="fatalities"]').textContent()).toBe('unknown');
		const { incident: i } = await api(`/api/v1/incidents/report/${id}`);
		expect(i.event_date).toBe('2024-03-15');
		expect(String(i.event_time).slice(0, 5)).toBe('14:30');
		expect(i.time_precision).toBe('exact');
		expect(i.event_type).toBe('violence_against_civilians');
		expect(i.sub_event_type).toBe('Abduction/forced disappearance');
		expect(i.lat).toBeCloseTo(36.34, 5);
		expect(i.lon).toBeCloseTo(43.13, 5);
		expect(i.geo_precision).toBe(1);
		expect(i.location_name).toBe(`Bartella road ${TAG}`);
		expect(i.actor1).toBe('Unknown gunmen');
		expect(i.fatalities).toBeNull();
		expect(i.injuries).toBe(1);
		expect(i.abductions).toBe(2);
		expect(i.affects_ngos).toBe(true);
		expect(i.affects_us).toBe(false);
		expect(i.ops_impact).toBe('high');
		expect(i.source).toBe('Driver, by phone');
		expect(i.source_reliability).toBe('B');
		expect(i.info_credibility).toBe(2);
		expect(i.confidentiality).toBe('restricted');
		expect(i.notes).toBe(`Two staff taken ${TAG}`);
	});

	it('saves an edit that changes nothing without touching precision 3 or the history', async () => {
		const created = await http('/api/v1/incidents/report', {
			cookie,
			method: 'POST',
			body: {
				event_date: '2024-02-01',
				event_type: 'protests',
				lon: 43.15,
				lat: 36.3,
				geo_precision: 3,
				notes: `Somewhere in the district ${TAG}`
			}
		});
		expect(created.status).toBe(201);
		const id = (await created.json()).incident.id;
		const before = await api(`/api/v1/incidents/report/${id}`);
		expect(before.incident.geo_precision).toBe(3);
		const p = analyst.page;
		await p.goto(`${baseUrl}/incidents/${id}/edit`);
		await Promise.all([
			p.waitForURL(new RegExp(`/incidents/${id}$`)),
			p.locator('button[type="submit"]').click()
		]);
		const after = await api(`/api/v1/incidents/report/${id}`);
		expect(after.incident.geo_precision).toBe(3);
		expect(after.incident.fatalities).toBeNull();
		expect(after.history.filter((h: { action: string }) => h.action !== 'insert')).toEqual([]);
	});

	it('asks to confirm a point outside the operating area, naming the country, and offers a swap', async () => {
		const p = analyst.page;
		await p.goto(`${baseUrl}/incidents/new`);
		await hydrated(p);
		await p.locator('select[name="event_type"]').selectOption('protests');
		// Anbar (33.5 N, 41.0 E) typed the wrong way round lands in Turkey.
		await p.locator('[data-testid="coordinates"]').fill('41.0, 33.5');
		await expect
			.poll(() => p.locator('[data-testid="outside-area"]').textContent(), { timeout: 10_000 })
			.toMatch(/T(u|ü)rk/);
		await screenshot(p, 'records-outside-area');
		await p.locator('[data-testid="swap-coordinates"]').click();
		expect(await p.locator('[data-testid="coordinates"]').inputValue()).toBe('33.5, 41');
		await expect.poll(() => p.locator('[data-testid="outside-area"]').count()).toBe(0);
		// Paris: refused until confirmed.
		await p.locator('[data-testid="coordinates"]').fill('48.85, 2.35');
		await expect
			.poll(() => p.locator('[data-testid="outside-area"]').textContent())
			.toMatch(/France/);
		await p.locator('textarea[name="notes"]').fill(`Paris ${TAG}`);
		await p.locator('button[type="submit"]').click();
		await expect
			.poll(() => p.locator('label:has([data-testid="coordinates"]) .error').textContent())
			.toMatch(/keep this location/);
		expect(new URL(p.url()).pathname).toBe('/incidents/new');
		await p.locator('[data-testid="confirm-outside"]').check();
		await Promise.all([
			p.waitForURL(/\/incidents\/[0-9a-f-]{36}\?created=1/),
			p.locator('button[type="submit"]').click()
		]);
		// The API refuses the same without the confirmation, naming the field and the country.
		const r = await http('/api/v1/incidents/report', {
			cookie,
			method: 'POST',
			body: { event_date: '2024-02-01', event_type: 'protests', lon: 2.35, lat: 48.85 }
		});
		expect(r.status).toBe(400);
		const b = await r.json();
		expect(b.parameter).toBe('coordinates');
		expect(b.message).toMatch(/France/);
	});

	it('adds, changes and closes a checkpoint through its registry page', async () => {
		const p = analyst.page;
		const name = `Gate ${TAG}`;
		await p.goto(`${baseUrl}/registries/checkpoints`);
		await p.locator('[data-testid="registry-new"]').click();
		const f = p.locator('[data-testid="registry-form"]');
		await f.locator('input[name="name"]').fill(name);
		await f.locator('select[name="status"]').selectOption('restricted');
		await f.locator('input[name="status_reason"]').fill('Convoys only');
		await f.locator('input[name="opening_hours"]').fill('06:00-18:00');
		await f.locator('[data-testid="location"]').fill('36.30, 43.20');
		await Promise.all([
			p.waitForURL(/saved=1/),
			f.locator('[data-testid="registry-save"]').click()
		]);
		const find = async () => {
			const fc = await api('/api/v1/sites/checkpoints');
			return fc.features.find((x: { properties: { name: string } }) => x.properties.name === name);
		};
		let cp = await find();
		expect(cp.properties.status).toBe('restricted');
		expect(cp.properties.status_reason).toBe('Convoys only');
		expect(cp.properties.opening_hours).toBe('06:00-18:00');
		expect(cp.geometry.coordinates).toEqual([43.2, 36.3]);
		expect(cp.properties.last_verified_at).toBeTruthy();
		await screenshot(p, 'records-registry-checkpoints');

		// Edit: change the opening hours only; the rest stays.
		await p.locator(`tr[data-id="${cp.id}"] [data-testid="registry-edit"]`).click();
		await f.locator('input[name="opening_hours"]').fill('08:00-16:00');
		await Promise.all([
			p.waitForURL(/saved=1/),
			f.locator('[data-testid="registry-save"]').click()
		]);
		cp = await find();
		expect(cp.properties.opening_hours).toBe('08:00-16:00');
		expect(cp.properties.status_reason).toBe('Convoys only');
		expect(cp.properties.status).toBe('restricted');

		// Saving again without a change writes nothing.
		await p.goto(`${baseUrl}/registries/checkpoints?edit=${cp.id}`);
		await Promise.all([
			p.waitForURL(/saved=0/),
			f.locator('[data-testid="registry-save"]').click()
		]);

		// Close it from the list.
		const verifiedBefore = cp.properties.last_verified_at;
		await Promise.all([
			p.waitForURL(/saved=1/),
			p.locator(`tr[data-id="${cp.id}"] [data-testid="close-site"]`).click()
		]);
		cp = await find();
		expect(cp.properties.status).toBe('closed');
		expect(new Date(cp.properties.last_verified_at).getTime()).toBeGreaterThan(
			new Date(verifiedBefore).getTime()
		);
	});

	it('prints exactly the ticked contacts on the companion card, with all their phones', async () => {
		const site = await http('/api/v1/sites/org_sites', {
			cookie,
			method: 'POST',
			body: { name: `Base ${TAG}`, site_type: 'base', lon: 43.0, lat: 36.2 }
		});
		expect(site.status).toBe(201);
		const siteId = (await site.json()).id;
		const add = async (body: Record<string, unknown>) => {
			const r = await http('/api/v1/contacts', { cookie, method: 'POST', body });
			expect(r.status, await r.clone().text()).toBeLessThan(300);
		};
		await add({
			full_name: `Ticked ${TAG}`,
			call_sign: 'FALCON 1',
			emergency: true,
			phones: [
				{ number: '+9647501234567', phone_type: 'mobile' },
				{ number: '+88216123456', phone_type: 'satellite' }
			]
		});
		await add({ full_name: `Unticked ${TAG}`, emergency: false, phones: [] });
		const p = analyst.page;
		await p.goto(`${baseUrl}/contacts/card/${siteId}`);
		const card = p.locator('.sheet');
		const text = (await card.textContent()) ?? '';
		expect(text).toContain(`Ticked ${TAG}`);
		expect(text).toContain('FALCON 1');
		expect(text.replace(/\s/g, '')).toContain('+88216123456'.slice(-6));
		expect(text).not.toContain(`Unticked ${TAG}`);
		// Every name on the card is a contact ticked "On the companion card".
		const all = await api('/api/v1/contacts?limit=500');
		const ticked = new Set(
			(all.contacts as { full_name: string; emergency: boolean }[])
				.filter((c) => c.emergency)
				.map((c) => c.full_name)
		);
		const names = await card
			.locator('td.who')
			.evaluateAll((tds) => tds.map((td) => td.childNodes[0]?.textContent?.trim() ?? ''));
		for (const n of names.filter(Boolean)) expect(ticked.has(n), n).toBe(true);
		await screenshot(p, 'records-card');
	});
});
