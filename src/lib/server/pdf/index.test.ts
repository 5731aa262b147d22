import { describe, expect, it } from 'vitest';
import {
	chromiumPath,
	pdfAnswer,
	PdfUnavailable,
	pdfUnavailableResponse,
	renderPdf
} from './index.ts';

describe('server PDFs without Chromium', () => {
	it('finds Debian’s Chromium, or says in one line that it is missing', async () => {
		expect(chromiumPath({ TERRAIN_CHROMIUM: '/nowhere/chromium' })).toBeNull();
		expect(chromiumPath({ TERRAIN_CHROMIUM: '' })).toBeNull();
		const before = process.env.TERRAIN_CHROMIUM;
		process.env.TERRAIN_CHROMIUM = '/nowhere/chromium';
		try {
			const caller = {
				url: new URL('http://127.0.0.1:1/'),
				request: new Request('http://127.0.0.1:1/'),
				cookies: { get: () => undefined }
			};
			const e = await renderPdf(caller, '/print/sitrep').catch((x) => x);
			expect(e).toBeInstanceOf(PdfUnavailable);
			const r = pdfUnavailableResponse(e);
			expect(r.status).toBe(503);
			const { message } = await r.json();
			expect(message).not.toContain('\n');
			expect(message).toMatch(/needs Chromium.*print from the browser/);
			// What every ?format=pdf route answers (assessments, risks): the same one line, 503.
			const a = await pdfAnswer(caller, '/print/assessments/x', 'a.pdf');
			expect(a.status).toBe(503);
			expect((await a.json()).message).toBe(message);
		} finally {
			if (before === undefined) delete process.env.TERRAIN_CHROMIUM;
			else process.env.TERRAIN_CHROMIUM = before;
		}
	});
});
