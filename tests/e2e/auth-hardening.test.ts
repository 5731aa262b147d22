// Sign-in and requests as an attacker and an operator meet them over HTTP (issue 10, point 6):
// cookie-carrying writes without a same-origin Origin/Referer are refused (JSON, form posts and
// import uploads alike) while token calls are not; HSTS behind the trusted proxy; 200 parallel
// guesses against one account are mostly refused unchecked (429 + Retry-After); tokens carry
// their expiry and die in bulk; admins change roles and re-enable users through the API and the
// Users page; and `terrain user add|enable|role` on a data directory, audited with the operator.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, runCli, sessionCookie, tempDir } from './helpers/server.ts';

const { baseUrl, users } = e2e();
const PASSWORD = 'e2e hardening password';
const stamp = Date.now().toString(36);
let adminCookie: string;
let viewerCookie: string;

beforeAll(async () => {
	adminCookie = await sessionCookie('admin');
	viewerCookie = await sessionCookie('viewer');
});

/** The language cookie the language switcher sets. */
async function setLang(b: TestBrowser, lang: 'en' | 'ar'): Promise<void> {
	await b.context.addCookies([{ name: 'terrain_lang', value: lang, url: baseUrl }]);
}

/** A new account through the admin API; returns its id. */
async function newUser(email: string, role = 'viewer'): Promise<string> {
	const r = await http('/api/v1/users', {
		method: 'POST',
		cookie: adminCookie,
		body: { email, role, password: PASSWORD }
	});
	expect(r.status, await r.clone().text()).toBe(201);
	return ((await r.json()) as { id: string }).id;
}

describe('cookie-carrying writes need a same-origin Origin or Referer', () => {
	it('refuses JSON, form and import posts with neither, or from elsewhere', async () => {
		const cases: [string, RequestInit['method'], Record<string, string>, string | FormData][] = [
			['/api/v1/tokens', 'POST', { 'content-type': 'application/json' }, '{"name":"csrf"}'],
			[
				'/account?/create',
				'POST',
				{ 'content-type': 'application/x-www-form-urlencoded' },
				'name=csrf'
			],
			['/import/upload?into=incidents', 'POST', { 'content-type': 'text/csv' }, 'a,b\n1,2\n'],
			['/api/v1/imports?into=incidents', 'POST', { 'content-type': 'text/csv' }, 'a,b\n1,2\n']
		];
		for (const [path, method, headers, body] of cases) {
			for (const extra of <Record<string, string>[]>[
				{},
				{ origin: 'https://evil.example' },
				{ referer: 'https://evil.example/x' }
			]) {
				const r = await fetch(new URL(path, baseUrl), {
					method,
					headers: { cookie: adminCookie, accept: 'application/json', ...headers, ...extra },
					body,
					redirect: 'manual'
				});
				expect(r.status, `${path} ${JSON.stringify(extra)}`).toBe(403);
			}
		}
		// Multipart uploads (the import page's other way in), with no Origin or Referer.
		for (const path of ['/import/upload?into=incidents', '/api/v1/imports?into=incidents']) {
			const form = new FormData();
			form.set('file', new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'x.csv');
			const r = await fetch(new URL(path, baseUrl), {
				method: 'POST',
				headers: { cookie: adminCookie, accept: 'application/json' },
				body: form,
				redirect: 'manual'
			});
			expect(r.status, path).toBe(403);
		}
	});

	it('lets same-origin pages through by Origin or by Referer, and token calls without a cookie', async () => {
		const byOrigin = await http('/api/v1/tokens', {
			method: 'POST',
			cookie: viewerCookie,
			body: { name: `origin-${stamp}` }
		});
		expect(byOrigin.status).toBe(201);
		const byReferer = await http('/api/v1/tokens', {
			method: 'POST',
			cookie: viewerCookie,
			origin: null,
			headers: { referer: `${baseUrl}/account` },
			body: { name: `referer-${stamp}` }
		});
		expect(byReferer.status).toBe(201);
		const { token } = (await byReferer.json()) as { token: string };
		const byToken = await http('/api/v1/tokens', {
			method: 'POST',
			token,
			origin: null,
			body: { name: `token-${stamp}` }
		});
		expect(byToken.status).toBe(201);
		await http('/api/v1/tokens', { method: 'DELETE', cookie: viewerCookie });
	});
});

describe('HSTS', () => {
	it('is sent when the trusted proxy says the request came over HTTPS, and only then', async () => {
		const tls = await http('/login', {
			headers: { 'x-forwarded-proto': 'https', accept: 'text/html' }
		});
		expect(tls.headers.get('strict-transport-security')).toBe(
			'max-age=31536000; includeSubDomains'
		);
		const plain = await http('/login', { headers: { accept: 'text/html' } });
		expect(plain.headers.get('strict-transport-security')).toBeNull();
	});
});

describe('sign-in limits', () => {
	it('answers 200 parallel wrong passwords for one account with at most the window checked, the rest 429', async () => {
		const email = `target-${stamp}@e2e.terrain.test`;
		await newUser(email);
		const statuses = await Promise.all(
			Array.from({ length: 200 }, async (_, i) => {
				const r = await http('/login', {
					method: 'POST',
					body: new URLSearchParams({ email, password: `guess-${i}-wrong` }),
					headers: {
						'content-type': 'application/x-www-form-urlencoded',
						accept: 'text/html',
						// a botnet: every guess from another address
						'x-forwarded-for': `198.51.${Math.floor(i / 250)}.${i % 250}`
					}
				});
				return { status: r.status, retryAfter: r.headers.get('retry-after') };
			})
		);
		const checked = statuses.filter((s) => s.status === 400).length;
		const refused = statuses.filter((s) => s.status === 429);
		expect(checked).toBeGreaterThanOrEqual(1);
		expect(checked).toBeLessThanOrEqual(5);
		expect(refused.length).toBe(200 - checked);
		for (const s of refused) expect(Number(s.retryAfter)).toBeGreaterThan(0);
		// Even the right password waits for the lock-out, and the page says so.
		const right = await http('/login', {
			method: 'POST',
			body: new URLSearchParams({ email, password: PASSWORD }),
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
		});
		expect(right.status).toBe(429);
		expect(await right.text()).toContain('Too many failed sign-ins');
	});
});

describe('API tokens', () => {
	it('show their expiry at creation, expire as chosen, and are revoked all at once', async () => {
		const viewer = await sessionCookie('viewer');
		const mk = async (body: Record<string, unknown>) =>
			http('/api/v1/tokens', { method: 'POST', cookie: viewer, body });
		const bad = await mk({ name: 'x', expires_in_days: 0 });
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { parameter: string }).parameter).toBe('expires_in_days');
		const week = (await (await mk({ name: `week-${stamp}`, expires_in_days: 7 })).json()) as {
			token: string;
			expires_at: string;
		};
		expect((Date.parse(week.expires_at) - Date.now()) / 86_400_000).toBeCloseTo(7, 1);
		const dflt = (await (await mk({ name: `default-${stamp}` })).json()) as {
			token: string;
			expires_at: string;
		};
		expect((Date.parse(dflt.expires_at) - Date.now()) / 86_400_000).toBeCloseTo(90, 1);
		const list = (await (await http('/api/v1/tokens', { token: week.token })).json()) as {
			expires_at: string;
		}[];
		expect(list.every((t) => typeof t.expires_at === 'string')).toBe(true);

		const all = await http('/api/v1/tokens', { method: 'DELETE', cookie: viewer });
		expect(all.status).toBe(200);
		expect(((await all.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
		for (const t of [week.token, dflt.token])
			expect((await http('/api/v1/me', { token: t })).status).toBe(401);
	});
});

describe('an admin changes a user', () => {
	it('through PATCH /api/v1/users/{id}: role, disabled and enabled again, each in the audit log', async () => {
		const email = `patched-${stamp}@e2e.terrain.test`;
		const id = await newUser(email);
		const patch = (body: unknown, cookie = adminCookie) =>
			http(`/api/v1/users/${id}`, { method: 'PATCH', cookie, body });
		expect((await patch({ role: 'analyst' }, viewerCookie)).status).toBe(403);
		expect((await patch({ role: 'boss' })).status).toBe(400);
		const r1 = await patch({ role: 'analyst' });
		expect(r1.status).toBe(200);
		expect(await r1.json()).toMatchObject({ role: 'analyst', disabled: false });
		expect(await (await patch({ disabled: true })).json()).toMatchObject({ disabled: true });
		expect(await (await patch({ disabled: false })).json()).toMatchObject({
			role: 'analyst',
			disabled: false
		});
		expect(
			(
				await http('/login', {
					method: 'POST',
					body: new URLSearchParams({ email, password: PASSWORD }),
					headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
				})
			).status
		).toBe(303);

		for (const action of ['auth.role_change', 'auth.user_disable', 'auth.user_enable']) {
			const page = await http(`/admin/audit?action=${action}&row=${id}`, {
				cookie: adminCookie,
				headers: { accept: 'text/html' }
			});
			const html = await page.text();
			expect(html, action).toContain(action);
			expect(html, action).toContain(users.admin.email);
		}
	});
});

describe('the Users page and My account, in the browser', () => {
	let b: TestBrowser;
	beforeAll(async () => {
		b = await openBrowser();
	});
	afterAll(async () => b?.close());

	it('changes a role and re-enables a user on /admin/users', async () => {
		const email = `page-${stamp}@e2e.terrain.test`;
		const id = await newUser(email);
		await http(`/api/v1/users/${id}`, {
			method: 'PATCH',
			cookie: adminCookie,
			body: { disabled: true }
		});
		await signIn(b.page, baseUrl, 'admin');
		await b.page.goto(`${baseUrl}/admin/users`);
		await b.page.getByRole('button', { name: `Enable ${email}` }).click();
		await b.page
			.getByRole('status')
			.filter({ hasText: `${email} can sign in again.` })
			.waitFor();
		await b.page.getByLabel(`Role of ${email}`).selectOption('field');
		const row = b.page.locator('tr', { has: b.page.getByLabel(`Role of ${email}`) });
		await row.getByRole('button', { name: 'Change role' }).click();
		await b.page
			.getByRole('status')
			.filter({ hasText: `${email} now has the role` })
			.waitFor();
		const list = (await (await http('/api/v1/users', { cookie: adminCookie })).json()) as {
			email: string;
			role: string;
			disabled: boolean;
		}[];
		expect(list.find((u) => u.email === email)).toMatchObject({ role: 'field', disabled: false });
		for (const [w, name] of [
			[1280, 'desktop'],
			[390, 'phone']
		] as const) {
			await b.page.setViewportSize({ width: w, height: 900 });
			await screenshot(b.page, `auth-admin-users-en-${name}`);
		}
		await setLang(b, 'ar');
		await b.page.goto(`${baseUrl}/admin/users`);
		for (const [w, name] of [
			[1280, 'desktop'],
			[390, 'phone']
		] as const) {
			await b.page.setViewportSize({ width: w, height: 900 });
			await screenshot(b.page, `auth-admin-users-ar-${name}`);
			expect(await b.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
				w
			);
		}
		await setLang(b, 'en');
	});

	it('creates a token for a chosen number of days and shows until when it is valid', async () => {
		await b.context.clearCookies();
		await signIn(b.page, baseUrl, 'field');
		await b.page.setViewportSize({ width: 1280, height: 900 });
		await b.page.goto(`${baseUrl}/account`);
		await b.page.locator('#token-name').fill(`browser-${stamp}`);
		await b.page.locator('#token-days').fill('30');
		await b.page.getByRole('button', { name: 'Create token' }).click();
		const expiry = b.page.getByTestId('new-token-expiry');
		await expiry.waitFor();
		const expected = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(
			new Date(Date.now() + 30 * 86_400_000)
		);
		expect(await expiry.innerText()).toContain(expected);
		await screenshot(b.page, 'auth-account-token-en-desktop');
		b.page.once('dialog', (d) => d.accept());
		await b.page.getByRole('button', { name: 'Revoke all my tokens' }).click();
		await b.page.getByRole('status').filter({ hasText: 'API tokens revoked' }).waitFor();
		const field = await sessionCookie('field');
		const mine = (await (await http('/api/v1/tokens', { cookie: field })).json()) as {
			revoked_at: string | null;
		}[];
		expect(mine.every((t) => t.revoked_at)).toBe(true);
		await b.page.setViewportSize({ width: 390, height: 900 });
		await screenshot(b.page, 'auth-account-token-en-phone');
		await b.page.goto(`${baseUrl}/password`);
		expect(await b.page.locator('input[name="revoke_tokens"]').isChecked()).toBe(true);
		await screenshot(b.page, 'auth-password-en-phone');
		await setLang(b, 'ar');
		await b.page.goto(`${baseUrl}/password`);
		await screenshot(b.page, 'auth-password-ar-phone');
		await b.page.goto(`${baseUrl}/account`);
		await screenshot(b.page, 'auth-account-ar-phone');
		// Right to left, the page itself does not scroll sideways (only the token table does).
		expect(await b.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			390
		);
		await setLang(b, 'en');
	});
});

describe('terrain user add | enable | role', () => {
	const dir = tempDir('terrain-e2e-cli-auth-');
	const env = { TERRAIN_DATA_DIR: dir, TERRAIN_OPERATOR: 'night-ops@field-server' };
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('refuses an existing user, and enables and changes roles by separate commands, each audited with the operator', async () => {
		const email = 'cli-user@e2e.terrain.test';
		const add = ['user', 'add', '--email', email, '--role', 'viewer', '--password', PASSWORD];
		expect((await runCli(add, env)).code).toBe(0);
		expect((await runCli(['user', 'disable', '--email', email], env)).code).toBe(0);
		const again = await runCli(
			['user', 'add', email, '--role', 'admin', '--password', PASSWORD],
			env
		);
		expect(again.code).toBe(1);
		expect(again.lines).toHaveLength(1);
		expect(again.lines[0]).toMatch(/^terrain: user cli-user@e2e\.terrain\.test already exists/);
		const en = await runCli(['user', 'enable', email], env);
		expect(en.code, en.stderr).toBe(0);
		expect(en.stdout).toContain('is enabled');
		const role = await runCli(['user', 'role', email, '--role', 'analyst'], env);
		expect(role.code, role.stderr).toBe(0);
		expect(role.stdout).toContain('now has the role analyst');
		const tok = await runCli(['token', 'create', '--user', email, '--days', '10'], env);
		expect(tok.code, tok.stderr).toBe(0);
		expect(tok.stderr).toMatch(/expires on \d{4}-\d{2}-\d{2} \(10 days\)/);

		const db = await PgliteAdapter.open(dir);
		try {
			const [u] = await db.queryOwner<{ role: string; disabled: boolean }>(
				'select role, disabled from public.app_users where email = $1',
				[email]
			);
			expect(u).toEqual({ role: 'analyst', disabled: false });
			const rows = await db.queryOwner<{
				action: string;
				operator: string;
				actor_id: string | null;
			}>(
				`select action, detail ->> 'operator' as operator, actor_id::text from public.audit_log
				 where action like 'auth.%' order by id`
			);
			expect(rows.map((r) => r.action)).toEqual([
				'auth.user_add',
				'auth.user_disable',
				'auth.user_enable',
				'auth.role_change',
				'auth.token_create'
			]);
			for (const r of rows)
				expect(r).toMatchObject({ operator: 'night-ops@field-server', actor_id: null });
		} finally {
			await db.close();
		}
		// Each command opens the embedded database itself (~30 s each on a busy machine).
	}, 900_000);
});
