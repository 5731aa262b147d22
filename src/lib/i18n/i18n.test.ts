import { describe, expect, it } from 'vitest';
import { dir, negotiate, translator } from './index.ts';
import { en } from './en/index.ts';
import { ar } from './ar/index.ts';

describe('i18n', () => {
	it('translates with parameters and falls back to English per key', () => {
		expect(translator('en')('map.count.incidents', { count: 12 })).toBe('12 incidents in view');
		expect(translator('ar')('map.layer.incidents')).toBe('الحوادث');
		expect(translator('ku')('admin.users.title')).toBe(en['admin.users.title']);
	});
	it('lays out Arabic and Kurdish right to left', () => {
		expect(dir('en')).toBe('ltr');
		expect(dir('ar')).toBe('rtl');
		expect(dir('ku')).toBe('rtl');
	});
	it('negotiates from Accept-Language', () => {
		expect(negotiate('ar-IQ,ar;q=0.9,en;q=0.8')).toBe('ar');
		expect(negotiate('ckb-IQ')).toBe('ku');
		expect(negotiate('fr-FR')).toBe('en');
		expect(negotiate(undefined)).toBe('en');
	});
	it('has every map-screen string in Arabic', () => {
		const mapKeys = Object.keys(en).filter((k) => k.startsWith('map.') || k.startsWith('event_type.'));
		expect(mapKeys.filter((k) => !(k in ar))).toEqual([]);
	});
	it('keeps the placeholders of each Arabic string', () => {
		for (const [k, v] of Object.entries(ar)) {
			const want = (en[k as keyof typeof en].match(/\{\w+\}/g) ?? []).sort();
			expect((v!.match(/\{\w+\}/g) ?? []).sort(), k).toEqual(want);
		}
	});
});
