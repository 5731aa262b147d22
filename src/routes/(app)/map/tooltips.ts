// The map's hover labels, one builder per layer. Pure: they take the translator and the reader's
// language, so they are unit-tested without a map (tooltips.test.ts).
import { formatNumber, intlLocale, type Locale, type MessageKey, type Translate } from '$lib/i18n';
import { areaName } from '$lib/map/labels';
import type { EnrichedArc, PresenceCollection } from '$lib/map/layers/actor-data';
import type { LevelFeature } from '$lib/map/layers/AreaLevels.svelte';
import type { BaselineFeature } from '$lib/map/layers/AreaBaseline.svelte';
import type { DensityCell, IncidentPoint } from '$lib/map/types';

type PresenceFeature = PresenceCollection['features'][number];

export interface TooltipContext {
	t: Translate;
	locale: Locale;
	/** A P-code's name in the reader's language, when the areas are loaded. */
	areaLabel: (pcode: unknown) => string | null;
}

export function dateText(locale: Locale, d: string | null | undefined): string {
	if (!d) return '';
	return new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'medium',
		timeZone: 'UTC'
	}).format(new Date(`${d.slice(0, 10)}T00:00:00Z`));
}

export function mapTooltips({ t, locale, areaLabel }: TooltipContext) {
	const n = (v: number) => formatNumber(locale, v);
	return {
		incident: (p: IncidentPoint) =>
			`${t(`event_type.${p[3]}`)} · ${t('map.count.fatalities', { count: n(p[4]) })}`,

		density: (c: DensityCell) => t('map.count.incidents_in_cell', { count: n(c[2]) }),

		/** A feature of the incident vector tiles: a grid cell (with `count`) or one incident. */
		tile(p: { count?: unknown; event_type?: unknown; fatalities?: unknown }): string {
			const type = t(`event_type.${String(p.event_type)}` as MessageKey);
			if (p.count === undefined)
				return `${type} · ${t('map.count.fatalities', { count: n(Number(p.fatalities ?? 0)) })}`;
			return t('map.tiles.cell', { count: n(Number(p.count)), type });
		},

		presence(f: PresenceFeature): string {
			const p = f.properties;
			const name = locale === 'ar' && p.name_ar ? p.name_ar : p.name;
			const place = p.drawn
				? p.label || t('map.presence.drawn')
				: ((locale === 'ar' && p.area_name_ar ? p.area_name_ar : p.area_name) ?? p.pcode ?? '');
			return t('map.presence.tooltip', {
				name,
				stance: t(`actors.stance.${p.stance}` as MessageKey),
				place
			});
		},

		arc(a: EnrichedArc): string {
			const names = {
				source: a.sourceName,
				target: a.targetName,
				kind: t(`actors.kind.${a.kind}` as MessageKey)
			};
			if (a.kind === 'confronted')
				return t('map.arcs.tooltip_confronted', { ...names, count: n(a.weight) });
			return t(a.directed ? 'map.arcs.tooltip_directed' : 'map.arcs.tooltip_undirected', names);
		},

		level(f: LevelFeature): string {
			const l = f.row;
			const params = {
				area: areaName(f.properties, locale),
				level: n(l.level),
				name: t(`security_level.${l.level}.name` as MessageKey),
				date: dateText(locale, l.effective_date)
			};
			if (!l.inherited) return t('map.levels.tooltip', params);
			return t('map.levels.tooltip_inherited', {
				...params,
				from: areaLabel(l.source_pcode) ?? l.source_pcode ?? ''
			});
		},

		baseline(f: BaselineFeature): string {
			const r = f.row;
			return t('map.baseline.tooltip', {
				area: areaName(f.properties, locale),
				trend: f.flag === 'low_count' ? t('map.baseline.low_count') : t(`trend.${f.flag}`),
				count: n(r.four_weeks_n),
				expected: n(Math.round(r.four_weeks_expected * 10) / 10)
			});
		}
	};
}
