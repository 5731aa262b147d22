// The map's time slider as a person uses it: open it on a month of 2014, step with the buttons and
// the keyboard, play it, and check each step's count against the API for the same window and
// view, the URL (position kept across a reload) and that the next step was asked for before it
// was shown (prefetch). Also in Arabic (right to left) and on a 390 px phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
let b: TestBrowser;
let cookie: string;
/** Incident requests the page made, by their from= date, in order. */
const asked: string[] = [];

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1366, height: 800 } });
	await signIn(b.page, baseUrl, 'analyst');
	cookie = await sessionCookie('analyst');
	b.page.on('request', (r) => {
		const u = new URL(r.url());
		if (u.pathname === '/api/v1/map/incidents' && u.searchParams.get('from'))
			asked.push(u.searchParams.get('from')!);
	});
});
afterAll(async () => {
	await b?.close();
});

const countEl = () => b.page.getByTestId('incident-count');
const param = (name: string) => new URL(b.page.url()).searchParams.get(name);
const slider = () => b.page.getByTestId('time-slider');

async function settled() {
	await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
	await b.page.locator('[data-testid="incident-count"][data-stale="false"]').waitFor();
}

/** The count on screen and the API's count for the same view and window. */
async function shownAndApi(from: string, to: string) {
	await settled();
	const shown = Number(await countEl().getAttribute('data-count'));
	const bbox = (await countEl().getAttribute('data-bbox'))!;
	const q = new URLSearchParams({ bbox, limit: '1', from, to });
	const r = await http(`/api/v1/map/incidents?${q}`, { cookie });
	expect(r.status).toBe(200);
	return { shown, api: Number(((await r.json()) as { total: number }).total) };
}

describe('the time slider', () => {
	it('opens on a month, counts what the API counts for it, and keeps the position in the URL', async () => {
		await b.page.goto(`${baseUrl}/map?layers=incidents&from=2014-06-10&to=2014-06-20`);
		await settled();
		await b.page.getByTestId('time-open').click();
		// The window holding `from`: June 2014, whole.
		await expect
			.poll(() => [param('win'), param('from'), param('to')])
			.toEqual(['month', '2014-06-01', '2014-06-30']);
		expect(await b.page.getByTestId('time-label').innerText()).toBe('June 2014');
		const june = await shownAndApi('2014-06-01', '2014-06-30');
		expect(june.shown).toBe(june.api);
		expect(june.shown).toBeGreaterThan(0);
		// The date fields show the window too (day first).
		expect(await b.page.locator('input[name="from"]').inputValue()).toBe('2014-06-01');
		await screenshot(b.page, 'mapt-time-en-1366');

		await b.page.reload();
		await settled();
		expect(await b.page.getByTestId('time-label').innerText()).toBe('June 2014');
		expect(Number(await countEl().getAttribute('data-count'))).toBe(june.shown);
	});

	it('steps with the buttons: the next window was already asked for, and the count follows', async () => {
		const before = Number(await countEl().getAttribute('data-count'));
		// Prefetch: July was requested while June was on screen, before "next" was pressed.
		await expect.poll(() => asked.includes('2014-07-01'), { timeout: 30_000 }).toBe(true);
		await b.page.getByTestId('time-next').click();
		await expect.poll(() => param('from')).toBe('2014-07-01');
		expect(param('to')).toBe('2014-07-31');
		const july = await shownAndApi('2014-07-01', '2014-07-31');
		expect(july.shown).toBe(july.api);
		expect(july.shown).not.toBe(before);
		await b.page.getByTestId('time-prev').click();
		await expect.poll(() => param('from')).toBe('2014-06-01');
		await expect.poll(async () => Number(await countEl().getAttribute('data-count'))).toBe(before);
	});

	it('works from the keyboard: arrows, End and Home on the slider, and a year window', async () => {
		const range = b.page.getByTestId('time-range');
		await range.focus();
		await b.page.keyboard.press('ArrowRight');
		await expect.poll(() => param('from')).toBe('2014-07-01');
		await b.page.keyboard.press('ArrowLeft');
		await expect.poll(() => param('from')).toBe('2014-06-01');
		await b.page.getByTestId('time-window').selectOption('year');
		await expect
			.poll(() => [param('win'), param('from'), param('to')])
			.toEqual(['year', '2014-01-01', '2014-12-31']);
		const y2014 = await shownAndApi('2014-01-01', '2014-12-31');
		expect(y2014.shown).toBe(y2014.api);
		await range.focus();
		await b.page.keyboard.press('Home');
		await expect.poll(() => param('from')).not.toBe('2014-01-01');
		const first = param('from')!;
		expect(first < '2014-01-01').toBe(true);
		await b.page.keyboard.press('End');
		await expect.poll(() => param('from')! > '2014-01-01').toBe(true);
	});

	it('plays month by month, each step drawn before the next, and stops when paused', async () => {
		await b.page.goto(`${baseUrl}/map?layers=incidents&win=month&from=2014-01-01`);
		await settled();
		await b.page.getByTestId('time-speed').selectOption('fast');
		// The page records each drawn step itself (a MutationObserver on the count): polling it from
		// here missed the short-lived steps on a loaded machine.
		await countEl().evaluate((el) => {
			const w = window as unknown as { __steps: [string, number][] };
			w.__steps = [];
			const record = () => {
				if (el.getAttribute('data-stale') !== 'false' || !el.getAttribute('data-count')) return;
				const from = new URL(location.href).searchParams.get('from') ?? '';
				const n = Number(el.getAttribute('data-count'));
				const last = w.__steps.at(-1);
				if (last?.[0] === from) last[1] = n;
				else w.__steps.push([from, n]);
			};
			new MutationObserver(record).observe(el, { attributes: true });
			record();
		});
		await b.page.getByTestId('time-play').click();
		expect(await slider().getAttribute('data-playing')).toBe('true');
		await expect.poll(() => (param('from') ?? '') >= '2014-04-01', { timeout: 90_000 }).toBe(true);
		await b.page.getByTestId('time-play').click();
		expect(await slider().getAttribute('data-playing')).toBe('false');
		const stoppedAt = param('from');
		expect(stoppedAt! >= '2014-04-01').toBe(true);
		// It went through January, February and March, in order, each with its own count.
		const seen = await b.page.evaluate(
			() => (window as unknown as { __steps: [string, number][] }).__steps
		);
		expect(seen.map(([from]) => from).slice(0, 3)).toEqual([
			'2014-01-01',
			'2014-02-01',
			'2014-03-01'
		]);
		for (const [from, n] of seen.slice(0, 3)) {
			const to = new Date(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)), 0))
				.toISOString()
				.slice(0, 10);
			expect((await shownAndApi(from, to)).api).toBe(n);
		}
		await b.page.waitForTimeout(1500);
		expect(param('from')).toBe(stoppedAt);
	});

	it('reads right to left in Arabic, and fits a 390 px phone', async () => {
		const ar = await openBrowser({ viewport: { width: 1366, height: 800 }, locale: 'ar' });
		try {
			await signIn(ar.page, baseUrl, 'analyst');
			await ar.page.goto(`${baseUrl}/map?layers=incidents&win=month&from=2014-06-01`);
			await ar.page.getByTestId('time-label').waitFor();
			expect(await ar.page.getByTestId('time-label').innerText()).toMatch(/يونيو|حزيران/);
			// The slider runs from right to left: its start is on the right.
			const range = ar.page.getByTestId('time-range');
			expect(await range.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
			const prev = (await ar.page.getByTestId('time-prev').boundingBox())!;
			const next = (await ar.page.getByTestId('time-next').boundingBox())!;
			expect(prev.x).toBeGreaterThan(next.x);
			await screenshot(ar.page, 'mapt-time-ar-1366');
			await ar.page.setViewportSize({ width: 390, height: 800 });
			await ar.page.waitForTimeout(300);
			const box = (await ar.page.getByTestId('time-slider').boundingBox())!;
			expect(box.x).toBeGreaterThanOrEqual(0);
			expect(box.x + box.width).toBeLessThanOrEqual(390);
			await screenshot(ar.page, 'mapt-time-ar-390');
		} finally {
			await ar.close();
		}
		await b.page.setViewportSize({ width: 390, height: 800 });
		await b.page.waitForTimeout(300);
		await screenshot(b.page, 'mapt-time-en-390');
		await b.page.setViewportSize({ width: 1366, height: 800 });
	});
});
