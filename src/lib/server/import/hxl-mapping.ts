/**
 * HXL hashtags (any HXL-tagged file, https://hxlstandard.org) → Terrain's fields. A rule matches a
 * column when the hashtag is the same and the column has every attribute the rule lists (+attr)
 * and none it excludes (-attr), as HXL tag patterns do.
 */
import { fieldNames, type Mapping } from './fields.ts';
import type { ImportTarget } from './types.ts';

function hxlMatches(pattern: string, tag: string): boolean {
	const [pName, ...pParts] = pattern.toLowerCase().split(/(?=[+-])/);
	const [tName, ...tAttrs] = tag.toLowerCase().replace(/\s+/g, '').split('+');
	if (pName !== tName) return false;
	for (const p of pParts) {
		const attr = p.slice(1);
		if (p.startsWith('+') && !tAttrs.includes(attr)) return false;
		if (p.startsWith('-') && tAttrs.includes(attr)) return false;
	}
	return true;
}

const HXL_INCIDENTS: [string, string[]][] = [
	['upstream_id', ['#event+id', '#event+code', '#meta+id']],
	['event_date', ['#date+occurred', '#date+start', '#date+event', '#date-year-end-reported']],
	['event_type', ['#event+type-sub', '#event+category-sub', '#event-sub-id-code']],
	['sub_event_type', ['#event+type+sub', '#event+subtype', '#event+category+sub']],
	['actor1', ['#group+name+first', '#actor+first', '#group+first', '#actor-second']],
	['actor2', ['#group+name+second', '#actor+second', '#group+second']],
	['lat', ['#geo+lat']],
	['lon', ['#geo+lon']],
	['coordinates', ['#geo+coord']],
	['admin_pcode', ['#adm3+code', '#adm2+code', '#adm1+code']],
	['admin1', ['#adm1+name', '#adm1-code']],
	['admin2', ['#adm2+name', '#adm2-code']],
	['admin3', ['#adm3+name', '#adm3-code']],
	['location_name', ['#loc+name', '#loc-code']],
	['fatalities', ['#affected+killed', '#affected+dead', '#affected+deaths']],
	['injuries', ['#affected+injured', '#affected+wounded']],
	['abductions', ['#affected+abducted', '#affected+kidnapped']],
	['notes', ['#description', '#event+description', '#meta+description']],
	['source', ['#meta+source', '#source']]
];
const HXL_SITES: [string, string[]][] = [
	['upstream_id', ['#loc+code', '#loc+id', '#site+code', '#meta+id']],
	['name', ['#loc+name-ar-code', '#site+name', '#loc-code-type']],
	['name_ar', ['#loc+name+ar', '#loc+name+i_ar']],
	['lat', ['#geo+lat']],
	['lon', ['#geo+lon']],
	['coordinates', ['#geo+coord']],
	['admin_pcode', ['#adm3+code', '#adm2+code', '#adm1+code']],
	['admin1', ['#adm1+name', '#adm1-code']],
	['admin2', ['#adm2+name', '#adm2-code']],
	['admin3', ['#adm3+name', '#adm3-code']],
	[
		'population',
		['#affected+idps+ind', '#population', '#affected+ind', '#affected+idps', '#inneed+ind']
	],
	['households', ['#affected+hh', '#affected+idps+hh', '#households']],
	['managing_org', ['#org+name', '#org+impl', '#org']],
	['status', ['#status']],
	['facility_type', ['#loc+type', '#site+type']],
	['camp_type', ['#loc+type', '#site+type']],
	['site_type', ['#loc+type', '#site+type']],
	['controlled_by', ['#group+name', '#org+control']],
	['population_date', ['#date+reported', '#date']],
	['notes', ['#description', '#meta+description']],
	['source', ['#meta+source', '#source']]
];

export function hxlMapping(target: ImportTarget, hxl: Record<string, string>): Mapping {
	const rules = target === 'incidents' ? HXL_INCIDENTS : HXL_SITES;
	const allowed = new Set(fieldNames(target));
	const m: Mapping = {};
	const used = new Set<string>();
	for (const [field, patterns] of rules) {
		if (!allowed.has(field) || m[field]) continue;
		for (const p of patterns) {
			const col = Object.keys(hxl).find((c) => !used.has(c) && hxlMatches(p, hxl[c]));
			if (col) {
				m[field] = { column: col };
				used.add(col);
				break;
			}
		}
	}
	return m;
}
