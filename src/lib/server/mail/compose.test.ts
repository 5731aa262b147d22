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
});
