/**
 * Exports: the incidents a user may see (the SQL runs as them, RLS applies), or a site registry,
 * as CSV with an HXL hashtag row, GeoJSON, KML (styled by event type, opens in Google Earth) or
 * XLSX. Incidents are read in keyset pages and written as they come, so a large export streams
 * in constant memory. The first page writes the audit note (see 20261122001002_exports.sql).
 *
 * What comes out goes back in: `terrain import` recognises these columns (the 'terrain' preset)
 * and re-creates the same incidents.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { filterArgs, type IncidentFilters } from '../../domain/filters.ts';
import { refinementArgs, type Refinement } from '../../domain/refine-filters.ts';
import { EVENT_TYPE_COLOURS, type EventType, type SiteKind } from '../../domain/taxonomy.ts';
import type { Adapter, Caller } from '../db/types.ts';

export const EXPORT_FORMATS = ['csv', 'geojson', 'kml', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	geojson: 'application/geo+json',
	kml: 'application/vnd.google-earth.kml+xml',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
};

/** Incident export columns, in order, with their HXL hashtags (HDX convention). */
export const INCIDENT_COLUMNS: [string, string][] = [
	['id', '#event+code+terrain'],
	['upstream_source', '#meta+dataset'],
	['upstream_id', '#event+id'],
	['event_date', '#date+occurred'],
	['event_time', '#date+time'],
	['time_precision', '#date+precision'],
	['event_type', '#event+type'],
	['sub_event_type', '#event+type+sub'],
	['actor1', '#group+name+first'],
	['actor2', '#group+name+second'],
	['lat', '#geo+lat'],
	['lon', '#geo+lon'],
	['geo_precision', '#geo+precision'],
	['location_name', '#loc+name'],
	['admin1_pcode', '#adm1+code'],
	['admin1_name', '#adm1+name'],
	['admin2_pcode', '#adm2+code'],
	['admin2_name', '#adm2+name'],
	['admin3_pcode', '#adm3+code'],
	['admin3_name', '#adm3+name'],
	['fatalities', '#affected+killed'],
	['injuries', '#affected+injured'],
	['abductions', '#affected+abducted'],
	['affects_us', '#indicator+affects_us'],
	['affects_ngos', '#indicator+affects_ngos'],
	['serious', '#indicator+serious'],
	['ops_impact', '#indicator+ops_impact'],
	['source', '#meta+source'],
	['source_scale', '#meta+source+scale'],
	['source_reliability', '#meta+reliability'],
	['info_credibility', '#meta+credibility'],
	['confidentiality', '#meta+confidentiality'],
	['status', '#status+verification'],
	['status_reason', '#status+reason'],
	['notes', '#description'],
	['updated_at', '#date+updated']
];

export interface ExportOptions {
	db: Adapter;
	as: Caller;
	format: ExportFormat;
	filters?: IncidentFilters;
	q?: string | null;
	status?: string[] | null;
	/** The place and the further filters (refine-filters.ts); `status` above wins over its status. */
	refine?: Refinement;
	pageSize?: number;
	onProgress?: (rows: number, total: number | null) => void;
}

type Row = Record<string, unknown>;

/** Incidents page by page (keyset on event_date, id), as the caller. */
export async function* incidentRows(o: ExportOptions): AsyncGenerator<Row, void, void> {
	let after: { date: string; id: string } | null = null;
	let n = 0;
	let total: number | null = null;
	for (;;) {
		const page: { total: number | null; rows: Row[] } = await o.db.rpc(
			'incidents_export',
			{
				...filterArgs(o.filters ?? {}),
				p_q: o.q || null,
				...(o.refine ? refinementArgs(o.refine) : {}),
				p_status: o.status?.length ? o.status : (o.refine?.more.status ?? null),
				p_format: o.format,
				p_after_date: after?.date ?? null,
				p_after_id: after?.id ?? null,
				p_limit: o.pageSize ?? 2000
			},
			o.as
		);
		if (page.total !== null && page.total !== undefined) total = page.total;
		for (const r of page.rows) yield r;
		n += page.rows.length;
		o.onProgress?.(n, total);
		if (page.rows.length < (o.pageSize ?? 2000)) return;
		const last = page.rows[page.rows.length - 1];
		after = { date: String(last.event_date), id: String(last.id) };
	}
}

// ------------------------------------------------------------------------------------------------
// Writers: rows → chunks of the file.

function csvCell(v: unknown): string {
	if (v === null || v === undefined) return '';
	const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
	// Cells starting with = + - @ would run as formulas in Excel (CSV injection): prefix a quote.
	const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function* csvWriter(
	rows: AsyncIterable<Row>,
	columns: [string, string][]
): AsyncGenerator<string> {
	// A BOM so that Excel opens UTF-8 (Arabic) correctly.
	yield '\uFEFF' + columns.map(([c]) => csvCell(c)).join(',') + '\r\n';
	yield columns.map(([, h]) => h).join(',') + '\r\n';
	let buf = '';
	for await (const r of rows) {
		buf += columns.map(([c]) => csvCell(r[c])).join(',') + '\r\n';
		if (buf.length > 64 * 1024) {
			yield buf;
			buf = '';
		}
	}
	if (buf) yield buf;
}

export async function* geojsonWriter(rows: AsyncIterable<Row>): AsyncGenerator<string> {
	yield '{"type":"FeatureCollection","features":[\n';
	let first = true;
	let buf = '';
	for await (const r of rows) {
		const { lon, lat, ...props } = r;
		const f = {
			type: 'Feature',
			id: props.id,
			geometry: { type: 'Point', coordinates: [Number(lon), Number(lat)] },
			properties: { ...props, lat, lon }
		};
		buf += (first ? '' : ',\n') + JSON.stringify(f);
		first = false;
		if (buf.length > 64 * 1024) {
			yield buf;
			buf = '';
		}
	}
	yield buf + '\n]}\n';
}

const xml = (v: unknown) =>
	String(v ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		// Characters XML 1.0 does not allow at all (control characters are the point here).
		// eslint-disable-next-line no-control-regex -- matching control characters is this regex's job
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** KML colour: aabbggrr. */
function kmlColour([r, g, b]: [number, number, number]): string {
	const h = (n: number) => n.toString(16).padStart(2, '0');
	return `ff${h(b)}${h(g)}${h(r)}`;
}

export async function* kmlWriter(rows: AsyncIterable<Row>, title: string): AsyncGenerator<string> {
	let head = `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n<name>${xml(title)}</name>\n`;
	for (const [type, colour] of Object.entries(EVENT_TYPE_COLOURS) as [
		EventType,
		[number, number, number]
	][]) {
		head += `<Style id="${type}"><IconStyle><color>${kmlColour(colour)}</color><scale>1.1</scale><Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon></IconStyle><LabelStyle><scale>0</scale></LabelStyle></Style>\n`;
	}
	yield head;
	let buf = '';
	for await (const r of rows) {
		const name = r.location_name
			? `${r.location_name} — ${r.event_date}`
			: `${r.event_type} — ${r.event_date}`;
		const data = INCIDENT_COLUMNS.filter(
			([c]) => r[c] !== null && r[c] !== undefined && r[c] !== ''
		)
			.map(([c]) => `<Data name="${c}"><value>${xml(r[c])}</value></Data>`)
			.join('');
		buf +=
			`<Placemark id="i${xml(r.id)}"><name>${xml(name)}</name><description>${xml(r.notes)}</description>` +
			`<TimeStamp><when>${xml(r.event_date)}</when></TimeStamp><styleUrl>#${xml(r.event_type)}</styleUrl>` +
			`<ExtendedData>${data}</ExtendedData><Point><coordinates>${Number(r.lon)},${Number(r.lat)}</coordinates></Point></Placemark>\n`;
		if (buf.length > 64 * 1024) {
			yield buf;
			buf = '';
		}
	}
	yield buf + '</Document>\n</kml>\n';
}

export async function* xlsxWriter(
	rows: AsyncIterable<Row>,
	columns: [string, string][],
	sheetName: string
): AsyncGenerator<Uint8Array> {
	const out = new PassThrough();
	const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream: out,
		useSharedStrings: false,
		useStyles: true
	});
	const ws = wb.addWorksheet(sheetName.slice(0, 31));
	ws.columns = columns.map(([c]) => ({ header: c, key: c, width: c === 'notes' ? 60 : 16 }));
	ws.getRow(1).font = { bold: true };
	ws.addRow(columns.map(([, h]) => h)).commit();
	const chunks: Uint8Array[] = [];
	out.on('data', (c: Buffer) => chunks.push(c));
	const ended = new Promise<void>((resolve, reject) => {
		out.on('end', resolve);
		out.on('error', reject);
	});
	for await (const r of rows) {
		ws.addRow(columns.map(([c]) => r[c] ?? null)).commit();
		while (chunks.length) yield chunks.shift()!;
	}
	ws.commit();
	await wb.commit();
	await ended;
	while (chunks.length) yield chunks.shift()!;
}

/** The whole export of incidents as chunks of the chosen format. */
export function exportIncidents(o: ExportOptions): AsyncGenerator<string | Uint8Array> {
	const rows = incidentRows(o);
	switch (o.format) {
		case 'csv':
			return csvWriter(rows, INCIDENT_COLUMNS);
		case 'geojson':
			return geojsonWriter(rows);
		case 'kml':
			return kmlWriter(rows, 'Terrain incidents');
		case 'xlsx':
			return xlsxWriter(rows, INCIDENT_COLUMNS, 'Incidents');
	}
}

/** A site registry (health facilities, camps, checkpoints, our sites) in the chosen format. */
export async function* exportSites(
	o: Omit<ExportOptions, 'filters' | 'q' | 'status'> & { kind: SiteKind }
): AsyncGenerator<string | Uint8Array> {
	const fc = await o.db.rpc<{
		features: { id: string; geometry: { coordinates: [number, number] }; properties: Row }[];
	}>('sites_export', { p_kind: o.kind, p_format: o.format }, o.as);
	const rows: Row[] = fc.features.map((f) => {
		const p = { ...f.properties };
		if (!p.upstream_id) {
			p.upstream_source = 'terrain';
			p.upstream_id = f.id;
		}
		return { ...p, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] };
	});
	const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const hxl: Record<string, string> = {
		name: '#loc+name',
		name_ar: '#loc+name+ar',
		lat: '#geo+lat',
		lon: '#geo+lon',
		upstream_id: '#loc+code',
		admin1_pcode: '#adm1+code',
		admin2_pcode: '#adm2+code',
		admin3_pcode: '#adm3+code',
		population: '#affected+idps+ind',
		households: '#affected+hh',
		managing_org: '#org+name',
		status: '#status',
		notes: '#description',
		source: '#meta+source'
	};
	const columns: [string, string][] = keys.map((k) => [k, hxl[k] ?? '']);
	async function* it() {
		for (const r of rows) yield r;
	}
	switch (o.format) {
		case 'csv':
			yield* csvWriter(it(), columns);
			return;
		case 'geojson':
			yield* geojsonWriter(it());
			return;
		case 'kml': {
			// Sites have no event type; one neutral style.
			let s = `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n<name>${xml(o.kind)}</name>\n`;
			for (const r of rows) {
				const data = keys
					.filter((k) => r[k] !== null && r[k] !== undefined && r[k] !== '')
					.map(
						(k) =>
							`<Data name="${xml(k)}"><value>${xml(typeof r[k] === 'object' ? JSON.stringify(r[k]) : r[k])}</value></Data>`
					)
					.join('');
				s += `<Placemark><name>${xml(r.name)}</name><ExtendedData>${data}</ExtendedData><Point><coordinates>${r.lon},${r.lat}</coordinates></Point></Placemark>\n`;
			}
			yield s + '</Document>\n</kml>\n';
			return;
		}
		case 'xlsx':
			yield* xlsxWriter(it(), columns, o.kind);
	}
}

/** A file name for an export: terrain-incidents-2026-11-22.csv */
export function exportFileName(what: string, format: ExportFormat): string {
	return `terrain-${what.replace(/_/g, '-')}-${new Date().toISOString().slice(0, 10)}.${format}`;
}
