import { error, fail } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { UUID } from '$lib/domain/codes';
import {
	getMovement,
	logCall,
	movementRisk,
	submitMovement,
	transitionMovement,
	type CallInput,
	type MovementStatus
} from '$lib/server/movements';
import { listContacts } from '$lib/server/contacts';
import { movementAuthorisations } from '$lib/server/movements/authorisations';
import type { RouteRisk } from '$lib/domain/movements';
import { movementUser } from '../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = movementUser(locals, url);
	if (!UUID.test(params.id)) error(404, 'Not found');
	let m;
	try {
		m = await getMovement(user, params.id);
	} catch (e) {
		if (isDbError(e) && e.httpStatus === 404) error(404, 'Not found');
		throw e;
	}
	// a draft's risk is computed afresh; a submitted plan shows what was stored at submission
	const risk =
		(m.risk as RouteRisk | null) && !['draft', 'refused'].includes(m.status)
			? (m.risk as unknown as RouteRisk)
			: await movementRisk(user, m);
	const contacts = (await listContacts(user, { limit: 500 }).catch(() => null))?.contacts ?? [];
	// always live: an authorisation recorded after submission counts at approval
	const authorisations = await movementAuthorisations(user, m.id);
	return {
		movement: m,
		risk,
		authorisations,
		me: user.id,
		role: user.role,
		contacts: contacts.map((c) => ({ id: c.id, name: c.full_name }))
	};
};

const STEPS: Record<string, MovementStatus> = {
	approve: 'approved',
	approve_conditions: 'approved_conditions',
	refuse: 'refused',
	check_out: 'under_way',
	check_in: 'completed',
	close: 'closed',
	cancel: 'cancelled'
};

async function attempt(fn: () => Promise<unknown>) {
	try {
		await fn();
		return { ok: true };
	} catch (e) {
		if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message });
		throw e;
	}
}

export const actions: Actions = {
	submit: async ({ locals, url, params }) =>
		attempt(() => submitMovement(movementUser(locals, url), params.id)),
	step: async ({ locals, url, params, request }) => {
		const user = movementUser(locals, url);
		const fd = await request.formData();
		const to = STEPS[String(fd.get('step'))];
		if (!to) return fail(400, { error: 'step: unknown' });
		const lon = Number(fd.get('lon'));
		const lat = Number(fd.get('lat'));
		return attempt(() =>
			transitionMovement(user, params.id, to, {
				reason: String(fd.get('reason') ?? ''),
				conditions: String(fd.get('conditions') ?? '') || undefined,
				...(fd.get('lon') && Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : {})
			})
		);
	},
	call: async ({ locals, url, params, request }) => {
		const user = movementUser(locals, url);
		const fd = await request.formData();
		const s = (k: string) => String(fd.get(k) ?? '').trim() || undefined;
		const c: CallInput = {
			outcome: (s('outcome') ?? 'confirmed') as CallInput['outcome'],
			contact_id: s('contact_id'),
			contact_name: s('contact_name'),
			pcode: s('pcode'),
			said: s('said') ?? ''
		};
		return attempt(() => logCall(user, params.id, c));
	}
};
