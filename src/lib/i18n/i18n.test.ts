import { describe, expect, it } from 'vitest';
import { dir, listJoin, negotiate, translator, type MessageKey } from './index.ts';
import { en } from './en/index.ts';
import { ar } from './ar/index.ts';
import { ku } from './ku/index.ts';
import { fr } from './fr/index.ts';
import { UNTRANSLATED } from './untranslated.ts';

const translations = { ar, ku, fr } as const;

/**
 * Values that may stay exactly as in English: the product name, the endonym in the language
 * switcher, file-format names and the COD-AB "P-code". Everything else with Latin letters must
 * be translated (brand names inside a longer string, e.g. "KML (بۆ Google Earth)", are fine).
 */
const SAME_AS_ENGLISH = new Set([
	'Terrain',
	'English',
	'Français',
	'P-code',
	'PNG',
	'SVG',
	'CSV',
	'GeoJSON'
]);

/**
 * French shares many words with English. These values are the right French (checked one by one),
 * not forgotten English; any other French value equal to the English fails the test below.
 */
const SAME_IN_FRENCH = new Set<string>([
	'{n} km',
	'version {n}',
	'Briefings',
	'Documents',
	'Version',
	'N',
	'{n} incident(s)',
	'Information',
	'Site',
	'5 — improbable',
	'Action',
	'Actions',
	'Alliance',
	'Base',
	'Conditions',
	'Contacts',
	'Coordination',
	'Date',
	'Dates',
	'Description',
	'Distance',
	'District',
	'Districts',
	'Excel (XLSX)',
	'Format',
	'Hostile',
	'Incident',
	'Incidents',
	'Influence',
	'KML (Google Earth)',
	'Latitude',
	'Longitude',
	'Menu',
	'Note',
	'Notes',
	'Notes (Markdown)',
	'Organisation',
	'Point',
	'Points',
	'Population',
	'Public',
	'Satellite',
	'Service',
	'Services',
	'Signal',
	'Source',
	'Sources',
	'Stable',
	'Table',
	'Telegram',
	'Thuraya',
	'Transit',
	'Type',
	'UTF-8 (Unicode)',
	'Viber',
	'WhatsApp',
	'population {count}',
	'{count} arcs',
	'{count} incidents',
	'{km2} km²',
	'{km} km',
	'{n} contacts',
	'{n} incidents, {first} – {last}'
]);

const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();

describe('i18n', () => {
	it('translates with parameters and falls back to English per key', () => {
		expect(translator('en')('map.count.incidents', { count: 12 })).toBe('12 incidents in view');
		expect(translator('ar')('map.layer.incidents')).toBe('الحوادث');
		expect(translator('ku')('map.layer.checkpoints')).toBe('خاڵەکانی پشکنین');
		expect(translator('ku')('map.count.incidents', { count: 12 })).toBe('12 ڕووداو لە دیمەنەکەدا');
		expect(translator('fr')('map.count.incidents', { count: 12 })).toBe('12 incidents dans la vue');
		const partial = translator('ku', { 'nav.map': 'نەخشە' });
		expect(partial('nav.map')).toBe('نەخشە');
		expect(partial('admin.users.title')).toBe(en['admin.users.title']);
	});
	it('lays out Arabic and Kurdish right to left', () => {
		expect(dir('en')).toBe('ltr');
		expect(dir('ar')).toBe('rtl');
		expect(dir('ku')).toBe('rtl');
		expect(dir('fr')).toBe('ltr');
	});
	it('negotiates from Accept-Language', () => {
		expect(negotiate('ar-IQ,ar;q=0.9,en;q=0.8')).toBe('ar');
		expect(negotiate('ckb-IQ')).toBe('ku');
		expect(negotiate('fr-FR,fr;q=0.9,en;q=0.8')).toBe('fr');
		expect(negotiate('de-DE')).toBe('en');
		expect(negotiate(undefined)).toBe('en');
	});

	describe.each(Object.entries(translations))('%s', (locale, cat) => {
		const known = new Set<string>(UNTRANSLATED[locale as keyof typeof translations]);

		it('has every English key, apart from the ones listed in untranslated.ts', () => {
			const missing = Object.keys(en).filter((k) => !(k in cat) && !known.has(k));
			expect(
				missing,
				`translate these in src/lib/i18n/${locale}/ (or list them in untranslated.ts)`
			).toEqual([]);
		});
		it('lists in untranslated.ts only keys that really lack a translation', () => {
			expect([...known].filter((k) => k in cat || !(k in en))).toEqual([]);
		});
		it('has no key that English lacks (a typo or a removed key)', () => {
			expect(Object.keys(cat).filter((k) => !(k in en))).toEqual([]);
		});
		it('keeps exactly the {placeholders} of the English', () => {
			const wrong = Object.entries(cat).filter(
				([k, v]) => placeholders(v!).join() !== placeholders(en[k as MessageKey] ?? '').join()
			);
			expect(wrong.map(([k]) => k)).toEqual([]);
		});
		it('does not leave English text untranslated', () => {
			const same = Object.entries(cat).filter(
				// Placeholder names are not English text: '{name} · {stance}' needs no translation.
				([k, v]) =>
					v === en[k as MessageKey] &&
					/[A-Za-z]/.test(v!.replace(/\{\w+\}/g, '')) &&
					!SAME_AS_ENGLISH.has(v!) &&
					!(locale === 'fr' && SAME_IN_FRENCH.has(v!))
			);
			expect(same.map(([k]) => k)).toEqual([]);
		});
		it('has no empty string', () => {
			expect(
				Object.entries(cat)
					.filter(([, v]) => !v?.trim())
					.map(([k]) => k)
			).toEqual([]);
		});
	});

	it('writes Kurdish with Kurdish letters, not Arabic look-alikes (ی ک ە, not ي ك ة)', () => {
		// Arabic yeh/kaf/teh marbuta/alef maksura and harakat in Sorani text break search and sorting.
		// Harakat are combining marks, so they get a class of their own (no-misleading-character-class).
		const arabicOnly = /[\u064A\u0643\u0629\u0649]|[\u064B-\u0652]/;
		const wrong = Object.entries(ku).filter(
			([k, v]) => !k.startsWith('lang.') && arabicOnly.test(v!)
		);
		expect(wrong.map(([k]) => k)).toEqual([]);
	});
});

describe('listJoin', () => {
	it('separates names with the Arabic comma on right-to-left pages, with no "and"', () => {
		expect(listJoin('ar', ['دهوك', 'نينوى'])).toBe('دهوك، نينوى');
		expect(listJoin('ku', ['دهۆک', 'نەینەوا'])).toBe('دهۆک، نەینەوا');
		expect(listJoin('en', ['Dohuk', 'Ninewa'])).toBe('Dohuk, Ninewa');
		expect(listJoin('fr', ['Dohuk', 'Ninewa'])).toBe('Dohuk, Ninewa');
	});
});
