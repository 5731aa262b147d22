import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

describe('the gazetteer seed', () => {
	it('is the CSV (with a source for every name), row for row, in the migration', () => {
		const csv = Papa.parse<Record<string, string>>(
			readFileSync(join(ROOT, 'supabase/seed/gazetteer.csv'), 'utf8'),
			{ header: true, skipEmptyLines: true }
		).data;
		const sql = readFileSync(
			join(ROOT, 'supabase/migrations/20261203110200_gazetteer_seed.sql'),
			'utf8'
		);
		const rows = [
			...sql.matchAll(/^ {2}\('([^']*)', '((?:[^']|'')*)', '(\w+)', '((?:[^']|'')*)'\)/gm)
		].map((m) => ({
			pcode: m[1],
			name: m[2].replace(/''/g, "'"),
			kind: m[3],
			source: m[4].replace(/''/g, "'")
		}));
		expect(csv.length).toBeGreaterThan(40);
		for (const r of csv) expect(r.source?.trim()).toBeTruthy();
		expect(rows).toEqual(csv);
	});
});
