/**
 * Delimited text (CSV, TSV, semicolon, pipe) → records, streaming through papaparse with
 * backpressure: the parser is paused while the pipeline writes a batch, so a 1M-row file never
 * sits in memory. Any line ending (LF, CRLF, bare CR) — papaparse detects it from the first chunk.
 *
 * The first row is the header. A second row whose every non-empty cell starts with '#' is an HXL
 * hashtag row (HDX files): it tags the columns and is not data.
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { ImportError, type Problem, type RecordSource, type SourceRecord } from './types.ts';

export function isHxlRow(cells: readonly unknown[]): boolean {
	const filled = cells.map((c) => String(c ?? '').trim()).filter(Boolean);
	return (
		filled.length > 0 &&
		filled.every((c) => /^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$/i.test(c))
	);
}

/** Header cells → unique, non-empty column names ("" → "column 3", a repeat → "name (2)"). */
export function columnNames(cells: readonly unknown[]): string[] {
	const seen = new Map<string, number>();
	return cells.map((c, i) => {
		let name =
			String(c ?? '')
				.replace(/^\uFEFF/, '')
				.trim() || `column ${i + 1}`;
		const n = (seen.get(name.toLowerCase()) ?? 0) + 1;
		seen.set(name.toLowerCase(), n);
		if (n > 1) name = `${name} (${n})`;
		return name;
	});
}

interface Options {
	delimiter?: string;
	maxRows: number;
}

/**
 * Rows of a delimited text stream as an async iterator of string arrays with their 1-based row
 * numbers. Fatal parse errors (an unclosed quote) end the iteration with an ImportError.
 */
async function* rows(
	text: AsyncIterable<string>,
	o: Options
): AsyncGenerator<{ row: number; cells: string[]; problem?: Problem }> {
	const queue: { row: number; cells: string[]; problem?: Problem }[] = [];
	let done = false;
	let failure: Error | null = null;
	let wake: (() => void) | null = null;
	let paused = false;
	let parserRef: Papa.Parser | null = null;
	let n = 0;
	const notify = () => {
		const w = wake;
		wake = null;
		w?.();
	};

	// papaparse guesses the delimiter and line ending from its first chunk: make it a big one.
	async function* firstChunkLarge(): AsyncIterable<string> {
		let head = '';
		const it = text[Symbol.asyncIterator]();
		for (;;) {
			const r = await it.next();
			if (r.done) {
				if (head) yield head;
				return;
			}
			head += r.value;
			if (head.length >= 64 * 1024) break;
		}
		// No line ending in the first 64 KB: not a table (a header is never that long). Refused
		// here, before papaparse buffers a 50 MB "line" and the answer echoes it.
		if (head.length >= 64 * 1024 && !/[\r\n]/.test(head))
			throw new ImportError(
				'the first 64 KB of the file hold no line break: this is not a delimited text file (CSV, TSV), or it is in another format; choose the right format or encoding',
				{ row: 1, code: 'bad_input' }
			);
		yield head;
		for (;;) {
			const r = await it.next();
			if (r.done) return;
			yield r.value;
		}
	}
	const input = Readable.from(firstChunkLarge(), { objectMode: false, encoding: 'utf8' } as never);
	input.on('error', (e) => {
		failure = e;
		done = true;
		notify();
	});

	// A Node stream is a LocalFile to papaparse; its typings do not relate stream and config types.
	(Papa.parse as unknown as (input: unknown, config: Papa.ParseConfig<string[]>) => void)(input, {
		delimiter: o.delimiter ?? '',
		delimitersToGuess: [',', ';', '\t', '|'],
		skipEmptyLines: 'greedy',
		step(results: Papa.ParseStepResult<string[]>, parser: Papa.Parser) {
			parserRef = parser;
			n++;
			const row = n;
			const quote = results.errors.find((e) => e.type === 'Quotes');
			if (quote) {
				failure = new ImportError(
					`row ${row}: a quoted field is not closed (${quote.message}); check the quotes in that row`,
					{ row }
				);
				parser.abort();
				return;
			}
			if (n > o.maxRows + 2) {
				failure = new ImportError(
					`the file has more than ${o.maxRows} rows (TERRAIN_IMPORT_MAX_ROWS)`
				);
				parser.abort();
				return;
			}
			queue.push({ row, cells: results.data });
			if (queue.length >= 2000 && !paused) {
				paused = true;
				parser.pause();
			}
			notify();
		},
		complete() {
			done = true;
			notify();
		},
		error(e: Error) {
			failure =
				e instanceof ImportError
					? e
					: new ImportError(`the file could not be read as delimited text: ${e.message}`);
			done = true;
			notify();
		}
	} as Papa.ParseConfig<string[]>);

	for (;;) {
		if (queue.length) {
			const next = queue.shift()!;
			if (paused && queue.length < 500) {
				paused = false;
				(parserRef as Papa.Parser | null)?.resume();
			}
			yield next;
			continue;
		}
		if (failure) throw failure;
		if (done) return;
		await new Promise<void>((r) => (wake = r));
	}
}

/** A delimited text stream as a RecordSource. Reads the header (and HXL row) before returning. */
export async function csvSource(
	text: AsyncIterable<string>,
	o: Options & { encoding?: string }
): Promise<RecordSource> {
	const it = rows(text, o);
	const first = await it.next();
	if (first.done) throw new ImportError('the file is empty: there is no header row');
	const long = first.value.cells.findIndex((c) => String(c ?? '').length > 500);
	if (long >= 0)
		throw new ImportError(
			`the header's column ${long + 1} is ${String(first.value.cells[long]).length} characters long: is the first row a header, and is the delimiter right?`,
			{ row: 1, code: 'bad_input' }
		);
	if (first.value.cells.some((c) => String(c ?? '').includes('\u0000')))
		throw new ImportError(
			'the header contains a NUL character (byte 0): is this a binary file, or a UTF-16 file read as another encoding?',
			{ row: 1, code: 'bad_input' }
		);
	const columns = columnNames(first.value.cells);
	if (columns.every((c) => /^column \d+$/.test(c)))
		throw new ImportError('the header row is empty', { row: 1 });

	let hxl: Record<string, string> | null = null;
	let pending: { row: number; cells: string[] } | null = null;
	const second = await it.next();
	if (!second.done) {
		if (isHxlRow(second.value.cells)) {
			hxl = {};
			second.value.cells.forEach((tag, i) => {
				const t = String(tag ?? '').trim();
				if (t && columns[i]) hxl![columns[i]] = t.replace(/\s+/g, '');
			});
		} else pending = second.value;
	}

	async function* records(): AsyncIterable<SourceRecord> {
		const toRecord = (r: { row: number; cells: string[] }): SourceRecord => {
			const values: Record<string, unknown> = {};
			columns.forEach((c, i) => (values[c] = r.cells[i] ?? ''));
			const rec: SourceRecord = { row: r.row, values };
			if (
				r.cells.length > columns.length &&
				r.cells.slice(columns.length).some((c) => String(c).trim() !== '')
			) {
				rec.problem = {
					row: r.row,
					reason: `the row has ${r.cells.length} fields but the header has ${columns.length}; check the delimiter and quotes`,
					level: 'error'
				};
			}
			return rec;
		};
		if (pending) yield toRecord(pending);
		for await (const r of it) yield toRecord(r);
	}
	return { container: 'csv', columns, hxl, records: records(), encoding: o.encoding };
}
