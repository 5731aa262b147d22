/**
 * XLSX → records, streaming with exceljs's WorkbookReader (rows are emitted as the sheet XML is
 * read). Only the first worksheet is read. The archive is checked against the zip limits first
 * (an XLSX is a zip: the same bombs apply).
 */
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { columnNames, isHxlRow } from './csv.ts';
import { readZipEntry } from './geo.ts';
import { ImportError, type ImportLimits, type RecordSource, type SourceRecord } from './types.ts';

/** A cell's value as a plain value: rich text as its text, formulas as their result, links as text. */
export function cellValue(v: unknown): unknown {
	if (v === null || v === undefined) return null;
	if (v instanceof Date || typeof v !== 'object') return v;
	const o = v as Record<string, unknown>;
	if (Array.isArray(o.richText))
		return (o.richText as { text: string }[]).map((r) => r.text).join('');
	if ('result' in o) return cellValue(o.result);
	if ('text' in o) return cellValue(o.text);
	if ('error' in o) return null;
	return String(v);
}

export async function xlsxSource(path: string, limits: ImportLimits): Promise<RecordSource> {
	// Vets the archive (entry count, total and per-entry inflation); reads only the small
	// content-types part to do it.
	await readZipEntry(
		path,
		limits,
		(names) => names.find((n) => n === '[Content_Types].xml'),
		'XLSX'
	);

	const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), {
		sharedStrings: 'cache',
		hyperlinks: 'ignore',
		styles: 'cache',
		worksheets: 'emit',
		entries: 'emit'
	} as never);
	const sheets = (reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row>>)[
		Symbol.asyncIterator
	]();
	const first = await sheets.next().catch((e: Error) => {
		throw new ImportError(`not a readable XLSX workbook: ${e.message}`);
	});
	if (first.done) throw new ImportError('the workbook has no worksheet');
	const rows = first.value[Symbol.asyncIterator]();

	const cells = (r: ExcelJS.Row): unknown[] => {
		const vals = r.values as unknown[];
		return vals.slice(1).map(cellValue);
	};
	const head = await rows.next();
	if (head.done) throw new ImportError('the first worksheet is empty: there is no header row');
	const columns = columnNames(cells(head.value).map((c) => (c === null ? '' : String(c))));

	let hxl: Record<string, string> | null = null;
	let pending: ExcelJS.Row | null = null;
	const second = await rows.next();
	if (!second.done) {
		const c = cells(second.value);
		if (isHxlRow(c)) {
			hxl = {};
			c.forEach((t, i) => {
				if (t && columns[i]) hxl![columns[i]] = String(t).replace(/\s+/g, '');
			});
		} else pending = second.value;
	}

	async function* records(): AsyncIterable<SourceRecord> {
		let n = 0;
		const toRecord = (r: ExcelJS.Row): SourceRecord => {
			const c = cells(r);
			const values: Record<string, unknown> = {};
			columns.forEach((col, i) => (values[col] = c[i] ?? null));
			return { row: r.number, values };
		};
		const empty = (r: ExcelJS.Row) => cells(r).every((v) => v === null || String(v).trim() === '');
		if (pending && !empty(pending)) yield toRecord(pending);
		for (;;) {
			const r = await rows.next();
			if (r.done) return;
			if (empty(r.value)) continue;
			if (++n > limits.maxRows)
				throw new ImportError(
					`the worksheet has more than ${limits.maxRows} rows (TERRAIN_IMPORT_MAX_ROWS)`
				);
			yield toRecord(r.value);
		}
	}
	return { container: 'xlsx', columns, hxl, records: records() };
}
