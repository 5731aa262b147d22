/**
 * Map labels in the reader's language, above the data (issue 14, item 6), read from the pixels of
 * the map canvas around Mosul, Dohuk and Erbil:
 * - the place names' ink (#34312c, the darkest colour the map draws) is as plentiful with the
 *   incidents drawn as without them: labels lie above the symbols, none is hidden under them;
 * - the Kurdish and French maps draw other names than the English one (Sorani names from
 *   src/lib/map/names-ckb.ts, French exonyms), and the Kurdish ones differ from the Arabic ones.
 * Screenshots: test-results/e2e/map-labels-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	type Pixels,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e } from './helpers/server.ts';

const { baseUrl } = e2e();
const VIEW = 'z=7.6&c=43.6,36.55';
let b: TestBrowser;

/**
 * Label ink: the core of the place names' letters (#34312c). Nothing else on the canvas is that
 * dark: Iraq's border (#55514b) and the place dots (#5c5852) stay above 80 in red.
 */
const ink = (p: readonly number[]) => p[0] < 80 && p[1] < 80 && p[2] < 80;
const inkCount = (img: Pixels) => img.count(ink);

/** The canvas once the map has landed its data and drawn its labels: incidents only, or no data. */
async function mapImage(lang: string, withData: boolean, name: string): Promise<Pixels> {
	await b.context.addCookies([{ name: 'terrain_lang', value: lang, url: baseUrl }]);
	await b.page.goto(`${baseUrl}/map?${VIEW}&layers=${withData ? 'incidents' : ''}`);
	await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
	const canvas = b.page.locator('.maplibregl-canvas');
	// Labels appear once their fonts are in; wait until two frames a second apart agree.
	let last = -1;
	const img = await waitForPixels(
		canvas,
		(i) => {
			const n = inkCount(i);
			const same = n > 100 && Math.abs(n - last) <= n * 0.02;
			last = n;
			return same;
		},
		{ name: `map-labels-${name}`, interval: 1000, timeout: 120_000 }
	);
	await screenshot(b.page, `map-labels-${name}`);
	return img;
}

/**
 * Pixels that differ clearly between two renderings of the same view with no data: only the
 * names can (before the Kurdish names, the Kurdish map was the English one, pixel for pixel).
 */
function diff(a: Pixels, c: Pixels): number {
	return a.count((p, x, y) => {
		const q = c.at(x, y);
		return Math.max(Math.abs(p[0] - q[0]), Math.abs(p[1] - q[1]), Math.abs(p[2] - q[2])) > 60;
	});
}

describe('map labels', () => {
	const images: Record<string, Pixels> = {};

	beforeAll(async () => {
		b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		await signIn(b.page, baseUrl, 'analyst');
	});
	afterAll(async () => {
		await b?.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await b?.close();
	});

	for (const lang of ['en', 'ar', 'ku', 'fr']) {
		it(`${lang}: the names stay readable above the incidents`, async () => {
			const bare = await mapImage(lang, false, `${lang}-bare`);
			const drawn = await mapImage(lang, true, lang);
			images[lang] = bare;
			// Incident symbols over a label would take its ink away (before the fix, Mosul's name
			// lost most of it and دهوك its first letter).
			expect(inkCount(drawn)).toBeGreaterThanOrEqual(inkCount(bare) * 0.9);
		});
	}

	it('draws Kurdish and French names, not the English ones', () => {
		expect(diff(images.ku, images.en)).toBeGreaterThan(300);
		expect(diff(images.ku, images.ar)).toBeGreaterThan(300);
		expect(diff(images.fr, images.en)).toBeGreaterThan(100);
	});
});
