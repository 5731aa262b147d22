/**
 * Documents in the e2e tests: the text of a PDF (poppler's pdftotext, from Debian), a download
 * the page started, and screenshots also copied to $TERRAIN_SHOTS_DIR when it is set.
 *
 *   const text = pdfText(await response.arrayBuffer(), dir, 'sitrep.pdf');
 *   const text = await downloadText(page, page.getByTestId('sitrep-pdf'), dir, 'sitrep.pdf');
 */
import { expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './browser.ts';

/** pdftotext's output with Arabic-Indic digits as Latin ones and runs of white space as one space. */
export function pdfText(bytes: ArrayBuffer | Uint8Array, dir: string, name: string): string {
	const file = join(dir, name);
	writeFileSync(file, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
	expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
	return flat(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
}

export const flat = (s: string) =>
	s
		.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
		.replace(/[\u066c,]/g, ',')
		.replace(/\s+/g, ' ');

/** Clicks a download link as a person does and returns the text of the PDF it gave. */
export async function downloadText(
	page: Page,
	link: Locator,
	dir: string,
	name: string
): Promise<string> {
	const [download] = await Promise.all([
		page.waitForEvent('download', { timeout: 180_000 }),
		link.click()
	]);
	const path = await download.path();
	return pdfText(readFileSync(path), dir, name);
}

export async function shot(page: Page, name: string) {
	const p = await screenshot(page, name);
	const dir = process.env.TERRAIN_SHOTS_DIR;
	if (dir) {
		mkdirSync(dir, { recursive: true });
		copyFileSync(p, join(dir, `${name}.png`));
	}
}

/** How far the page is wider than the window (0: no sideways scroll). */
export const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
