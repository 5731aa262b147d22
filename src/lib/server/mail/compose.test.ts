import { describe, expect, it } from 'vitest';
import { composeAlertMail } from './compose.ts';
import type { Alert } from '../../domain/alerts.ts';

const base: Alert = {
	id: '00000000-0000-4000-8000-000000000001',
	kind: 'movement_overdue',
	severity: 'critical',
	title: 'Movement overdue: Dohuk to Sinjar, clinic visit',
	body: { return_at: '2026-12-03T08:00:00Z' },
	movement_id: '00000000-0000-4000-8000-000000000002',
	created_at: '2026-12-03T09:00:00Z',
	ack: null
};

describe('alert e-mail text', () => {
	it('never names a movement, its route or its times, even to someone who may read it', () => {
		const m = composeAlertMail(base, 'https://t.example/');
		const all = m.subject + m.text;
		expect(all).not.toContain('Sinjar');
		expect(all).not.toContain('2026-12-03');
		expect(m.subject).toBe('[Terrain] Critical: a movement alert');
		expect(m.text).toContain('https://t.example/alerts#alert-00000000-0000-4000-8000-000000000001');
	});

	it("lists a rule alert's incidents, in the recipient's language", () => {
		const a: Alert = {
			...base,
			kind: 'incident_rule',
			severity: 'warning',
			title: 'Near the Dohuk base',
			movement_id: null,
			body: { places: ['Dohuk base'] },
			incident_count: 1,
			incidents: [
				{
					id: 'x',
					event_date: '2026-12-02',
					event_type: 'battles',
					fatalities: 3,
					serious: true,
					affects_ngos: false,
					affects_us: false,
					status: 'verified'
				}
			]
		};
		const en = composeAlertMail(a, 'https://t.example');
		expect(en.subject).toBe('[Terrain] Warning: Near the Dohuk base');
		expect(en.text).toContain('- 2026-12-02 Battles (3 killed) [serious]');
		expect(en.text).toContain('Near: Dohuk base');
		const ar = composeAlertMail(a, 'https://t.example', 'ar');
		expect(ar.text).toContain('3 قتيل');
	});

	it("words a contingency trigger's alert in the recipient's language, with the plan's link", () => {
		const a: Alert = {
			...base,
			kind: 'contingency_trigger',
			movement_id: null,
			title: 'Dohuk base evacuation plan trigger met: security level of Sumel reached 4',
			body: {
				base_name: 'Dohuk base',
				plan_kind: 'evacuation',
				href: '/contingency/b1/evacuation',
				trigger: {
					kind: 'area_level',
					pcode: 'IQG09Q03',
					area_name: 'Sumel',
					area_name_ar: 'سميل',
					level: 4
				}
			}
		};
		const en = composeAlertMail(a, 'https://t.example');
		expect(en.subject).toBe(
			'[Terrain] Critical: Dohuk base: Evacuation plan, trigger met: Security level of Sumel (IQG09Q03) at 4 or higher'
		);
		expect(en.text).toContain('https://t.example/contingency/b1/evacuation');
		const ar = composeAlertMail(a, 'https://t.example', 'ar');
		expect(ar.subject).toContain('سميل');
		expect(ar.subject).not.toContain('Sumel');
	});

	it("words a level-change rule's alert in the recipient's language, each area named", () => {
		const one: Alert = {
			...base,
			kind: 'area_level_rule',
			movement_id: null,
			title: 'Watch Sumel: security level of Sumel (IQG09Q03) is now 4',
			body: {
				rule_name: 'Watch Sumel',
				listens_to: 'area_level',
				changes: [
					{
						pcode: 'IQG09Q03',
						area_name: 'Sumel',
						area_name_ar: 'سميل',
						level: 4,
						previous_level: 2
					}
				]
			}
		};
		const en = composeAlertMail(one, 'https://t.example');
		expect(en.subject).toBe(
			'[Terrain] Critical: Watch Sumel: the security level of Sumel (IQG09Q03) is now 4'
		);
		expect(en.text).toContain(
			'https://t.example/alerts#alert-00000000-0000-4000-8000-000000000001'
		);
		for (const [locale, words] of [
			['ar', 'سميل'],
			['ku', 'سميل'],
			['fr', 'Sumel']
		] as const) {
			const m = composeAlertMail(one, 'https://t.example', locale);
			expect(m.subject, locale).toContain(words);
			// the rule's name stays the owner's; the rest is not the stored English title
			expect(m.subject, locale).toContain('Watch Sumel');
			expect(m.subject, locale).not.toContain('is now');
			expect(m.text, locale).not.toContain(one.title);
		}
		const two: Alert = {
			...one,
			title: 'Watch Dohuk: security level changed in 2 areas',
			body: {
				rule_name: 'Watch Dohuk',
				listens_to: 'area_level',
				changes: [
					{ pcode: 'IQG09Q03', area_name: 'Sumel', area_name_ar: 'سميل', level: 4 },
					{ pcode: 'IQG09Q01', area_name: 'Dohuk', area_name_ar: 'دهوك', level: 3 }
				]
			}
		};
		const ar = composeAlertMail(two, 'https://t.example', 'ar');
		expect(ar.subject).not.toContain('changed in');
		expect(ar.text).toContain('سميل');
		expect(ar.text).toContain('- دهوك');
		expect(composeAlertMail(two, 'https://t.example').text).toContain(
			'- Dohuk (IQG09Q01): level 3'
		);
	});

	it("words a checkpoint rule's alert in the recipient's language", () => {
		const a: Alert = {
			...base,
			kind: 'checkpoint_rule',
			movement_id: null,
			title: 'Roads north: checkpoint Zakho road is now closed (was open)',
			body: {
				rule_name: 'Roads north',
				listens_to: 'checkpoint_status',
				checkpoint_name: 'Zakho road',
				checkpoint_name_ar: 'طريق زاخو',
				status: 'closed',
				previous_status: 'open',
				places: ['Dohuk base']
			}
		};
		const en = composeAlertMail(a, 'https://t.example');
		expect(en.subject).toBe('[Terrain] Critical: Roads north: checkpoint Zakho road is now closed');
		expect(en.text).toContain('Near: Dohuk base');
		const ar = composeAlertMail(a, 'https://t.example', 'ar');
		expect(ar.subject).toContain('طريق زاخو');
		expect(ar.subject).not.toContain('is now');
		const fr = composeAlertMail(a, 'https://t.example', 'fr');
		expect(fr.subject).not.toContain('is now');
		expect(fr.text).toContain('Près de : Dohuk base');
	});
});
