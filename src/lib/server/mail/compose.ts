/**
 * The text of an alert e-mail, from the alert AS ITS RECIPIENT READS IT (alert_get run as them),
 * so it can only hold what their need-to-know allows. E-mail leaves Terrain's control (mail
 * servers, forwarding, phones), so even then a movement alert says only that there is one and
 * links to it: never the purpose, route, times or team of a movement.
 */
import { translator, type Locale } from '../../i18n/index.ts';
import type { Alert } from '../../domain/alerts.ts';
import { alertTitle } from '../../domain/contingency-words.ts';
import { isolateLtr } from '../../domain/bidi.ts';

export interface Mail {
	subject: string;
	text: string;
}

export function composeAlertMail(a: Alert, publicUrl: string, locale: Locale = 'en'): Mail {
	const t = translator(locale);
	const base = publicUrl.replace(/\/+$/, '');
	const link = `${base}/alerts#alert-${a.id}`;
	const sev = t(`alertmail.severity.${a.severity}` as 'alertmail.severity.info');
	if (a.movement_id) {
		return {
			subject: t('alertmail.movement.subject', { severity: sev }),
			text: [t('alertmail.movement.text'), '', t('alertmail.open', { link })].join('\n')
		};
	}
	// Alerts Terrain writes itself are worded in the recipient's language from their kind; their
	// stored title is English (a rule's alert keeps its title: the rule's name, typed by its owner).
	const open = (path: string) => t('alertmail.open', { link: `${base}${path}` });
	if (a.kind === 'authorisation_expiring') {
		return {
			subject: `[Terrain] ${sev}: ${t('alertmail.authorisation.subject')}`,
			text: [
				t('alertmail.authorisation.text', { date: String(a.body.valid_to ?? '') }),
				'',
				open('/movements/authorisations')
			].join('\n')
		};
	}
	if (a.kind === 'headcount') {
		const id = String(a.body.headcount_id ?? '');
		const late = typeof a.body.not_answered === 'number';
		return {
			subject: `[Terrain] ${sev}: ${t(late ? 'alertmail.headcount.late.subject' : 'alertmail.headcount.subject')}`,
			text: [
				late
					? t('alertmail.headcount.late.text', { n: a.body.not_answered as number })
					: t('alertmail.headcount.text'),
				'',
				open(`/headcount/${id}`)
			].join('\n')
		};
	}
	if (a.kind === 'contingency_trigger') {
		// the trigger in the recipient's words (the alert carries its facts), and the plan's link
		const title = alertTitle(a, t, locale);
		const href = typeof a.body.href === 'string' ? a.body.href : '/alerts';
		return { subject: `[Terrain] ${sev}: ${title}`, text: [title, '', open(href)].join('\n') };
	}
	if (a.kind === 'area_level_rule' || a.kind === 'checkpoint_rule') {
		// a level-change or checkpoint rule: the rule's name (its owner's words) and what changed, in
		// the recipient's language (the stored title is English); each area when several changed
		const title = alertTitle(a, t, locale);
		const lines = [title, ''];
		const changes = a.body.changes as
			| { pcode: string; area_name?: string | null; area_name_ar?: string | null; level: number }[]
			| undefined;
		if (a.kind === 'area_level_rule' && Array.isArray(changes) && changes.length > 1) {
			const ar = locale === 'ar' || locale === 'ku';
			for (const c of changes.slice(0, 50))
				lines.push(
					t('alertmail.level_line', {
						area: `${(ar ? c.area_name_ar : null) ?? c.area_name ?? c.pcode} (${ar ? isolateLtr(c.pcode) : c.pcode})`,
						level: c.level
					})
				);
			lines.push('');
		}
		const places = (a.body.places as string[] | undefined) ?? [];
		if (places.length) lines.push(t('alertmail.near', { places: places.join(', ') }), '');
		lines.push(t('alertmail.open', { link }));
		return { subject: `[Terrain] ${sev}: ${title}`, text: lines.join('\n') };
	}
	const lines = [a.title, ''];
	if (a.incidents) {
		lines.push(t('alertmail.incidents', { n: a.incident_count ?? a.incidents.length }));
		for (const i of a.incidents.slice(0, 20))
			lines.push(
				`- ${i.event_date} ${t(`event_type.${i.event_type}` as 'alertmail.open')}` +
					(i.fatalities ? ` (${t('alertmail.fatalities', { n: i.fatalities })})` : '') +
					(i.serious ? ` [${t('alertmail.serious')}]` : '')
			);
		const places = (a.body.places as string[] | undefined) ?? [];
		if (places.length) lines.push('', t('alertmail.near', { places: places.join(', ') }));
		lines.push('');
	}
	lines.push(t('alertmail.open', { link }));
	return { subject: `[Terrain] ${sev}: ${a.title}`, text: lines.join('\n') };
}
