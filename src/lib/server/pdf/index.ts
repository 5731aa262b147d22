/**
 * Server-side PDFs: a print page of this app rendered by headless Chromium (Debian's package,
 * driven by playwright-core; never downloaded), as Grafana's image renderer does. Any domain
 * can use it: give it the path of a print-ready page and the caller's request, and it comes
 * back as PDF bytes.
 *
 *   const pdf = await renderPdf(event, '/print/sitrep?from=2016-10-01&to=2016-10-31');
 *   return pdfResponse(pdf, 'sitrep-2016-10.pdf');
 *
 * The page is loaded with the caller's own credential (their session cookie or their API
 * token), so it reads exactly what the caller may read: RLS and need-to-know apply to the PDF as
 * to the page. A print page marks itself ready with `data-print-ready` on an element once its
 * data and charts are drawn; the PDF is taken then.
 *
 * Where Chromium is not installed, renderPdf throws PdfUnavailable (the API answers 503 with its
 * one-line message); printing from the browser (print CSS) keeps working.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_COOKIE } from '../auth/session.ts';

/** TERRAIN_CHROMIUM overrides the path (an empty value disables server PDFs). */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
	const p = env.TERRAIN_CHROMIUM ?? '/usr/bin/chromium';
	return p && existsSync(p) ? p : null;
}

export class PdfUnavailable extends Error {
	constructor() {
		super(
			'PDF export needs Chromium on the server (Debian: apt-get install chromium, or set TERRAIN_CHROMIUM); print from the browser instead'
		);
		this.name = 'PdfUnavailable';
	}
}

// DESIGN.md: the flags headless Chromium needs here (no GPU: the page is printed, not animated).
const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

// Two renders at a time at most: each Chromium takes ~150 MB and a core while it lays out.
const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
	if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
	running++;
	try {
		return await fn();
	} finally {
		running--;
		waiting.shift()?.();
	}
}

/** What renderPdf needs of a request: where this server is and who is asking. */
export interface PdfCaller {
	url: URL;
	request: Request;
	cookies: { get(name: string): string | undefined };
}

export interface PdfOptions {
	/** The origin Chromium loads the page from; default TERRAIN_PDF_ORIGIN, else the request's. */
	origin?: string;
	/** Milliseconds to wait for the page to be ready. */
	timeout?: number;
	landscape?: boolean;
}

export async function renderPdf(
	caller: PdfCaller,
	path: string,
	o: PdfOptions = {}
): Promise<Uint8Array> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new PdfUnavailable();
	if (!path.startsWith('/') || path.startsWith('//')) throw new Error('renderPdf: a local path');
	const origin = o.origin ?? process.env.TERRAIN_PDF_ORIGIN ?? caller.url.origin;
	const auth = caller.request.headers.get('authorization');
	const session = caller.cookies.get(SESSION_COOKIE);
	const lang = caller.cookies.get('terrain_lang');
	const accept = caller.request.headers.get('accept-language');
	// Imported here, not at the top: only a PDF request pays for loading playwright-core.
	const { chromium } = await import('playwright-core');
	return slot(async () => {
		const profile = mkdtempSync(join(tmpdir(), 'terrain-pdf-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: FLAGS,
			extraHTTPHeaders: {
				...(auth ? { authorization: auth } : {}),
				...(accept ? { 'accept-language': accept } : {})
			}
		});
		try {
			const cookies = [
				...(session ? [{ name: SESSION_COOKIE, value: session }] : []),
				...(lang ? [{ name: 'terrain_lang', value: lang }] : [])
			];
			if (cookies.length)
				await context.addCookies(cookies.map((c) => ({ ...c, url: origin, httpOnly: true })));
			const page = context.pages()[0] ?? (await context.newPage());
			const timeout = o.timeout ?? 60_000;
			const res = await page.goto(origin + path, { waitUntil: 'load', timeout });
			if (!res || res.status() >= 400)
				throw new Error(`renderPdf: ${path} answered ${res?.status() ?? 'nothing'}`);
			await page.waitForSelector('[data-print-ready]', { state: 'attached', timeout });
			await page.emulateMedia({ media: 'print' });
			return await page.pdf({
				format: 'A4',
				landscape: o.landscape ?? false,
				printBackground: true,
				preferCSSPageSize: true,
				margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' }
			});
		} finally {
			await context.close().catch(() => {});
			rmSync(profile, { recursive: true, force: true });
		}
	});
}

/**
 * A PDF of a self-contained HTML document (no request to this server: everything it shows is in
 * the HTML, e.g. an exported map image as a data: URL). Used where the page to print exists only
 * in the caller's browser (the map view, drawn with WebGL).
 */
export async function renderHtmlPdf(html: string, o: PdfOptions = {}): Promise<Uint8Array> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new PdfUnavailable();
	const { chromium } = await import('playwright-core');
	return slot(async () => {
		const profile = mkdtempSync(join(tmpdir(), 'terrain-pdf-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: FLAGS,
			// Nothing to fetch: the document must not reach out to anything.
			offline: true
		});
		try {
			const page = context.pages()[0] ?? (await context.newPage());
			await page.setContent(html, { waitUntil: 'load', timeout: o.timeout ?? 60_000 });
			await page.emulateMedia({ media: 'print' });
			return await page.pdf({
				format: 'A4',
				landscape: o.landscape ?? false,
				printBackground: true,
				margin: { top: '10mm', bottom: '10mm', left: '10mm', right: '10mm' }
			});
		} finally {
			await context.close().catch(() => {});
			rmSync(profile, { recursive: true, force: true });
		}
	});
}

/** A PDF download; never cached (it holds what this caller may see). */
export function pdfResponse(bytes: Uint8Array, filename: string): Response {
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
			'cache-control': 'private, no-store'
		}
	});
}

/** The answer when Chromium is missing: one clear line, 503. */
export function pdfUnavailableResponse(e: PdfUnavailable): Response {
	return new Response(JSON.stringify({ message: e.message }), {
		status: 503,
		headers: { 'content-type': 'application/json' }
	});
}

/**
 * A print page as the caller's PDF download, or the one-line 503 when Chromium is missing: what
 * every `?format=pdf` answers.
 */
export async function pdfAnswer(
	caller: PdfCaller,
	path: string,
	filename: string,
	o: PdfOptions = {}
): Promise<Response> {
	try {
		return pdfResponse(await renderPdf(caller, path, o), filename);
	} catch (e) {
		if (e instanceof PdfUnavailable) return pdfUnavailableResponse(e);
		throw e;
	}
}
