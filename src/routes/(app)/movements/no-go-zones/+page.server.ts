import { fail } from '@sveltejs/kit';
import { deleteAction, refusal } from '$lib/server/api/form';
import { pageUser } from '$lib/server/analysis/guard';
import { addNoGoZone, deleteNoGoZone, listNoGoZones } from '$lib/server/movements';
import type { Actions, PageServerLoad } from './$types';

/** No-go zones: every signed-in role reads them (they mark where nobody goes); analysts and admins draw. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser(locals, url);
	return {
		zones: await listNoGoZones(user),
		canDraw: user.role === 'admin' || user.role === 'analyst'
	};
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
			// a refused field: call() turns "name: …" into a FilterError naming it
			return refusal(e, values);
		}
		return { saved: true };
	},
	delete: deleteAction(deleteNoGoZone)
};
