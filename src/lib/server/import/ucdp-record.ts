/**
 * UCDP GED records in an import, mapped exactly as the demo loader maps them
 * (src/lib/server/seed/ucdp.ts: event types from type_of_violence and the weapon named, admin
 * depth from where_prec), so that re-importing the HDX file over the demo data changes nothing.
 */
import { mapUcdpRecord, UCDP_COLUMNS, type UcdpRecord } from '../seed/ucdp.ts';
import { ImportError, type Problem, type SourceRecord } from './types.ts';

/** The file must have every column the demo loader reads. */
export function requireUcdpColumns(columns: string[]): void {
	const missing = UCDP_COLUMNS.filter((c) => !columns.includes(c));
	if (missing.length)
		throw new ImportError(
			`missing required UCDP GED column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
			{ row: 1, column: missing[0] }
		);
}

/** One record as the demo loader maps it, or its problem named by column where it can be. */
export function ucdpRecord(rec: Pick<SourceRecord, 'row' | 'values'>): {
	data: Record<string, unknown> | null;
	problems: Problem[];
} {
	try {
		const { is_sample: _s, ...row } = mapUcdpRecord(
			Object.fromEntries(
				Object.entries(rec.values).map(([k, v]) => [
					k,
					v === null || v === undefined ? '' : String(v)
				])
			) as UcdpRecord
		);
		return { data: { _row: rec.row, ...row } as Record<string, unknown>, problems: [] };
	} catch (e) {
		const message = (e as Error).message;
		const column = UCDP_COLUMNS.find(
			(c) => message.includes(`UCDP ${c} `) || message.includes(` ${c} `)
		);
		return { data: null, problems: [{ row: rec.row, column, reason: message, level: 'error' }] };
	}
}
