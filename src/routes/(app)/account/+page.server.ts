import { fail, redirect } from '@sveltejs/kit';
import type { CallerUser } from '$lib/server/db';
import * as accounts from '$lib/server/auth';
import { isDbError } from '$lib/server/api/respond';
import { checkTokenName } from '$lib/server/auth/accounts';
import { FilterError, uuid } from '$lib/server/api/params';
import type { Actions, PageServerLoad } from './$types';

export interface Profile {
	id: string;
	email: string;
	display_name: string;
	role: CallerUser['role'];
	created_at: string;
	assigned_areas: string[];
}

export type { TokenRow } from '$lib/server/auth';

function signedIn(locals: App.Locals): CallerUser {
	if (!locals.user) redirect(303, '/login?next=%2Faccount');
	return locals.user;
}

export const load: PageServerLoad = async ({ locals }) => {
	const user = signedIn(locals);
	const [profile, tokens] = await Promise.all([
		accounts.me<Profile>(user),
		accounts.tokensMine(user)
	]);
	return { profile, tokens };
};

export const actions: Actions = {
	// The secret goes back in this one response (the page shows it once) and is never stored:
	// the database keeps its SHA-256 digest and a display prefix.
	create: async ({ locals, request }) => {
		const user = signedIn(locals);
		const form = await request.formData();
		const raw = form.get('name');
		const rawDays = String(form.get('days') ?? '');
		const name = checkTokenName(raw);
		if (!name.ok)
			return fail(400, { createError: name.errors.name, name: String(raw ?? ''), days: rawDays });
		let days: number;
		try {
			days = accounts.tokenDays(rawDays);
		} catch (e) {
			if (!(e instanceof FilterError)) throw e;
			return fail(400, {
				daysError: 'signin.token_days_invalid' as const,
				name: String(raw ?? ''),
				days: rawDays
			});
		}
		return { created: await accounts.createToken(user, name.value, days) };
	},

	revoke: async ({ locals, request }) => {
		const user = signedIn(locals);
		const form = await request.formData();
		try {
			await accounts.revokeToken(user, uuid('id', String(form.get('id') ?? '')));
		} catch (e) {
			if (e instanceof FilterError || (isDbError(e) && e.code === 'P0002')) {
				return fail(404, { revokeError: 'account.token_not_found' as const });
			}
			throw e;
		}
		return { revoked: String(form.get('name') ?? '') };
	},

	revokeAll: async ({ locals }) => {
		const user = signedIn(locals);
		return { revokedAll: (await accounts.revokeAllTokens(user)).revoked };
	}
};
