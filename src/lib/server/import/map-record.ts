/**
 * How one source record becomes one staged row (or problems naming its row and column): each
 * field's cells read by its kind (./values.ts), the formats' own codes transformed, and the words
 * people use for our codes recognised. The fields themselves are defined in ./fields.ts.
 */
import type { EventType } from '../../domain/taxonomy.ts';
import * as V from './values.ts';
import type { ImportTarget, Problem, SourceRecord } from './types.ts';
import { SHELTER_TYPES } from '../../domain/registries.ts';
import { FIELDS, REQUIRED, type FieldDef, type Mapping, type Transform } from './fields.ts';
import { PCODE } from '../../domain/codes.ts';

// Synonyms people use in these registries for our codes.
const ENUM_SYNONYMS: Record<string, Record<string, string>> = {
	facility_type: {
		primaryhealthcarecentre: 'phcc',
		primaryhealthcarecenter: 'phcc',
		phc: 'phcc',
		healthcentre: 'clinic',
		healthcenter: 'clinic',
		doctors: 'clinic',
		mobileclinic: 'mobile_clinic_stop'
	},
	camp_type: { internallydisplacedpersons: 'idp', idps: 'idp', refugees: 'refugee' },
	status: { underconstruction: 'under_construction', active: 'open', operational: 'open' },
	time_precision: { exacttime: 'exact' },
	site_type: { hibernation: 'hibernation_site', assembly: 'assembly_point' },
	// Keys are our codes' spellings with spaces, dashes and underscores removed, lower case.
	actor_type: {
		state: 'state_forces',
		stateforce: 'state_forces',
		stateforces: 'state_forces',
		securityforces: 'state_forces',
		army: 'state_forces',
		military: 'state_forces',
		police: 'state_forces',
		government: 'authority',
		armedgroup: 'armed_group',
		armedgroups: 'armed_group',
		nsag: 'armed_group',
		nonstatearmedgroup: 'armed_group',
		insurgents: 'armed_group',
		rebels: 'armed_group',
		militias: 'militia',
		pmf: 'militia',
		party: 'political_party',
		politicalparty: 'political_party',
		authorities: 'authority',
		localauthority: 'authority',
		governmentauthority: 'authority',
		healthauthority: 'health_authority',
		ministryofhealth: 'health_authority',
		moh: 'health_authority',
		doh: 'health_authority',
		un: 'un_agency',
		unagency: 'un_agency',
		unitednations: 'un_agency',
		ingo: 'ingo',
		internationalngo: 'ingo',
		internationalngos: 'ingo',
		ngo: 'national_ngo',
		nngo: 'national_ngo',
		localngo: 'national_ngo',
		nationalngo: 'national_ngo',
		cso: 'national_ngo',
		communityleader: 'community_leader',
		triballeader: 'community_leader',
		tribal: 'community_leader',
		sheikh: 'community_leader',
		mukhtar: 'community_leader',
		religiousleader: 'religious_leader',
		religious: 'religious_leader',
		cleric: 'religious_leader',
		diaspora: 'diaspora_association',
		diasporaassociation: 'diaspora_association',
		professionals: 'professional',
		civilian: 'civilians',
		other: 'unknown'
	}
};

function transformed(t: Transform, raw: unknown): unknown {
	const s = V.text(raw);
	if (s === null) return null;
	switch (t) {
		case 'acled_time_precision': {
			const m: Record<string, string> = { '1': 'day', '2': 'week', '3': 'month' };
			if (!m[s]) throw new V.ValueError(`ACLED time_precision must be 1, 2 or 3 (got "${s}")`);
			return m[s];
		}
		case 'ucdp_date_prec': {
			const m: Record<string, string> = {
				'1': 'day',
				'2': 'week',
				'3': 'week',
				'4': 'month',
				'5': 'year'
			};
			if (!m[s]) throw new V.ValueError(`UCDP date_prec must be 1–5 (got "${s}")`);
			return m[s];
		}
		case 'ucdp_where_prec': {
			const p = Number(s);
			if (!Number.isInteger(p) || p < 1 || p > 7)
				throw new V.ValueError(`UCDP where_prec must be 1–7 (got "${s}")`);
			return p === 1 ? 1 : p <= 3 ? 2 : 3;
		}
		case 'ucdp_violence': {
			// 1 state-based and 2 non-state conflict are fighting between organised groups; 3 is
			// one-sided violence against civilians (the demo loader maps UCDP the same way).
			const m: Record<string, EventType> = {
				'1': 'battles',
				'2': 'battles',
				'3': 'violence_against_civilians'
			};
			if (!m[s]) throw new V.ValueError(`UCDP type_of_violence must be 1, 2 or 3 (got "${s}")`);
			return m[s];
		}
	}
}

function readValue(
	f: FieldDef,
	raw: unknown,
	ctx: { eventType?: EventType; dateOrder: V.DateOrder }
): unknown {
	switch (f.kind) {
		case 'id': {
			const s = V.text(raw);
			if (s && s.length > 200) throw new V.ValueError('an id has at most 200 characters');
			return s;
		}
		case 'text': {
			const s = V.text(raw);
			if (s && f.max && s.length > f.max) throw new V.ValueError(`at most ${f.max} characters`);
			return s;
		}
		case 'date':
			return V.date(raw, ctx.dateOrder);
		case 'time':
			return V.time(raw);
		case 'count':
			return V.count(raw);
		case 'int': {
			const n = V.number(raw);
			if (n !== null && !Number.isInteger(n)) throw new V.ValueError(`${n} is not a whole number`);
			if (n !== null && f.name === 'geo_precision' && (n < 1 || n > 3))
				throw new V.ValueError('geo precision is 1, 2 or 3');
			if (n !== null && f.name === 'info_credibility' && (n < 1 || n > 6))
				throw new V.ValueError('information credibility is 1–6');
			if (n !== null && (f.name === 'influence' || f.name === 'interest') && (n < 1 || n > 5))
				throw new V.ValueError(`${f.name} is 1–5 (got ${n})`);
			return n;
		}
		case 'bool':
			return V.bool(raw);
		case 'event_type':
			return V.eventType(raw);
		case 'sub_event_type':
			return V.subEventType(raw, ctx.eventType);
		case 'enum': {
			if (f.name === 'source_reliability')
				return V.oneOf(typeof raw === 'string' ? raw.toUpperCase() : raw, f.values!);
			return V.oneOf(raw, f.values!, (ENUM_SYNONYMS[f.name] ?? {}) as Record<string, string>);
		}
		case 'lat':
			return V.degrees(raw, 'lat');
		case 'lon':
			return V.degrees(raw, 'lon');
		case 'coordinates':
			return V.coordinates(raw);
		case 'pcode': {
			const s = V.text(raw);
			if (s && !PCODE.test(s.toUpperCase())) throw new V.ValueError(`"${s}" is not a P-code`);
			return s ? s.toUpperCase() : null;
		}
		case 'list':
			return V.list(raw);
		case 'timestamp':
			return V.timestamp(raw);
	}
}

export interface RowOptions {
	dateOrder: V.DateOrder;
	/** The user's mapping of the event type column's own words to our codes. */
	eventTypes?: {
		lookup(raw: unknown): { event_type: EventType; sub_event_type?: string } | undefined;
	};
	/** The target's fields that the file's format fills regardless of the mapping. */
	fixed?: Record<string, unknown>;
}

/**
 * One source record → one staged row for import_stage (with `_row`), or the problems that keep it
 * out. Problems name the file's column, not our field, so the user can find the cell.
 */
export function mapRecord(
	target: ImportTarget,
	rec: SourceRecord,
	mapping: Mapping,
	o: RowOptions
): { data: Record<string, unknown> | null; problems: Problem[] } {
	const problems: Problem[] = [];
	if (rec.problem) problems.push(rec.problem);
	const data: Record<string, unknown> = { _row: rec.row, ...(o.fixed ?? {}) };
	const defs = FIELDS[target];
	const ctx: { eventType?: EventType; dateOrder: V.DateOrder } = { dateOrder: o.dateOrder };

	// event_type first: the sub-event type is checked against it.
	const order = [...defs].sort((a, b) =>
		a.kind === 'event_type' ? -1 : b.kind === 'event_type' ? 1 : 0
	);
	for (const f of order) {
		const ref = mapping[f.name];
		if (!ref) continue;
		const raw = rec.values[ref.column];
		try {
			let v =
				(f.kind === 'event_type' && !ref.transform && o.eventTypes?.lookup(raw)) ||
				(ref.transform ? transformed(ref.transform, raw) : readValue(f, raw, ctx));
			if (f.kind === 'event_type' && v && typeof v === 'object') {
				const t = v as { event_type: EventType; sub_event_type?: string };
				ctx.eventType = t.event_type;
				if (t.sub_event_type && !mapping.sub_event_type) data.sub_event_type = t.sub_event_type;
				v = t.event_type;
			} else if (f.kind === 'event_type' && typeof v === 'string') {
				ctx.eventType = v as EventType;
			}
			if (v !== null && v !== undefined) data[f.name] = v;
		} catch (e) {
			if (!(e instanceof V.ValueError)) throw e;
			problems.push({
				row: rec.row,
				column: ref.column,
				reason: `${f.name}: ${e.message}`,
				level: 'error'
			});
		}
	}

	// The location: the format's own geometry, else lat/lon columns, else a coordinates column;
	// without any of them a P-code or admin names (placed at the area in SQL).
	// A location that failed to parse has its problem already; say nothing more about it.
	const locationFailed = problems.some(
		(p) => /^(lat|lon|coordinates):/.test(p.reason) || p.column === 'geometry'
	);
	if (target === 'actors') {
		// An actor's headquarters is optional, but comes as a pair, on Earth.
		for (const [f, lim] of [
			['hq_lat', 90],
			['hq_lon', 180]
		] as const) {
			const v = data[f] as number | undefined;
			if (v !== undefined && Math.abs(v) > lim) {
				problems.push({
					row: rec.row,
					column: mapping[f]?.column,
					reason: `${f}: ${v} is outside ±${lim}`,
					level: 'error'
				});
				delete data[f];
			}
		}
		if (
			(data.hq_lat === undefined) !== (data.hq_lon === undefined) &&
			!problems.some((p) => /^hq_(lat|lon):/.test(p.reason))
		) {
			const missing = data.hq_lat === undefined ? 'hq_lat' : 'hq_lon';
			problems.push({
				row: rec.row,
				column: mapping[missing]?.column ?? mapping.hq_lat?.column ?? mapping.hq_lon?.column,
				reason: `${missing}: give both latitude and longitude of the headquarters, or neither`,
				level: 'error'
			});
		}
	} else if (locationFailed) {
		delete data.lon;
		delete data.lat;
		delete data.coordinates;
	} else
		try {
			let p: { lon: number; lat: number } | null = null;
			if (mapping.lat || mapping.lon) {
				p = V.point(
					(data.lon as number | undefined) ?? null,
					(data.lat as number | undefined) ?? null
				);
			}
			if (!p && data.coordinates) p = data.coordinates as { lon: number; lat: number };
			if (!p && rec.point) p = V.point(rec.point.lon, rec.point.lat);
			delete data.coordinates;
			if (p) {
				data.lon = Math.round(p.lon * 1e7) / 1e7;
				data.lat = Math.round(p.lat * 1e7) / 1e7;
			} else {
				delete data.lon;
				delete data.lat;
				delete data.geo_precision;
				if (
					!data.admin_pcode &&
					!data.admin1 &&
					!data.admin2 &&
					!data.admin3 &&
					!problems.some((x) => /^(lat|lon|coordinates):/.test(x.reason))
				) {
					problems.push({
						row: rec.row,
						column: mapping.lat?.column ?? mapping.coordinates?.column,
						reason: 'no location: the row has no coordinates, P-code or admin area name',
						level: 'error'
					});
				}
			}
		} catch (e) {
			if (!(e instanceof V.ValueError)) throw e;
			problems.push({
				row: rec.row,
				column: mapping.lat?.column ?? mapping.coordinates?.column,
				reason: e.message,
				level: 'error'
			});
		}

	for (const name of REQUIRED[target]) {
		if (data[name] === undefined && !problems.some((p) => p.reason.startsWith(`${name}:`))) {
			problems.push({
				row: rec.row,
				column: mapping[name]?.column,
				reason: `${name}: is empty`,
				level: 'error'
			});
		}
	}
	if (target === 'displacement_locations') {
		// People by shelter type: one object, as the table keeps it ({"rented": 300, …}).
		const shelter: Record<string, number> = {};
		for (const t of SHELTER_TYPES)
			if (typeof data[`shelter_${t}`] === 'number') shelter[t] = data[`shelter_${t}`] as number;
		for (const t of SHELTER_TYPES) delete data[`shelter_${t}`];
		if (Object.keys(shelter).length) data.shelter = shelter;
	}
	if (target === 'incidents' && data.event_time && !data.time_precision)
		data.time_precision = 'exact';
	return { data: problems.some((p) => p.level === 'error') ? null : data, problems };
}
