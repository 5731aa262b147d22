/**
 * The settings page's form (issue 9) read as a settings patch: every field checked on its own, so
 * that each wrong field gets its own message (i18n keys), before anything is saved.
 */
import { z } from 'zod';
import countries from 'i18n-iso-countries/index.js';
import type { Settings } from './index.ts';

export const SETTINGS_FIELDS = [
	'countries',
	'buffer_km',
	'checkpoint_stale_days',
	'site_match_m',
	'document_classification'
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
export type SettingsValues = Record<SettingsField, string>;

/** "IRQ, syr ; TUR" → ["IRQ", "SYR", "TUR"] (any separator, duplicates dropped). */
export function countryCodes(text: string): string[] {
	return [
		...new Set(
			text
				.toUpperCase()
				.split(/[^A-Z]+/)
				.filter(Boolean)
		)
	];
}

const number = (min: number, max: number, int: boolean) =>
	z
		.string()
		.trim()
		.regex(/^\d+(\.\d+)?$/)
		.transform(Number)
		.refine((n) => n >= min && n <= max && (!int || Number.isInteger(n)));

const FIELD_SCHEMAS = {
	buffer_km: number(0, 500, false),
	checkpoint_stale_days: number(1, 365, true),
	site_match_m: number(0, 20000, false)
};

export type SettingsCheck =
	| { ok: true; patch: Record<string, unknown> }
	| { ok: false; errors: Partial<Record<SettingsField, string>> };

export function checkSettingsForm(values: SettingsValues): SettingsCheck {
	const errors: Partial<Record<SettingsField, string>> = {};
	const codes = countryCodes(values.countries);
	if (!codes.length || codes.some((c) => c.length !== 3 || !countries.isValid(c)))
		errors.countries = 'settings.error.countries';
	const n: Partial<Record<keyof typeof FIELD_SCHEMAS, number>> = {};
	for (const k of Object.keys(FIELD_SCHEMAS) as (keyof typeof FIELD_SCHEMAS)[]) {
		const r = FIELD_SCHEMAS[k].safeParse(values[k] ?? '');
		if (r.success) n[k] = r.data;
		else errors[k] = `settings.error.${k}`;
	}
	// The marking printed on documents; empty keeps the standard one in the reader's language.
	const marking = (values.document_classification ?? '').trim();
	if (marking.length > 100)
		errors.document_classification = 'settings.error.document_classification';
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		patch: {
			operating_area: { countries: codes, buffer_km: n.buffer_km },
			checkpoint_stale_days: n.checkpoint_stale_days,
			site_match_m: n.site_match_m,
			document_classification: marking
		}
	};
}

/** The settings in force as the form's text values. */
export function settingsValues(s: Settings): SettingsValues {
	return {
		countries: s.operating_area.countries.join(', '),
		buffer_km: String(s.operating_area.buffer_km),
		checkpoint_stale_days: String(s.checkpoint_stale_days),
		site_match_m: String(s.site_match_m),
		document_classification: s.document_classification ?? ''
	};
}

/** ISO alpha-2 codes of the countries in force, for the page to name them (Intl.DisplayNames). */
export function alpha2(codes: string[]): string[] {
	return codes.map((c) => countries.alpha3ToAlpha2(c)).filter((c): c is string => !!c);
}
