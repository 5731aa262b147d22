/**
 * The i18n layer: every user-facing string is a key in these catalogues. English is the
 * reference; Arabic, Kurdish (Sorani, Arabic script) and French fall back to English key by key for any
 * key they lack (i18n.test.ts keeps them all complete, see untranslated.ts). Catalogues are
 * split by area of the app (common, auth, map, admin …) so each feature owns its own file.
 *
 * A browser loads only its reader's catalogue (loadCatalogue, from the root layout's load): the
 * four together are ~88 kB gzipped, a tenth of the first map on a field link (issue 14). The
 * server and the command line register all four at start (all.ts).
 *
 * Why not paraglide: its compiler loads the inlang plugins from a CDN, and Terrain must build
 * with no network. A typed catalogue with {param} interpolation covers what we need.
 */
import type { en } from './en/index.ts';
import { UNTRANSLATED } from './untranslated.ts';

export type Locale = 'en' | 'ar' | 'ku' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'ar', 'ku', 'fr'];
export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const catalogues: Partial<Record<Locale, Partial<Messages>>> = {};

/** Makes a catalogue available to translator() (all.ts registers the four on the server). */
export function registerCatalogue(locale: Locale, cat: Partial<Messages>): void {
	catalogues[locale] = cat;
}

/** Each catalogue is its own chunk: a browser fetches the one it reads. */
const loaders: Record<Locale, () => Promise<Partial<Messages>>> = {
	en: () => import('./en/index.ts').then((m) => m.en),
	ar: () => import('./ar/index.ts').then((m) => m.ar),
	ku: () => import('./ku/index.ts').then((m) => m.ku),
	fr: () => import('./fr/index.ts').then((m) => m.fr)
};

/**
 * Loads a locale's catalogue once (and English beside it while some of its keys are knowingly
 * untranslated, so those show in English rather than as keys).
 */
export async function loadCatalogue(locale: Locale): Promise<void> {
	const needed: Locale[] = [locale];
	if (locale !== 'en' && UNTRANSLATED[locale].length) needed.push('en');
	await Promise.all(
		needed.filter((l) => !catalogues[l]).map(async (l) => registerCatalogue(l, await loaders[l]()))
	);
}

export function isLocale(v: unknown): v is Locale {
	return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

export function dir(locale: Locale): 'ltr' | 'rtl' {
	return locale === 'ar' || locale === 'ku' ? 'rtl' : 'ltr';
}

/**
 * A plain list ("Dohuk, Ninewa") with the reader's separator: the Arabic comma "،" on Arabic and
 * Kurdish pages. (Intl.ListFormat would add "and"/"و", which a list of names must not have.)
 */
export function listJoin(locale: Locale, items: readonly unknown[]): string {
	return items.join(dir(locale) === 'rtl' ? '، ' : ', ');
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiate(header: string | null | undefined): Locale {
	for (const part of (header ?? '').split(',')) {
		const tag = part.split(';')[0].trim().toLowerCase();
		if (tag.startsWith('ar')) return 'ar';
		if (tag.startsWith('ckb') || tag.startsWith('ku')) return 'ku';
		if (tag.startsWith('fr')) return 'fr';
		if (tag.startsWith('en')) return 'en';
	}
	return 'en';
}

/**
 * `cat` defaults to the locale's registered catalogue, looked up at each call (a translator made
 * at module load works once the catalogue is registered); tests pass a partial one to check the
 * fallback.
 */
export function translator(locale: Locale, cat?: Partial<Messages>): Translate {
	return (key, params) => {
		const template = (cat ?? catalogues[locale])?.[key] ?? catalogues.en?.[key] ?? key;
		if (!params) return template;
		return template.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
	};
}

/**
 * Sorani has its own Intl data in Node but not in Debian's Chromium, which silently falls back to
 * en-US ("Dec 25, 2018", "7,473") inside right-to-left Kurdish text. Where ckb is missing, Iraqi
 * Arabic is the nearest: the same Arabic-Indic digits and day-month-year order.
 */
const CKB_SUPPORTED =
	Intl.DateTimeFormat.supportedLocalesOf(['ckb']).length > 0 &&
	Intl.NumberFormat.supportedLocalesOf(['ckb']).length > 0;

/** The locale to hand to Intl (number and date formats) for an interface language. */
export function intlLocale(locale: Locale): string {
	if (locale !== 'ku') return locale;
	return CKB_SUPPORTED ? 'ckb' : 'ar-IQ';
}

/** Numbers and dates in the user's locale (Arabic-Indic digits for ar/ckb). */
export function formatNumber(locale: Locale, n: number): string {
	return new Intl.NumberFormat(intlLocale(locale)).format(n);
}
