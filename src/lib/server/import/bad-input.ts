/**
 * Input no parser should be trusted with, refused fast and clearly: NUL bytes (a binary file, or
 * a cell PostgreSQL cannot store), JSON nested deeper than any GeoJSON needs (the parsers would
 * recurse until the stack runs out), and "lines" far longer than any header.
 */
import { ImportError, type Problem, type SourceRecord } from './types.ts';

/** A NUL character in a record: a problem naming its row and column. */
export function scanNul(rec: SourceRecord): Problem | null {
	for (const [column, v] of Object.entries(rec.values)) {
		if (typeof v === 'string' && v.includes('\u0000'))
			return {
				row: rec.row,
				column: column.slice(0, 80),
				reason:
					'the cell contains a NUL character (byte 0), which text never does: is this a binary file, or was the file saved in another encoding (UTF-16)?',
				level: 'error'
			};
	}
	return null;
}

/** Deepest nesting of objects and arrays a GeoJSON document may have (a MultiPolygon is 5). */
export const MAX_JSON_DEPTH = 64;

/** Refuses a JSON text nested deeper than MAX_JSON_DEPTH, in one pass and without recursion. */
export function checkJsonDepth(text: string): void {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92)
				i++; // backslash: skip the escaped character
			else if (c === 34) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 123 || c === 91) {
			if (++depth > MAX_JSON_DEPTH)
				throw new ImportError(
					`the JSON is nested more than ${MAX_JSON_DEPTH} levels deep (at character ${i}); GeoJSON never is: refused`,
					{ code: 'bad_input' }
				);
		} else if (c === 125 || c === 93) depth--;
	}
}
