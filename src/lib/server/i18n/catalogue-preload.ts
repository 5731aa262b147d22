/**
 * The reader's language catalogue, named in the page's <head> (issue 14, the first map on a field
 * link). The root layout's load imports it (lib/i18n: one chunk per language), which the browser
 * otherwise finds only once the app's code has arrived and run: on a 300 ms link that is the
 * last request before the page can start, queued behind maplibre. Named in the HTML, it leaves
 * with the page's own code. The build writes which chunk holds which catalogue
 * (`_app/catalogues.json`, vite.config.ts); without that file (vite dev) nothing is added.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UNTRANSLATED } from '$lib/i18n/untranslated';
import type { Locale } from '$lib/i18n';

let chunks: Partial<Record<Locale, string>> | null = null;

function load(): Partial<Record<Locale, string>> {
	// This module runs from build/server/… (adapter-node) or .svelte-kit/output/server/…, at a
	// depth the bundler chooses; the client's files sit in ../client beside that server folder.
	for (const up of ['../client', '../../client', '../../../client']) {
		const file = fileURLToPath(new URL(`${up}/_app/catalogues.json`, import.meta.url));
		if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
	}
	return {};
}

/** The <link> tags that start the catalogues `locale` needs (as loadCatalogue asks for them). */
export function cataloguePreload(locale: Locale, base = ''): string {
	chunks ??= load();
	const needed: Locale[] = [locale];
	if (locale !== 'en' && UNTRANSLATED[locale].length) needed.push('en');
	return needed
		.map((l) => chunks?.[l])
		.filter(Boolean)
		.map((f) => `<link rel="modulepreload" href="${base}/${f}">`)
		.join('');
}
