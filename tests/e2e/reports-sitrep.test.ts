/**
 * The sitrep of October 2016 (the demo data) as people use it: an analyst picks the period on
 * /reports, reads the headline and downloads the PDF; the PDF's text (pdftotext) holds the same
 * total as an independent count (GET /api/v1/incidents/counts, another SQL function) for that
 * period and for one governorate. A viewer on a phone, in Arabic, downloads their own sitrep:
 * its total is the viewer's count, and no incident the viewer may not read (restricted or
 * unverified) appears in it. Screens at 1366 and 390 px, English and Arabic.
 */
import { describe, expect, it } from 'vitest';
import { e2e, http, sessionCookie, tempDir } from './helpers/server';
import { openBrowser, signIn } from './helpers/browser';
import { downloadText, flat, overflow, pdfText, shot } from './helpers/documents';

const { baseUrl } = e2e();
const dir = tempDir('terrain-e2e-sitrep-');
const FROM = '2016-10-01';
const TO = '2016-10-31';

interface Notable {
	id: string;
	notes: string;
	location_name: string | null;
}
const counted = async (cookie: string, q: string) => {
	const r = await http(`/api/v1/incidents/counts?from=${FROM}&to=${TO}${q}`, { cookie });
	expect(r.status, await r.clone().text()).toBe(200);
	return ((await r.json()) as { total: number }).total;
};
/** "97 observed": the period's total in the baseline line (the headline's "N incidents" is not
 * unique in the text: the 52-week figures say "incidents" too). */
const totalIn = (text: string) => Number(/(\d[\d,]*) observed\b/.exec(text)?.[1].replace(/,/g, ''));

describe('sitrep for October 2016', () => {
	it('an analyst picks the month on /reports; the PDF’s total equals the independent count', async () => {
		const analyst = await sessionCookie('analyst');
		const all = await counted(analyst, '');
		const ninewa = await counted(analyst, '&area=IQG15');
		expect(all).toBeGreaterThan(50);
		expect(ninewa).toBeGreaterThan(0);
		expect(ninewa).toBeLessThan(all);

		const b = await openBrowser({ viewport: { width: 1366, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/reports`);
			const form = page.getByTestId('sitrep-form');
			await form.locator('input[name="from"]').fill(FROM);
			await form.locator('input[name="to"]').fill(TO);
			await form.locator('button').click();
			await page.waitForURL(/from=2016-10-01&to=2016-10-31/);
			await expect
				.poll(() => page.getByTestId('sitrep-total').locator('b').textContent())
				.toBe(all.toLocaleString('en-GB'));
			await page.locator('[data-print-ready]').waitFor({ state: 'attached' });
			await shot(page, 'sitrep-1366-en');

			const text = await downloadText(page, page.getByTestId('sitrep-pdf'), dir, 'all.pdf');
			expect(totalIn(text)).toBe(all);
			expect(text).toMatch(/RESTRICTED — /);
			expect(text).toContain('Situation report');

			// One governorate: the same form, then the PDF again.
			await form.locator('select[name="area"]').selectOption('IQG15');
			await form.locator('button').click();
			await page.waitForURL(/area=IQG15/);
			await expect
				.poll(() => page.getByTestId('sitrep-total').locator('b').textContent())
				.toBe(ninewa.toLocaleString('en-GB'));
			await page.locator('[data-print-ready]').waitFor({ state: 'attached' });
			const t2 = await downloadText(page, page.getByTestId('sitrep-pdf'), dir, 'ninewa.pdf');
			expect(totalIn(t2)).toBe(ninewa);
			expect(t2).toContain('Ninewa');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
	}, 360_000);

	it('a viewer’s sitrep (phone, Arabic) holds their own total and nothing they may not read', async () => {
		const analyst = await sessionCookie('analyst');
		const viewer = await sessionCookie('viewer');
		const mine = await counted(viewer, '');
		// A draft report written from the same period, with a canary in its section: drafts are
		// for analysts and their authors; a viewer's PDF of it is refused.
		const CANARY = `Source Hawk-${Date.now().toString(36)} met at the checkpoint`;
		const made = await http('/api/v1/reports', {
			method: 'POST',
			cookie: analyst,
			body: {
				title: `October draft ${CANARY}`,
				period_from: FROM,
				period_to: TO,
				sections: [{ heading: 'Sources', markdown: CANARY }]
			}
		});
		expect(made.status, await made.clone().text()).toBe(201);
		const draft = (await made.json()) as { id: string };
		const mineDraft = await http(`/api/v1/reports/${draft.id}?format=pdf`, { cookie: analyst });
		expect(mineDraft.headers.get('content-type')).toBe('application/pdf');
		expect(pdfText(await mineDraft.arrayBuffer(), dir, 'draft.pdf')).toContain(CANARY);
		const theirs = await http(`/api/v1/reports/${draft.id}?format=pdf`, { cookie: viewer });
		expect(theirs.status).toBe(404);
		expect(theirs.headers.get('content-type')).not.toBe('application/pdf');

		// What only the analyst may read: notable incidents the viewer is refused one by one.
		const sa = await (
			await http(`/api/v1/reports/sitrep?from=${FROM}&to=${TO}`, { cookie: analyst })
		).json();
		const hidden: Notable[] = [];
		const shownNotes = new Set<string>();
		for (const n of sa.notable as Notable[]) {
			const r = await http(`/api/v1/incidents/${n.id}`, { cookie: viewer });
			if (r.status === 404) hidden.push(n);
			else shownNotes.add(flat(n.notes).trim());
		}
		const canaries = hidden
			.map((n) => flat(n.notes).trim())
			.filter((s) => s.length >= 20 && ![...shownNotes].some((v) => v.includes(s)));
		const ra = await http(`/api/v1/reports/sitrep?from=${FROM}&to=${TO}&format=pdf`, {
			cookie: analyst
		});
		expect(ra.headers.get('content-type')).toBe('application/pdf');
		const ta = pdfText(await ra.arrayBuffer(), dir, 'analyst-api.pdf');
		for (const c of canaries) expect(ta).toContain(c);

		// The viewer's PDF through the API, in English: the total is the viewer's count.
		const rv = await http(`/api/v1/reports/sitrep?from=${FROM}&to=${TO}&format=pdf`, {
			cookie: viewer
		});
		expect(rv.headers.get('content-type')).toBe('application/pdf');
		const tv = pdfText(await rv.arrayBuffer(), dir, 'viewer-api.pdf');
		expect(totalIn(tv)).toBe(mine);
		for (const c of canaries) expect(tv).not.toContain(c);
		expect(tv).not.toContain('Hawk-');

		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'viewer');
			await page.goto(`${baseUrl}/reports?from=${FROM}&to=${TO}`);
			await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
			await expect
				.poll(async () =>
					flat((await page.getByTestId('sitrep-total').locator('b').textContent()) ?? '')
				)
				.toBe(mine.toLocaleString('en-GB'));
			await expect(page.getByTestId('report-save').count()).resolves.toBe(0);
			await page.locator('[data-print-ready]').waitFor({ state: 'attached' });
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'sitrep-390-ar');
			const t = await downloadText(page, page.getByTestId('sitrep-pdf'), dir, 'viewer-ar.pdf');
			expect(t).toContain(String(mine));
			for (const c of canaries) expect(t).not.toContain(c);
			expect(t).not.toContain('Hawk-');
			expect(await page.content()).not.toContain('Hawk-');
			console.log(
				`sitrep ${FROM}..${TO}: viewer ${mine}; ${hidden.length} notable hidden from the viewer, ${canaries.length} checked by their notes`
			);
		} finally {
			await b.close();
		}
	}, 360_000);
});
