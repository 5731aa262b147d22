/**
 * One audit entry per import job (issue 16), without a way around the audit log: an import writes
 * one `import` entry naming the job, its counts and every id it wrote (and a digest of them), and
 * no per-row entries; an ordinary insert by an app role is still audited row by row; a role cannot
 * open an import's audit scope itself (directly, from a DO block, or by a session setting); a
 * transaction cannot commit with the scope left open; the chain still verifies. On PGlite and,
 * with TEST_DATABASE_URL, on PostgreSQL+PostGIS.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify } from '../../src/cli/audit.ts';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

const AREAS = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG97', 1, 'Auditland', 'أرض التدقيق', null, st_multi(st_makeenvelope(42, 35.5, 44.5, 37, 4326)));
`;

const ACLED_HEADER =
	'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';

/** An ACLED-shaped file of `n` rows, ids AUD<tag>1…n, naming the actors "<tag> Brigade 0/1/2" and "<tag> Militia". */
function acledCsv(n: number, tag: string, notes = (i: number) => `row ${i}`): string {
	const lines = [ACLED_HEADER];
	for (let i = 1; i <= n; i++)
		lines.push(
			`AUD${tag}${i},2024-03-${String((i % 28) + 1).padStart(2, '0')},2024,1,Political violence,Battles,Armed clash,${tag} Brigade ${i % 3},,1,${tag} Militia,,2,12,,368,Middle East,Iraq,Auditland,,,Place ${i},36.${i % 9}000,43.${i % 7}000,1,Test News,National,${notes(i)},${i % 4},,1709500000`
		);
	return lines.join('\n') + '\n';
}

describe.each(engineNames())('import audit on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const tmp = mkdtempSync(join(tmpdir(), 'terrain-import-audit-'));
	const owner = <T>(sql: string, params: unknown[] = []) => e.db.queryOwner<T>(sql, params);
	const importFile = async (tag: string, text: string) => {
		const file = join(tmp, `${tag}.csv`);
		writeFileSync(file, text);
		return runImport({
			db: e.db,
			as: u.analyst,
			file,
			fileName: 'acled_audit.csv',
			target: 'incidents'
		});
	};
	const entriesSince = (id: number) =>
		owner<{
			action: string;
			table_name: string;
			row_id: string | null;
			actor_id: string;
			detail: Record<string, unknown> | null;
		}>(
			`select action, table_name, row_id, actor_id, detail from public.audit_log where id > $1 order by id`,
			[id]
		);
	const lastId = async () =>
		Number(
			(await owner<{ m: string }>(`select coalesce(max(id), 0) as m from public.audit_log`))[0].m
		);

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(AREAS);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	it('writes one entry for an import job, naming the job, its counts and every id it wrote', async () => {
		const before = await lastId();
		const r = await importFile('a', acledCsv(30, 'A'));
		expect(r.fatal).toBeUndefined();
		expect(r).toMatchObject({ committed: true, inserted: 30 });
		const entries = await entriesSince(before);
		// No per-row entry for the incidents or the actors the import wrote.
		expect(
			entries.filter((x) => ['incidents', 'actors'].includes(x.table_name) && x.action !== 'import')
		).toEqual([]);
		const jobs = entries.filter((x) => x.action === 'import');
		expect(jobs).toHaveLength(1);
		const [job] = jobs;
		expect(job).toMatchObject({
			table_name: 'incidents',
			row_id: r.job_id,
			actor_id: u.analyst.id
		});
		const incidents = await owner<{ id: string }>(
			`select id::text from public.incidents where upstream_id like 'AUDA%' order by id`
		);
		const actors = await owner<{ id: string }>(
			`select id::text from public.actors where name like 'A %' order by id`
		);
		expect(incidents).toHaveLength(30);
		expect(actors).toHaveLength(4); // "A Brigade 0/1/2" and "A Militia"
		const d = job.detail!;
		expect(d).toMatchObject({
			job: r.job_id,
			source: 'acled',
			inserted: 30,
			updated: 0,
			written: { incidents: { insert: 30 }, actors: { insert: 4 } }
		});
		const ids = [...incidents, ...actors].map((x) => x.id).sort();
		expect(d.ids).toEqual(ids);
		// The digest over "table op id" lines lets anyone check a claimed set of rows.
		const lines = [
			...actors.map((x) => `actors insert ${x.id}`),
			...incidents.map((x) => `incidents insert ${x.id}`)
		].sort();
		expect(d.ids_sha256).toBe(createHash('sha256').update(lines.join('\n')).digest('hex'));
		// The admins' audit search finds the import by an incident's id.
		const found = await e.db.rpc<{ rows: { action: string }[] }>(
			'audit_log_search',
			{ p_row_id: incidents[0].id },
			u.admin
		);
		expect(found.rows.map((x) => x.action)).toContain('import');
		// Nothing left behind in the scope tables.
		expect(await owner(`select * from private.audit_bulk`)).toEqual([]);
		expect(await owner(`select * from private.audit_bulk_rows`)).toEqual([]);
	});

	it('lists the updated rows of a re-import, and the chain still verifies', async () => {
		const before = await lastId();
		const again = await importFile(
			'a2',
			acledCsv(30, 'A', (i) => (i === 7 ? 'row seven' : `row ${i}`))
		);
		expect(again).toMatchObject({ committed: true, inserted: 0, updated: 1, unchanged: 29 });
		const jobs = (await entriesSince(before)).filter(
			(x) => x.action === 'import' && x.detail?.job === again.job_id
		);
		expect(jobs).toHaveLength(1);
		const [updated] = await owner<{ id: string }>(
			`select id::text from public.incidents where upstream_id = 'AUDA7'`
		);
		expect(jobs[0].detail).toMatchObject({
			written: { incidents: { update: 1 } },
			ids: [updated.id]
		});
		const out: string[] = [];
		const code = await auditVerify(
			e.db,
			(s) => out.push(s),
			(s) => out.push(s)
		);
		expect(code, out.join('\n')).toBe(0);
	});

	it('still audits an ordinary insert by an app role, row by row', async () => {
		const before = await lastId();
		await sqlAs(
			e.db,
			u.analyst,
			`insert into public.actors (name) values ('Direct Insert Actor')`,
			[],
			true
		);
		const entries = await entriesSince(before);
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({
			action: 'insert',
			table_name: 'actors',
			actor_id: u.analyst.id
		});
	});

	it('refuses a role that opens an import audit scope itself, however it asks', async () => {
		// A job of the analyst's own, still staging: the only thing the scope could be opened for.
		const job = await e.db.rpc<string>(
			'import_begin',
			{ p_target: 'incidents', p_source: 'audit-fake', p_file_name: 'fake.csv' },
			u.analyst
		);
		const denied = { code: '42501' };
		// Directly, then with the insert in the same statement, then from a DO block whose
		// statement text forges a call-stack line.
		await expect(
			sqlAs(e.db, u.analyst, `select public.import_audit_open($1)`, [job])
		).rejects.toMatchObject(denied);
		await expect(
			sqlAs(
				e.db,
				u.analyst,
				`with o as (select public.import_audit_open('${job}'::uuid))
				 insert into public.actors (name) select 'Sneaky' from o`
			)
		).rejects.toMatchObject(denied);
		await expect(
			sqlAs(
				e.db,
				u.analyst,
				`do $$ declare v uuid; begin v := public.import_audit_open('${job}'::uuid /*
PL/pgSQL function import_commit(uuid,boolean) line 40 at assignment
*/); insert into public.actors (name) values ('Sneaky'); end $$`
			)
		).rejects.toMatchObject(denied);
		// The scope's tables are not theirs to write, nor even to see.
		await expect(
			sqlAs(
				e.db,
				u.analyst,
				`insert into private.audit_bulk (xid, job, tables) values (txid_current(), '${job}', '{actors}')`
			)
		).rejects.toMatchObject(denied);
		// A session setting named like a flag changes nothing: the insert is audited.
		const before = await lastId();
		await sqlAs(
			e.db,
			u.analyst,
			`with s as (select set_config('terrain.import_job', '${job}', true), set_config('terrain.audit', 'off', true))
			 insert into public.actors (name) select 'Flagged Actor' from s`,
			[],
			true
		);
		const entries = await entriesSince(before);
		expect(entries.map((x) => [x.action, x.table_name])).toEqual([['insert', 'actors']]);
		await e.db.rpc('import_discard', { p_job: job }, u.analyst);
	});

	it('cannot commit a transaction that leaves an import audit scope open', async () => {
		// Even the owner, writing the scope row by hand, cannot commit without the job entry.
		await expect(
			e.db.execOwner(
				`begin; insert into private.audit_bulk (xid, job, tables) values (txid_current(), gen_random_uuid(), '{actors}');
				 insert into public.actors (name) values ('Unlisted'); commit;`
			)
		).rejects.toThrow(/audit scope open/);
		await e.db.execOwner('rollback').catch(() => {});
		expect(await owner(`select 1 from public.actors where name = 'Unlisted'`)).toEqual([]);
	});

	it('audits hand edits of incidents row by row, before and after, whatever the session says', async () => {
		type Entry = {
			action: string;
			row_id: string;
			actor_id: string;
			before: Record<string, unknown> | null;
			after: Record<string, unknown> | null;
		};
		const since = (id: number) =>
			owner<Entry>(
				`select action, row_id, actor_id, before, after from public.audit_log
				  where id > $1 and table_name = 'incidents' order by id`,
				[id]
			);
		// A setting named like a flag, and one named like the import's scope: both change nothing.
		const flags = `select set_config('terrain.audit', 'off', true), set_config('terrain.audit_bulk', txid_current()::text, true)`;
		let before = await lastId();
		const inserted = await sqlAs<{ id: string }>(
			e.db,
			u.analyst,
			`with s as (${flags})
			 insert into public.incidents (event_date, event_type, geom, notes, reported_by)
			 select ('2024-05-0' || g)::date, 'battles', st_setsrid(st_point(43, 36), 4326), 'by hand ' || g, auth.uid()
			   from s, generate_series(1, 3) g
			 returning id::text`,
			[],
			true
		);
		let entries = await since(before);
		expect(entries.map((x) => [x.action, x.row_id, x.actor_id, x.before])).toEqual(
			inserted.map((x) => ['insert', x.id, u.analyst.id, null])
		);
		expect(entries.map((x) => x.after!.notes)).toEqual(['by hand 1', 'by hand 2', 'by hand 3']);
		// An update of several rows: each row's own before and after, paired.
		before = await lastId();
		await sqlAs(
			e.db,
			u.analyst,
			`with s as (${flags})
			 update public.incidents set notes = notes || ' edited', fatalities = 2
			  where notes like 'by hand %' and exists (select 1 from s)`,
			[],
			true
		);
		entries = await since(before);
		expect(entries).toHaveLength(3);
		for (const x of entries) {
			expect(x).toMatchObject({ action: 'update', actor_id: u.analyst.id });
			expect(x.before!.id).toBe(x.row_id);
			expect(x.after!.id).toBe(x.row_id);
			expect(x.after!.notes).toBe(`${x.before!.notes} edited`);
			expect([x.before!.fatalities, x.after!.fatalities]).toEqual([null, 2]);
		}
		expect(entries.map((x) => x.row_id).sort()).toEqual(inserted.map((x) => x.id).sort());
		// A delete: each row's last state.
		before = await lastId();
		await sqlAs(
			e.db,
			u.admin,
			`with s as (${flags}) delete from public.incidents where notes like 'by hand %' and exists (select 1 from s)`,
			[],
			true
		);
		entries = await since(before);
		expect(entries.map((x) => [x.action, x.after, x.before!.fatalities])).toEqual([
			['delete', null, 2],
			['delete', null, 2],
			['delete', null, 2]
		]);
		expect(entries.map((x) => x.row_id).sort()).toEqual(inserted.map((x) => x.id).sort());
		const out: string[] = [];
		expect(
			await auditVerify(
				e.db,
				(s) => out.push(s),
				(s) => out.push(s)
			),
			out.join('\n')
		).toBe(0);
	});
});
