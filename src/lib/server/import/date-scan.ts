/**
 * The day/month order of a file's numeric dates, read from the file before the import proper.
 */
import { dateOrderEvidence, type DateOrder } from './values.ts';
import type { RecordSource } from './types.ts';

export interface AmbiguousDate {
	row: number;
	column: string;
	value: string;
	dmy: string;
	mdy: string;
}

/**
 * What a file's numeric dates say about their day/month order: the first date whose day is over
 * 12 settles it; dates that could be either, with nothing to settle them, make the import ask.
 */
export async function scanDateOrder(
	src: RecordSource,
	columns: string[]
): Promise<{ order: DateOrder | null; ambiguous?: AmbiguousDate }> {
	let ambiguous: AmbiguousDate | undefined;
	for await (const rec of src.records) {
		for (const c of columns) {
			const v = rec.values[c];
			const e = dateOrderEvidence(v);
			if (e === 'dmy' || e === 'mdy') return { order: e, ambiguous };
			if (e === 'either' && !ambiguous) {
				const [a, b, y] = String(v)
					.trim()
					.split(/[/.\-\s]/);
				const month = (m: string) =>
					new Date(Date.UTC(2000, +m - 1, 1)).toLocaleString('en', {
						month: 'long',
						timeZone: 'UTC'
					});
				ambiguous = {
					row: rec.row,
					column: c,
					value: String(v).trim().slice(0, 20),
					dmy: `${+a} ${month(b)} ${y}`,
					mdy: `${month(a)} ${+b}, ${y}`
				};
			}
		}
	}
	return { order: null, ambiguous };
}
