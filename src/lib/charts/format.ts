/** Labels the analysis screens share: dates, numbers, sources and area names in the UI language. */
import { intlLocale, type Locale, type MessageKey, type Translate } from '../i18n/index.ts';
import type { SourceCount } from '../domain/analysis-types.ts';

export function formatters(locale: Locale) {
	const num = new Intl.NumberFormat(intlLocale(locale));
	const dec = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 });
	const date = new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'medium',
		timeZone: 'UTC'
	});
	const month = new Intl.DateTimeFormat(intlLocale(locale), { month: 'short', timeZone: 'UTC' });
	const dateTime = new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'medium',
		timeStyle: 'short'
	});
	return {
		n: (v: number) => num.format(v),
		/** An average or an expected count: one decimal is enough to read it. */
		dec: (v: number) => dec.format(v),
		date: (d: string | null | undefined) => (d ? date.format(new Date(`${d}T00:00:00Z`)) : '…'),
		dateTime: (d: string) => dateTime.format(new Date(d)),
		month: (m: number) => month.format(new Date(Date.UTC(2001, m, 1))),
		pct: (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${num.format(v)} %`)
	};
}

/** "Source: UCDP GED …; incidents reported in Terrain" for the counted incidents. */
export function sourceLine(t: Translate, sources: SourceCount[]): string {
	if (!sources.length) return t('analysis.source', { source: t('analysis.sources_none') });
	const names = sources.map((s) => {
		if (s.source === null) return t('analysis.source.own');
		const key = `analysis.source.${s.source}` as MessageKey;
		const label = t(key);
		return label === key ? s.source : label;
	});
	return t('analysis.source', { source: names.join('; ') });
}

export function areaName(
	locale: Locale,
	a: { name_en: string | null; name_ar: string | null } | null | undefined
): string {
	if (!a) return '';
	return ((locale === 'ar' || locale === 'ku') && a.name_ar) || a.name_en || a.name_ar || '';
}
