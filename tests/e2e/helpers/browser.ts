/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; never downloaded) for
 * the e2e tests.
 *
 *   import { openBrowser, signIn, screenshot, waitForPixels } from './helpers/browser';
 *   const b = await openBrowser();                   // fresh profile; b.page, b.context, b.requests
 *   afterAll(() => b.close());                       // closes Chromium and deletes the profile
 *   await signIn(b.page, baseUrl, 'analyst');        // via the login form; throws with the error shown
 *   expect(b.requests.foreign()).toEqual([]);        // every URL requested that left 127.0.0.1/localhost
 *   expect(b.requests.errors).toEqual([]);           // uncaught page errors and console.error lines
 *   await waitUntilLoaded(b.page);                   // until no [data-loading="true"] is left (the map)
 *   await screenshot(b.page, 'map-default');         // → test-results/e2e/map-default.png
 *   const img = await waitForPixels(b.page.locator('.maplibregl-canvas'),
 *     (img) => img.count(([r, g, b]) => r > 200 && g < 80 && b < 80) > 50, { name: 'red-points' });
 *
 * In screenshot tests wait for pixels, not for events: waitForPixels screenshots the element every
 * `interval` ms until the predicate holds (or saves the last image as <name>-timeout.png and
 * throws). Pixels are RGBA, row-major, in CSS pixels × deviceScaleFactor (1 by default).
 *
 * WebGL: with the default `renderer: 'llvmpipe'` Chromium gets Mesa llvmpipe through ANGLE
 * (--use-angle=gl-egl --ignore-gpu-blocklist), about 3× faster than SwiftShader on these machines
 * (measured: 200k blended points, 300 vs 910 ms a frame). --disable-gpu would silently switch
 * that back to SwiftShader, so it is passed only with `renderer: 'swiftshader'`. Never --use-gl=….
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import {
	chromium,
	type BrowserContext,
	type Locator,
	type Page,
	type Request,
	type Response
} from 'playwright-core';
import { e2e } from './server.ts';
import type { Credentials, Role } from './accounts.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS_DIR = join(import.meta.dirname, '..', '..', '..', 'test-results', 'e2e');

const BASE_ARGS = [
	'--no-sandbox',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--use-angle=gl-egl',
	'--ignore-gpu-blocklist'
];

export interface BrowserOptions {
	viewport?: { width: number; height: number };
	/** Sent as Accept-Language; the app picks its language from it until one is chosen. */
	locale?: string;
	renderer?: 'llvmpipe' | 'swiftshader';
	deviceScaleFactor?: number;
	/** 'block' keeps the app's service worker out, so page.route sees every request. */
	serviceWorkers?: 'allow' | 'block';
	/** false shows the page as it is before its script runs (or with JavaScript off). */
	javaScriptEnabled?: boolean;
}

export interface TestBrowser {
	context: BrowserContext;
	/** The first tab. Open more with context.newPage(); their requests are recorded too. */
	page: Page;
	requests: RequestLog;
	close(): Promise<void>;
}

/** Launches Chromium with a fresh profile directory (deleted by close()). */
export async function openBrowser(o: BrowserOptions = {}): Promise<TestBrowser> {
	const profile = mkdtempSync(join(tmpdir(), 'terrain-chromium-'));
	const locale = o.locale ?? 'en-GB';
	// --lang as well as `locale`: the former sets the format of date inputs and other built-in UI.
	const args = [
		...BASE_ARGS,
		`--lang=${locale}`,
		...(o.renderer === 'swiftshader' ? ['--disable-gpu'] : [])
	];
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			viewport: o.viewport ?? { width: 1280, height: 800 },
			deviceScaleFactor: o.deviceScaleFactor ?? 1,
			locale,
			timezoneId: 'UTC',
			serviceWorkers: o.serviceWorkers ?? 'allow',
			javaScriptEnabled: o.javaScriptEnabled ?? true,
			args
		});
	} catch (e) {
		rmSync(profile, { recursive: true, force: true });
		throw e;
	}
	const requests = new RequestLog(context);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		requests,
		async close() {
			await context.close().catch(() => {});
			rmSync(profile, { recursive: true, force: true });
		}
	};
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Every request the browser context makes (pages, frames, workers), and every page error. */
export class RequestLog {
	readonly urls: string[] = [];
	/** Uncaught exceptions and console.error messages, as "where: message". */
	readonly errors: string[] = [];

	constructor(context: BrowserContext) {
		context.on('request', (r) => this.urls.push(r.url()));
		const watch = (p: Page) => {
			p.on('pageerror', (e) => this.errors.push(`${p.url()}: ${e.message}`));
			p.on('console', (m) => {
				if (m.type() === 'error') this.errors.push(`${p.url()}: console.error: ${m.text()}`);
			});
		};
		context.pages().forEach(watch);
		context.on('page', watch);
	}

	/** URLs that would leave this machine (data:, blob: and about: stay inside the browser). */
	foreign(): string[] {
		return this.urls.filter((u) => {
			const url = new URL(u);
			if (['data:', 'blob:', 'about:'].includes(url.protocol)) return false;
			return !LOCAL_HOSTS.has(url.hostname);
		});
	}

	/** URLs that are not on the given origin (e.g. the test server's). */
	offOrigin(origin: string): string[] {
		const o = new URL(origin).origin;
		return this.urls.filter((u) => {
			const url = new URL(u);
			return !['data:', 'blob:', 'about:'].includes(url.protocol) && url.origin !== o;
		});
	}

	clear(): void {
		this.urls.length = 0;
		this.errors.length = 0;
	}
}

const SERVER_LOG = join(RESULTS_DIR, '..', 'e2e-server.log');
/** The last "slow database call" lines of the shared e2e server's log (global-setup.ts). */
function slowCalls(): string {
	if (!existsSync(SERVER_LOG)) return '(no server log)';
	const lines = readFileSync(SERVER_LOG, 'utf8')
		.split('\n')
		.filter((l) => l.includes('slow database call'));
	return lines.slice(-12).join('\n') || '(none)';
}

/**
 * Signs in through the login form and waits for the page it lands on (/map unless the URL had a
 * `next`). Throws with the message the form showed when the sign-in is refused.
 */
export async function signIn(page: Page, baseUrl: string, who: Role | Credentials): Promise<void> {
	const c = typeof who === 'string' ? e2e().users[who] : who;
	await page.goto(`${baseUrl}/login`);
	if (new URL(page.url()).pathname !== '/login') return; // already signed in
	await page.locator('#email').fill(c.email);
	await page.locator('#password').fill(c.password);
	// A plain form POST (no JS needed): the answer is a navigation either way. The test waits for
	// where the page lands (another page, or the form with its message), not for a response event:
	// Playwright can miss a response event now and then (microsoft/playwright#27901), and the last
	// CI run lost three tests that way or to a POST that never left; the listeners below record
	// which, for the error.
	let sent = false;
	let answer: Response | undefined;
	const isLogin = (u: string, method: string) =>
		method === 'POST' && new URL(u).pathname === '/login';
	const onRequest = (r: Request) => {
		if (isLogin(r.url(), r.method())) sent = true;
	};
	const onResponse = (r: Response) => {
		if (isLogin(r.url(), r.request().method())) answer = r;
	};
	page.on('request', onRequest);
	page.on('response', onResponse);
	try {
		// The click itself waits for the navigation it starts to commit, within its own timeout
		// (30 s by default): on a loaded CI host the answer took longer once (stop 38), so the click
		// gets the same 90 s as the wait below and the error below can say what the server was doing.
		await page.locator('form button[type="submit"]').click({ timeout: 90_000 });
		await Promise.any([
			page.waitForURL((u) => u.pathname !== '/login', { timeout: 90_000 }),
			page.locator('[role="alert"]').waitFor({ timeout: 90_000 })
		]).catch(async () => {
			const valid = await page
				.evaluate(() => document.querySelector('form')?.checkValidity() ?? null)
				.catch(() => null);
			await screenshot(page, `signin-timeout-${c.email}`).catch(() => undefined);
			// The embedded server runs one database call at a time: say what it was busy with.
			throw new Error(
				`sign-in as ${c.email} did not finish in 90 s (at ${new Date().toISOString()}): ` +
					`POST sent: ${sent}, answered: ${answer ? answer.status() : 'no'}, form valid: ${valid}\n` +
					`the server's slow calls, newest last:\n${slowCalls()}`
			);
		});
		await page.waitForLoadState('load');
	} finally {
		page.off('request', onRequest);
		page.off('response', onResponse);
	}
	if (new URL(page.url()).pathname === '/login') {
		const shown = await page
			.locator('[role="alert"]')
			.textContent({ timeout: 2000 })
			.catch(() => null);
		const origin = (await answer?.request().headerValue('origin')) ?? '(none)';
		const body =
			answer?.status() === 403 ? ` «${(await answer.text().catch(() => '')).slice(0, 200)}»` : '';
		throw new Error(
			`sign-in as ${c.email} was refused: ${shown ?? '(no message shown)'} ` +
				`[POST /login → HTTP ${answer?.status() ?? '(not seen)'}${body}; the browser sent Origin: ${origin}]`
		);
	}
}

/**
 * Waits until the page's script has run (the root layout marks <html data-hydrated>). What is
 * typed before that is kept ($lib/early-input); waiting makes a test about the live page, not
 * about the gap.
 */
export async function hydrated(page: Page): Promise<void> {
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
}

/**
 * Waits until the page has elements with a data-loading attribute (the map container has one)
 * and none of them says "true". Resolves false, after `settle` ms, when the page has none at all.
 */
export async function waitUntilLoaded(
	page: Page,
	o: { timeout?: number; settle?: number } = {}
): Promise<boolean> {
	const timeout = o.timeout ?? 120_000;
	const settle = o.settle ?? 10_000;
	const found = await page
		.locator('[data-loading]')
		.first()
		.waitFor({ state: 'attached', timeout: settle })
		.then(
			() => true,
			() => false
		);
	if (!found) return false;
	await page.waitForFunction(
		() =>
			document.querySelectorAll('[data-loading]').length > 0 &&
			!document.querySelector('[data-loading="true"]'),
		undefined,
		{ timeout, polling: 250 }
	);
	return true;
}

/** Saves a screenshot of a page or element as test-results/e2e/<name>.png and returns the path. */
export async function screenshot(target: Page | Locator, name: string): Promise<string> {
	mkdirSync(RESULTS_DIR, { recursive: true });
	const path = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
	await target.screenshot({ path });
	return path;
}

export interface WaitForPixelsOptions {
	/** ms; default 60 s (software WebGL is slow on 2 cores). */
	timeout?: number;
	/** ms between screenshots; default 500. */
	interval?: number;
	/** Used for the file saved when the condition never holds. */
	name?: string;
}

/**
 * Screenshots `target` until `predicate` holds and returns that image. On timeout saves the last
 * image as test-results/e2e/<name>-timeout.png and throws.
 */
export async function waitForPixels(
	target: Page | Locator,
	predicate: (img: Pixels) => boolean,
	o: WaitForPixelsOptions = {}
): Promise<Pixels> {
	const timeout = o.timeout ?? 60_000;
	const interval = o.interval ?? 500;
	const until = Date.now() + timeout;
	let last: Buffer | undefined;
	let lastError: unknown;
	for (;;) {
		try {
			last = await target.screenshot({
				animations: 'allow',
				timeout: Math.max(1000, until - Date.now())
			});
			const img = Pixels.fromPng(last);
			if (predicate(img)) return img;
		} catch (e) {
			lastError = e; // e.g. the element is not there yet
		}
		if (Date.now() + interval > until) break;
		await new Promise((r) => setTimeout(r, interval));
	}
	let saved = '(no screenshot could be taken)';
	if (last) {
		mkdirSync(RESULTS_DIR, { recursive: true });
		saved = join(RESULTS_DIR, `${(o.name ?? 'pixels').replace(/[^\w.-]+/g, '_')}-timeout.png`);
		writeFileSync(saved, last);
	}
	throw new Error(
		`waitForPixels${o.name ? ` (${o.name})` : ''}: the condition did not hold within ${timeout / 1000} s; last image: ${saved}` +
			(lastError ? `; last error: ${(lastError as Error).message}` : '')
	);
}

export type Rgba = [r: number, g: number, b: number, a: number];

/** A decoded screenshot: RGBA bytes, row-major. */
export class Pixels {
	constructor(
		readonly width: number,
		readonly height: number,
		readonly data: Uint8Array
	) {}

	at(x: number, y: number): Rgba {
		const i = (y * this.width + x) * 4;
		const d = this.data;
		return [d[i], d[i + 1], d[i + 2], d[i + 3]];
	}

	/** How many pixels satisfy `test`. */
	count(test: (p: Rgba, x: number, y: number) => boolean): number {
		let n = 0;
		const p: Rgba = [0, 0, 0, 0];
		for (let y = 0; y < this.height; y++) {
			for (let x = 0; x < this.width; x++) {
				const i = (y * this.width + x) * 4;
				p[0] = this.data[i];
				p[1] = this.data[i + 1];
				p[2] = this.data[i + 2];
				p[3] = this.data[i + 3];
				if (test(p, x, y)) n++;
			}
		}
		return n;
	}

	/** Share (0–1) of pixels satisfying `test`. */
	fraction(test: (p: Rgba, x: number, y: number) => boolean): number {
		return this.count(test) / (this.width * this.height);
	}

	/** Number of distinct colours, each channel rounded to `step` (a blank canvas has 1). */
	distinctColours(step = 16): number {
		const seen = new Set<number>();
		for (let i = 0; i < this.data.length; i += 4) {
			const q = (v: number) => Math.round(v / step);
			seen.add((q(this.data[i]) << 16) | (q(this.data[i + 1]) << 8) | q(this.data[i + 2]));
		}
		return seen.size;
	}

	/**
	 * Decodes the PNGs Chromium produces: 8-bit greyscale/RGB/RGBA (with or without alpha),
	 * non-interlaced. Anything else throws rather than giving wrong pixels.
	 */
	static fromPng(png: Buffer): Pixels {
		if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
		let pos = 8;
		let width = 0;
		let height = 0;
		let colourType = 0;
		const idat: Buffer[] = [];
		while (pos < png.length) {
			const len = png.readUInt32BE(pos);
			const type = png.toString('latin1', pos + 4, pos + 8);
			const body = png.subarray(pos + 8, pos + 8 + len);
			if (type === 'IHDR') {
				width = body.readUInt32BE(0);
				height = body.readUInt32BE(4);
				const depth = body[8];
				colourType = body[9];
				if (depth !== 8 || body[12] !== 0 || ![0, 2, 4, 6].includes(colourType)) {
					throw new Error(
						`unsupported PNG (depth ${depth}, colour type ${colourType}, interlace ${body[12]})`
					);
				}
			} else if (type === 'IDAT') idat.push(body);
			else if (type === 'IEND') break;
			pos += 12 + len;
		}
		const bpp = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType]!;
		const raw = inflateSync(Buffer.concat(idat));
		const stride = width * bpp;
		const cur = new Uint8Array(stride);
		let prev = new Uint8Array(stride);
		const out = new Uint8Array(width * height * 4);
		for (let y = 0; y < height; y++) {
			const filter = raw[y * (stride + 1)];
			const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
			for (let i = 0; i < stride; i++) {
				const a = i >= bpp ? cur[i - bpp] : 0;
				const b = prev[i];
				const c = i >= bpp ? prev[i - bpp] : 0;
				let v = line[i];
				if (filter === 1) v += a;
				else if (filter === 2) v += b;
				else if (filter === 3) v += (a + b) >> 1;
				else if (filter === 4) {
					const p = a + b - c;
					const pa = Math.abs(p - a);
					const pb = Math.abs(p - b);
					const pc = Math.abs(p - c);
					v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
				}
				cur[i] = v & 0xff;
			}
			for (let x = 0; x < width; x++) {
				const o = (y * width + x) * 4;
				const s = x * bpp;
				if (colourType === 0 || colourType === 4) {
					out[o] = out[o + 1] = out[o + 2] = cur[s];
					out[o + 3] = colourType === 4 ? cur[s + 1] : 255;
				} else {
					out[o] = cur[s];
					out[o + 1] = cur[s + 1];
					out[o + 2] = cur[s + 2];
					out[o + 3] = colourType === 6 ? cur[s + 3] : 255;
				}
			}
			prev = Uint8Array.from(cur);
		}
		return new Pixels(width, height, out);
	}
}
