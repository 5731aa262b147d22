// Small formatters shared by the details panels (numbers and dates in the reader's language).
import { formatNumber, intlLocale, type Locale } from '$lib/i18n';

export const present = (v: unknown) =>
	v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

export const num = (locale: Locale, v: unknown) =>
	typeof v === 'number' ? formatNumber(locale, v) : String(v ?? '');

export function dateText(locale: Locale, v: unknown, withTime = false): string {
	if (typeof v !== 'string' || !v) return '';
	const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
	if (Number.isNaN(d.getTime())) return v;
	return new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'medium',
		...(withTime ? { timeStyle: 'short' } : {}),
		timeZone: 'UTC'
	}).format(d);
}

/** The Arabic name in Arabic when there is one, else the name. */
export const localName = (locale: Locale, name: string, ar: string | null | undefined) =>
	locale === 'ar' && ar ? ar : name;

export type Row = [label: string, value: string];
