/**
 * The i18n layer: every user-facing string is a key in these catalogues. English is the
 * reference; Arabic, Kurdish (Sorani, Arabic script) and French fall back to English key by key for any
 * key they lack (i18n.test.ts keeps them all complete, see untranslated.ts). Catalogues are
 * split by area of the app (common, auth, map, admin …) so each feature owns its own file.
 *
 * Why not paraglide: its compiler loads the inlang plugins from a CDN, and Terrain must build
 * with no network. A typed catalogue with {param} interpolation covers what we need.
 */
import { en } from './en/index.ts';
import { ar } from './ar/index.ts';
import { ku } from './ku/index.ts';
import { fr } from './fr/index.ts';

export type Locale = 'en' | 'ar' | 'ku' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'ar', 'ku', 'fr'];
export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const catalogues: Record<Locale, Partial<Messages>> = { en, ar, ku, fr };

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

/** `cat` defaults to the locale's catalogue; tests pass a partial one to check the fallback. */
export function translator(locale: Locale, cat: Partial<Messages> = catalogues[locale]): Translate {
	return (key, params) => {
		const template = cat[key] ?? en[key] ?? key;
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
