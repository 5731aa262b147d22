import { fail } from '@sveltejs/kit';
import { deleteAction, refusal } from '$lib/server/api/form';
import { pageUser } from '$lib/server/analysis/guard';
import {
	alertDeliveryStats,
	deleteAlertRule,
	listAlertRules,
	saveAlertRule
} from '$lib/server/alerts';
import { cardSites } from '$lib/server/contacts';
import { mailConfig } from '$lib/server/mail';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser(locals, url);
	const [rules, sites, stats] = await Promise.all([
		listAlertRules(user),
		cardSites(user),
		user.role === 'admin' ? alertDeliveryStats(user) : Promise.resolve(null)
	]);
	let mail: boolean;
	try {
		mail = mailConfig() !== null;
	} catch {
		mail = false;
	}
	return { rules, sites, mail, stats };
};

// A database refusal is a 400 here, whatever its own status.
const failed = (e: unknown, values?: Record<string, unknown>) => refusal(e, values, 400);

export const actions: Actions = {
	create: async ({ locals, request }) => {
		if (!locals.user) return fail(401, { error: 'sign in' });
		const fd = await request.formData();
		const listens = String(fd.get('listens_to') ?? 'incidents');
		const target = String(fd.get('target') ?? 'sites');
		const site = String(fd.get('site_id') ?? '');
		const num = (k: string) => {
			const v = String(fd.get(k) ?? '').trim();
			return v === '' ? undefined : Number(v);
		};
		const fields: Record<string, unknown> = {
			name: String(fd.get('name') ?? ''),
			listens_to: listens,
			target,
			event_types: fd.getAll('event_types').map(String),
			seriousness: String(fd.get('seriousness') ?? 'any'),
			min_fatalities: num('min_fatalities') ?? 0,
			radius_km: num('radius_km'),
			max_age_days: num('max_age_days'),
			email: fd.get('email') === 'on',
			site_ids: target === 'sites' && site ? [site] : [],
			pcodes:
				target === 'areas'
					? String(fd.get('pcodes') ?? '')
							.split(/[\s,;]+/)
							.filter(Boolean)
					: []
		};
		// a rule on levels or checkpoints: its own filter (empty = any level / any change)
		if (listens === 'area_level') fields.min_level = num('min_level') ?? null;
		if (listens === 'checkpoint_status')
			fields.checkpoint_status = String(fd.get('checkpoint_status') ?? '') || null;
		if (listens !== 'incidents') {
			delete fields.event_types;
			delete fields.seriousness;
			delete fields.min_fatalities;
		}
		for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
		try {
			await saveAlertRule(locals.user, null, fields);
		} catch (e) {
			return failed(e, Object.fromEntries([...fd.entries()].map(([k, v]) => [k, String(v)])));
		}
		return { saved: true };
	},
	toggle: async ({ locals, request }) => {
		if (!locals.user) return fail(401, { error: 'sign in' });
		const fd = await request.formData();
		try {
			await saveAlertRule(locals.user, String(fd.get('id') ?? ''), {
				enabled: fd.get('enabled') === 'true'
			});
		} catch (e) {
			return failed(e);
		}
		return { toggled: true };
	},
	delete: deleteAction(deleteAlertRule, 400)
};
