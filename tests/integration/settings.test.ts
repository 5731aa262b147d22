/**
 * The admin settings (issue 9) through PATCH /api/v1/settings, on both engines: a change is read
 * back and audited; the same values sent again change nothing and write no audit row; an invalid
 * value changes nothing at all (all or none); only admins may change them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import * as settings from '../../src/routes/api/v1/settings/+server.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';

describe.each(engineNames())('settings on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		u = await makeRoles(e.db);
		setDb(e.db);
	});
	afterAll(async () => e?.close());

	const auditRows = async () =>
		Number(
			(
				await e.db.queryOwner<{ n: string }>(
					`select count(*) as n from public.audit_log where table_name = 'app_settings'`
				)
			)[0].n
		);
	const patch = (as: CallerUser, body: unknown) =>
		callRoute(settings.PATCH, as, '/api/v1/settings', { method: 'PATCH', body });
	const read = async () => (await callRoute(settings.GET, u.viewer, '/api/v1/settings')).body;

	it('changes, reads back and audits; unchanged values write nothing', async () => {
		expect(await read()).toEqual({
			operating_area: { countries: ['IRQ'], buffer_km: 50 },
			checkpoint_stale_days: 14,
			site_match_m: 500,
			document_classification: ''
		});
		// The defaults sent back as they are: nothing stored, nothing audited.
		const same = await patch(u.admin, await read());
		expect(same.status, same.text).toBe(200);
		expect(await auditRows()).toBe(0);

		const changed = await patch(u.admin, {
			operating_area: { countries: ['IRQ', 'SYR'], buffer_km: 25 },
			checkpoint_stale_days: 7,
			site_match_m: 500
		});
		expect(changed.status, changed.text).toBe(200);
		const now = await read();
		expect(now.operating_area).toEqual({ countries: ['IRQ', 'SYR'], buffer_km: 25 });
		expect(now.checkpoint_stale_days).toBe(7);
		expect(now.site_match_m).toBe(500);
		// Two settings changed, two audit rows (site_match_m was sent unchanged).
		expect(await auditRows()).toBe(2);

		expect((await patch(u.admin, now)).status).toBe(200);
		expect(await auditRows()).toBe(2);
	});

	it('saves the classification marking, which everyone reads, and clears it again', async () => {
		const audited = await auditRows();
		const set = await patch(u.admin, { document_classification: 'Confidential' });
		expect(set.status, set.text).toBe(200);
		expect((await read()).document_classification).toBe('Confidential');
		expect(await auditRows()).toBe(audited + 1);
		const cleared = await patch(u.admin, { document_classification: '' });
		expect(cleared.status, cleared.text).toBe(200);
		expect((await read()).document_classification).toBe('');
	});

	it('changes nothing when one value is invalid, and names the field', async () => {
		const before = await read();
		// the classification marking: trimmed text of at most 100 characters
		for (const bad of ['x'.repeat(101), ' Secret', 3]) {
			const m = await patch(u.admin, { document_classification: bad });
			expect(m.status, m.text).toBe(400);
			expect(m.body.parameter).toBe('document_classification');
		}
		const r = await patch(u.admin, { checkpoint_stale_days: 30, site_match_m: 999999 });
		expect(r.status).toBe(400);
		expect(r.body.parameter).toBe('site_match_m');
		expect(await read()).toEqual(before);
	});

	it('refuses everyone but admins', async () => {
		for (const role of ['analyst', 'field', 'viewer'] as const)
			expect((await patch(u[role], { checkpoint_stale_days: 3 })).status, role).toBe(403);
		expect((await read()).checkpoint_stale_days).not.toBe(3);
	});
});
