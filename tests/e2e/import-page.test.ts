// Importing through the page as an analyst does: ACLED and UCDP files from dry run to commit
// (the page sends back the mapping it showed, and the commit must still translate ACLED's and
// UCDP's codes), then a casualty list with "20-Mar-03" dates, everyday place spellings and a
// weapons column mapped to event types in the value table — read back through the API. Also
// screenshots of the page at desktop and 390 px, in English and Arabic.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const SOURCE = `casualties-e2e-${Date.now().toString(36)}`;

describe('the Import page', () => {
	let b: TestBrowser;
	let cookie: string;
	beforeAll(async () => {
		b = await openBrowser();
		await signIn(b.page, baseUrl, 'analyst');
		cookie = await sessionCookie('analyst');
	});
	afterAll(async () => b?.close());

	async function dryRun(file: string) {
		await b.page.goto(`${baseUrl}/import`);
		await b.page.getByTestId('import-file').setInputFiles(join(FIXTURES, file));
		await b.page.getByRole('button', { name: 'Check the file (dry run)' }).click();
		await b.page.getByTestId('import-result').waitFor();
	}
	async function commit() {
		await b.page.getByTestId('import-commit').click();
		await b.page
			.locator('[data-testid="import-done"], [data-testid="import-partial"], .result .error')
			.first()
			.waitFor();
		return b.page.getByTestId('import-result').innerText();
	}

	for (const file of ['acled_iraq.csv', 'ucdp_hdx.csv'])
		it(`imports ${file} from dry run to commit`, async () => {
			await dryRun(file);
			expect(await b.page.getByTestId('import-dry').innerText()).toMatch(/Dry run: \d+ rows read/);
			const done = await commit();
			expect(done).not.toMatch(/not one of|cannot be imported|Nothing was imported/);
			expect(await b.page.getByTestId('import-done').isVisible()).toBe(true);
		});

	it('imports a casualty list with everyday dates and spellings, mapping its weapons to event types', async () => {
		await b.page.goto(`${baseUrl}/import`);
		await b.page.getByTestId('import-file').setInputFiles(join(FIXTURES, 'casualties_places.csv'));
		await b.page.getByTestId('import-source').fill(SOURCE);
		await b.page.getByRole('button', { name: 'Check the file (dry run)' }).click();
		await b.page.getByTestId('import-result').waitFor();
		// No event type column is guessed: the user chooses it in the mapping table.
		await b.page.locator('select[data-field="event_type"]').selectOption('Weapon');
		await b.page.getByTestId('import-check-again').click();
		await b.page.getByTestId('import-values').waitFor();
		// "IED" and "air strike" are tracker words Terrain knows; only "gunfire" (two rows) is asked.
		expect(
			await b.page.locator('[data-testid="import-values"] tbody td:first-child').allInnerTexts()
		).toEqual(['gunfire']);
		expect(await b.page.locator('[data-testid="import-values"] tbody tr').innerText()).toMatch(
			/gunfire\s+2/
		);
		await b.page
			.locator('select[data-value="gunfire"]')
			.selectOption('violence_against_civilians/Attack');
		await b.page.getByTestId('import-check-again').click();
		await b.page.getByText('Importing would add 7').waitFor();
		expect(await b.page.getByTestId('import-placement').innerText()).toMatch(
			/4 at a district, 3 at a governorate/
		);
		await screenshot(b.page, 'import-casualties-dry-run');
		const done = await commit();
		expect(done).toMatch(/7 new/);

		const res = await http(`/api/v1/exports?dataset=incidents&format=geojson`, { cookie });
		expect(res.status).toBe(200);
		const fc = (await res.json()) as { features: { properties: Record<string, unknown> }[] };
		const [EXPL, VAC] = ['explosions_remote_violence', 'violence_against_civilians'];
		const [IED, AIR] = ['Remote explosive/landmine/IED', 'Air/drone strike'];
		const mine = fc.features
			.map((f) => f.properties)
			.filter((p) => p.upstream_source === SOURCE)
			.sort((x, y) => String(x.upstream_id).localeCompare(String(y.upstream_id)));
		expect(
			mine.map((p) => [
				p.upstream_id,
				p.event_date,
				p.event_type,
				p.sub_event_type,
				p.admin1_pcode,
				p.admin2_pcode || null,
				p.geo_precision,
				p.fatalities,
				p.notes || null
			])
		).toEqual([
			['C-001', '2003-03-20', EXPL, IED, 'IQG02', null, 3, 2, 'market blast'],
			['C-002', '2003-03-21', VAC, 'Attack', 'IQG17', 'IQG17Q04', 3, 1, 'checkpoint shooting'],
			['C-003', '2003-03-22', EXPL, AIR, 'IQG13', 'IQG13Q01', 3, 4, 'night raid'],
			['C-004', '2003-03-23', EXPL, IED, 'IQG13', null, 3, 0, 'roadside device'],
			['C-005', '2003-03-24', VAC, 'Attack', 'IQG01', 'IQG01Q01', 3, 3, null],
			['C-006', '2003-03-25', EXPL, IED, 'IQG01', 'IQG01Q03', 3, 1, null],
			['C-007', '2003-03-26', EXPL, AIR, 'IQG04', null, 3, 0, null]
		]);
	});

	for (const [lang, width] of [
		['en', 1280],
		['en', 390],
		['ar', 1280],
		['ar', 390]
	] as const)
		it(`shows the page in ${lang} at ${width} px`, async () => {
			const v = await openBrowser({ viewport: { width, height: 900 }, locale: lang });
			try {
				await signIn(v.page, baseUrl, 'analyst');
				if (lang === 'ar') await v.page.goto(`${baseUrl}/lang?l=ar`);
				await v.page.goto(`${baseUrl}/import`);
				await v.page
					.getByTestId('import-file')
					.setInputFiles(join(FIXTURES, 'casualties_places.csv'));
				await v.page
					.locator('button')
					.filter({ hasText: /dry run|تجربة|فحص|افحص/ })
					.first()
					.click();
				await v.page.getByTestId('import-result').waitFor();
				const overflow = await v.page.evaluate(
					() => document.documentElement.scrollWidth - window.innerWidth
				);
				await screenshot(v.page, `import-page-${lang}-${width}`);
				expect(overflow).toBeLessThanOrEqual(2);
			} finally {
				await v.close();
			}
		});
});
