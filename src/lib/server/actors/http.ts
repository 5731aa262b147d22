/**
 * Request parsing and error answers shared by the actor, relationship and contact routes of
 * /api/v1. Every bad parameter is a FilterError naming it (400 {message, parameter}); a body that
 * fails validation answers 400 with every field's error; a probable duplicate actor 409 with the
 * actors it matches.
 */
import { json } from '@sveltejs/kit';
import { apiRoute } from '../api/route.ts';
import { FilterError } from '../../domain/filters.ts';
import { DuplicateActorError } from './index.ts';
import { ISO_DATE, PCODE, UUID } from '../../domain/codes.ts';

/** A calendar date YYYY-MM-DD, or null when absent. */
export function dateParam(params: URLSearchParams, name: string): string | null {
	const raw = params.get(name)?.trim();
	if (!raw) return null;
	const d = new Date(`${raw}T00:00:00Z`);
	if (!ISO_DATE.test(raw) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) {
		throw new FilterError(name, 'expected a date as YYYY-MM-DD');
	}
	return raw;
}

/** Repeated or comma-separated values of a fixed list. */
export function listParam(
	params: URLSearchParams,
	name: string,
	allowed: readonly string[]
): string[] {
	const vals = params
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean);
	for (const v of vals) {
		if (!allowed.includes(v))
			throw new FilterError(name, `unknown value "${v}"; use one of ${allowed.join(', ')}`);
	}
	return [...new Set(vals)];
}

export function pcodeParam(params: URLSearchParams, name: string): string | null {
	const raw = params.get(name)?.trim();
	if (!raw) return null;
	if (!PCODE.test(raw)) throw new FilterError(name, 'expected a P-code such as IQG01 or IQD0101');
	return raw;
}

export function uuidParam(params: URLSearchParams, name: string): string | null {
	const raw = params.get(name)?.trim();
	if (!raw) return null;
	if (!UUID.test(raw)) throw new FilterError(name, 'expected a UUID');
	return raw.toLowerCase();
}

export function textParam(params: URLSearchParams, name: string, max = 200): string | null {
	const raw = params.get(name)?.trim();
	if (!raw) return null;
	if (raw.length > max) throw new FilterError(name, `must have at most ${max} characters`);
	return raw;
}

/** 400 with every field's error; `parameter` names the first so scripts can branch on it. */
export function invalid(errors: Record<string, string>): Response {
	const [first, message] = Object.entries(errors)[0] ?? ['body', 'invalid'];
	return json({ message: `${first}: ${message}`, parameter: first, errors }, { status: 400 });
}

/** apiRoute plus the 409 of a probable duplicate actor. */
export function actorsRoute<H extends (event: never) => Response | Promise<Response>>(fn: H): H {
	return apiRoute((async (event: Parameters<H>[0]) => {
		try {
			return await fn(event);
		} catch (e) {
			if (e instanceof DuplicateActorError) {
				return json(
					{ message: e.message, parameter: 'name', duplicates: e.duplicates },
					{ status: 409 }
				);
			}
			throw e;
		}
	}) as H);
}
