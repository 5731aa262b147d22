import { describe, expect, it } from 'vitest';
import { parseCommunityCsv } from './community-csv.ts';

describe('community profile CSV', () => {
	it('reads rows keyed by P-code, leaving empty cells out', () => {
		const r = parseCommunityCsv(
			'pcode,population,population_source,population_date,idps,languages\n' +
				'IQD0101,"12,500",OCHA 2016,2016-10-01,,Arabic; Kurdish\n'
		);
		expect(r.errors).toEqual([]);
		expect(r.rows).toEqual([
			{
				row: 2,
				pcode: 'IQD0101',
				fields: {
					population: 12500,
					population_source: 'OCHA 2016',
					population_date: '2016-10-01',
					languages: ['Arabic', 'Kurdish']
				}
			}
		]);
	});

	it('names every bad cell by row and column and imports nothing', () => {
		const r = parseCommunityCsv(
			'pcode,population,population_date\nIQD0101,12k,2016-02-30\nnot a code,1,\nIQD0101,3,\n'
		);
		expect(r.rows).toEqual([]);
		expect(r.errors.map((e) => [e.row, e.column])).toEqual([
			[2, 'population'],
			[2, 'population_date'],
			[3, 'pcode'],
			[4, 'pcode']
		]);
	});

	it('refuses an unknown column or a file without pcode', () => {
		expect(parseCommunityCsv('pcode,populaton\nIQD0101,1\n').errors[0]).toMatchObject({
			row: 1,
			column: 'populaton'
		});
		expect(parseCommunityCsv('population\n1\n').errors.map((e) => e.column)).toContain('pcode');
	});
});
