/**
 * Field readiness (issue 14), in Chromium with a real profile on disk:
 *  1. an analyst opens restricted data (a contact, a movement: both carry a canary), the report
 *     form and the map online; the link goes down; a reload shows the app and the map with
 *     "offline — data as of …";
 *  2. two reports are typed offline; they are on the device (found in the profile); Chromium is
 *     closed and opened again on the same profile, the link comes back: each report exists exactly
 *     once on the server; the sync is replayed under the same client ids: still exactly two;
 *  3. sign-out, then the whole profile (Cache Storage, IndexedDB, the HTTP cache, gzip bodies
 *     included) is searched for the canaries: zero hits.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, inflateSync, constants } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, screenshot, signIn, waitUntilLoaded } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const TAG = `offl${Date.now().toString(36)}`;
const CONTACT_CANARY = `CanaryContact${TAG}`;
const MOVEMENT_CANARY = `CanaryMovement${TAG}`;

const ARGS = [
	'--no-sandbox',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--use-angle=gl-egl',
	'--ignore-gpu-blocklist',
	'--lang=en-GB'
];

const launch = (profile: string) =>
	chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1280, height: 800 },
		locale: 'en-GB',
		timezoneId: 'UTC',
		args: ARGS
	});

function files(dir: string): string[] {
	const out: string[] = [];
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		if (e.isDirectory()) out.push(...files(p));
		else if (e.isFile()) out.push(p);
	}
	return out;
}

/** Files of the profile holding `needle`: raw, as UTF-16, or inside a gzip/deflate body. */
function search(profile: string, needle: string): string[] {
	const forms = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
	const hits: string[] = [];
	for (const f of files(profile)) {
		if (statSync(f).size > 64 * 1024 * 1024) continue;
		const buf = readFileSync(f);
		let found = forms.some((n) => buf.includes(n));
		// The HTTP cache keeps bodies as they came over the wire (gzip from the server's compression).
		for (let i = buf.indexOf(0x1f); !found && i >= 0; i = buf.indexOf(0x1f, i + 1)) {
			if (buf[i + 1] !== 0x8b) continue;
			try {
				const plain = gunzipSync(buf.subarray(i), { finishFlush: constants.Z_SYNC_FLUSH });
				found = forms.some((n) => plain.includes(n));
			} catch {
				// not a gzip stream after all
			}
		}
		if (!found && buf.includes(0x78)) {
			try {
				found = inflateSync(buf, { finishFlush: constants.Z_SYNC_FLUSH }).includes(forms[0]);
			} catch {
				// not zlib
			}
		}
		if (found) hits.push(f.slice(profile.length));
	}
	return hits;
}

async function reportCount(cookie: string): Promise<number> {
	const r = await http(`/api/v1/incidents/report?q=${TAG}&size=50`, { cookie });
	expect(r.status).toBe(200);
	const body = (await r.json()) as { rows: { location_name: string | null }[] };
	return body.rows.filter((x) => x.location_name?.includes(TAG)).length;
}

async function fillReport(p: Page, n: number) {
	await p.locator('select[name="event_type"]').selectOption('violence_against_civilians');
	await p.locator('select[name="sub_event_type"]').selectOption('Abduction/forced disappearance');
	await p.locator('[data-testid="coordinates"]').fill(`36.8${n}, 42.9${n}`);
	await p.locator('input[name="location_name"]').fill(`Checkpoint ${n} ${TAG}`);
	await p.locator('textarea[name="notes"]').fill(`Report ${n} typed offline ${TAG}`);
	await p.getByRole('button', { name: 'Send report' }).click();
}

const pending = (p: Page) => p.getByTestId('outbox-button').getAttribute('data-pending');

describe('offline use', () => {
	const profile = mkdtempSync(join(tmpdir(), 'terrain-offline-'));
	let ctx: BrowserContext | null = null;
	let analyst = '';
	let movementId = '';

	beforeAll(async () => {
		analyst = await sessionCookie('analyst');
		const c = await http('/api/v1/contacts', {
			method: 'POST',
			cookie: analyst,
			body: {
				full_name: CONTACT_CANARY,
				areas: ['IQG09Q02'],
				sensitivity: 'restricted',
				phones: [{ number: '0750 123 4567', phone_type: 'mobile' }]
			}
		});
		expect(c.status, await c.clone().text()).toBe(201);
		const m = await http('/api/v1/movements', {
			method: 'POST',
			cookie: analyst,
			body: {
				purpose: `Visit ${MOVEMENT_CANARY}`,
				departure_at: '2030-05-01T06:00:00Z',
				return_at: '2030-05-01T16:00:00Z',
				route: {
					type: 'LineString',
					coordinates: [
						[43.0, 36.867],
						[42.45, 36.63]
					]
				},
				team: [{ name: `Driver ${MOVEMENT_CANARY}`, role: 'driver' }],
				vehicles: [],
				stops: []
			}
		});
		expect(m.status, await m.clone().text()).toBe(201);
		movementId = ((await m.json()) as { id: string }).id;
	});

	afterAll(async () => {
		await ctx?.close().catch(() => {});
		rmSync(profile, { recursive: true, force: true });
	});

	it('opens offline, keeps reports until sent, sends each once, leaves no canary', async () => {
		const { baseUrl } = e2e();
		ctx = await launch(profile);
		let p = ctx.pages()[0] ?? (await ctx.newPage());
		await signIn(p, baseUrl, 'analyst');

		// Need-to-know screens pass through this browser...
		await p.goto(`${baseUrl}/contacts`);
		await expect.poll(() => p.getByText(CONTACT_CANARY).count()).toBeGreaterThan(0);
		await p.goto(`${baseUrl}/movements/${movementId}`);
		await expect.poll(() => p.getByText(MOVEMENT_CANARY).count()).toBeGreaterThan(0);
		// ...as do the screens kept for offline use.
		await p.goto(`${baseUrl}/incidents/new`);
		await p.goto(`${baseUrl}/map`);
		await waitUntilLoaded(p);
		// The service worker has taken the page and kept it (the page handed it what it loaded).
		await expect
			.poll(
				() =>
					p.evaluate(async () => {
						const keys = await (await caches.open('terrain-data')).keys();
						return keys.map((k) => new URL(k.url).pathname);
					}),
				{ timeout: 60_000 }
			)
			.toEqual(expect.arrayContaining(['/map', '/incidents/new', '/api/v1/areas']));

		// 1. the link goes down; a reload still shows the app, the map and the age of the data
		await ctx.setOffline(true);
		await p.reload();
		await waitUntilLoaded(p);
		await expect
			.poll(() => p.getByTestId('offline-banner').textContent())
			.toMatch(/Offline — data as of .*\d/);
		await expect.poll(() => p.locator('.maplibregl-canvas').count()).toBe(1);
		expect(await p.getByTestId('offline-banner').getAttribute('data-as-of')).toMatch(/^\d{4}-/);
		await screenshot(p, 'offline-map');
		// A screen that is not kept says it needs the server, not the browser's error page.
		await p.goto(`${baseUrl}/network`);
		await expect
			.poll(() => p.locator('body').textContent())
			.toContain('this screen needs the server');

		// 2. two reports typed offline wait in the outbox
		await p.goto(`${baseUrl}/incidents/new`);
		await fillReport(p, 1);
		await expect.poll(() => p.getByTestId('queued').count()).toBe(1);
		await fillReport(p, 2);
		await expect.poll(() => pending(p)).toBe('2');
		await p.getByTestId('outbox-button').click();
		await expect.poll(() => p.getByTestId('outbox-item').count()).toBe(2);
		await screenshot(p, 'offline-outbox');
		expect(await reportCount(analyst)).toBe(0); // nothing shown as sent, nothing sent

		// Chromium closes with the reports on disk, and opens again on the same profile.
		await ctx.close();
		ctx = null;
		expect(search(profile, `Report 2 typed offline ${TAG}`).length).toBeGreaterThan(0);
		ctx = await launch(profile);
		p = ctx.pages()[0] ?? (await ctx.newPage());
		await p.goto(`${baseUrl}/map`);
		await expect.poll(() => pending(p), { timeout: 60_000 }).toBe('0');
		expect(await reportCount(analyst)).toBe(2);
		await p.getByTestId('outbox-button').click();
		await expect
			.poll(() => p.locator('[data-testid="outbox-item"][data-state="accepted"]').count())
			.toBe(2);

		const receipts = () =>
			p
				.locator('[data-testid="outbox-item"] a')
				.evaluateAll((as) => as.map((a) => a.getAttribute('href')).sort());
		const before = await receipts();
		expect(before).toHaveLength(2);

		// Replay the sync: as if both answers had been lost on the way back, the two reports are
		// waiting again under the same client ids, and the outbox sends them again (one batch).
		const replayed = await p.evaluate(async (name) => {
			const db = await new Promise<IDBDatabase>((ok, ko) => {
				const r = indexedDB.open(name);
				r.onsuccess = () => ok(r.result);
				r.onerror = () => ko(r.error);
			});
			const tx = db.transaction('items', 'readwrite');
			const store = tx.objectStore('items');
			const all = await new Promise<{ id: string; state: string; href?: string }[]>((ok) => {
				const r = store.getAll();
				r.onsuccess = () => ok(r.result);
			});
			for (const it of all) store.put({ ...it, state: 'waiting', href: undefined });
			await new Promise((ok) => (tx.oncomplete = ok));
			db.close();
			return all.map((i) => i.id);
		}, 'terrain-outbox');
		expect(replayed).toHaveLength(2);
		const batches: string[] = [];
		p.on('request', (r) => {
			if (r.url().endsWith('/api/v1/incidents/report/batch')) batches.push(r.postData() ?? '');
		});
		await p.reload();
		await expect.poll(() => batches.length, { timeout: 60_000 }).toBeGreaterThan(0);
		await expect.poll(() => pending(p), { timeout: 60_000 }).toBe('0');
		// The replay carried both client ids, and the server still has each report exactly once.
		expect(replayed.every((id) => batches.some((b) => b.includes(id)))).toBe(true);
		expect(await reportCount(analyst)).toBe(2);
		await p.getByTestId('outbox-button').click();
		await expect
			.poll(() => p.locator('[data-testid="outbox-item"][data-state="accepted"]').count())
			.toBe(2);
		// Each receipt links to the same incident as before the replay.
		expect(await receipts()).toEqual(before);

		// 3. sign-out leaves nothing of need-to-know data (nor anything else) in the profile
		await p.getByTestId('outbox').getByRole('button', { name: 'Close' }).click();
		await p.getByTestId('sign-out').click();
		await p.waitForURL(/\/login/);
		await ctx.close();
		ctx = null;
		expect(search(profile, CONTACT_CANARY)).toEqual([]);
		expect(search(profile, MOVEMENT_CANARY)).toEqual([]);
		// (A report's own text may stay in Chromium's session-restore file, which keeps typed form
		// fields; that is the browser's, not a store of ours, and a report is not need-to-know.)
	});
});
