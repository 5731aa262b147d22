import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { mapTooltips } from './tooltips';

const area = (pcode: string, name_en: string, name_ar: string) =>
	({
		type: 'Feature',
		properties: { pcode, name_en, name_ar, level: 2, parent_pcode: 'IQG01' },
		geometry: { type: 'Polygon', coordinates: [] }
	}) as Record<string, unknown>;

describe('map tooltips', () => {
	const en = mapTooltips({
		t: translator('en'),
		locale: 'en',
		areaLabel: (p) => (p === 'IQG15' ? 'Ninewa' : null)
	});

	it('names an incident by type and fatalities', () => {
		expect(en.incident(['id', 43, 36, 'battles', 1234])).toBe('Battles · 1,234 fatalities');
	});

	it('names a tile feature: a cell by its count and main type, an incident as a point is', () => {
		expect(en.tile({ count: 1234, event_type: 'battles', fatalities: 7 })).toBe(
			'1,234 incidents here, mostly Battles'
		);
		expect(en.tile({ event_type: 'riots', fatalities: 2 })).toBe(
			en.incident(['x', 43, 36, 'riots', 2])
		);
	});

	it('says where an inherited level comes from, by name', () => {
		const f = {
			...area('IQG15Q01', 'Mosul', 'الموصل'),
			row: {
				pcode: 'IQG15Q01',
				level: 3,
				colour: null,
				inherited: true,
				source_pcode: 'IQG15',
				effective_date: '2024-01-05'
			}
		};
		const text = en.level(f as never);
		expect(text).toContain('Mosul');
		expect(text).toContain('Ninewa');
		expect(text).toContain('Jan 5, 2024');
	});

	it('uses Arabic names and digits in Arabic', () => {
		const ar = mapTooltips({ t: translator('ar'), locale: 'ar', areaLabel: () => null });
		const text = ar.baseline({
			...area('IQG15Q01', 'Mosul', 'الموصل'),
			flag: 'rising',
			row: { four_weeks_n: 12, four_weeks_expected: 3.14 }
		} as never);
		expect(text).toContain('الموصل');
		expect(text).not.toContain('Mosul');
	});
});
