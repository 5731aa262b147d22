/**
 * Cell values → typed values, tolerant of how spreadsheets and partners write them, strict about
 * what they mean: a value that cannot be read is a problem for that row and column, never a guess
 * that silently changes the data.
 */
import { EVENT_TYPES, type EventType } from '../../domain/taxonomy.ts';
import { SUB_EVENT_TYPES } from '../../domain/incident-schema.ts';
import { trackerCategory } from './tracker-categories.ts';
import { checkLonLat, parseCoordinates, parseDegrees } from '../../domain/coordinates.ts';

export class ValueError extends Error {}

export function text(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	if (v instanceof Date) return v.toISOString();
	const s = String(v).trim();
	return s === '' ? null : s;
}

const MONTHS = [
	'january',
	'february',
	'march',
	'april',
	'may',
	'june',
	'july',
	'august',
	'september',
	'october',
	'november',
	'december'
];
function monthIndex(name: string): number {
	const n = name.toLowerCase().replace(/\.$/, '');
	const i = MONTHS.findIndex((m) => m === n || (n.length >= 3 && m.startsWith(n)));
	if (i < 0) throw new ValueError(`"${name}" is not a month`);
	return i + 1;
}

function iso(y: number, m: number, d: number, raw: string): string {
	const dt = new Date(Date.UTC(y, m - 1, d));
	if (
		y < 1000 ||
		y > 9999 ||
		dt.getUTCFullYear() !== y ||
		dt.getUTCMonth() !== m - 1 ||
		dt.getUTCDate() !== d
	) {
		throw new ValueError(`"${raw}" is not a real calendar date`);
	}
	return dt.toISOString().slice(0, 10);
}

/** Excel's day numbers (1900 date system, as exceljs gives unformatted date cells). */
function excelSerial(n: number): string {
	const ms = Date.UTC(1899, 11, 30) + Math.round(n) * 86400000;
	return new Date(ms).toISOString().slice(0, 10);
}

import type { DateOrder } from '../../domain/import.ts';
export type { DateOrder };

/** A two-digit year as people mean it: "03" is 2003, "97" is 1997 (up to next year is this century). */
function fullYear(y: string): number {
	if (y.length !== 2) return +y;
	const pivot = (new Date().getUTCFullYear() % 100) + 1;
	return +y <= pivot ? 2000 + +y : 1900 + +y;
}

const NUMERIC_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:\s.*)?$/;

/**
 * What one cell says about the file's day/month order: 'dmy' ("20/03/2003": 20 cannot be a
 * month), 'mdy' ("3/20/2003"), 'either' ("03/04/2003") or null (not a numeric day-month date).
 */
export function dateOrderEvidence(v: unknown): DateOrder | 'either' | null {
	if (typeof v !== 'string') return null;
	const m = NUMERIC_DATE.exec(v.trim());
	if (!m) return null;
	const a = +m[1];
	const b = +m[2];
	if (a > 12 && b <= 12) return 'dmy';
	if (b > 12 && a <= 12) return 'mdy';
	if (a === b || a > 12 || b > 12) return null;
	return 'either';
}

/**
 * A date as ISO YYYY-MM-DD from: ISO dates and timestamps, YYYY/MM/DD, DD/MM/YYYY and MM/DD/YYYY
 * (slashes, dots or dashes, two- or four-digit years; `order` says which of day and month comes
 * first — the pipeline asks the user when the file does not tell), "15 March 2024",
 * "20-Mar-03", "March 15, 2024", Excel dates (cells and day numbers).
 */
export function date(v: unknown, order: DateOrder = 'dmy'): string | null {
	if (v === null || v === undefined || v === '') return null;
	let out: string;
	if (v instanceof Date) {
		if (Number.isNaN(v.getTime())) throw new ValueError('not a date');
		out = v.toISOString().slice(0, 10);
	} else if (typeof v === 'number') {
		if (v > 20000 && v < 80000) out = excelSerial(v);
		else throw new ValueError(`${v} is not a date`);
	} else {
		const s = String(v).trim();
		if (!s) return null;
		const shown = s.length > 40 ? `${s.slice(0, 40)}…` : s;
		let m: RegExpExecArray | null;
		if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s)))
			out = iso(+m[1], +m[2], +m[3], shown);
		else if ((m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(s)))
			out = iso(+m[1], +m[2], +m[3], shown);
		else if ((m = NUMERIC_DATE.exec(s))) {
			const a = +m[1];
			const b = +m[2];
			const y = fullYear(m[3]);
			const mdy = b > 12 || (order === 'mdy' && a <= 12);
			out = mdy ? iso(y, a, b, shown) : iso(y, b, a, shown);
		} else if ((m = /^(\d{1,2})[\s-]+([A-Za-z]+\.?)[\s-]+(\d{4}|\d{2})$/.exec(s)))
			out = iso(fullYear(m[3]), monthIndex(m[2]), +m[1], shown);
		else if ((m = /^([A-Za-z]+\.?)[\s-]+(\d{1,2}),?[\s-]+(\d{4})$/.exec(s)))
			out = iso(+m[3], monthIndex(m[1]), +m[2], shown);
		else if (/^\d{5}(\.\d+)?$/.test(s)) out = excelSerial(Number(s));
		else
			throw new ValueError(
				`"${shown}" is not a date (write it as YYYY-MM-DD, 20/03/2003 or 20-Mar-2003)`
			);
	}
	const latest = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
	if (out > latest) throw new ValueError(`${out} is in the future`);
	if (out < '1900-01-01') throw new ValueError(`${out} is before 1900`);
	return out;
}

export function time(v: unknown): string | null {
	if (v === null || v === undefined || v === '') return null;
	if (v instanceof Date) return v.toISOString().slice(11, 16);
	if (typeof v === 'number' && v >= 0 && v < 1) {
		const mins = Math.round(v * 24 * 60);
		return `${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
	}
	const s = String(v).trim();
	const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(s);
	if (!m) throw new ValueError(`"${s}" is not a time (use HH:MM)`);
	let h = +m[1];
	if (m[4]) h = (h % 12) + (m[4].toLowerCase() === 'pm' ? 12 : 0);
	if (h > 23 || +m[2] > 59) throw new ValueError(`"${s}" is not a time of day`);
	return `${String(h).padStart(2, '0')}:${m[2]}`;
}

export function number(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) throw new ValueError('not a number');
		return v;
	}
	const s = String(v).trim().replace(/^\+/, '');
	if (!s) return null;
	if (!/^-?(\d+([.,]\d+)?|\d{1,3}(,\d{3})+(\.\d+)?|\.\d+)$/.test(s))
		throw new ValueError(`"${s}" is not a number`);
	// "1,234" is a thousands separator; "12,5" a decimal comma.
	const n = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)
		? Number(s.replace(/,/g, ''))
		: Number(s.replace(',', '.'));
	if (!Number.isFinite(n)) throw new ValueError(`"${s}" is not a number`);
	return n;
}

export function count(v: unknown): number | null {
	const n = number(v);
	if (n === null) return null;
	if (!Number.isInteger(n) || n < 0) throw new ValueError(`${n} is not a whole number ≥ 0`);
	if (n > 1_000_000) throw new ValueError(`${n} is implausibly large`);
	return n;
}

export function bool(v: unknown): boolean | null {
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'boolean') return v;
	if (typeof v === 'number') return v !== 0;
	const s = String(v).trim().toLowerCase();
	if (['true', 'yes', 'y', '1', 'x', 'نعم', 'oui', 'si'].includes(s)) return true;
	if (['false', 'no', 'n', '0', '', 'لا', 'non'].includes(s)) return false;
	throw new ValueError(`"${v}" is not yes/no`);
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Our codes, ACLED's labels ("Explosions/Remote violence"), ACLED sub-event labels, tracker categories. */
export function eventType(v: unknown): { event_type: EventType; sub_event_type?: string } | null {
	const s = text(v);
	if (!s) return null;
	const n = norm(s);
	const direct = EVENT_TYPES.find((t) => norm(t) === n);
	if (direct) return { event_type: direct };
	for (const [type, subs] of Object.entries(SUB_EVENT_TYPES) as [EventType, readonly string[]][]) {
		const sub = subs.find((x) => norm(x) === n);
		if (sub) return { event_type: type, sub_event_type: sub };
	}
	const category = trackerCategory(s);
	if (category) return category;
	throw new ValueError(
		`"${s}" is not an event type (use one of ${EVENT_TYPES.join(', ')} or ACLED's names)`
	);
}

export function subEventType(v: unknown, type: EventType | undefined): string | null {
	const s = text(v);
	if (!s) return null;
	if (!type) return s;
	const sub = SUB_EVENT_TYPES[type].find((x) => norm(x) === norm(s));
	if (!sub) throw new ValueError(`"${s}" is not a sub-event type of ${type}`);
	return sub;
}

export function oneOf<T extends string>(
	v: unknown,
	allowed: readonly T[],
	synonyms: Record<string, T> = {}
): T | null {
	const s = text(v);
	if (!s) return null;
	const n = norm(s);
	const hit = allowed.find((a) => norm(a) === n) ?? synonyms[n];
	if (!hit) throw new ValueError(`"${s}" is not one of ${allowed.join(', ')}`);
	return hit;
}

/** A latitude or longitude in decimal degrees or DMS ("36°20'24\"N"). */
export function degrees(v: unknown, axis: 'lat' | 'lon'): number | null {
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'number') return v;
	const s = String(v).trim();
	if (!s) return null;
	const n = Number(s);
	if (Number.isFinite(n)) return n;
	const d = parseDegrees(s);
	if (!d) throw new ValueError(`"${s}" is not a ${axis === 'lat' ? 'latitude' : 'longitude'}`);
	return d.value;
}

export function point(lon: number | null, lat: number | null): { lon: number; lat: number } | null {
	if (lon === null && lat === null) return null;
	if (lon === null || lat === null)
		throw new ValueError(lon === null ? 'longitude is missing' : 'latitude is missing');
	const c = checkLonLat(lon, lat);
	if (!c.ok) {
		throw new ValueError(
			c.error === 'incident.error.coordinates_swapped'
				? `latitude ${lat} is out of range but would fit as a longitude: latitude and longitude look swapped`
				: c.error === 'incident.error.lat_range'
					? `latitude ${lat} is outside -90…90`
					: `longitude ${lon} is outside -180…180`
		);
	}
	if (lon === 0 && lat === 0)
		throw new ValueError('0, 0 is not a real location (a blank coordinate?)');
	return { lon, lat };
}

export function coordinates(v: unknown): { lon: number; lat: number } | null {
	const s = text(v);
	if (!s) return null;
	const r = parseCoordinates(s);
	if (!r.ok) throw new ValueError(`"${s}" is not a location in decimal degrees, DMS or MGRS`);
	return r.value;
}

export function list(v: unknown): string[] | null {
	const s = text(v);
	if (!s) return null;
	return s
		.split(/[;|,]/)
		.map((x) => x.trim())
		.filter(Boolean);
}

export function timestamp(v: unknown): string | null {
	if (v === null || v === undefined || v === '') return null;
	if (v instanceof Date) return v.toISOString();
	const s = String(v).trim();
	if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
		const d = new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
		if (!Number.isNaN(d.getTime())) return d.toISOString();
	}
	return `${date(s)}T00:00:00.000Z`;
}
