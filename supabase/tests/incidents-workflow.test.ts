/**
 * Incident reporting in SQL: create (validation, placement, reporter, status by role), edit,
 * the verification workflow, history from the audit log, duplicates, merge and undo, and the
 * searchable, sortable list — on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import {
	engineNames,
	makeRoles,
	openEngine,
	sqlAs,
	type Engine
} from '../../tests/integration/helpers/db.ts';

// A governorate (43–44°E, 36–37°N) split into two districts, one of them into two sub-districts.
const AREAS = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG98', 1, 'Testland', 'أرض', null, st_multi(st_makeenvelope(43, 36, 44, 37, 4326))),
  ('IQD9801', 2, 'West District', null, 'IQG98', st_multi(st_makeenvelope(43, 36, 43.5, 37, 4326))),
  ('IQD9802', 2, 'East District', null, 'IQG98', st_multi(st_makeenvelope(43.5, 36, 44, 37, 4326))),
  ('IQS980101', 3, 'North West', null, 'IQD9801', st_multi(st_makeenvelope(43, 36.5, 43.5, 37, 4326))),
  ('IQS980102', 3, 'South West', null, 'IQD9801', st_multi(st_makeenvelope(43, 36, 43.5, 36.5, 4326)));
`;

interface Incident {
	id: string;
	status: string;
	reported_by: string;
	admin1_pcode: string | null;
	admin2_pcode: string | null;
	admin3_pcode: string | null;
	geo_precision: number;
	lon: number;
	lat: number;
	actor1: string | null;
	actor1_id: string | null;
	source: string | null;
	notes: string;
	status_reason: string | null;
	merged_into: string | null;
	fatalities: number;
}
interface Created {
	incident: Incident;
	duplicates: { id: string; distance_km: number; days_apart: number }[];
}
interface HistoryEntry {
	action: string;
	actor: { id: string; email: string };
	changes: { field: string; before: unknown; after: unknown }[];
	detail: Record<string, unknown> | null;
}
interface ListAnswer {
	total: number;
	rows: {
		id: string;
		fatalities: number;
		notes?: string;
		snippet: string;
		status: string;
		admin1_name: string;
	}[];
}

describe.each(engineNames())('incident workflow on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const report = (as: CallerUser, p: Record<string, unknown>) =>
		e.db.rpc<Created>('incident_create', { p }, as);
	const base = { event_date: '2024-03-01', event_type: 'battles', lon: 43.2, lat: 36.7 };

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(AREAS);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	describe('reporting', () => {
		it('records a field report as reported, by the caller, placed in its admin areas', async () => {
			const r = await report(u.field, { ...base, notes: 'Clash at the checkpoint', fatalities: 2 });
			expect(r.incident).toMatchObject({
				status: 'reported',
				reported_by: u.field.id,
				admin1_pcode: 'IQG98',
				admin2_pcode: 'IQD9801',
				admin3_pcode: 'IQS980101',
				geo_precision: 1,
				fatalities: 2
			});
			// The reporter sees it; a viewer does not (not verified yet).
			expect(await e.db.rpc('incident_get', { p_id: r.incident.id }, u.field)).not.toBeNull();
			expect(await e.db.rpc('incident_get', { p_id: r.incident.id }, u.viewer)).toBeNull();
		});

		it('places a point in a district with no sub-district at the district and governorate', async () => {
			const r = await report(u.analyst, { ...base, lon: 43.8, lat: 36.2 });
			expect(r.incident).toMatchObject({
				admin1_pcode: 'IQG98',
				admin2_pcode: 'IQD9802',
				admin3_pcode: null
			});
		});

		it('places an incident without coordinates inside the area of its P-code, at area precision', async () => {
			const r = await report(u.field, {
				event_date: '2024-03-02',
				event_type: 'protests',
				admin_pcode: 'IQD9802'
			});
			expect(r.incident).toMatchObject({
				geo_precision: 3,
				admin1_pcode: 'IQG98',
				admin2_pcode: 'IQD9802'
			});
			expect(r.incident.lon).toBeGreaterThan(43.5);
			expect(r.incident.lon).toBeLessThan(44);
			await expect(
				report(u.field, {
					event_date: '2024-03-02',
					event_type: 'protests',
					admin_pcode: 'IQX0000'
				})
			).rejects.toThrow(/admin_pcode: no area/);
		});

		it('lets analysts record a verified incident directly, but not field staff or viewers', async () => {
			const r = await report(u.analyst, { ...base, status: 'verified' });
			expect(r.incident.status).toBe('verified');
			await expect(report(u.field, { ...base, status: 'verified' })).rejects.toMatchObject({
				code: '42501'
			});
			await expect(report(u.viewer, base)).rejects.toMatchObject({ code: '42501' });
			await expect(e.db.rpc('incident_create', { p: base }, 'anon')).rejects.toThrow();
		});

		it('refuses bad input with a message naming the field, and writes nothing', async () => {
			const before = await sqlAs<{ n: number }>(
				e.db,
				u.admin,
				'select count(*)::int as n from public.incidents'
			);
			const cases: [Record<string, unknown>, RegExp][] = [
				[{ ...base, event_date: '2999-01-01' }, /^event_date: must not be in the future/],
				[{ ...base, event_date: '01/03/2024' }, /^event_date: expected YYYY-MM-DD/],
				[{ ...base, event_type: 'battle' }, /^event_type: unknown event type/],
				[{ ...base, lon: 200 }, /^lon: must be a number between -180 and 180/],
				[{ ...base, lat: '36.1' }, /^lat: must be a number/],
				[{ ...base, lat: undefined }, /^location: give both lon and lat/],
				[{ ...base, fatalities: -1 }, /^fatalities: must be a whole number/],
				[{ ...base, fatalities: 1.5 }, /^fatalities: must be a whole number/],
				[{ ...base, colour: 'red' }, /^colour: unknown field/],
				[{ event_type: 'battles', lon: 43, lat: 36 }, /^event_date: is required/],
				[{ event_date: '2024-01-01', event_type: 'battles' }, /^location: give coordinates/],
				[{ ...base, status: 'archived' }, /^status: /]
			];
			for (const [p, message] of cases) {
				const payload = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
				await expect(report(u.analyst, payload), JSON.stringify(p)).rejects.toThrow(message);
			}
			const after = await sqlAs<{ n: number }>(
				e.db,
				u.admin,
				'select count(*)::int as n from public.incidents'
			);
			expect(after[0].n).toBe(before[0].n);
		});

		it('links actors by name, adding a new one once and reusing it after', async () => {
			const a = await report(u.field, { ...base, actor1: 'Unknown Gunmen' });
			const b = await report(u.field, {
				...base,
				event_date: '2024-01-01',
				actor1: 'unknown gunmen'
			});
			expect(a.incident.actor1).toBe('Unknown Gunmen');
			expect(b.incident.actor1_id).toBe(a.incident.actor1_id);
			const byId = await report(u.field, {
				...base,
				event_date: '2023-12-01',
				actor1_id: a.incident.actor1_id
			});
			expect(byId.incident.actor1).toBe('Unknown Gunmen');
			const options = await e.db.rpc<{ name: string }[]>(
				'incident_actor_options',
				{ p_q: 'gunm' },
				u.field
			);
			expect(options.map((o) => o.name)).toContain('Unknown Gunmen');
		});

		it('flags likely duplicates: same type, near in space and time, and only those', async () => {
			const first = await report(u.analyst, {
				event_date: '2022-05-10',
				event_type: 'explosions_remote_violence',
				lon: 43.3,
				lat: 36.3
			});
			expect(first.duplicates).toEqual([]);
			// ~1.1 km north, the next day: a likely duplicate.
			const near = await report(u.analyst, {
				event_date: '2022-05-11',
				event_type: 'explosions_remote_violence',
				lon: 43.3,
				lat: 36.31
			});
			expect(near.duplicates.map((d) => d.id)).toEqual([first.incident.id]);
			expect(near.duplicates[0].distance_km).toBeGreaterThan(1);
			expect(near.duplicates[0].distance_km).toBeLessThan(1.2);
			expect(near.duplicates[0].days_apart).toBe(1);
			// Field staff are compared only with what they may see: the analyst's unverified report
			// stays hidden from them.
			const fieldNear = await report(u.field, {
				event_date: '2022-05-11',
				event_type: 'explosions_remote_violence',
				lon: 43.3,
				lat: 36.31
			});
			expect(fieldNear.duplicates).toEqual([]);
			// Another type, or 20 km away, or a week later: not a duplicate.
			expect(
				(
					await report(u.analyst, {
						event_date: '2022-05-10',
						event_type: 'protests',
						lon: 43.3,
						lat: 36.3
					})
				).duplicates
			).toEqual([]);
			expect(
				(
					await report(u.analyst, {
						event_date: '2022-05-10',
						event_type: 'explosions_remote_violence',
						lon: 43.3,
						lat: 36.48
					})
				).duplicates
			).toEqual([]);
			expect(
				(
					await report(u.analyst, {
						event_date: '2022-05-17',
						event_type: 'explosions_remote_violence',
						lon: 43.3,
						lat: 36.3
					})
				).duplicates
			).toEqual([]);
			// The distance and window are arguments.
			const wide = await e.db.rpc<unknown[]>(
				'incident_duplicates',
				{ p_id: first.incident.id, p_km: 25, p_days: 7 },
				u.analyst
			);
			expect(wide.length).toBe(4);
			const around = await e.db.rpc<unknown[]>(
				'incident_duplicates_near',
				{
					p_event_type: 'explosions_remote_violence',
					p_lon: 43.3,
					p_lat: 36.3,
					p_date: '2022-05-10'
				},
				u.analyst
			);
			expect(around.length).toBe(3);
		});
	});

	describe('editing and verification', () => {
		it('lets analysts edit (re-placing a moved point) and refuses field staff and viewers', async () => {
			const { incident } = await report(u.field, { ...base, notes: 'first draft' });
			const edited = await e.db.rpc<Incident>(
				'incident_update',
				{ p_id: incident.id, p: { notes: 'checked', lon: 43.7, lat: 36.5 } },
				u.analyst
			);
			expect(edited).toMatchObject({
				notes: 'checked',
				admin2_pcode: 'IQD9802',
				admin3_pcode: null,
				status: 'reported'
			});
			await expect(
				e.db.rpc('incident_update', { p_id: incident.id, p: { notes: 'mine' } }, u.field)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc('incident_update', { p_id: incident.id, p: { notes: 'x' } }, u.viewer)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc('incident_update', { p_id: incident.id, p: { status: 'verified' } }, u.analyst)
			).rejects.toThrow(/^status: /);
			await expect(
				e.db.rpc('incident_update', { p_id: incident.id, p: { fatalities: -3 } }, u.analyst)
			).rejects.toThrow(/^fatalities: /);
		});

		it('moves reported → verified → archived, and reported → rejected with a reason', async () => {
			const a = (await report(u.field, base)).incident;
			const verified = await e.db.rpc<Incident>(
				'incident_transition',
				{ p_id: a.id, p_to: 'verified' },
				u.analyst
			);
			expect(verified.status).toBe('verified');
			// Now a viewer sees it.
			expect(await e.db.rpc('incident_get', { p_id: a.id }, u.viewer)).not.toBeNull();
			await expect(
				e.db.rpc('incident_transition', { p_id: a.id, p_to: 'rejected', p_reason: 'x' }, u.analyst)
			).rejects.toThrow(/cannot become rejected/);
			const archived = await e.db.rpc<Incident>(
				'incident_transition',
				{ p_id: a.id, p_to: 'archived' },
				u.admin
			);
			expect(archived.status).toBe('archived');

			const b = (await report(u.field, base)).incident;
			await expect(
				e.db.rpc('incident_transition', { p_id: b.id, p_to: 'rejected' }, u.analyst)
			).rejects.toThrow(/^reason: /);
			await expect(
				e.db.rpc(
					'incident_transition',
					{ p_id: b.id, p_to: 'rejected', p_reason: '   ' },
					u.analyst
				)
			).rejects.toThrow(/^reason: /);
			const rejected = await e.db.rpc<Incident>(
				'incident_transition',
				{ p_id: b.id, p_to: 'rejected', p_reason: 'Rumour; no second source' },
				u.analyst
			);
			expect(rejected).toMatchObject({
				status: 'rejected',
				status_reason: 'Rumour; no second source'
			});
		});

		it('refuses transitions by field staff and viewers, and to unknown states', async () => {
			const a = (await report(u.field, base)).incident;
			await expect(
				e.db.rpc('incident_transition', { p_id: a.id, p_to: 'verified' }, u.field)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc('incident_transition', { p_id: a.id, p_to: 'verified' }, u.viewer)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc('incident_transition', { p_id: a.id, p_to: 'deleted' }, u.analyst)
			).rejects.toThrow(/cannot become deleted/);
			await expect(
				e.db.rpc(
					'incident_transition',
					{ p_id: '00000000-0000-0000-0000-00000000dead', p_to: 'verified' },
					u.analyst
				)
			).rejects.toMatchObject({ code: 'P0002' });
		});

		it('shows who changed what, when, before and after, in the history', async () => {
			const a = (await report(u.field, { ...base, fatalities: 1, notes: 'initial' })).incident;
			await e.db.rpc('incident_update', { p_id: a.id, p: { fatalities: 4 } }, u.analyst);
			await e.db.rpc('incident_transition', { p_id: a.id, p_to: 'verified' }, u.analyst);
			const h = await e.db.rpc<HistoryEntry[]>('incident_history', { p_id: a.id }, u.analyst);
			expect(h.map((x) => x.action)).toEqual(['insert', 'update', 'transition']);
			expect(h[0].actor.id).toBe(u.field.id);
			expect(h[0].changes).toContainEqual({ field: 'status', before: null, after: 'reported' });
			expect(h[1].actor.email).toBe(u.analyst.email);
			expect(h[1].changes).toEqual([{ field: 'fatalities', before: 1, after: 4 }]);
			expect(h[2].changes).toContainEqual({
				field: 'status',
				before: 'reported',
				after: 'verified'
			});
			// The reporter (field) sees their own report and what happened once it was verified,
			// not the analyst's edit while it was unverified, and editors as roles (issue 10).
			const f = await e.db.rpc<HistoryEntry[]>('incident_history', { p_id: a.id }, u.field);
			expect(f.map((x) => x.action)).toEqual(['insert', 'transition']);
			expect(f.map((x) => x.actor)).toEqual([{ role: 'field' }, { role: 'analyst' }]);
			expect(f[1].changes).toContainEqual({
				field: 'status',
				before: null,
				after: 'verified',
				hidden: true
			});
		});

		it('shows the history exactly to those who may see the incident', async () => {
			const other = await makeRoles(e.db);
			const ids = [
				(await report(u.field, base)).incident.id, // reported by u.field
				(await report(u.analyst, { ...base, status: 'verified', confidentiality: 'public' }))
					.incident.id,
				(await report(u.analyst, { ...base, status: 'verified', confidentiality: 'restricted' }))
					.incident.id,
				(await report(u.analyst, base)).incident.id
			];
			for (const as of [...Object.values(u), ...Object.values(other)]) {
				for (const id of ids) {
					const seen = (await e.db.rpc('incident_get', { p_id: id }, as)) !== null;
					const history = await e.db.rpc<unknown[] | null>('incident_history', { p_id: id }, as);
					expect(history !== null, `${as.role} ${as.email} on ${id}`).toBe(seen);
				}
			}
			await expect(e.db.rpc('incident_history', { p_id: ids[0] }, 'anon')).rejects.toThrow(
				/permission denied/
			);
		});
	});

	describe('merging duplicates', () => {
		it('keeps both sources, archives the duplicate, and can be undone from the history', async () => {
			const keep = (
				await report(u.analyst, {
					...base,
					event_date: '2021-01-01',
					source: 'Field team',
					notes: 'Our report'
				})
			).incident;
			const dup = (
				await report(u.analyst, {
					...base,
					event_date: '2021-01-01',
					source: 'Local media',
					notes: 'Press report'
				})
			).incident;
			await expect(
				e.db.rpc('incident_merge', { p_keep: keep.id, p_merge: dup.id }, u.field)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc('incident_merge', { p_keep: keep.id, p_merge: keep.id }, u.analyst)
			).rejects.toThrow(/itself/);

			const m = await e.db.rpc<{ merge_id: string; incident: Incident }>(
				'incident_merge',
				{ p_keep: keep.id, p_merge: dup.id, p_reason: 'same event' },
				u.analyst
			);
			expect(m.incident.source).toBe('Field team; Local media');
			expect(m.incident.notes).toContain('Our report');
			expect(m.incident.notes).toContain('Press report');
			const gone = await e.db.rpc<Incident>('incident_get', { p_id: dup.id }, u.analyst);
			expect(gone).toMatchObject({ status: 'archived', merged_into: keep.id });
			// A merged incident is no longer offered as a duplicate, and cannot be merged again.
			const dups = await e.db.rpc<{ id: string }[]>(
				'incident_duplicates',
				{ p_id: keep.id },
				u.analyst
			);
			expect(dups.map((d) => d.id)).not.toContain(dup.id);
			await expect(
				e.db.rpc('incident_merge', { p_keep: keep.id, p_merge: dup.id }, u.analyst)
			).rejects.toThrow(/already merged/);

			const h = await e.db.rpc<HistoryEntry[]>('incident_history', { p_id: keep.id }, u.analyst);
			const merge = h.find((x) => x.action === 'merge')!;
			expect(merge.detail).toMatchObject({
				merge_id: m.merge_id,
				kept_id: keep.id,
				merged_id: dup.id
			});
			expect(
				(await e.db.rpc<{ id: string }[]>('incident_merges_of', { p_id: keep.id }, u.analyst)).map(
					(g) => g.id
				)
			).toEqual([m.merge_id]);

			const undone = await e.db.rpc<{ kept: Incident; restored: Incident }>(
				'incident_unmerge',
				{ p_merge_id: m.merge_id },
				u.analyst
			);
			expect(undone.kept).toMatchObject({ source: 'Field team', notes: 'Our report' });
			expect(undone.restored).toMatchObject({
				status: 'reported',
				merged_into: null,
				source: 'Local media'
			});
			await expect(
				e.db.rpc('incident_unmerge', { p_merge_id: m.merge_id }, u.analyst)
			).rejects.toThrow(/already undone/);
			const h2 = await e.db.rpc<HistoryEntry[]>('incident_history', { p_id: dup.id }, u.analyst);
			expect(h2.map((x) => x.action)).toEqual(expect.arrayContaining(['merge', 'unmerge']));
		});
	});

	describe('the incident list', () => {
		const tag = 'zqlisttest';
		beforeAll(async () => {
			const rows = [
				{
					notes: `${tag} Gunmen attacked a convoy near the bridge`,
					fatalities: 3,
					status: 'verified'
				},
				{
					notes: `${tag} Protest outside the governorate building`,
					fatalities: 0,
					status: 'verified'
				},
				{ notes: `${tag} IED attack on a police patrol`, fatalities: 5 },
				{ notes: `${tag} هجوم على نقطة تفتيش`, fatalities: 1, status: 'verified' }
			];
			for (const r of rows)
				await report(u.analyst, {
					...base,
					event_date: '2020-06-01',
					confidentiality: 'public',
					...r
				});
		});
		const list = (as: CallerUser, args: Record<string, unknown>) =>
			e.db.rpc<ListAnswer>(
				'incidents_list',
				{ p_from: '2020-06-01', p_to: '2020-06-01', ...args },
				as
			);

		it('finds descriptions by full-text search, with stemming', async () => {
			const r = await list(u.analyst, { p_q: 'attacks' });
			expect(r.total).toBe(2);
			expect(r.rows.every((x) => /attack/i.test(x.snippet))).toBe(true);
			expect((await list(u.analyst, { p_q: 'convoy -police' })).total).toBe(1);
			expect((await list(u.analyst, { p_q: 'تفتيش' })).total).toBe(1);
			expect((await list(u.analyst, { p_q: '"police patrol"' })).total).toBe(1);
		});

		it('sorts by a whitelisted column in either direction and pages', async () => {
			const desc = await list(u.analyst, { p_sort: 'fatalities', p_dir: 'desc', p_q: tag });
			expect(desc.rows.map((r) => r.fatalities)).toEqual([5, 3, 1, 0]);
			const asc = await list(u.analyst, {
				p_sort: 'fatalities',
				p_dir: 'asc',
				p_q: tag,
				p_limit: 2,
				p_offset: 2
			});
			expect(asc).toMatchObject({ total: 4 });
			expect(asc.rows.map((r) => r.fatalities)).toEqual([3, 5]);
			expect(desc.rows[0].admin1_name).toBe('Testland');
			await expect(list(u.analyst, { p_sort: 'notes; drop table incidents' })).rejects.toThrow(
				/^sort: unknown column/
			);
		});

		it('filters by status and respects who may see what', async () => {
			expect((await list(u.analyst, { p_q: tag, p_status: ['reported'] })).total).toBe(1);
			expect((await list(u.viewer, { p_q: tag })).total).toBe(3);
			expect((await list(u.viewer, { p_q: tag })).rows.every((r) => r.status === 'verified')).toBe(
				true
			);
		});

		it('uses the GIN index for the search', async () => {
			// The planner prefers a scan on a small table; forbid that to see that the index applies.
			await e.db
				.execOwner(`create function public.test_explain(q text) returns text language plpgsql
				set enable_seqscan = off as $f$ declare r record; t text := ''; begin
				for r in execute 'explain ' || q loop t := t || r."QUERY PLAN" || E'\\n'; end loop; return t; end $f$`);
			const [{ plan }] = await e.db.queryOwner<{ plan: string }>(
				`select public.test_explain($1) as plan`,
				[
					`select id from public.incidents where public.incident_document(notes, location_name, source, sub_event_type) @@ websearch_to_tsquery('english', 'convoy')`
				]
			);
			expect(plan).toMatch(/incidents_search_idx/);
		});
	});
});
