import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { csvWriter, geojsonWriter, INCIDENT_COLUMNS, kmlWriter } from './index.ts';

async function text(chunks: AsyncIterable<string | Uint8Array>): Promise<string> {
	let s = '';
	for await (const c of chunks) s += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
	return s;
}
async function* rows(...r: Record<string, unknown>[]) {
	yield* r;
}
const row = {
	id: '00000000-0000-0000-0000-000000000001',
	event_date: '2024-05-01',
	event_type: 'battles',
	lat: 36.34,
	lon: 43.13,
	location_name: 'Mosul <old city> & "bridge"',
	notes: '=HYPERLINK("http://x") line one\nline two, with comma',
	fatalities: 3
};

describe('export writers', () => {
	it('writes CSV with a BOM, the HXL row, quoted cells and no formula injection', async () => {
		const s = await text(csvWriter(rows(row), INCIDENT_COLUMNS));
		const lines = s.split('\r\n');
		expect(lines[0].startsWith('\uFEFFid,upstream_source,upstream_id,event_date')).toBe(true);
		expect(lines[1].split(',')[3]).toBe('#date+occurred');
		expect(s).toContain(`"'=HYPERLINK(""http://x"") line one\nline two, with comma"`);
		expect(s).toContain('"Mosul <old city> & ""bridge"""');
		// Negative numbers stay numbers.
		expect(await text(csvWriter(rows({ lon: -3.5 }), [['lon', '#geo+lon']]))).toContain(
			'\r\n-3.5\r\n'
		);
	});

	it('writes GeoJSON that parses, with points as [lon, lat]', async () => {
		const fc = JSON.parse(await text(geojsonWriter(rows(row, { ...row, id: 'b' }))));
		expect(fc.features).toHaveLength(2);
		expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [43.13, 36.34] });
		expect(fc.features[0].properties.notes).toBe(row.notes);
	});

	it('writes well-formed KML, styled by event type, with every field as extended data', async () => {
		const kml = await text(kmlWriter(rows(row), 'Test & export'));
		const doc = new DOMParser({
			onError: (l: string, m: string) => {
				if (l !== 'warning') throw new Error(m);
			}
		}).parseFromString(kml, 'text/xml');
		expect(doc.getElementsByTagName('Placemark').length).toBe(1);
		expect(doc.getElementsByTagName('styleUrl')[0].textContent).toBe('#battles');
		expect(doc.getElementsByTagName('name')[1].textContent).toBe(
			'Mosul <old city> & "bridge" — 2024-05-01'
		);
		expect(kml).toContain('<Style id="battles"><IconStyle><color>ff005ed5</color>');
		expect(kml).toContain('<coordinates>43.13,36.34</coordinates>');
	});
});
