import { describe, expect, it } from 'vitest';
import { parseSpatialFilter } from './spatial-filter';

const p = (q: string) => parseSpatialFilter(new URLSearchParams(q));

describe('parseSpatialFilter', () => {
	it('reads a circle, a stored geometry and an inline one', () => {
		expect(p('lat=36.86&lon=42.99&within_km=20')).toEqual({ lat: 36.86, lon: 42.99, withinKm: 20 });
		const id = '0b5e1d3c-1111-4222-8333-444455556666';
		expect(p(`geometry_id=${id}&within_km=2`)).toEqual({ geometryId: id, withinKm: 2 });
		expect(p('geometry={"type":"Point","coordinates":[44,33]}&within_km=1').geometry).toEqual({
			type: 'Point',
			coordinates: [44, 33]
		});
		expect(p('precise=true')).toEqual({ preciseOnly: true });
	});

	it('names the parameter that is wrong', () => {
		const param = (q: string) => {
			try {
				p(q);
			} catch (e) {
				return (e as { parameter: string }).parameter;
			}
			return null;
		};
		expect(param('lat=36')).toBe('lon');
		expect(param('lat=36&lon=43')).toBe('within_km');
		expect(param('lat=36&lon=43&within_km=900')).toBe('within_km');
		expect(param('geometry={oops')).toBe('geometry');
		expect(param('geometry_id=nope')).toBe('geometry_id');
		expect(
			param('lat=36&lon=43&within_km=1&geometry_id=0b5e1d3c-1111-4222-8333-444455556666')
		).toBe('geometry');
		expect(param('within_km=3')).toBe('within_km');
		expect(param('precise=maybe')).toBe('precise');
	});
});
