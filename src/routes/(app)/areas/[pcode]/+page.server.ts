import { pcodeParam } from '$lib/server/api/params';
import { error, fail } from '@sveltejs/kit';
import { FilterError } from '$lib/domain/filters';
import { translator } from '$lib/i18n';
import type { IncidentFilters } from '$lib/domain/filters';
import type { CallerUser } from '$lib/server/db';
import * as A from '$lib/server/analysis';
import { recordLevel } from '$lib/server/analysis';
import { checkLevelInput, isRealDate, latestToday } from '$lib/server/analysis/params';
import { pageUser } from '$lib/server/analysis/guard';
import type { Actions, PageServerLoad } from './$types';

const notFound = (e: unknown) => {
	const err = e as { code?: string; name?: string };
	return err?.code === 'P0002' || (e instanceof FilterError && e.parameter === 'pcode');
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		const user = pageUser(locals, url);
		return {
			...(await areaPage(user, params.pcode, url.searchParams)),
			canRecord: ['admin', 'analyst'].includes(user.role)
		};
	} catch (e) {
		if (notFound(e))
			error(404, {
				message: translator(locals.locale)('areas.not_found', { pcode: params.pcode })
			});
		throw e;
	}
};

/** What the area page shows: profile, levels, baseline, charts and its children's baseline. */
async function areaPage(user: CallerUser, pcodeRaw: string, params: URLSearchParams) {
	const pcode = pcodeParam({ pcode: pcodeRaw }, 'pcode', { required: true });
	const profile = await A.areaProfile(user, pcode);
	const range = await A.dateRange(user);
	const asOfRaw = params.get('as_of');
	const asOf = asOfRaw && isRealDate(asOfRaw) ? asOfRaw : (range.last_date ?? latestToday());
	const filters: IncidentFilters = { area: pcode };
	const [levels, baseline, stats, byArea, sources] = await Promise.all([
		A.areaLevels(user, pcode, 100),
		A.areaBaseline(user, pcode, { asOf }),
		A.incidentStats(user, filters, 'month', 'type'),
		profile.level < 3
			? A.incidentsByArea(user, filters, (profile.level + 1) as 2 | 3)
			: Promise.resolve(null),
		A.incidentSources(user, filters)
	]);
	const childBaseline =
		profile.level < 3 ? await A.baselineTable(user, { asOf, parent: pcode }) : null;
	return {
		pcode,
		profile,
		levels,
		baseline,
		childBaseline,
		stats,
		byArea,
		sources,
		asOf,
		range,
		today: new Date().toISOString().slice(0, 10)
	};
}

export const actions: Actions = {
	/** Records a security level; field errors come back next to their inputs. */
	record: async ({ locals, params, request, url }) => {
		const user = pageUser(locals, url);
		const form = await request.formData();
		const values = {
			level: String(form.get('level') ?? ''),
			note: String(form.get('note') ?? ''),
			effective_date: String(form.get('effective_date') ?? '')
		};
		if (!['admin', 'analyst'].includes(user.role)) {
			return fail(403, { values, errors: { form: 'forbidden' } as Record<string, string> });
		}
		try {
			const pcode = pcodeParam(params, 'pcode', { required: true });
			const { value, codes } = checkLevelInput(form);
			if (!value) return fail(400, { values, errors: codes as Record<string, string> });
			const saved = await recordLevel(user, pcode, value);
			return { saved: saved.id };
		} catch (e) {
			// The database checks the same rules; should it still refuse, say so in the form.
			const err = e as { code?: string; message?: string };
			if (err?.code === '42501')
				return fail(403, { values, errors: { form: 'forbidden' } as Record<string, string> });
			if (e instanceof FilterError || err?.code === '22023' || err?.code === 'P0002') {
				return fail(400, {
					values,
					errors: { form: 'other', message: err.message ?? '' } as Record<string, string>
				});
			}
			throw e;
		}
	}
};
