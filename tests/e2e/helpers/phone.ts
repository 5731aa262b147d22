/**
 * Layout checks for narrow screens (issue 14): does anything run off the side, and does an
 * element really show in the first screen (inside the viewport and not covered by another box)?
 *
 *   expect(await overflow(page)).toEqual({ page: 0, main: 0, offscreen: [] });
 *   expect(await onScreen(page.getByTestId('fatalities'))).toBe(true);
 */
import type { Locator, Page } from 'playwright-core';

export interface Overflow {
	/** document.documentElement.scrollWidth − innerWidth (0 when nothing widens the page). */
	page: number;
	/** The same for <main>, which scrolls on its own under the header. */
	main: number;
	/** Up to five visible elements under <main> whose box leaves the viewport sideways. */
	offscreen: string[];
}

export async function overflow(page: Page): Promise<Overflow> {
	return page.evaluate(() => {
		const main = document.querySelector('main');
		const offscreen: string[] = [];
		for (const el of main?.querySelectorAll('*') ?? []) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			// Elements clipped by an overflow:hidden ancestor (the map canvas's own panes) do not count.
			if ((el as HTMLElement).closest('.maplibregl-map') && el !== el.closest('.maplibregl-map'))
				continue;
			if (r.left < -1 || r.right > innerWidth + 1)
				offscreen.push(
					`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} [${Math.round(r.left)}, ${Math.round(r.right)}]`
				);
			if (offscreen.length >= 5) break;
		}
		return {
			page: Math.max(0, document.documentElement.scrollWidth - innerWidth),
			main: main ? Math.max(0, main.scrollWidth - main.clientWidth) : 0,
			offscreen
		};
	});
}

/**
 * True when the element's centre lies inside the viewport and the topmost element there is the
 * element itself or inside it (so an empty map box drawn over it would make this false).
 */
export async function onScreen(target: Locator): Promise<boolean> {
	return target.evaluate((el) => {
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) return false;
		if (r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight) return false;
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return !!hit && (hit === el || el.contains(hit));
	});
}

/**
 * Chooses the interface language as a person does: through the header's switcher (behind the
 * menu button on phones), then waits for the page to come back in that language.
 */
export async function chooseLanguage(page: Page, lang: 'en' | 'ar' | 'ku' | 'fr'): Promise<void> {
	await page.locator('[data-testid="app-header"][data-hydrated]').waitFor({ state: 'attached' });
	const toggle = page.getByTestId('menu-toggle');
	if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true')
		await toggle.click();
	await page.locator('form.lang select[name="lang"]').selectOption(lang);
	const htmlLang = lang === 'ku' ? 'ckb' : lang;
	await page.waitForFunction((l) => document.documentElement.lang === l, htmlLang);
	await page.waitForLoadState('load');
}
