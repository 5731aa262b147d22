import { fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { addNoGoZone, deleteNoGoZone, listNoGoZones } from '$lib/server/movements';
import { FilterError } from '$lib/domain/filters';
import type { Actions, PageServerLoad } from './$types';

/** No-go zones: every signed-in role reads them (they mark where nobody goes); analysts and admins draw. */
export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const user = locals.user;
	return {
		zones: await listNoGoZones(user),
		canDraw: user.role === 'admin' || user.role === 'analyst'
	};
};

const refused = (e: unknown, values?: Record<string, string>) => {
	if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message, values });
	// a refused field (call() turns "name: …" into a FilterError naming it)
	if (e instanceof FilterError) return fail(400, { error: e.message, values });
	throw e;
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		if (!locals.user) return fail(401, { error: 'sign in' });
		const fd = await request.formData();
		const values = Object.fromEntries(
			['name', 'reason', 'valid_to'].map((k) => [k, String(fd.get(k) ?? '')])
		);
		// an unreadable drawing is sent as nothing: the database names the field (geometry)
		let geometry: unknown;
		try {
			geometry = JSON.parse(String(fd.get('geometry') ?? '') || 'null');
		} catch {
			geometry = null;
		}
		try {
			await addNoGoZone(locals.user, {
				name: values.name,
				reason: values.reason,
				valid_to: values.valid_to || null,
				geometry
			});
		} catch (e) {
			return refused(e, values);
		}
		return { saved: true };
	},
	delete: async ({ locals, request }) => {
		if (!locals.user) return fail(401, { error: 'sign in' });
		const fd = await request.formData();
		try {
			await deleteNoGoZone(locals.user, String(fd.get('id') ?? ''));
		} catch (e) {
			return refused(e);
		}
		return { deleted: true };
	}
};
