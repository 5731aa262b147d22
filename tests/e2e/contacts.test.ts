// Need-to-know for contacts, probed through the UI and the API as each role: a field user sees
// only the normal contacts of their assigned areas, a viewer none; the companion card prints
// wallet-sized with the page chrome hidden; every read shows in the admin's audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie, type Role } from './helpers/server.ts';

const { baseUrl } = e2e();
const tag = Date.now();
const DOHUK = `Dohuk Mukhtar ${tag}`;
const MOSUL = `Mosul Liaison ${tag}`;
const RESTRICTED = `Dohuk Interlocutor ${tag}`;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
	for (const role of ['admin', 'analyst', 'field', 'viewer'] as const)
		cookies[role] = await sessionCookie(role);
	const add = async (full_name: string, areas: string[], sensitivity: string) => {
		const r = await http('/api/v1/contacts', {
			method: 'POST',
			cookie: cookies.analyst,
			body: {
				full_name,
				areas,
				sensitivity,
				emergency: true,
				call_sign: 'E2E-1',
				phones: [{ number: '0750 123 4567', phone_type: 'mobile' }]
			}
		});
		expect(r.status, await r.clone().text()).toBe(201);
	};
	await add(DOHUK, ['IQG09Q02'], 'normal');
	await add(MOSUL, ['IQG15Q05'], 'normal');
	await add(RESTRICTED, ['IQG09Q02'], 'restricted');
	const me = await (await http('/api/v1/me', { cookie: cookies.field })).json();
	const r = await http('/api/v1/contacts/scope', {
		method: 'POST',
		cookie: cookies.admin,
		body: { user_id: me.id, areas: ['IQG09Q02'] }
	});
	expect(r.status).toBe(200);
});

describe('contacts by role', () => {
	let b: TestBrowser;
	beforeAll(async () => {
		b = await openBrowser();
	});
	afterAll(async () => b?.close());

	it('shows a field user only the normal contacts of their area, in the UI and through the API', async () => {
		await signIn(b.page, baseUrl, 'field');
		await b.page.goto(`${baseUrl}/contacts`);
		const dir = await b.page.locator('[data-testid="directory"]').innerText();
		expect(dir).toContain(DOHUK);
		expect(dir).toContain('+964 750 123 4567');
		expect(dir).not.toContain(MOSUL);
		expect(dir).not.toContain(RESTRICTED);
		await screenshot(b.page, 'contacts-field');
		const api = await (await http('/api/v1/contacts', { cookie: cookies.field })).json();
		const names = api.contacts.map((c: { full_name: string }) => c.full_name);
		expect(names).toContain(DOHUK);
		expect(names).not.toContain(MOSUL);
		expect(names).not.toContain(RESTRICTED);
		// Who to call at Dohuk: the Dohuk contact, never the restricted one.
		const near = await (
			await http('/api/v1/contacts/nearby?lon=42.99&lat=36.86', { cookie: cookies.field })
		).json();
		expect(near.contacts.map((c: { full_name: string }) => c.full_name)).toContain(DOHUK);
		expect(JSON.stringify(near)).not.toContain(RESTRICTED);
		// No exports for field staff.
		expect(
			(await http('/api/v1/contacts/export?format=csv', { cookie: cookies.field })).status
		).toBe(403);
	});

	it('shows a viewer no contacts at all', async () => {
		await b.page.goto(`${baseUrl}/logout`).catch(() => {});
		await b.context.clearCookies();
		await signIn(b.page, baseUrl, 'viewer');
		await b.page.goto(`${baseUrl}/contacts`);
		expect(await b.page.locator('body').innerText()).toContain(
			'Contacts are shown to field staff, analysts and admins only.'
		);
		expect(await b.page.locator('table').count()).toBe(0);
		expect(await b.page.locator('header nav a[href="/contacts"]').count()).toBe(0);
		for (const path of [
			'/api/v1/contacts',
			'/api/v1/contacts/nearby?lon=42.99&lat=36.86',
			'/api/v1/contacts/export?format=vcard'
		]) {
			expect((await http(path, { cookie: cookies.viewer })).status, path).toBe(403);
		}
	});

	it('lets analysts see restricted contacts and export them', async () => {
		const all = await (await http('/api/v1/contacts', { cookie: cookies.analyst })).json();
		expect(all.contacts.map((c: { full_name: string }) => c.full_name)).toEqual(
			expect.arrayContaining([DOHUK, MOSUL, RESTRICTED])
		);
		const csv = await http('/api/v1/contacts/export?format=csv', { cookie: cookies.analyst });
		expect(csv.status).toBe(200);
		expect(await csv.text()).toContain(RESTRICTED);
	});

	it('prints the companion card of the Dohuk base wallet-sized, without the page around it', async () => {
		await b.context.clearCookies();
		await signIn(b.page, baseUrl, 'field');
		await b.page.goto(`${baseUrl}/contacts`);
		await Promise.all([
			b.page.waitForURL(/\/contacts\/card\//),
			b.page.getByRole('link', { name: 'Dohuk base' }).click()
		]);
		const card = b.page.locator('[data-testid="companion-card"]').first();
		expect(await card.innerText()).toContain(DOHUK);
		expect(await card.innerText()).not.toContain(RESTRICTED);
		await b.page.emulateMedia({ media: 'print' });
		expect(await b.page.locator('.shell > header').isVisible()).toBe(false);
		expect(await b.page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
		const box = (await card.boundingBox())!;
		// 85 × 55 mm at 96 px per inch.
		expect(Math.round(box.width)).toBeGreaterThanOrEqual(319);
		expect(Math.round(box.width)).toBeLessThanOrEqual(323);
		expect(Math.round(box.height)).toBeGreaterThanOrEqual(206);
		expect(Math.round(box.height)).toBeLessThanOrEqual(210);
		await screenshot(b.page, 'contacts-card-print');
		const pdf = await b.page.pdf({ format: 'A4', printBackground: true });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		await b.page.emulateMedia({ media: 'screen' });
	});

	it('shows the admin every read in the audit log', async () => {
		await b.context.clearCookies();
		await signIn(b.page, baseUrl, 'admin');
		await b.page.goto(`${baseUrl}/admin/audit?table=contacts&action=card`);
		const table = await b.page.locator('[data-testid="audit"]').innerText();
		expect(table).toContain('field@e2e.terrain.test');
		expect(table).toContain('Dohuk base');
		await b.page.goto(`${baseUrl}/admin/audit?table=contacts&action=export`);
		expect(await b.page.locator('[data-testid="audit"]').innerText()).toContain(
			'analyst@e2e.terrain.test'
		);
		await screenshot(b.page, 'contacts-audit');
	});
});
