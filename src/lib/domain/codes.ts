/**
 * The shared codes of Terrain, defined once: record ids (UUID), admin-area P-codes (COD-AB,
 * e.g. IQG01, IQD0101, IQG01Q01) and calendar dates (ISO 8601, YYYY-MM-DD). Every check in the
 * server, the browser and the URL state uses these, in their RegExp or their zod form.
 */
import { z } from 'zod';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PCODE = /^[A-Z]{2,3}[A-Z0-9]+$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** PCODE for an <input pattern>, which anchors the pattern itself. */
export const PCODE_PATTERN = PCODE.source.slice(1, -1);

export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID.test(s);
export const isPcode = (s: unknown): s is string => typeof s === 'string' && PCODE.test(s);

/** A real calendar day written YYYY-MM-DD (2023-02-30 is refused, unlike the bare pattern). */
export function isIsoDate(s: unknown): s is string {
	if (typeof s !== 'string' || !ISO_DATE.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const zUuid = z.string().regex(UUID, 'expected an id (UUID)');
export const zPcode = z.string().regex(PCODE, 'expected a P-code such as IQG01 or IQD0101');
export const zIsoDate = z
	.string()
	.regex(ISO_DATE, 'expected a date as YYYY-MM-DD')
	.refine(isIsoDate, 'not a real calendar date');
