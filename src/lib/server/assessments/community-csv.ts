/**
 * Community profiles from a CSV keyed by P-code (papaparse). Every bad cell is named by its row
 * (the file's line, header = 1) and column, and nothing is imported while any remains.
 * Columns: pcode (required), population, population_source, population_date (YYYY-MM-DD), idps,
 * returnees, composition, marginalised_groups, acceptance_issues, languages (";"-separated).
 * An empty cell leaves the field as it is; unknown columns are refused (a typo would be lost).
 */
import Papa from 'papaparse';
import { isIsoDate, isPcode } from '../../domain/codes.ts';

export interface CommunityRow {
	row: number;
	pcode: string;
	fields: Record<string, string | number | string[]>;
}
export interface CellError {
	row: number;
	column: string;
	message: string;
}

const NUMBERS = ['population', 'idps', 'returnees'] as const;
const TEXTS = [
	'population_source',
	'composition',
	'marginalised_groups',
	'acceptance_issues'
] as const;
export const COMMUNITY_COLUMNS = [
	'pcode',
	...NUMBERS,
	'population_date',
	...TEXTS,
	'languages'
] as const;
const MAX_ROWS = 5000;

export function parseCommunityCsv(text: string): { rows: CommunityRow[]; errors: CellError[] } {
	const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
		header: true,
		skipEmptyLines: 'greedy',
		transformHeader: (h) => h.trim().toLowerCase()
	});
	const errors: CellError[] = [];
	const columns = parsed.meta.fields ?? [];
	for (const c of columns) {
		if (!(COMMUNITY_COLUMNS as readonly string[]).includes(c))
			errors.push({
				row: 1,
				column: c,
				message: `unknown column; use ${COMMUNITY_COLUMNS.join(', ')}`
			});
	}
	if (!columns.includes('pcode'))
		errors.push({ row: 1, column: 'pcode', message: 'the column is missing' });
	for (const e of parsed.errors) {
		errors.push({ row: (e.row ?? 0) + 2, column: '', message: e.message });
	}
	if (parsed.data.length > MAX_ROWS)
		errors.push({ row: MAX_ROWS + 2, column: '', message: `at most ${MAX_ROWS} rows` });
	if (errors.length) return { rows: [], errors };

	const rows: CommunityRow[] = [];
	const seen = new Map<string, number>();
	parsed.data.forEach((r, i) => {
		const row = i + 2;
		const pcode = (r.pcode ?? '').trim();
		if (!isPcode(pcode)) {
			errors.push({ row, column: 'pcode', message: `"${pcode}" is not a P-code` });
			return;
		}
		if (seen.has(pcode))
			errors.push({
				row,
				column: 'pcode',
				message: `${pcode} is already on row ${seen.get(pcode)}`
			});
		seen.set(pcode, row);
		const fields: CommunityRow['fields'] = {};
		for (const k of NUMBERS) {
			const raw = (r[k] ?? '').trim().replace(/[\s,]/g, '');
			if (!raw) continue;
			if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2_000_000_000)
				errors.push({ row, column: k, message: `"${r[k]}" is not a whole number` });
			else fields[k] = Number(raw);
		}
		const date = (r.population_date ?? '').trim();
		if (date) {
			if (!isIsoDate(date))
				errors.push({
					row,
					column: 'population_date',
					message: `"${date}" is not a date (YYYY-MM-DD)`
				});
			else fields.population_date = date;
		}
		for (const k of TEXTS) {
			const v = (r[k] ?? '').trim();
			if (v.length > 4000) errors.push({ row, column: k, message: 'at most 4000 characters' });
			else if (v) fields[k] = v;
		}
		const langs = (r.languages ?? '')
			.split(';')
			.map((s) => s.trim())
			.filter(Boolean);
		if (langs.length) fields.languages = langs;
		rows.push({ row, pcode, fields });
	});
	return { rows: errors.length ? [] : rows, errors };
}
