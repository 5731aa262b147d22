/**
 * Two things an account loses on purpose, done in the browser as people do them:
 *  - on My account a user revokes ONE of their API tokens: that token is refused (401) from then
 *    on, their other token still works;
 *  - on Users an admin disables a user, which asks first: cancelling leaves the user enabled and
 *    signed in; confirming disables them, and their session and their token stop working.
 * Each test makes its own user (admin API), so no other test's accounts are touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydrated, openBrowser, signIn, type TestBrowser } from './helpers/browser';
import { e2e, http, sessionCookie } from './helpers/server';

const { baseUrl } = e2e();
const PASSWORD = 'e2e revoke-disable password';
const NEW_PASSWORD = 'e2e revoke-disable password, chosen';
const stamp = Date.now().toString(36);
let adminCookie: string;
let b: TestBrowser;

beforeAll(async () => {
	adminCookie = await sessionCookie('admin');
	b = await openBrowser({ viewport: { width: 1280, height: 900 } });
	b.page.setDefaultTimeout(60_000);
});
afterAll(async () => b?.close());

/** A new viewer through the admin API, signed in; returns its id, credentials and cookie. */
async function newUser(name: string) {
	const email = `${name}-${stamp}@e2e.terrain.test`;
	const r = await http('/api/v1/users', {
		method: 'POST',
		cookie: adminCookie,
		body: { email, role: 'viewer', password: PASSWORD }
	});
	expect(r.status, await r.clone().text()).toBe(201);
	const { id } = (await r.json()) as { id: string };
	// An account an admin made must choose its own password before anything else.
	const first = await sessionCookie({ email, password: PASSWORD });
	const changed = await http('/password', {
		method: 'POST',
		cookie: first,
		body: new URLSearchParams({ current: PASSWORD, next: NEW_PASSWORD, confirm: NEW_PASSWORD }),
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
	});
	expect(changed.status, await changed.clone().text()).toBe(303);
	const who = { email, password: NEW_PASSWORD };
	return { id, who, cookie: await sessionCookie(who) };
}

async function newToken(cookie: string, name: string): Promise<string> {
	const r = await http('/api/v1/tokens', { method: 'POST', cookie, body: { name } });
	expect(r.status, await r.clone().text()).toBe(201);
	return ((await r.json()) as { token: string }).token;
}

const me = async (o: { token?: string; cookie?: string }) => (await http('/api/v1/me', o)).status;

describe('revoking one API token on My account', () => {
	it('refuses that token from then on and leaves the user’s other token working', async () => {
		const u = await newUser('one-token');
		const keep = await newToken(u.cookie, `keep-${stamp}`);
		const drop = await newToken(u.cookie, `drop-${stamp}`);
		expect([await me({ token: keep }), await me({ token: drop })]).toEqual([200, 200]);

		const { page } = b;
		await b.context.clearCookies();
		await signIn(page, baseUrl, u.who);
		await page.goto(`${baseUrl}/account`);
		await hydrated(page);
		page.once('dialog', (d) => d.accept());
		await page.getByRole('button', { name: `Revoke drop-${stamp}`, exact: true }).click();
		await page
			.getByRole('status')
			.filter({ hasText: `Token "drop-${stamp}" revoked.` })
			.waitFor();

		expect(await me({ token: drop })).toBe(401);
		expect(await me({ token: keep })).toBe(200);
		expect(await me({ cookie: u.cookie })).toBe(200);
		// The page says so too: one row revoked, the other still active with its button.
		await expect
			.poll(() => page.getByRole('button', { name: /^Revoke (keep|drop)-/ }).count())
			.toBe(1);
		expect(b.requests.errors).toEqual([]);
	}, 180_000);
});

describe('disabling a user on Users', () => {
	it('asks first: cancel leaves the user enabled; OK disables them and ends their session and token', async () => {
		const u = await newUser('disabled');
		const token = await newToken(u.cookie, `t-${stamp}`);
		const status = async () => {
			const list = (await (await http('/api/v1/users', { cookie: adminCookie })).json()) as {
				id: string;
				disabled: boolean;
			}[];
			return list.find((x) => x.id === u.id)?.disabled;
		};
		expect(await status()).toBe(false);

		const { page } = b;
		await b.context.clearCookies();
		await signIn(page, baseUrl, 'admin');
		await page.goto(`${baseUrl}/admin/users`);
		await hydrated(page);
		const disable = page.getByRole('button', { name: `Disable ${u.who.email}`, exact: true });

		// Cancel: the question was asked, nothing was sent, nothing changed.
		const posts: string[] = [];
		page.on('request', (r) => {
			if (r.method() === 'POST') posts.push(r.url());
		});
		const asked: string[] = [];
		page.once('dialog', (d) => {
			asked.push(d.message());
			void d.dismiss();
		});
		await disable.click();
		await expect.poll(() => asked.length).toBe(1);
		expect(asked[0]).toContain(u.who.email);
		await page.waitForTimeout(500);
		expect(posts).toEqual([]);
		expect(await status()).toBe(false);
		expect(await me({ cookie: u.cookie })).toBe(200);
		expect(await me({ token })).toBe(200);

		// OK: disabled, and what they held stops working.
		page.once('dialog', (d) => d.accept());
		await disable.click();
		await page
			.getByRole('status')
			.filter({ hasText: `User ${u.who.email} disabled` })
			.waitFor();
		expect(await status()).toBe(true);
		expect(await me({ cookie: u.cookie })).toBe(401);
		expect(await me({ token })).toBe(401);
		await page.getByRole('button', { name: `Enable ${u.who.email}`, exact: true }).waitFor();
		expect(b.requests.errors).toEqual([]);
	}, 180_000);
});
