/**
 * The parameters and answer shapes that several analysis operations share (the area path, the
 * as-of day, the baseline row, the recorded level), written once for openapi.ts and
 * openapi-areas.ts.
 */
import type { Parameter, Schema } from '../api/openapi-types.ts';
import { EVENT_TYPES } from '../../domain/taxonomy.ts';
import { ref } from '../api/openapi-kit.ts';

/** The shared incident filters (from, to, type, area) and the optional viewport. */
export const filters = [
	ref('parameters', 'from'),
	ref('parameters', 'to'),
	ref('parameters', 'type'),
	ref('parameters', 'areas'),
	ref('parameters', 'bboxOptional')
];

export const pcodePath: Parameter = {
	name: 'pcode',
	in: 'path',
	required: true,
	description: 'COD-AB P-code of a governorate, district or sub-district',
	schema: { type: 'string', examples: ['IQG15', 'IQG15Q01'] }
};
export const asOf: Parameter = {
	name: 'as_of',
	in: 'query',
	description:
		'The last day of the windows (YYYY-MM-DD); default today. The demo data ends in December 2018.',
	schema: { type: 'string', format: 'date' }
};
export const types: Parameter = {
	name: 'type',
	in: 'query',
	description: 'Event types, comma-separated',
	schema: { type: 'string', examples: [EVENT_TYPES.slice(0, 2).join(',')] }
};
export const level = (description: string, values: number[]): Parameter => ({
	name: 'level',
	in: 'query',
	description,
	schema: { type: 'integer', enum: values }
});
export const limit = (max: number, fallback: number): Parameter => ({
	name: 'limit',
	in: 'query',
	schema: { type: 'integer', minimum: 1, maximum: max, default: fallback }
});

export const covered: Record<string, Schema> = {
	first_date: { type: ['string', 'null'], format: 'date', description: 'First event date counted' },
	last_date: { type: ['string', 'null'], format: 'date', description: 'Last event date counted' }
};
export const trend: Schema = { type: 'string', enum: ['rising', 'stable', 'falling'] };
export const baselineRow: Schema = {
	type: 'object',
	description:
		'Counts in the last week (as_of−6 … as_of) and 4 weeks (as_of−27 … as_of) against the 52 weeks before the 4-week window. ' +
		'Rising when observed ≥ 1.25 × expected, falling when ≤ 0.75 × expected (expected = baseline × weeks / 52); ' +
		'"stable" with low_count = true when both observed and expected are under 5 incidents.',
	properties: {
		pcode: { type: ['string', 'null'], description: 'null for the whole country' },
		level: { type: 'integer', description: '0 country, 1 governorate, 2 district, 3 sub-district' },
		name_en: { type: ['string', 'null'] },
		name_ar: { type: ['string', 'null'] },
		baseline_n: { type: 'integer' },
		weekly_average: { type: 'number' },
		week_n: { type: 'integer' },
		week_expected: { type: 'number' },
		week_change_pct: { type: ['number', 'null'] },
		week_trend: trend,
		week_low_count: { type: 'boolean' },
		four_weeks_n: { type: 'integer' },
		four_weeks_expected: { type: 'number' },
		four_weeks_change_pct: { type: ['number', 'null'] },
		four_weeks_trend: trend,
		four_weeks_low_count: { type: 'boolean' }
	}
};
export const levelRecord: Schema = {
	type: 'object',
	properties: {
		id: { type: 'string', format: 'uuid' },
		pcode: { type: 'string' },
		level: { type: 'integer', minimum: 1, maximum: 5 },
		level_name: { type: 'string' },
		colour: { type: 'string' },
		note: { type: 'string' },
		effective_date: { type: 'string', format: 'date' },
		recorded_by: { type: 'string', format: 'uuid' },
		recorded_by_name: { type: ['string', 'null'] },
		recorded_at: { type: 'string', format: 'date-time' }
	}
};
