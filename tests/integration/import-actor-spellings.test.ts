/**
 * 1,000 spellings of actor names in one import resolve exactly as the one-name-at-a-time lookup
 * does (public.actor_by_name: an actor whose name, Arabic name or alias has the spelling's key;
 * among several, the one whose own name it is, else the oldest). The import resolves the whole
 * file in one join on the actors' indexed name keys (issue 16); this keeps the two in step.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';

/** Ways one name is written in the files people bring: case, spacing, hyphens, articles, accents. */
function variants(name: string): string[] {
	const v = [
		name,
		name.toUpperCase(),
		name.toLowerCase(),
		`  ${name}  `,
		name.replace(/ /g, '-'),
		`the ${name}`,
		`Al-${name}`,
		name.replace(/e/g, 'é'),
		name.replace(/a/g, 'â'),
		`${name}.`,
		// Arabic: a vowel mark and a tatweel after the first letter.
		/[\u0600-\u06ff]/.test(name) ? `${name.slice(0, 1)}\u064e\u0640${name.slice(1)}` : `${name}!`
	];
	return [...new Set(v)];
}

const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe.each(engineNames())('1,000 actor spellings in one import on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it('links every row to the actor actor_by_name gives, and adds each new name once', async () => {
		// Two pairs of actors that share a key: the one whose own name it is wins, else the oldest.
		await e.db.queryOwner(
			`insert into public.actors (name, aliases, created_at) values
			   ('Spelling Tie Alpha', '{"Spelling Tie Beta"}', now() - interval '2 days'),
			   ('Spelling Tie Beta', '{}', now() - interval '1 day'),
			   ('Spelling Tie Gamma', '{"Spelling Shared"}', now() - interval '2 days'),
			   ('Spelling Tie Delta', '{"Spelling Shared"}', now() - interval '1 day')`
		);
		const known = await e.db.queryOwner<{
			name: string;
			name_ar: string | null;
			aliases: string[];
		}>(`select name, name_ar, aliases from public.actors order by created_at, id`);
		const names = known.flatMap((a) => [a.name, ...(a.name_ar ? [a.name_ar] : []), ...a.aliases]);
		// New names, each written several ways: the import adds one actor per name.
		const fresh = Array.from({ length: 40 }, (_, i) => `Valley Brigade ${i + 1}`);
		const freshSpellings = [...new Set(fresh.flatMap(variants))];
		const knownSpellings = [...new Set(names.flatMap(variants))];
		const spellings = [...knownSpellings.slice(0, 1000 - freshSpellings.length), ...freshSpellings];
		expect(spellings.length).toBe(1000);

		const refBefore = await e.db.queryOwner<{ s: string; id: string | null }>(
			`select s, public.actor_by_name(s) as id from unnest($1::text[]) s`,
			[spellings]
		);
		// The names no actor has yet, counted by key: each becomes one actor.
		const newKeys = Number(
			(
				await e.db.queryOwner<{ n: string }>(
					`select count(distinct public.actor_name_key(s)) as n from unnest($1::text[]) s
					 where public.actor_by_name(s) is null`,
					[spellings]
				)
			)[0].n
		);
		const actorsBefore = Number(
			(await e.db.queryOwner<{ n: string }>(`select count(*) as n from public.actors`))[0].n
		);

		const lines = ['id,event_date,event_type,actor1,actor2,lat,lon,fatalities,source'];
		spellings.forEach((s, i) => {
			const other = spellings[(i * 7 + 3) % spellings.length];
			lines.push(
				`spell-${i},2019-05-01,battles,${csvCell(s)},${csvCell(other)},36.3,43.1,0,Test tracker`
			);
		});
		const file = join(mkdtempSync(join(tmpdir(), 'terrain-spellings-')), 'spellings.csv');
		writeFileSync(file, lines.join('\n'));
		const r = await runImport({
			db: e.db,
			as: u.analyst,
			file,
			target: 'incidents',
			source: 'spelling-test'
		});
		expect(r.problems.filter((p) => p.level === 'error')).toEqual([]);
		expect(r).toMatchObject({ committed: true, inserted: 1000 });

		// Every row's two actors against the one-at-a-time lookup, after the import (new names
		// are then registered) — and a name known before still goes to the actor it went to.
		const rows = await e.db.queryOwner<{
			ord: number;
			a1: string | null;
			a2: string | null;
			ref1: string | null;
			ref2: string | null;
		}>(
			`select substr(i.upstream_id, 7)::int as ord, i.actor1_id as a1, i.actor2_id as a2,
			        public.actor_by_name(s.s1) as ref1, public.actor_by_name(s.s2) as ref2
			 from public.incidents i
			 join unnest($1::text[], $2::text[]) with ordinality s(s1, s2, n) on i.upstream_id = 'spell-' || (s.n - 1)
			 where i.upstream_source = 'spelling-test' order by 1`,
			[spellings, spellings.map((_, i) => spellings[(i * 7 + 3) % spellings.length])]
		);
		expect(rows.length).toBe(1000);
		const wrong = rows.filter((x) => x.a1 !== x.ref1 || x.a2 !== x.ref2 || x.a1 === null);
		expect(wrong).toEqual([]);
		const before = new Map(refBefore.map((x) => [x.s, x.id]));
		const moved = rows.filter((x) => {
			const was = before.get(spellings[x.ord]);
			return was != null && was !== x.a1;
		});
		expect(moved).toEqual([]);

		// The ties: own name first, else the oldest.
		const pick = async (s: string) =>
			(
				await e.db.queryOwner<{ name: string }>(
					`select a.name from public.incidents i join public.actors a on a.id = i.actor1_id
					 where i.upstream_source = 'spelling-test' and i.upstream_id = $1`,
					[`spell-${spellings.indexOf(s)}`]
				)
			)[0]?.name;
		expect(await pick('SPELLING TIE BETA')).toBe('Spelling Tie Beta');
		expect(await pick('spelling shared')).toBe('Spelling Tie Gamma');

		// One actor per new name, however many ways the file writes it.
		const added = await e.db.queryOwner<{ name: string }>(
			`select name from public.actors where upstream_source = 'spelling-test'`
		);
		expect(added.length).toBe(
			Number(
				(await e.db.queryOwner<{ n: string }>(`select count(*) as n from public.actors`))[0].n
			) - actorsBefore
		);
		expect(added.length).toBe(newKeys);
		expect(newKeys).toBeGreaterThanOrEqual(fresh.length);
	}, 300_000);
});
