/**
 * The actor and relationship routes' frame: apiRoute plus the 409 of a probable duplicate actor,
 * with the actors it matches. Their parameters are read with $lib/server/api/params.
 */
import { json } from '@sveltejs/kit';
import { apiRoute } from '../api/route.ts';
import { DuplicateActorError } from './index.ts';

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
