/**
 * The organisation's document classification on every PDF the server makes: an admin sets it
 * (PATCH /api/v1/settings {document_classification}); the sitrep, a briefing pack made after it,
 * the risk register and a map export then carry it, read back with pdftotext (poppler, from
 * Debian). The pack's PDF as a viewer carries it too and does not name a restricted emergency
 * contact (need-to-know inside the document). The setting is put back afterwards: the other
 * files expect the standard marking.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, e2e, http, sessionCookie, tempDir } from './helpers/server';
import { pdfText } from './helpers/documents';

const { baseUrl } = e2e();
const dir = tempDir('terrain-e2e-classification-');
const tag = randomBytes(3).toString('hex');
const MARKING = `Eyes Only ${tag}`;
const RESTRICTED = `Karim Backchannel${tag}`;
// Printed pages may set the marking in capitals: compare without case, up to the dash before the org.
const marked = (text: string) =>
	expect(text.toLowerCase()).toContain(`${MARKING.toLowerCase()} — `);

async function pdf(path: string, cookie: string, name: string, sent?: Response) {
	const r = sent ?? (await http(path, { cookie }));
	expect(r.status, `${path}: ${r.status}`).toBe(200);
	expect(r.headers.get('content-type')).toBe('application/pdf');
	return pdfText(await r.arrayBuffer(), dir, name);
}

describe('document classification on the PDFs', () => {
	let admin = '';
	let analyst = '';
	let viewer = '';
	let previous = '';

	beforeAll(async () => {
		[admin, analyst, viewer] = await Promise.all(
			(['admin', 'analyst', 'viewer'] as const).map((r) => sessionCookie(r))
		);
		previous = (await (await http('/api/v1/settings', { cookie: admin })).json())
			.document_classification;
		const r = await http('/api/v1/settings', {
			method: 'PATCH',
			cookie: admin,
			body: { document_classification: MARKING }
		});
		expect(r.status, await r.clone().text()).toBe(200);
		expect((await r.json()).document_classification).toBe(MARKING);
	});

	afterAll(async () => {
		await http('/api/v1/settings', {
			method: 'PATCH',
			cookie: admin,
			body: { document_classification: previous ?? '' }
		});
	});

	it('the sitrep PDF carries the marking', async () => {
		const text = await pdf(
			'/api/v1/reports/sitrep?from=2016-10-01&to=2016-10-31&format=pdf',
			analyst,
			'sitrep.pdf'
		);
		marked(text);
	}, 240_000);

	it('a briefing pack takes the marking; the viewer’s PDF has it and no restricted contact', async () => {
		const c = await http('/api/v1/contacts', {
			method: 'POST',
			cookie: analyst,
			body: {
				full_name: RESTRICTED,
				sensitivity: 'restricted',
				emergency: true,
				role_title: 'Night line'
			}
		});
		expect(c.status, await c.clone().text()).toBe(201);
		const bases = await (await http('/api/v1/sites/org_sites', { cookie: analyst })).json();
		const base = bases.features.find((f: { properties: { site_type: string } }) =>
			['base', 'office'].includes(f.properties.site_type)
		);
		expect(base).toBeTruthy();
		const p = await http('/api/v1/briefings', {
			method: 'POST',
			cookie: analyst,
			body: { base_id: String(base.id), title: `Marked pack ${tag}`, status: 'final' }
		});
		expect(p.status, await p.clone().text()).toBe(201);
		const pack = await p.json();
		expect(pack.classification).toBe(MARKING);

		const mine = await pdf(`/api/v1/briefings/${pack.id}?format=pdf`, analyst, 'pack-analyst.pdf');
		marked(mine);
		// the analyst's copy names the contact: the viewer's absence below is need-to-know, not a
		// contact the pack never lists
		expect(mine).toContain(RESTRICTED);
		const theirs = await pdf(`/api/v1/briefings/${pack.id}?format=pdf`, viewer, 'pack-viewer.pdf');
		marked(theirs);
		expect(theirs).toContain(`Marked pack ${tag}`);
		expect(theirs).not.toContain(`Backchannel${tag}`);
	}, 240_000);

	it('the risk register PDF carries the marking', async () => {
		marked(await pdf('/api/v1/risks?format=pdf', viewer, 'register.pdf'));
	}, 240_000);

	it('a map export PDF carries the marking when the page sends none', async () => {
		const png = readFileSync(join(ROOT, 'static/icons/icon-192.png'));
		const path = `/api/v1/map/export?title=${encodeURIComponent(`Map ${tag}`)}`;
		// the page posts the composed image (helpers' http() sends objects as JSON, so fetch here)
		const sent = await fetch(new URL(path, baseUrl), {
			method: 'POST',
			headers: { cookie: analyst, origin: baseUrl, 'content-type': 'image/png' },
			body: png
		});
		const text = await pdf(path, analyst, 'map.pdf', sent);
		marked(text);
		expect(text).toContain(`Map ${tag}`);
	}, 240_000);
});
