/**
 * Which column of a file feeds which field: the presets for ACLED, UCDP GED and Terrain's own
 * export, HXL hashtags (any HXL-tagged file), and, for everything else, a guess from the column
 * names (English and Arabic) that the user confirms or corrects in the mapping step
 * (`--map FIELD=COLUMN` in the CLI).
 */
import { LOCATION_FIELDS, REQUIRED, fieldNames, type Mapping, type Transform } from './fields.ts';
import { ImportError, type ImportFormat, type ImportTarget } from './types.ts';
import { guessMapping, norm } from './guess-mapping.ts';
import { hxlMapping } from './hxl-mapping.ts';

export { guessMapping, hxlMapping };

/** A file's columns for a message: a short preview, never the file's content echoed back. */
export function columnList(columns: string[]): string {
	const shown = columns.slice(0, 25).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c));
	return shown.join(', ') + (columns.length > 25 ? `, … (${columns.length} columns)` : '');
}

function find(columns: string[], name: string): string | undefined {
	const n = norm(name);
	return columns.find((c) => norm(c) === n);
}

// ------------------------------------------------------------------------------------------------
// Presets

type Preset = Record<string, string | [string, Transform]>;

/** ACLED's export columns (https://acleddata.com codebook). */
const ACLED: Preset = {
	upstream_id: 'event_id_cnty',
	event_date: 'event_date',
	time_precision: ['time_precision', 'acled_time_precision'],
	event_type: 'event_type',
	sub_event_type: 'sub_event_type',
	actor1: 'actor1',
	actor2: 'actor2',
	lat: 'latitude',
	lon: 'longitude',
	geo_precision: 'geo_precision',
	admin1: 'admin1',
	admin2: 'admin2',
	admin3: 'admin3',
	location_name: 'location',
	fatalities: 'fatalities',
	notes: 'notes',
	source: 'source',
	source_scale: 'source_scale'
};
const ACLED_REQUIRED = ['event_id_cnty', 'event_date', 'event_type', 'latitude', 'longitude'];

/** UCDP GED as HDX publishes it; mapped as the demo loader maps it (supabase/seed/README.md). */
const UCDP: Preset = {
	upstream_id: 'id',
	event_date: 'date_start',
	time_precision: ['date_prec', 'ucdp_date_prec'],
	event_type: ['type_of_violence', 'ucdp_violence'],
	actor1: 'side_a',
	actor2: 'side_b',
	lat: 'latitude',
	lon: 'longitude',
	geo_precision: ['where_prec', 'ucdp_where_prec'],
	location_name: 'where_coordinates',
	admin1: 'adm_1',
	fatalities: 'best',
	notes: 'source_headline',
	source: 'source_original'
};
const UCDP_REQUIRED = [
	'id',
	'type_of_violence',
	'date_start',
	'date_prec',
	'latitude',
	'longitude',
	'best'
];

/** Columns of Terrain's own CSV/XLSX export (src/lib/server/export): field names as they are. */
const TERRAIN_MARKERS = [
	'upstream_source',
	'upstream_id',
	'event_type',
	'event_date',
	'lat',
	'lon',
	'confidentiality'
];

function fromPreset(columns: string[], preset: Preset): Mapping {
	const m: Mapping = {};
	for (const [field, spec] of Object.entries(preset)) {
		const [col, transform] = Array.isArray(spec) ? spec : [spec, undefined];
		const c = find(columns, col);
		if (c) m[field] = transform ? { column: c, transform } : { column: c };
	}
	return m;
}

function requireColumns(columns: string[], needed: string[], what: string): void {
	const missing = needed.filter((c) => !find(columns, c));
	if (missing.length) {
		const hint =
			columns.length === 1
				? ` The header was read as one column ("${columns[0].slice(0, 60)}"): is the delimiter right?`
				: '';
		throw new ImportError(
			`missing required ${what} column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.${hint}`,
			{
				row: 1,
				column: missing[0]
			}
		);
	}
}

// ------------------------------------------------------------------------------------------------

export type Preset_ = 'acled' | 'ucdp' | 'terrain' | 'hxl' | 'columns';

/** Which way of mapping fits this file (for a format given as csv/xlsx/geojson/kml/kmz). */
export function detectPreset(
	target: ImportTarget,
	columns: string[],
	hxl: Record<string, string> | null
): Preset_ {
	if (target === 'incidents') {
		if (UCDP_REQUIRED.every((c) => find(columns, c)) && find(columns, 'where_prec')) return 'ucdp';
		if (find(columns, 'event_id_cnty') && find(columns, 'event_type')) return 'acled';
	}
	if (
		TERRAIN_MARKERS.slice(0, 2).every((c) => find(columns, c)) &&
		(target !== 'incidents' || TERRAIN_MARKERS.every((c) => find(columns, c)))
	)
		return 'terrain';
	if (hxl && Object.keys(hxl).length) return 'hxl';
	return 'columns';
}

export interface ResolvedMapping {
	preset: Preset_;
	mapping: Mapping;
	/** Our default upstream source name for this kind of file. */
	source?: string;
	/**
	 * The fields whose column the user's choices actually changed. The import page sends back the
	 * whole mapping it was shown; a field mapped to the column the preset already uses is no
	 * change, keeps the preset's value translation (ACLED's and UCDP's codes), and so a dry run
	 * that passed commits identically.
	 */
	changed: string[];
}

/**
 * The mapping for a file: the preset of the format asked for (or detected), then the user's
 * explicit FIELD=COLUMN choices on top. Throws an ImportError when a required column is missing.
 */
export function resolveMapping(
	target: ImportTarget,
	format: ImportFormat | undefined,
	columns: string[],
	hxl: Record<string, string> | null,
	user: Record<string, string | null> = {},
	hasGeometry = false
): ResolvedMapping {
	const preset: Preset_ =
		format === 'acled'
			? 'acled'
			: format === 'ucdp'
				? 'ucdp'
				: format === 'hxl'
					? 'hxl'
					: format === 'terrain'
						? 'terrain'
						: detectPreset(target, columns, hxl);
	let mapping: Mapping;
	let source: string | undefined;
	if (preset === 'acled') {
		if (target !== 'incidents')
			throw new ImportError('ACLED files hold incidents: import them --into incidents');
		requireColumns(columns, ACLED_REQUIRED, 'ACLED');
		mapping = fromPreset(columns, ACLED);
		source = 'acled';
	} else if (preset === 'ucdp') {
		if (target !== 'incidents')
			throw new ImportError('UCDP GED files hold incidents: import them --into incidents');
		requireColumns(columns, UCDP_REQUIRED, 'UCDP GED');
		mapping = fromPreset(columns, UCDP);
		source = 'ucdp-ged';
	} else if (preset === 'hxl') {
		if (!hxl)
			throw new ImportError(
				'the file has no HXL hashtag row (a second row of #tags under the header)',
				{ row: 2 }
			);
		mapping = { ...guessMapping(target, columns), ...hxlMapping(target, hxl) };
	} else if (preset === 'terrain') {
		mapping = {};
		for (const f of fieldNames(target)) {
			const c = find(columns, f);
			if (c) mapping[f] = { column: c };
		}
	} else {
		mapping = guessMapping(target, columns);
	}

	const known = new Set(fieldNames(target));
	const before = { ...mapping };
	for (const [field, column] of Object.entries(user)) {
		if (!known.has(field)) {
			throw new ImportError(
				`the mapping names a field "${field.slice(0, 40)}" that ${target} does not have; fields: ${fieldNames(target).join(', ')}`
			);
		}
		if (column === null || column === '') {
			delete mapping[field];
			continue;
		}
		const c = find(columns, column);
		if (!c)
			throw new ImportError(
				`the mapping takes ${field} from a column "${column.slice(0, 40)}" that the file does not have; columns: ${columnList(columns)}`,
				{ row: 1 }
			);
		// The same column as the preset's keeps the preset's translation of its values.
		mapping[field] = before[field]?.column === c ? before[field] : { column: c };
	}
	const changed = [...new Set([...Object.keys(before), ...Object.keys(mapping)])].filter(
		(f) => before[f]?.column !== mapping[f]?.column
	);

	const missing = REQUIRED[target].filter((f) => !mapping[f]);
	if (missing.length) {
		const hint =
			columns.length === 1 && /[:^~#!]/.test(columns[0])
				? ' The header was read as one column: is the delimiter right? (comma, semicolon, tab and pipe are recognised)'
				: '';
		throw new ImportError(
			`no column for ${missing.join(', ')}: choose the column that holds ${missing.length > 1 ? 'them' : 'it'} in the column mapping (columns: ${columnList(columns)}).${hint}`,
			{ row: 1 }
		);
	}
	if ((mapping.hq_lat && !mapping.hq_lon) || (mapping.hq_lon && !mapping.hq_lat)) {
		throw new ImportError(
			`the headquarters' latitude and longitude come together: map both (found only ${mapping.hq_lat ? 'hq_lat' : 'hq_lon'})`,
			{ row: 1 }
		);
	}
	if (target !== 'actors' && !hasGeometry && !LOCATION_FIELDS.some((f) => mapping[f])) {
		throw new ImportError(
			`no location column: choose the columns of latitude and longitude, of coordinates, of a P-code or of admin area names in the column mapping (columns: ${columnList(columns)})`,
			{ row: 1 }
		);
	}
	if ((mapping.lat && !mapping.lon) || (mapping.lon && !mapping.lat)) {
		throw new ImportError(
			`latitude and longitude come together: map both (found only ${mapping.lat ? 'lat' : 'lon'})`,
			{ row: 1 }
		);
	}
	return { preset, mapping, source, changed };
}

/** The mapping as plain FIELD → COLUMN, for saving and for the UI. */
export function mappingColumns(m: Mapping): Record<string, string> {
	return Object.fromEntries(Object.entries(m).map(([f, r]) => [f, r.column]));
}
