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
import { communityGet, communitySave } from '$lib/server/assessments';
import type { CommunityProfile } from '$lib/domain/assessments';
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
	const filters: IncidentFilters = { areas: [pcode] };
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
	const community = (await communityGet(user, pcode)) as { profile: CommunityProfile | null };
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
		community: community.profile,
		today: new Date().toISOString().slice(0, 10)
	};
}

/** The community form as the API's merge: blank numbers and dates clear, languages a comma list. */
function communityFields(form: FormData): Record<string, unknown> {
	const s = (k: string) => String(form.get(k) ?? '').trim();
	const n = (k: string) => (s(k) === '' ? null : Number(s(k)));
	return {
		population: n('population'),
		population_source: s('population_source') || null,
		population_date: s('population_date') || null,
		idps: n('idps'),
		returnees: n('returnees'),
		composition: s('composition'),
		marginalised_groups: s('marginalised_groups'),
		acceptance_issues: s('acceptance_issues'),
		languages: s('languages')
			.split(/[,،]/)
			.map((l) => l.trim())
			.filter(Boolean),
		notes: s('notes')
	};
}

export const actions: Actions = {
	/** The community profile, analysts and admins; the database checks each field and keeps history. */
	community: async ({ locals, params, request, url }) => {
		const user = pageUser(locals, url);
		try {
			const pcode = pcodeParam(params, 'pcode', { required: true });
			await communitySave(user, pcode, communityFields(await request.formData()));
			return { communitySaved: true };
		} catch (e) {
			const err = e as { code?: string; message?: string };
			if (e instanceof FilterError || err?.code === '22023' || err?.code === '42501')
				return fail(err?.code === '42501' ? 403 : 400, { communityError: err.message ?? '' });
			throw e;
		}
	},
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
