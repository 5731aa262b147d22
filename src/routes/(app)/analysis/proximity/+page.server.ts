import { FilterError } from '$lib/domain/filters';
import * as A from '$lib/server/analysis';
import * as map from '$lib/server/map';
import type { UrlProblem } from '$lib/server/analysis/lenient';
import { latestToday, parseProximity } from '$lib/server/analysis/params';
import { pageUser } from '$lib/server/analysis/guard';
import type { PageServerLoad } from './$types';

/** Proximity: the sites to measure from and, once asked, the incidents within X km. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser(locals, url);
	const params = url.searchParams;
	const [range, org, health, camps, checkpoints] = await Promise.all([
		A.dateRange(user),
		map.sites<SiteCollection>(user, 'org_sites'),
		map.sites<SiteCollection>(user, 'health_facilities'),
		map.sites<SiteCollection>(user, 'idp_camps'),
		map.sites<SiteCollection>(user, 'checkpoints')
	]);
	// With their coordinates: the proximity map draws the sites and the distance around them.
	const names = (fc: SiteCollection) =>
		fc.features.map((f) => ({
			id: String(f.id),
			name: String(f.properties.name ?? ''),
			is_sample: Boolean(f.properties.is_sample),
			lon: f.geometry?.coordinates?.[0] ?? null,
			lat: f.geometry?.coordinates?.[1] ?? null
		}));
	const sites = {
		org_sites: names(org),
		health_facilities: names(health),
		idp_camps: names(camps),
		checkpoints: names(checkpoints)
	};
	const defaults = { km: '25', days: '30', as_of: range.last_date ?? latestToday() };
	const asked = params.has('km');
	let result: A.Proximity | null = null;
	let problem: UrlProblem | null = null;
	if (asked) {
		try {
			const q = parseProximity(params);
			result = await A.proximity(user, { ...q, asOf: q.asOf ?? defaults.as_of });
		} catch (e) {
			if (e instanceof FilterError) problem = { parameter: e.parameter, message: e.message };
			else if ((e as { code?: string }).code === 'P0002')
				problem = { parameter: 'site_id', message: (e as Error).message };
			else throw e;
		}
	}
	return { range, sites, defaults, result, problem };
};

interface SiteCollection {
	features: {
		id: string | number;
		properties: Record<string, unknown>;
		geometry?: { coordinates?: [number, number] };
	}[];
}
