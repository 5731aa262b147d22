/**
 * Contingency-plan triggers as an analyst uses them, in Chromium: on the Dohuk base's evacuation
 * plan (written through the page first if it is not yet), they add a trigger "the security level of
 * an area reaches 4" through the small form, picking the area by name from the area picker (none
 * picked first: refused with the field named; the same trigger twice: refused, 409, field named);
 * the list says "Not met". A "serious incidents near a point" trigger is added with the point typed
 * in degrees-minutes-seconds, and read back through the API. The area's level is then raised
 * through the API by an admin, and the alert arrives live on the analyst's open alerts page; back
 * on the plan, the trigger says since when it is met; the alert reads in Arabic for an Arabic
 * reader. The area is a sub-district far from the movement tests' routes, and its level is set
 * back at the end. Screens at 1280 and 390 px, in English and Arabic.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

describe('contingency triggers in the browser', () => {
	const open: TestBrowser[] = [];
	afterAll(async () => {
		for (const b of open) await b.close();
	});

	it('adds a trigger on the plan and sees its alert arrive live when the area level rises', async () => {
		const { baseUrl } = e2e();
		const admin = await sessionCookie('admin');
		const areas = (await (await http('/api/v1/areas/list?level=3', { cookie: admin })).json()) as {
			pcode: string;
			name_en: string;
			name_ar: string | null;
		}[];
		const area = areas.sort((a, b) => a.pcode.localeCompare(b.pcode)).at(-1)!;
		const pcode = area.pcode;
		const setLevel = async (level: number) => {
			const r = await http(`/api/v1/areas/${pcode}/levels`, {
				cookie: admin,
				method: 'POST',
				body: { level, note: `contingency trigger e2e: level ${level}` }
			});
			expect(r.status, await r.clone().text()).toBe(201);
		};
		await setLevel(2);

		const an = await openBrowser({ viewport: { width: 1280, height: 900 } });
		open.push(an);
		const p = an.page;
		await signIn(p, baseUrl, 'analyst');
		await p.goto(`${baseUrl}/contingency`);
		await p
			.getByTestId('base')
			.filter({ hasText: 'Dohuk base' })
			.getByTestId('plan-evacuation')
			.click();
		await p.getByTestId('plan').waitFor();
		if ((await p.getByTestId('plan').getAttribute('data-version')) === '0') {
			await p.getByTestId('plan-edit').click();
			await p.getByTestId('plan-text').fill('## Evacuate\nBy road to Erbil in two vehicles.');
			await p.getByTestId('plan-note').fill('first version');
			await p.getByTestId('plan-save').click();
			await expect.poll(() => p.getByTestId('plan').getAttribute('data-version')).toBe('1');
		}
		const planUrl = p.url();

		// no area picked: refused, the field named; a name that is no area: the picker says so
		const form = p.getByTestId('trigger-form');
		await form.getByLabel('Trigger').selectOption('area_level');
		await form.getByLabel('Level (1–5)').fill('4');
		await p.getByTestId('trigger-add').click();
		await expect.poll(() => p.getByTestId('trigger-error').textContent()).toMatch(/pcode: no area/);
		const picker = form.locator('#trigger-area');
		await picker.fill('Nowhere at all');
		await picker.press('Enter');
		await expect
			.poll(() => p.getByTestId('trigger-area').textContent())
			.toContain('"Nowhere at all" is not in the list.');

		// picked from the list as the browser offers it (both names and the code), then added
		await picker.fill(`${area.name_en}${area.name_ar ? ` · ${area.name_ar}` : ''} (${pcode})`);
		await picker.press('Enter');
		await expect
			.poll(() => p.getByTestId('trigger-area').locator('.chip').allInnerTexts())
			.toEqual([expect.stringContaining(`${area.name_en} (${pcode})`)]);
		await p.getByTestId('trigger-add').click();
		const row = p.getByTestId('triggers').locator('[data-trigger]', { hasText: pcode });
		await row.waitFor();
		expect(await row.getAttribute('data-met')).toBe('no');
		expect(await row.textContent()).toContain('Not met');
		expect(await row.textContent()).toContain(`${area.name_en} (${pcode})`);
		// the same trigger again: refused, the field named, nothing added
		await p.getByTestId('trigger-add').click();
		await expect
			.poll(() => p.getByTestId('trigger-error').textContent())
			.toMatch(/pcode: this plan already has this trigger/);
		expect(
			await p.getByTestId('triggers').locator('[data-trigger]', { hasText: pcode }).count()
		).toBe(1);

		// serious incidents near a point typed in degrees-minutes-seconds, read back through the API
		await form.getByLabel('Trigger').selectOption('incidents_near');
		await form.getByLabel('At least this many serious incidents').fill('40');
		await form.getByLabel('Within (km)').fill('3');
		await form.getByLabel('In the last (days)').fill('2');
		await form.getByRole('radio', { name: 'A point' }).check();
		await form.getByTestId('trigger-point').fill(`36°52'30"N 42°59'15"E`);
		await expect
			.poll(() => form.getByTestId('trigger-point-reads').textContent())
			.toContain('36.875');
		await p.getByTestId('trigger-add').click();
		const near = p
			.getByTestId('triggers')
			.locator('[data-trigger]', { hasText: '36.8750, 42.9875' });
		await near.waitFor();
		const planId = (await form.locator('input[name="plan_id"]').inputValue())!;
		const stored = (await (
			await http(`/api/v1/contingency/${planId}/triggers`, { cookie: admin })
		).json()) as Record<string, unknown>[];
		const nearId = await near.getAttribute('data-trigger');
		expect(stored.find((x) => x.id === nearId)).toMatchObject({
			kind: 'incidents_near',
			min_incidents: 40,
			radius_km: 3,
			days: 2,
			lat: 36.875,
			lon: 42.9875,
			at_base: false,
			met: false
		});
		await screenshot(p, 'contingency-triggers-1280-en');

		// the analyst watches the alerts page; an admin raises the area's level through the API
		await p.goto(`${baseUrl}/alerts`);
		const before = await p.locator('[data-alert]').count();
		await setLevel(4);
		const alert = p.locator('[data-alert]', { hasText: 'trigger met' }).first();
		await alert.waitFor({ timeout: 60_000 });
		expect(await alert.textContent()).toContain(
			`Dohuk base: Evacuation plan, trigger met: Security level of ${area.name_en} (${pcode}) at 4 or higher`
		);
		expect(await p.locator('[data-alert]').count()).toBe(before + 1);
		await screenshot(p, 'contingency-trigger-alert-1280-en');

		// back on the plan: met, and since when
		await p.goto(planUrl);
		expect(await row.getAttribute('data-met')).toBe('yes');
		expect(await row.textContent()).toMatch(/Met since/);
		// raised again while met: still one alert
		await setLevel(5);
		const viewer = await sessionCookie('viewer');
		const analystAlerts = (await (
			await http('/api/v1/alerts', { cookie: await sessionCookie('analyst') })
		).json()) as { kind: string; title: string }[];
		const mine = analystAlerts.filter(
			(a) => a.kind === 'contingency_trigger' && a.title.startsWith('Dohuk base evacuation')
		);
		expect(mine.filter((a) => a.title.endsWith('reached 4'))).toHaveLength(1);
		const vAlerts = (await (await http('/api/v1/alerts', { cookie: viewer })).json()) as {
			kind: string;
		}[];
		expect(vAlerts.some((a) => a.kind === 'contingency_trigger')).toBe(false);

		// screens at 390 px and in Arabic
		await an.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		await p.goto(planUrl);
		expect(await p.getByTestId('triggers').textContent()).toContain('متحقق منذ');
		await screenshot(p, 'contingency-triggers-1280-ar');
		// the alert in the reader's language, the area by its Arabic name
		await p.goto(`${baseUrl}/alerts`);
		const arAlert = p.locator('[data-alert]', { hasText: 'تحقق محفز' }).first();
		await arAlert.waitFor();
		if (area.name_ar) expect(await arAlert.textContent()).toContain(area.name_ar);
		await screenshot(p, 'contingency-trigger-alert-1280-ar');
		await p.goto(planUrl);
		const phone = await openBrowser({ viewport: { width: 390, height: 844 } });
		open.push(phone);
		await signIn(phone.page, baseUrl, 'analyst');
		await phone.page.goto(planUrl);
		await phone.page.getByTestId('triggers').waitFor();
		await screenshot(phone.page, 'contingency-triggers-390-en');
		await phone.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		await phone.page.goto(planUrl);
		await phone.page.getByTestId('triggers').waitFor();
		await screenshot(phone.page, 'contingency-triggers-390-ar');

		// removed through the page; the level set back
		await an.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await p.goto(planUrl);
		await row.getByRole('button', { name: 'Remove' }).click();
		await expect.poll(() => row.count()).toBe(0);
		await near.getByRole('button', { name: 'Remove' }).click();
		await expect.poll(() => near.count()).toBe(0);
		await setLevel(1);
	}, 300_000);
});
