/**
 * The authorisation form's fields as the API's body: what the form posts, checked by the same zod
 * schema as the API (so a page and a script are refused alike, with the field named).
 */
import { fail } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { FilterError } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import {
	zAuthorisationFields,
	type AuthorisationFields
} from '$lib/server/movements/authorisations';

export function formFields(fd: FormData): AuthorisationFields {
	const s = (k: string) => String(fd.get(k) ?? '').trim();
	const holder = s('holder_type');
	return parseWith(zAuthorisationFields, {
		kind: s('kind'),
		holder_type: holder,
		holder_name: holder === 'organisation' ? '' : s('holder_name'),
		plate: holder === 'vehicle' ? s('plate') || null : null,
		pcode: s('pcode') || null,
		issued_by_name: s('issued_by_name'),
		valid_from: s('valid_from'),
		valid_to: s('valid_to'),
		reference: s('reference'),
		notes: String(fd.get('notes') ?? '')
	});
}

/** A refusal the user can fix (their message, the field named), or rethrows. */
export function refused(e: unknown) {
	if (e instanceof FilterError) return fail(400, { error: `${e.parameter}: ${e.message}` });
	if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message });
	throw e;
}
