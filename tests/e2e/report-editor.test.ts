/**
 * The report editor as an analyst uses it: on a draft's page they type into every field from the
 * top (title, status, classification, then two sections, the second after "Add a section") and
 * save. The report read back through the API holds, field by field, what was typed. Saving again
 * without touching anything keeps every field as it was (only the version count moves on).
 */
import { describe, expect, it } from 'vitest';
import { e2e, http, sessionCookie } from './helpers/server';
import { hydrated, openBrowser, signIn } from './helpers/browser';

const { baseUrl } = e2e();

interface Report {
	title: string;
	status: string;
	classification: string;
	period_from: string;
	period_to: string;
	version: number;
	sections: { heading: string; markdown: string }[];
}

describe('the report editor', () => {
	it('saves what was typed, field by field, and an unchanged save changes nothing', async () => {
		const analyst = await sessionCookie('analyst');
		const stamp = Date.now().toString(36);
		const made = await http('/api/v1/reports', {
			method: 'POST',
			cookie: analyst,
			body: { title: `Editor ${stamp}`, period_from: '2016-10-01', period_to: '2016-10-31' }
		});
		expect(made.status, await made.clone().text()).toBe(201);
		const { id } = (await made.json()) as { id: string };
		const read = async () => {
			const r = await http(`/api/v1/reports/${id}`, { cookie: analyst });
			expect(r.status).toBe(200);
			return (await r.json()) as Report;
		};
		const before = await read();

		const typed = {
			title: `Weekly sitrep ${stamp} — Ninewa`,
			classification: 'Confidential — partners only',
			sections: [
				{
					heading: 'Overview',
					markdown: 'Calm week in **Mosul**; two incidents near the airport.'
				},
				{ heading: 'Movements', markdown: 'Road 1 open by day.\n\n- convoy A\n- convoy B' }
			]
		};

		const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(60_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/reports/${id}`);
			await hydrated(page);
			const form = page.getByTestId('report-edit');
			await form.locator('input[name="title"]').fill(typed.title);
			await form.locator('select[name="status"]').selectOption('draft');
			await form.locator('input[name="classification"]').fill(typed.classification);
			await form.locator('input[name="heading_0"]').fill(typed.sections[0].heading);
			await form.locator('textarea[name="markdown_0"]').fill(typed.sections[0].markdown);
			await form.getByRole('button', { name: 'Add a section' }).click();
			await form.locator('input[name="heading_1"]').waitFor();
			await form.locator('input[name="heading_1"]').fill(typed.sections[1].heading);
			await form.locator('textarea[name="markdown_1"]').fill(typed.sections[1].markdown);
			await form.getByRole('button', { name: 'Save', exact: true }).click();
			await form
				.getByRole('status')
				.filter({ hasText: `Saved (version ${before.version + 1}).` })
				.waitFor();

			const saved = await read();
			expect(saved.title).toBe(typed.title);
			expect(saved.status).toBe('draft');
			expect(saved.classification).toBe(typed.classification);
			expect(saved.sections).toEqual(typed.sections);
			expect([saved.period_from, saved.period_to]).toEqual([before.period_from, before.period_to]);
			expect(saved.version).toBe(before.version + 1);

			// The same form again, nothing touched: the page now shows the saved report.
			await form.getByRole('button', { name: 'Save', exact: true }).click();
			await form
				.getByRole('status')
				.filter({ hasText: `Saved (version ${saved.version + 1}).` })
				.waitFor();
			const again = await read();
			const { version: v2, ...rest2 } = again;
			const { version: v1, ...rest1 } = saved;
			expect(v2).toBe(v1 + 1);
			expect(pick(rest2)).toEqual(pick(rest1));
			expect(await form.getByRole('alert').count()).toBe(0);
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
	}, 240_000);
});

/** What a person wrote or chose: the fields the editor shows. */
const pick = (r: Omit<Report, 'version'>) => ({
	title: r.title,
	status: r.status,
	classification: r.classification,
	period_from: r.period_from,
	period_to: r.period_to,
	sections: r.sections
});
