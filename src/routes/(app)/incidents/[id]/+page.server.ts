import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { DbError } from '$lib/server/db/types';
import { signedIn } from '$lib/server/api/respond';
import type { Actions, PageServerLoad } from './$types';

interface Duplicate {
	id: string;
	event_date: string;
	location_name: string | null;
	distance_km: number;
	status: string;
	source: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = signedIn(locals, url);
	if (!UUID.test(params.id)) error(404, { message: 'no such incident' });
	const db = await getDb();
	const incident = await db.rpc<Record<string, unknown> | null>(
		'incident_get',
		{ p_id: params.id },
		user
	);
	if (!incident) error(404, { message: 'no such incident, or not visible to you' });
	const analyst = user.role === 'admin' || user.role === 'analyst';
	const [history, duplicates, merges] = await Promise.all([
		db.rpc<unknown[]>('incident_history', { p_id: params.id }, user),
		analyst
			? db.rpc<Duplicate[]>('incident_duplicates', { p_id: params.id }, user)
			: Promise.resolve([] as Duplicate[]),
		analyst
			? db.rpc<unknown[]>('incident_merges_of', { p_id: params.id }, user)
			: Promise.resolve([])
	]);
	return { incident, history: history ?? [], duplicates, merges, analyst };
};

/** A database refusal as the form's error message; anything else is a real failure. */
function refused(e: unknown) {
	if (e instanceof DbError && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message });
	throw e;
}

export const actions: Actions = {
	transition: async ({ locals, params, request, url }) => {
		const f = await request.formData();
		try {
			await (
				await getDb()
			).rpc(
				'incident_transition',
				{
					p_id: params.id,
					p_to: String(f.get('to') ?? ''),
					p_reason: String(f.get('reason') ?? '') || null
				},
				signedIn(locals, url)
			);
		} catch (e) {
			return refused(e);
		}
		return { done: String(f.get('to')) };
	},
	merge: async ({ locals, params, request, url }) => {
		const f = await request.formData();
		try {
			await (
				await getDb()
			).rpc(
				'incident_merge',
				{
					p_keep: params.id,
					p_merge: String(f.get('other') ?? ''),
					p_reason: String(f.get('reason') ?? '') || null
				},
				signedIn(locals, url)
			);
		} catch (e) {
			return refused(e);
		}
		return { done: 'merge' };
	},
	unmerge: async ({ locals, request, url }) => {
		const f = await request.formData();
		try {
			await (
				await getDb()
			).rpc(
				'incident_unmerge',
				{ p_merge_id: String(f.get('merge') ?? '') },
				signedIn(locals, url)
			);
		} catch (e) {
			return refused(e);
		}
		return { done: 'unmerge' };
	}
};
