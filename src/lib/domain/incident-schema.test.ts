import { describe, expect, it } from 'vitest';
import { fieldErrors, incidentInputSchema, toSqlPayload } from './incident-schema.ts';
import { checkLonLat, formatDms, parseCoordinates, toMgrs } from './coordinates.ts';

const ok = (raw: string) => {
	const r = parseCoordinates(raw);
	if (!r.ok) throw new Error(`${raw}: ${r.error}`);
	return r;
};

describe('parseCoordinates', () => {
	it('reads decimal degrees as lat, lon', () => {
		expect(ok('36.34, 43.13')).toMatchObject({
			value: { lat: 36.34, lon: 43.13 },
			format: 'decimal'
		});
		expect(ok('36.34 43.13').value).toEqual({ lat: 36.34, lon: 43.13 });
		expect(ok('-33.5,-70.25').value).toEqual({ lat: -33.5, lon: -70.25 });
	});

	it('reads hemisphere letters in either order', () => {
		expect(ok('36.34N 43.13E').value).toEqual({ lat: 36.34, lon: 43.13 });
		expect(ok('43.13E 36.34N').value).toEqual({ lat: 36.34, lon: 43.13 });
		expect(ok('33.9S, 18.4E').value).toEqual({ lat: -33.9, lon: 18.4 });
	});

	it('reads degrees, minutes and seconds in the usual spellings', () => {
		const a = ok(`36°20'24"N 43°07'48"E`);
		expect(a.format).toBe('dms');
		expect(a.value.lat).toBeCloseTo(36.34, 5);
		expect(a.value.lon).toBeCloseTo(43.13, 5);
		expect(ok('36 20 24 N, 43 7 48 E').value.lat).toBeCloseTo(36.34, 5);
		expect(ok('N 36° 20.4′ E 43° 07.8′').value.lon).toBeCloseTo(43.13, 5);
		expect(ok('36°20′24″N, 43°07′48″E').value.lon).toBeCloseTo(43.13, 5);
	});

	it('reads MGRS with or without spaces and agrees with the forward conversion', () => {
		const ref = toMgrs({ lon: 43.13, lat: 36.34 })!;
		expect(ref).toMatch(/^38S/);
		const back = ok(ref);
		expect(back.format).toBe('mgrs');
		expect(back.value.lon).toBeCloseTo(43.13, 4);
		expect(back.value.lat).toBeCloseTo(36.34, 4);
		const spaced = `${ref.slice(0, 3)} ${ref.slice(3, 5)} ${ref.slice(5, 10)} ${ref.slice(10)}`;
		expect(ok(spaced).value).toEqual(back.value);
	});

	it('refuses what it cannot read, with a reason', () => {
		expect(parseCoordinates('')).toEqual({
			ok: false,
			error: 'incident.error.coordinates_required'
		});
		expect(parseCoordinates('Mosul')).toEqual({
			ok: false,
			error: 'incident.error.coordinates_format'
		});
		expect(parseCoordinates('38SLF123')).toEqual({
			ok: false,
			error: 'incident.error.mgrs_invalid'
		});
		expect(parseCoordinates("36°75'N 43°E")).toEqual({
			ok: false,
			error: 'incident.error.coordinates_format'
		});
		expect(parseCoordinates('95, 143')).toEqual({ ok: false, error: 'incident.error.lat_range' });
	});

	it('says when latitude and longitude look swapped', () => {
		expect(parseCoordinates('120.5, 36.3')).toEqual({
			ok: false,
			error: 'incident.error.coordinates_swapped'
		});
		expect(checkLonLat(200, 10)).toEqual({ ok: false, error: 'incident.error.lon_range' });
	});

	it('formats a point as DMS', () => {
		expect(formatDms({ lon: 43.13, lat: 36.34 })).toBe('36°20′24.0″N 43°07′48.0″E');
	});
});

describe('incidentInputSchema', () => {
	const base = { event_date: '2024-03-01', event_type: 'battles', coordinates: '36.34, 43.13' };

	it('accepts a minimal report and fills defaults', () => {
		const r = incidentInputSchema.parse(base);
		expect(r.point).toEqual({ lon: 43.13, lat: 36.34 });
		expect(r.confidentiality).toBe('internal');
		expect(r.time_precision).toBe('day');
		const p = toSqlPayload(r);
		expect(p).toMatchObject({
			lon: 43.13,
			lat: 36.34,
			geo_precision: 1,
			fatalities: null,
			event_type: 'battles'
		});
	});

	it('accepts form values (strings, checkboxes) as they come from a form post', () => {
		const r = incidentInputSchema.parse({
			...base,
			coordinates: undefined,
			lon: '43.2',
			lat: '36.1',
			fatalities: '3',
			injuries: '',
			serious: 'on',
			info_credibility: '2',
			source_reliability: 'B',
			event_time: '14:30',
			actor1: { name: 'Unknown gunmen' }
		});
		const p = toSqlPayload(r);
		expect(p).toMatchObject({
			lon: 43.2,
			lat: 36.1,
			fatalities: 3,
			injuries: null,
			serious: true,
			info_credibility: 2,
			time_precision: 'exact',
			actor1: 'Unknown gunmen'
		});
	});

	it('places by area when there are no coordinates but a P-code', () => {
		const r = incidentInputSchema.parse({ ...base, coordinates: '', admin_pcode: 'IQG01' });
		expect(toSqlPayload(r)).toMatchObject({ admin_pcode: 'IQG01' });
		expect(toSqlPayload(r).lon).toBeUndefined();
	});

	it('names each wrong field with an i18n key', () => {
		const r = incidentInputSchema.safeParse({
			event_date: '2024-02-30',
			event_type: 'battle',
			coordinates: '36.3, 43.1',
			fatalities: '-1'
		});
		expect(r.success).toBe(false);
		const errors = fieldErrors(r.error!);
		expect(errors).toMatchObject({
			event_date: 'incident.error.date_invalid',
			event_type: 'incident.error.event_type',
			fatalities: 'incident.error.count'
		});
	});

	it('refuses a date in the future, a missing location and a sub-event of another type', () => {
		const future = new Date(Date.now() + 5 * 86400_000).toISOString().slice(0, 10);
		expect(
			fieldErrors(incidentInputSchema.safeParse({ ...base, event_date: future }).error!)
		).toEqual({ event_date: 'incident.error.date_future' });
		expect(fieldErrors(incidentInputSchema.safeParse({ ...base, coordinates: '' }).error!)).toEqual(
			{ coordinates: 'incident.error.coordinates_required' }
		);
		expect(
			fieldErrors(incidentInputSchema.safeParse({ ...base, sub_event_type: 'Grenade' }).error!)
		).toEqual({ sub_event_type: 'incident.error.sub_event_type' });
		expect(
			fieldErrors(
				incidentInputSchema.safeParse({ ...base, coordinates: undefined, lon: 36.2, lat: 120.5 })
					.error!
			)
		).toEqual({ coordinates: 'incident.error.coordinates_swapped' });
	});
});
