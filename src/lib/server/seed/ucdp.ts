/**
 * UCDP Georeferenced Event Dataset (GED), as exported by HDX, → Terrain incidents.
 * Pure functions; the mapping is documented (with its weaknesses) in supabase/seed/README.md.
 */
import Papa from 'papaparse';
import type { ActorRow, AdminDepth, EventType, IncidentRow, TimePrecision } from './rows.ts';
import { ISO_DATE } from '../../domain/codes.ts';

export type UcdpRecord = Record<string, string>;

export const UCDP_SOURCE = 'ucdp-ged';

/** The columns the mapping reads; a file without them is refused rather than half-loaded. */
export const UCDP_COLUMNS = [
	'id',
	'type_of_violence',
	'side_a',
	'side_b',
	'source_article',
	'source_headline',
	'source_original',
	'where_prec',
	'where_coordinates',
	'adm_1',
	'adm_2',
	'latitude',
	'longitude',
	'date_prec',
	'date_start',
	'dyad_name',
	'deaths_a',
	'deaths_b',
	'deaths_civilians',
	'deaths_unknown',
	'low',
	'best',
	'high'
] as const;

/**
 * HDX adds a row of HXL hashtags (#date+year, #geo+lat, …) under the header. It is recognised by
 * its content — every non-empty cell starts with '#' — not by its position.
 */
export function isHxlRow(r: UcdpRecord): boolean {
	const cells = Object.values(r).filter((v) => typeof v === 'string' && v.trim() !== '');
	return cells.length > 0 && cells.every((v) => v.trim().startsWith('#'));
}

/** Parses the CSV (header row, optional HXL row) into records, one per event. */
export function parseUcdpCsv(text: string): UcdpRecord[] {
	const parsed = Papa.parse<UcdpRecord>(text, { header: true, skipEmptyLines: true });
	const bad = parsed.errors.find((e) => e.type !== 'FieldMismatch' || e.code !== 'TooFewFields');
	if (bad) throw new Error(`UCDP CSV: ${bad.message} (row ${bad.row})`);
	const fields = parsed.meta.fields ?? [];
	const missing = UCDP_COLUMNS.filter((c) => !fields.includes(c));
	if (missing.length) throw new Error(`UCDP CSV: missing column(s) ${missing.join(', ')}`);
	return parsed.data.filter((r) => !isHxlRow(r));
}

/**
 * Words that clearly name an explosive weapon, grouped into ACLED's sub-event types for
 * explosions/remote violence. Checked in this order: the first family that matches names the
 * sub-event (a suicide car bomb is a suicide bomb before it is an IED).
 */
const EXPLOSIVE_FAMILIES: ReadonlyArray<readonly [string, RegExp]> = [
	[
		'Suicide bomb',
		/\bsuicide[- ]?(?:car |truck |vest )?(?:bomb(?:s|er|ers|ing|ings)?|attack(?:s|er|ers)?|blasts?)\b/i
	],
	[
		'Air/drone strike',
		/\b(?:air[- ]?strikes?|air[- ]?raids?|drone[- ]strikes?|warplanes?|bombing raids?)\b/i
	],
	[
		'Shelling/artillery/missile attack',
		/\b(?:shell(?:ing|ings|ed)|mortars?|rockets?|katyushas?|artillery|missiles?|bombard(?:ed|ment|ments)?)\b/i
	],
	['Grenade', /\bgrenades?\b/i],
	[
		'Remote explosive/landmine/IED',
		/\b(?:IEDs?|VBIEDs?|(?:car|truck|roadside|road-side|sticky|magnetic|parcel) ?bombs?|bomb(?:s|ing|ings|ed|er|ers)?|explosives?|explosions?|blasts?|(?:land)?mines?|detonat(?:ed|es|ion))\b/i
	]
];

/** The ACLED sub-event type when the text clearly mentions an explosive weapon, else null. */
export function explosiveSubEvent(text: string): string | null {
	for (const [sub, re] of EXPLOSIVE_FAMILIES) if (re.test(text)) return sub;
	return null;
}

/**
 * type_of_violence 1 (state-based) and 2 (non-state) are fighting between organised groups:
 * battles; 3 (one-sided) is an organised actor killing civilians: violence against civilians.
 * Either becomes explosions/remote violence when the event's text names an explosive weapon — as
 * ACLED codes a bombing by its means, whoever the target.
 */
export function eventType(
	typeOfViolence: string,
	text: string
): { event_type: EventType; sub_event_type: string | null } {
	const sub = explosiveSubEvent(text);
	if (!['1', '2', '3'].includes(typeOfViolence.trim())) {
		throw new Error(`UCDP type_of_violence must be 1, 2 or 3 (got "${typeOfViolence}")`);
	}
	if (sub) return { event_type: 'explosions_remote_violence', sub_event_type: sub };
	return {
		event_type: typeOfViolence.trim() === '3' ? 'violence_against_civilians' : 'battles',
		sub_event_type: null
	};
}

/**
 * UCDP date_prec → time_precision. UCDP never gives a time of day, so the best is 'day'
 * ('exact' is kept for incidents with a known time). 2 (a 2–6 day window) and 3 (the week is
 * known) are 'week', 4 (8–30 days, or the month) 'month', 5 (longer, or only the year) 'year'.
 */
export function timePrecision(datePrec: string): TimePrecision {
	switch (datePrec.trim()) {
		case '1':
			return 'day';
		case '2':
		case '3':
			return 'week';
		case '4':
			return 'month';
		case '5':
			return 'year';
		default:
			throw new Error(`UCDP date_prec must be 1–5 (got "${datePrec}")`);
	}
}

/** UCDP where_prec → geo_precision: 1 exact → 1; 2–3 near a place / in a district → 2; ≥ 4 → 3. */
export function geoPrecision(wherePrec: string): 1 | 2 | 3 {
	const p = Number(wherePrec);
	if (!Number.isInteger(p) || p < 1 || p > 7)
		throw new Error(`UCDP where_prec must be 1–7 (got "${wherePrec}")`);
	return p === 1 ? 1 : p <= 3 ? 2 : 3;
}

/**
 * How deep the SQL placement may go for this location. UCDP puts an event known only by its
 * district, governorate, region or country at that unit's centre; placing such a point in a
 * sub-district would invent precision. where_prec 1–2 → sub-district, 3 (district) → district,
 * 4 (governorate) → governorate; 5 (a region, river, mountain range or border), 6 (the country)
 * and 7 (waters/airspace) → governorate if UCDP named one (its adm_1 spelling is used only as the
 * signal that a governorate is known; the P-code still comes from the point), else none.
 */
export function adminDepth(wherePrec: string, adm1: string): AdminDepth {
	const p = Number(wherePrec);
	if (p <= 2) return 3;
	if (p === 3) return 2;
	if (p === 4) return 1;
	return adm1.trim() ? 1 : 0;
}

export function actorType(name: string): ActorRow['actor_type'] {
	if (/^government of /i.test(name.trim())) return 'state_forces';
	if (/^civilians$/i.test(name.trim())) return 'civilians';
	return 'armed_group';
}

function int(v: string | undefined, what: string): number {
	const n = Number((v ?? '').trim());
	if (!Number.isInteger(n) || n < 0)
		throw new Error(`UCDP ${what} must be a whole number ≥ 0 (got "${v}")`);
	return n;
}

function coord(v: string | undefined, what: string, min: number, max: number): number {
	const n = Number((v ?? '').trim());
	if ((v ?? '').trim() === '' || !Number.isFinite(n) || n < min || n > max) {
		throw new Error(`UCDP ${what} must be a number in [${min}, ${max}] (got "${v}")`);
	}
	return n;
}

/** One UCDP event → one incident row (throws on a malformed record, naming its id). */
export function mapUcdpRecord(r: UcdpRecord): IncidentRow {
	const id = (r.id ?? '').trim();
	if (!/^\d+$/.test(id)) throw new Error(`UCDP id must be a number (got "${r.id}")`);
	try {
		const headline = (r.source_headline ?? '').trim();
		const article = (r.source_article ?? '').trim();
		const { event_type, sub_event_type } = eventType(
			r.type_of_violence ?? '',
			`${headline}\n${article}`
		);
		const date = (r.date_start ?? '').trim();
		if (!ISO_DATE.test(date))
			throw new Error(`date_start must be YYYY-MM-DD (got "${r.date_start}")`);
		const side = (s: string | undefined) => (s ?? '').trim() || null;
		const deaths = `deaths: side A ${r.deaths_a}, side B ${r.deaths_b}, civilians ${r.deaths_civilians}, unknown ${r.deaths_unknown} (estimate ${r.low}–${r.high})`;
		const original = (r.source_original ?? '').trim();
		return {
			upstream_id: id,
			event_date: date,
			time_precision: timePrecision(r.date_prec ?? ''),
			event_type,
			sub_event_type,
			actor1: side(r.side_a),
			actor2: side(r.side_b),
			lon: coord(r.longitude, 'longitude', -180, 180),
			lat: coord(r.latitude, 'latitude', -90, 90),
			geo_precision: geoPrecision(r.where_prec ?? ''),
			admin_depth: adminDepth(r.where_prec ?? '', r.adm_1 ?? ''),
			location_name:
				(r.where_coordinates ?? '').trim() ||
				(r.adm_2 ?? '').trim() ||
				(r.adm_1 ?? '').trim() ||
				null,
			fatalities: int(r.best, 'best'),
			notes: [headline, `UCDP dyad ${(r.dyad_name ?? '').trim()}; ${deaths}.`]
				.filter(Boolean)
				.join('\n'),
			source: ['UCDP GED', original && `original source: ${original}`, article]
				.filter(Boolean)
				.join('; '),
			status: 'verified',
			confidentiality: 'public',
			is_sample: false
		};
	} catch (e) {
		throw new Error(`UCDP event ${id}: ${(e as Error).message}`, { cause: e });
	}
}

/** The actors the incidents name, once each (case-insensitively; the first spelling wins). */
export function ucdpActors(
	incidents: readonly Pick<IncidentRow, 'actor1' | 'actor2'>[]
): ActorRow[] {
	const seen = new Map<string, ActorRow>();
	for (const i of incidents) {
		for (const name of [i.actor1, i.actor2]) {
			const n = name?.trim();
			if (!n || seen.has(n.toLowerCase())) continue;
			seen.set(n.toLowerCase(), {
				name: n,
				actor_type: actorType(n),
				notes: 'Named in UCDP GED (side_a / side_b).'
			});
		}
	}
	return [...seen.values()];
}
