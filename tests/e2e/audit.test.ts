/**
 * The audit log from outside: an incident's history as viewers and field staff read it (API and
 * page) carries no restricted-era or replaced text and no e-mail, while analysts keep it all;
 * refused requests and the admins' audit view leave entries; the chain verifies over the API and
 * with `terrain audit verify` after all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie, type Role } from './helpers/server.ts';
import { chooseLanguage, onScreen, overflow } from './helpers/phone.ts';
import { translator } from '../../src/lib/i18n/index.ts';

const ar = translator('ar');

const SECRET_RESTRICTED = 'RESTRICTED-ERA convoy via Qaraqosh';
const SECRET_INFORMANT = 'informant Abu Xalid, phone +9647501234567';
const REPLACEMENT = 'Clash near the market; details withheld by analyst';

describe('audit and need-to-know', () => {
	const cookies = {} as Record<Role, string>;
	let id = '';

	beforeAll(async () => {
		for (const r of ['admin', 'analyst', 'field', 'viewer'] as const)
			cookies[r] = await sessionCookie(r);
		// An analyst's restricted report, edited while restricted, then opened up with new text,
		// then given an informant's name that a second edit replaces.
		const created = await http('/api/v1/incidents/report', {
			method: 'POST',
			cookie: cookies.analyst,
			body: {
				event_date: '2024-06-01',
				event_type: 'battles',
				coordinates: '36.34, 43.13',
				confidentiality: 'restricted',
				notes: `${SECRET_RESTRICTED} (first draft)`
			}
		});
		expect(created.status).toBe(201);
		id = (await created.json()).incident.id;
		const patch = async (body: Record<string, unknown>) => {
			const r = await http(`/api/v1/incidents/report/${id}`, {
				method: 'POST',
				cookie: cookies.analyst,
				body
			});
			expect(r.status, await r.clone().text()).toBe(200);
		};
		const verified = await http(`/api/v1/incidents/report/${id}/transition`, {
			method: 'POST',
			cookie: cookies.analyst,
			body: { to: 'verified' }
		});
		expect(verified.status).toBe(200);
		await patch({ notes: SECRET_RESTRICTED, fatalities: 2 });
		await patch({ confidentiality: 'internal', notes: 'Clash near the market' });
		await patch({ notes: SECRET_INFORMANT, fatalities: 3 });
		await patch({ notes: REPLACEMENT });
	});

	it('analysts keep the full history, editors by e-mail', async () => {
		const r = await http(`/api/v1/incidents/report/${id}`, { cookie: cookies.analyst });
		const text = JSON.stringify((await r.json()).history);
		expect(text).toContain(SECRET_RESTRICTED);
		expect(text).toContain(SECRET_INFORMANT);
		expect(text).toContain(e2e().users.analyst.email);
	});

	for (const role of ['viewer', 'field'] as const) {
		it(`a ${role} reads no restricted-era or replaced text and no e-mail, through the API`, async () => {
			const r = await http(`/api/v1/incidents/report/${id}`, { cookie: cookies[role] });
			expect(r.status).toBe(200);
			const body = await r.json();
			const text = JSON.stringify(body.history);
			for (const leak of ['RESTRICTED-ERA', 'Qaraqosh', 'Abu Xalid', '+9647501234567', '@'])
				expect(text).not.toContain(leak);
			// what they may see is still there: the versions since it was opened up, by role
			expect(body.history.length).toBeGreaterThanOrEqual(2);
			expect(text).toContain(REPLACEMENT);
			expect(body.history.every((h: { actor: object }) => 'role' in h.actor)).toBe(true);
			const fat = body.history.flatMap((h: { changes: { field: string; after: unknown }[] }) =>
				h.changes.filter((c) => c.field === 'fatalities').map((c) => c.after)
			);
			expect(fat).toContain(3);
		});
	}

	describe('through the page', () => {
		let b: TestBrowser;
		beforeAll(async () => {
			b = await openBrowser();
		});
		afterAll(async () => b?.close());

		for (const role of ['viewer', 'field'] as const) {
			it(`shows a ${role} the history without the withheld text`, async () => {
				await b.context.clearCookies();
				await signIn(b.page, e2e().baseUrl, role);
				await b.page.goto(`${e2e().baseUrl}/incidents/${id}`);
				const history = b.page.getByTestId('history');
				await history.waitFor();
				const page = await b.page.locator('body').innerText();
				for (const leak of ['RESTRICTED-ERA', 'Qaraqosh', 'Abu Xalid', '+9647501234567'])
					expect(page).not.toContain(leak);
				const text = await history.innerText();
				expect(text).not.toContain('@');
				expect(text).toContain('Analyst');
				expect(text).toContain(REPLACEMENT);
				await screenshot(b.page, `audit-history-${role}`);
			});
		}

		// /lang is the switcher's form action (POST): the GET /lang?l=ar this test used to open
		// answered 500 and switched nothing. It now chooses Arabic through the switcher.
		it('shows it in Arabic and at 390 px too', async () => {
			await b.page.setViewportSize({ width: 390, height: 844 });
			try {
				await b.page.goto(`${e2e().baseUrl}/incidents/${id}`);
				await chooseLanguage(b.page, 'ar');
				expect(new URL(b.page.url()).pathname).toBe(`/incidents/${id}`);
				expect(await b.page.locator('html').getAttribute('dir')).toBe('rtl');
				const history = b.page.getByTestId('history');
				await history.waitFor();
				await expect
					.poll(() => b.page.locator('h2').allInnerTexts())
					.toContain(ar('incident.page.history'));
				const text = await history.innerText();
				expect(text).toContain(REPLACEMENT);
				expect(text).toContain(ar('role.analyst'));
				expect(text).not.toContain('@');
				expect(await overflow(b.page)).toEqual({ page: 0, main: 0, offscreen: [] });
				// the values come first on a phone, not an empty map box over them
				expect(await onScreen(b.page.getByTestId('fatalities'))).toBe(true);
				await screenshot(b.page, 'audit-history-field-ar-390');
			} finally {
				await chooseLanguage(b.page, 'en');
				await b.page.setViewportSize({ width: 1280, height: 800 });
			}
		});
	});

	it('notes refused requests: a viewer on contacts (API and page)', async () => {
		const api = await http('/api/v1/contacts', { cookie: cookies.viewer });
		expect(api.status).toBe(403);
		const page = await http('/contacts', {
			cookie: cookies.viewer,
			headers: { accept: 'text/html' }
		});
		expect(page.status).toBe(200);
		const r = await http('/api/v1/audit?action=refused&limit=50', { cookie: cookies.admin });
		const rows: { actor_id: string; detail: { path: string; role: string } }[] = (await r.json())
			.rows;
		const paths = rows.filter((x) => x.detail.role === 'viewer').map((x) => x.detail.path);
		expect(paths).toEqual(expect.arrayContaining(['/api/v1/contacts', '/contacts']));
	});

	it('notes a restricted incident read, and the admins’ reading of contact rows', async () => {
		const c = await http('/api/v1/contacts', {
			method: 'POST',
			cookie: cookies.analyst,
			body: { full_name: 'Audit Trail Person', sensitivity: 'restricted' }
		});
		expect(c.status).toBe(201);
		const [{ id: restricted }] = [
			(
				await (
					await http('/api/v1/incidents/report', {
						method: 'POST',
						cookie: cookies.analyst,
						body: {
							event_date: '2024-06-02',
							event_type: 'battles',
							coordinates: '36.3, 43.1',
							confidentiality: 'restricted'
						}
					})
				).json()
			).incident
		];
		await http(`/api/v1/incidents/${restricted}`, { cookie: cookies.analyst });
		const reads = await (
			await http('/api/v1/audit?action=read&table=incidents&limit=20', { cookie: cookies.admin })
		).json();
		expect(reads.rows.some((x: { detail: { id: string } }) => x.detail?.id === restricted)).toBe(
			true
		);
		const contactId = (await c.json()).id;
		const rowsAbout = await http(`/api/v1/audit?row=${contactId}`, { cookie: cookies.admin });
		expect((await rowsAbout.json()).rows.length).toBeGreaterThan(0);
		const viaLog = await (
			await http('/api/v1/audit?action=read&table=contacts&q=audit_log&limit=5', {
				cookie: cookies.admin
			})
		).json();
		expect(viaLog.rows[0]).toMatchObject({ detail: { via: 'audit_log', ids: [contactId] } });
	});

	it('the chain verifies over the API after all of it', async () => {
		const r = await http('/api/v1/audit/verify', { cookie: cookies.admin });
		expect(r.status).toBe(200);
		expect(await r.json()).toMatchObject({ ok: true, problem: null });
		expect((await http('/api/v1/audit/verify', { cookie: cookies.analyst })).status).toBe(403);
	});
});
