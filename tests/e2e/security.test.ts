// Need-to-know, as an outsider or a signed-in user would probe it: pages and API routes by role,
// API tokens, input validation, security headers, cross-site requests, and a map page that
// talks to nobody but its own server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, waitUntilLoaded, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie, type Role } from './helpers/server.ts';

const { baseUrl, cliToken } = e2e();
const NON_ADMINS = ['analyst', 'field', 'viewer'] as const satisfies readonly Role[];

const cookies = {} as Record<Role, string>;
beforeAll(async () => {
	for (const role of ['admin', ...NON_ADMINS] as const) cookies[role] = await sessionCookie(role);
});

const newUser = () => ({
	email: `made-by-test-${Date.now()}@e2e.terrain.test`,
	role: 'viewer',
	display_name: 'Should not exist',
	password: 'long-enough-password-1'
});

describe('user administration is for admins only', () => {
	it('shows analysts, field staff and viewers a 403 page at /admin/users', async () => {
		const b = await openBrowser();
		try {
			await signIn(b.page, baseUrl, 'viewer');
			const res = await b.page.goto(`${baseUrl}/admin/users`);
			expect(res?.status()).toBe(403);
			expect(await b.page.getByRole('heading', { level: 1 }).innerText()).toBe(
				'You do not have access to this page.'
			);
			expect(await b.page.locator('table').count()).toBe(0);
			expect(await b.page.locator('body').innerText()).not.toContain('analyst@e2e.terrain.test');
			// The navigation does not offer the page either.
			expect(await b.page.locator('header nav a[href="/admin/users"]').count()).toBe(0);
		} finally {
			await b.close();
		}
		for (const role of NON_ADMINS) {
			const r = await http('/admin/users', {
				cookie: cookies[role],
				headers: { accept: 'text/html' }
			});
			expect(r.status, role).toBe(403);
		}
		// …while the admin gets the page, so the 403 above is about the role.
		expect(
			(await http('/admin/users', { cookie: cookies.admin, headers: { accept: 'text/html' } }))
				.status
		).toBe(200);
	});

	it('refuses GET and POST /api/v1/users to everyone but admins', async () => {
		for (const role of NON_ADMINS) {
			const list = await http('/api/v1/users', { cookie: cookies[role] });
			expect(list.status, `GET as ${role}`).toBe(403);
			expect((await list.json()).message).toMatch(/admin/);
			const add = await http('/api/v1/users', {
				method: 'POST',
				cookie: cookies[role],
				body: newUser()
			});
			expect(add.status, `POST as ${role}`).toBe(403);
		}
		const list = await http('/api/v1/users', { cookie: cookies.admin });
		expect(list.status).toBe(200);
		const emails = JSON.stringify(await list.json());
		expect(emails).toContain('viewer@e2e.terrain.test');
		expect(emails).not.toContain('made-by-test-');
	});
});

describe('the API without valid credentials', () => {
	it('answers 401 without a cookie or a token', async () => {
		const r = await http('/api/v1/incidents');
		expect(r.status).toBe(401);
		expect(r.headers.get('content-type')).toMatch(/json/);
		expect(JSON.stringify(await r.json())).not.toContain('"features"');
	});

	it('answers 401 to a made-up Bearer token, even with a valid session cookie alongside', async () => {
		const madeUp = `trt_${'A'.repeat(43)}`;
		expect((await http('/api/v1/incidents', { token: madeUp })).status).toBe(401);
		expect((await http('/api/v1/incidents', { token: 'nonsense' })).status).toBe(401);
		expect((await http('/api/v1/incidents', { token: madeUp, cookie: cookies.admin })).status).toBe(
			401
		);
	});
});

describe('API tokens', () => {
	it('accepts a token made with `terrain token create`', async () => {
		expect(cliToken, 'global-setup (or TERRAIN_E2E_TOKEN) provides a CLI token').toMatch(/^trt_/);
		const me = await http('/api/v1/me', { token: cliToken });
		expect(me.status).toBe(200);
		expect((await me.json()).email).toBe('analyst@e2e.terrain.test');
		const incidents = await http('/api/v1/incidents?limit=5', { token: cliToken });
		expect(incidents.status).toBe(200);
		const fc = await incidents.json();
		expect(fc.type).toBe('FeatureCollection');
		expect(fc.features.length).toBeGreaterThan(0); // the demo data is there
	});

	it('accepts a token made through the API until it is revoked, then answers 401', async () => {
		const made = await http('/api/v1/tokens', {
			method: 'POST',
			cookie: cookies.field,
			body: { name: 'e2e revoke me' }
		});
		expect(made.status).toBe(201);
		const { id, token } = await made.json();
		expect((await http('/api/v1/me', { token })).status).toBe(200);

		const revoked = await http(`/api/v1/tokens/${id}`, { method: 'DELETE', cookie: cookies.field });
		expect(revoked.status).toBe(200);
		const after = await http('/api/v1/incidents', { token });
		expect(after.status).toBe(401);
		expect(after.headers.get('www-authenticate')).toMatch(/^Bearer/);
	});
});

describe('input validation', () => {
	it.each([
		['from=2014-13-01', 'from'],
		['to=2014-02-30', 'to'],
		['bbox=1,2,3', 'bbox'],
		['type=picnic', 'type'],
		['limit=-1', 'limit']
	])('answers 400 naming the parameter for ?%s', async (query, parameter) => {
		const r = await http(`/api/v1/incidents?${query}`, { cookie: cookies.viewer });
		expect(r.status).toBe(400);
		const body = await r.json();
		expect(body.parameter).toBe(parameter);
		expect(body.message).toEqual(expect.any(String));
	});
});

describe('security headers', () => {
	it.each(['/login', '/map', '/api/v1/me'])('are on %s', async (path) => {
		const cookie = path === '/login' ? undefined : cookies.viewer; // signed in, /login redirects
		const r = await http(path, {
			cookie,
			headers: { accept: path.startsWith('/api') ? 'application/json' : 'text/html' }
		});
		expect(r.status).toBe(200);
		const csp = r.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/(^|;)\s*default-src 'self'\s*(;|$)/);
		expect(csp).toMatch(/frame-ancestors 'none'/);
		expect(r.headers.get('x-frame-options')).toBe('DENY');
		expect(r.headers.get('x-content-type-options')).toBe('nosniff');
		// Signed-in answers are never stored by a shared cache; /map is one of the screens the
		// service worker may keep for offline use (src/lib/offline/policy.ts), so it is private
		// and revalidated rather than no-store; everything else signed-in stays off disk.
		const cc = r.headers.get('cache-control') ?? '';
		if (path === '/map') expect(cc).toMatch(/^private, no-(cache|store)$/);
		else if (path !== '/login') expect(cc).toMatch(/no-store/);
	});
});

describe('cross-site requests', () => {
	it('refuses a POST to the API from another origin even with a session cookie', async () => {
		const r = await http('/api/v1/tokens', {
			method: 'POST',
			cookie: cookies.analyst,
			origin: 'https://evil.example',
			body: { name: 'planted' }
		});
		expect(r.status).toBe(403);
		// Nothing was created.
		const mine = await http('/api/v1/tokens', { cookie: cookies.analyst });
		expect(JSON.stringify(await mine.json())).not.toContain('planted');
		// A request without any Origin header is refused too.
		const bare = await http('/api/v1/tokens', {
			method: 'POST',
			cookie: cookies.analyst,
			origin: null,
			body: { name: 'planted' }
		});
		expect(bare.status).toBe(403);
	});
});

describe('in the browser, signed in', () => {
	let b: TestBrowser;
	beforeAll(async () => {
		b = await openBrowser();
	});
	afterAll(async () => {
		await b?.close();
	});

	it("lets the app's own pages POST to the API (the same-origin check lets them through)", async () => {
		await signIn(b.page, baseUrl, 'analyst');
		const answer = await b.page.evaluate(async () => {
			const r = await fetch('/api/v1/tokens', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'made from the page' })
			});
			const body = await r.json();
			if (r.ok) await fetch(`/api/v1/tokens/${body.id}`, { method: 'DELETE' });
			return { status: r.status, body };
		});
		expect(answer.status, JSON.stringify(answer.body)).toBe(201);
		expect(answer.body.token).toMatch(/^trt_/);
	});

	it('makes no request to any other origin', async () => {
		await signIn(b.page, baseUrl, 'analyst');
		b.requests.clear();
		await b.page.goto(`${baseUrl}/map`);
		// Until the basemap, the data and the first drawing are done (or ~10 s on a page with no
		// data-loading marker).
		if (await waitUntilLoaded(b.page)) {
			// Pan, so the viewport loader asks for more.
			const box = (await b.page.locator('[data-loading]').first().boundingBox())!;
			const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
			await b.page.mouse.move(x, y);
			await b.page.mouse.down();
			await b.page.mouse.move(x - 150, y + 80, { steps: 5 });
			await b.page.mouse.up();
			await b.page.waitForTimeout(1000);
			await waitUntilLoaded(b.page);
		}
		expect(b.requests.urls.length).toBeGreaterThan(5);
		expect(b.requests.offOrigin(baseUrl)).toEqual([]);
		expect(b.requests.foreign()).toEqual([]);
	});
});
