/**
 * Contingency triggers and their alerts in the reader's language. The database stores an English
 * title for mail clients and the API, and with it the trigger's facts (alert body `trigger`,
 * 59_contingency_triggers.sql); the plan screen, the alerts page and the bell word them here, so
 * that an Arabic or Kurdish reader sees the area's Arabic name and their own words.
 */
import type { Locale, MessageKey, Translate } from '../i18n/index.ts';
import { formatters } from '../charts/format.ts';
import { isolateLtr } from './bidi.ts';

export interface TriggerFacts {
	kind: 'area_level' | 'incidents_near' | 'checkpoint_closed';
	pcode?: string | null;
	area_name?: string | null;
	area_name_ar?: string | null;
	level?: number | null;
	min_incidents?: number | null;
	radius_km?: number | null;
	days?: number | null;
	lon?: number | null;
	lat?: number | null;
	at_base?: boolean;
	checkpoint_name?: string | null;
}

const arabicScript = (locale: Locale) => locale === 'ar' || locale === 'ku';

export function describeTrigger(x: TriggerFacts, t: Translate, locale: Locale): string {
	if (x.kind === 'area_level') {
		const name = (arabicScript(locale) ? x.area_name_ar : null) ?? x.area_name ?? x.pcode ?? '';
		// a Latin P-code inside right-to-left text is isolated, or its brackets land on the wrong side
		const code = arabicScript(locale) ? isolateLtr(x.pcode ?? '') : (x.pcode ?? '');
		return t('triggers.describe.area_level', { area: `${name} (${code})`, level: x.level ?? '' });
	}
	if (x.kind === 'incidents_near')
		return t('triggers.describe.incidents_near', {
			k: x.min_incidents ?? '',
			r: formatters(locale).dec(x.radius_km ?? 0),
			d: x.days ?? '',
			where: x.at_base
				? t('triggers.the_base')
				: t('triggers.a_point', { lat: (x.lat ?? 0).toFixed(4), lon: (x.lon ?? 0).toFixed(4) })
		});
	return t('triggers.describe.checkpoint_closed', { name: x.checkpoint_name ?? '' });
}

/** An alert's title as its reader should see it: a contingency trigger's in their language. */
export function alertTitle(
	a: { kind: string; title: string; body: Record<string, unknown> },
	t: Translate,
	locale: Locale
): string {
	if (a.kind === 'area_level_rule' || a.kind === 'checkpoint_rule')
		return ruleAlertTitle(a, t, locale);
	const x = a.body?.trigger as TriggerFacts | undefined;
	if (a.kind !== 'contingency_trigger' || !x || typeof x !== 'object' || !x.kind) return a.title;
	return t('triggers.alert_title', {
		base: String(a.body.base_name ?? ''),
		plan: t(`contingency.kind.${String(a.body.plan_kind)}` as MessageKey),
		what: describeTrigger(x, t, locale)
	});
}

interface LevelChange {
	pcode: string;
	area_name?: string | null;
	area_name_ar?: string | null;
	level: number;
	previous_level?: number | null;
}

/**
 * A level-change or checkpoint rule's alert (57_alerts_events.sql): the rule's own name, then what
 * changed in the reader's words. Falls back to the stored English title when the body lacks facts.
 */
function ruleAlertTitle(
	a: { kind: string; title: string; body: Record<string, unknown> },
	t: Translate,
	locale: Locale
): string {
	const rule = String(a.body?.rule_name ?? '');
	if (a.kind === 'area_level_rule') {
		const changes = a.body?.changes as LevelChange[] | undefined;
		if (!Array.isArray(changes) || changes.length === 0) return a.title;
		if (changes.length > 1)
			return t('alertrules.alert.levels', { rule, n: formatters(locale).n(changes.length) });
		const c = changes[0];
		const name = (arabicScript(locale) ? c.area_name_ar : null) ?? c.area_name ?? c.pcode;
		const code = arabicScript(locale) ? isolateLtr(c.pcode) : c.pcode;
		return t('alertrules.alert.level', { rule, area: `${name} (${code})`, level: c.level });
	}
	const status = String(a.body?.status ?? '');
	if (!status) return a.title;
	const name =
		(arabicScript(locale) ? (a.body?.checkpoint_name_ar as string | null) : null) ??
		String(a.body?.checkpoint_name ?? '');
	return t('alertrules.alert.checkpoint', {
		rule,
		name,
		status: t(`alertrules.cp_status.${status}` as MessageKey)
	});
}
