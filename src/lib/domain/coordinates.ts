/**
 * Coordinates as people type them: decimal degrees, degrees-minutes-seconds with hemisphere
 * letters in either order, or MGRS; and the ways of showing a point back (DMS, MGRS). Used by the
 * incident schema, the report form, the registries and the import pipeline, so that a location
 * is read the same way wherever it is typed. Errors are i18n keys (`incident.error.*`).
 */
import * as mgrsNs from 'mgrs';

// The ESM build of mgrs has named exports, its CommonJS build (what Node loads) a default object.
const mgrs = (
	'toPoint' in mgrsNs ? mgrsNs : (mgrsNs as unknown as { default: typeof mgrsNs }).default
) as typeof mgrsNs;

export interface LonLat {
	lon: number;
	lat: number;
}

export type CoordinateResult =
	{ ok: true; value: LonLat; format: 'decimal' | 'dms' | 'mgrs' } | { ok: false; error: string };

const MGRS = /^\s*(\d{1,2})\s*([C-HJ-NP-X])\s*([A-HJ-NP-Z]{2})\s*(\d{0,10})\s*(\d{0,5})\s*$/i;

/**
 * One coordinate in degrees from decimal ("36.34", "-43.1", "36.34N") or degrees-minutes-seconds
 * ("36°20'24\"N", "36 20 24 N", "N 36° 20.4'"). Returns the signed value and the hemisphere
 * letter if one was given.
 */
export function parseDegrees(
	raw: string
): { value: number; hemi: 'N' | 'S' | 'E' | 'W' | null } | null {
	let s = raw.trim().toUpperCase();
	if (!s) return null;
	let hemi: 'N' | 'S' | 'E' | 'W' | null = null;
	const lead = /^([NSEW])\s*/.exec(s);
	const trail = /\s*([NSEW])$/.exec(s);
	if (lead) {
		hemi = lead[1] as 'N' | 'S' | 'E' | 'W';
		s = s.slice(lead[0].length);
	} else if (trail) {
		hemi = trail[1] as 'N' | 'S' | 'E' | 'W';
		s = s.slice(0, s.length - trail[0].length);
	}
	// Degree, minute and second marks in their ASCII and typographic forms.
	const parts = s
		.replace(/[°º˚]/g, ' ')
		.replace(/['′’‘]/g, ' ')
		.replace(/["″”“]/g, ' ')
		.trim()
		.split(/\s+/)
		.filter(Boolean);
	if (parts.length === 0 || parts.length > 3) return null;
	if (!parts.every((p) => /^[+-]?\d+(\.\d+)?$/.test(p))) return null;
	const [d, m = '0', sec = '0'] = parts;
	const deg = Number(d);
	const min = Number(m);
	const secs = Number(sec);
	if (
		parts.length > 1 &&
		(!Number.isInteger(deg) || min >= 60 || secs >= 60 || min < 0 || secs < 0)
	)
		return null;
	if (parts.length > 2 && !Number.isInteger(min)) return null;
	const sign = d.startsWith('-') ? -1 : 1;
	let value = sign * (Math.abs(deg) + min / 60 + secs / 3600);
	if (hemi === 'S' || hemi === 'W') value = -Math.abs(value);
	return { value, hemi };
}

/**
 * A location typed by a person: "lat, lon" in decimal degrees (the order of Google Maps and GPS
 * units), degrees-minutes-seconds with hemisphere letters in either order, or an MGRS reference
 * ("38S LF 12345 67890"). Errors are i18n keys.
 */
export function parseCoordinates(raw: string): CoordinateResult {
	const text = raw.trim();
	if (!text) return { ok: false, error: 'incident.error.coordinates_required' };

	const m = MGRS.exec(text);
	if (m && /[A-Z]/i.test(text)) {
		const digits = `${m[4]}${m[5]}`;
		if (digits.length % 2 !== 0) return { ok: false, error: 'incident.error.mgrs_invalid' };
		try {
			const [lon, lat] = mgrs.toPoint(`${m[1]}${m[2]}${m[3]}${digits}`.toUpperCase());
			if (!Number.isFinite(lon) || !Number.isFinite(lat))
				return { ok: false, error: 'incident.error.mgrs_invalid' };
			return { ok: true, value: { lon: round6(lon), lat: round6(lat) }, format: 'mgrs' };
		} catch {
			return { ok: false, error: 'incident.error.mgrs_invalid' };
		}
	}

	// Two coordinates: split at a comma, semicolon or slash, else between the two hemisphere
	// halves ("36°20'N 43°7'E"), else on whitespace when there are exactly two numbers.
	let halves: string[] | null = null;
	const sep = text.split(/\s*[;/]\s*|\s*,\s+|\s*,(?=\s*[-+NSEW\d])/i).filter(Boolean);
	if (sep.length === 2) halves = sep;
	if (!halves) {
		// Hemisphere letters lead ("N 36° 20′ E 43° 7′") or trail ("36°20′N 43°7′E") each half.
		const letters = [...text.matchAll(/[NSEW]/gi)];
		if (letters.length === 2) {
			const [l1, l2] = letters;
			halves =
				l1.index === 0
					? [text.slice(0, l2.index), text.slice(l2.index)]
					: [text.slice(0, l1.index + 1), text.slice(l1.index + 1)];
		}
	}
	if (!halves) {
		const nums = text.split(/\s+/);
		if (nums.length === 2) halves = nums;
	}
	if (!halves) return { ok: false, error: 'incident.error.coordinates_format' };

	const a = parseDegrees(halves[0]);
	const b = parseDegrees(halves[1]);
	if (!a || !b) return { ok: false, error: 'incident.error.coordinates_format' };
	let lat = a.value;
	let lon = b.value;
	// Hemisphere letters say which is which; without them the order is lat, lon.
	if (a.hemi === 'E' || a.hemi === 'W' || b.hemi === 'N' || b.hemi === 'S') {
		lat = b.value;
		lon = a.value;
	}
	const dms =
		/[°'"′″NSEW]|\s\d/i.test(text) && !/^[-+]?\d+(\.\d+)?\s*,\s*[-+]?\d+(\.\d+)?$/.test(text);
	const checked = checkLonLat(lon, lat);
	if (!checked.ok) return checked;
	return {
		ok: true,
		value: { lon: round6(lon), lat: round6(lat) },
		format: dms ? 'dms' : 'decimal'
	};
}

/** Range checks with a hint when the two look swapped. */
export function checkLonLat(lon: number, lat: number): { ok: true } | { ok: false; error: string } {
	if (!Number.isFinite(lon) || !Number.isFinite(lat))
		return { ok: false, error: 'incident.error.coordinates_format' };
	if (Math.abs(lat) > 90 && Math.abs(lon) <= 90 && Math.abs(lat) <= 180)
		return { ok: false, error: 'incident.error.coordinates_swapped' };
	if (Math.abs(lat) > 90) return { ok: false, error: 'incident.error.lat_range' };
	if (Math.abs(lon) > 180) return { ok: false, error: 'incident.error.lon_range' };
	return { ok: true };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** Formats a point as degrees-minutes-seconds, for showing what was understood. */
export function formatDms({ lon, lat }: LonLat): string {
	const f = (v: number, pos: string, neg: string) => {
		const a = Math.abs(v);
		const d = Math.floor(a);
		const mFull = (a - d) * 60;
		const m = Math.floor(mFull);
		const s = Math.round((mFull - m) * 600) / 10;
		return `${d}°${String(m).padStart(2, '0')}′${s.toFixed(1).padStart(4, '0')}″${v < 0 ? neg : pos}`;
	};
	return `${f(lat, 'N', 'S')} ${f(lon, 'E', 'W')}`;
}

export function toMgrs({ lon, lat }: LonLat): string | null {
	try {
		return mgrs.forward([lon, lat], 5);
	} catch {
		return null;
	}
}
