import { describe, expect, it } from 'vitest';
import { labelPoint, labelPoints } from './label-points.ts';
import { featureDescription, featureLabel } from './api.ts';

describe('overlay labels', () => {
	it('puts a label at a point, mid-line and mid-polygon', () => {
		expect(labelPoint({ type: 'Point', coordinates: [43, 36] })).toEqual([43, 36]);
		expect(
			labelPoint({
				type: 'LineString',
				coordinates: [
					[0, 0],
					[1, 1],
					[2, 2]
				]
			})
		).toEqual([1, 1]);
		expect(
			labelPoint({
				type: 'Polygon',
				coordinates: [
					[
						[0, 0],
						[4, 0],
						[4, 2],
						[0, 2],
						[0, 0]
					]
				]
			})
		).toEqual([2, 1]);
	});

	it('names a feature by the label field, then name/Name; descriptions lose their markup', () => {
		expect(featureLabel({ Name: 'Zakho road', ref: 'R2' }, 'ref')).toBe('R2');
		expect(featureLabel({ Name: 'Zakho road' }, null)).toBe('Zakho road');
		expect(featureLabel({}, null)).toBeNull();
		expect(featureDescription({ description: '<b>Closed</b> at <i>night</i>' })).toBe(
			'Closed at night'
		);
		const fc = labelPoints(
			{
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: { name: 'A' },
						geometry: { type: 'Point', coordinates: [1, 2] }
					},
					{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [3, 4] } }
				]
			},
			null
		);
		expect(fc.features.map((f) => f.properties?.label)).toEqual(['A']);
	});
});
