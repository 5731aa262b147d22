/** What the briefing pages (screen and print) load: the pack compiled for the reader and its map. */
import { error } from '@sveltejs/kit';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { areas } from '../map/index.ts';
import { orgName } from '../reports/params.ts';
import type { CallerUser } from '../db/types.ts';
import { BRIEFING_LANGS, type BriefingLang } from '../../domain/briefings.ts';
import { compileBriefing } from './index.ts';

type Outlines = FeatureCollection<Polygon | MultiPolygon, { pcode: string; parent_pcode?: string }>;

const lang = (raw: string | null): BriefingLang | null =>
	(BRIEFING_LANGS as readonly string[]).includes(raw ?? '') ? (raw as BriefingLang) : null;

export async function briefingPage(user: CallerUser, id: string, url: URL, locale: string) {
	const b = await compileBriefing(user, id);
	if (!b) error(404, 'no such briefing pack, or not visible to you');
	// The districts of the base's governorate: the frame of the pack's small map.
	const gov = b.incidents.area_pcode;
	const all = await areas<Outlines>(user, 2, 0.003);
	const outlines = {
		...all,
		features: all.features.filter((f) => gov && f.properties.parent_pcode === gov)
	};
	const first = lang(url.searchParams.get('lang')) ?? lang(locale) ?? 'en';
	const second = lang(url.searchParams.get('second'));
	return { b, outlines, org: orgName(), lang: first, second: second === first ? null : second };
}
