/**
 * Actors, presence and relationships: who may read and write what (including what must be
 * refused), duplicate detection (case, diacritics, Arabic spelling, aliases), the relationship
 * rules, the derived confrontations, the network as of a date, neighbourhoods, and deleting an
 * actor without orphaning anything — on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
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

const A = {
	gov: '00000000-0000-0000-00a0-000000000001',
	is: '00000000-0000-0000-00a0-000000000002',
	pmf: '00000000-0000-0000-00a0-000000000003',
	tribe: '00000000-0000-0000-00a0-000000000004',
	ngo: '00000000-0000-0000-00a0-000000000005'
};

const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG91', 1, 'Northland', null, st_multi(st_makeenvelope(43, 36, 44, 37, 4326))),
  ('IQD911', 2, 'West District', 'IQG91', st_multi(st_makeenvelope(43, 36, 43.5, 37, 4326))),
  ('IQD912', 2, 'East District', 'IQG91', st_multi(st_makeenvelope(43.5, 36, 44, 37, 4326))),
  ('IQ91101', 3, 'Corner', 'IQD911', st_multi(st_makeenvelope(43, 36, 43.25, 36.25, 4326)));
-- "IS" is created as UCDP names it: the alias hints give it ISIL, Daesh and its Arabic name.
insert into public.actors (id, name, actor_type) values
  ('${A.gov}', 'Government of Iraq', 'state_forces'),
  ('${A.is}', 'IS', 'armed_group'),
  ('${A.pmf}', 'Popular Mobilization Forces (PMF)', 'militia'),
  ('${A.tribe}', 'Shammar tribal council', 'community_leader'),
  ('${A.ngo}', 'Relief Partners', 'national_ngo');
-- Five incidents between the government and IS: three verified public, one reported, one restricted.
insert into public.incidents (event_date, event_type, geom, actor1_id, actor2_id, fatalities, status, confidentiality) values
  ('2014-06-10', 'battles', st_point(43.1, 36.1, 4326), '${A.gov}', '${A.is}', 3, 'verified', 'public'),
  ('2014-08-01', 'battles', st_point(43.1, 36.1, 4326), '${A.is}', '${A.gov}', 5, 'verified', 'public'),
  ('2016-10-17', 'battles', st_point(43.2, 36.2, 4326), '${A.gov}', '${A.is}', 7, 'verified', 'internal'),
  ('2017-01-01', 'battles', st_point(43.2, 36.2, 4326), '${A.gov}', '${A.is}', 1, 'reported', 'internal'),
  ('2017-07-09', 'battles', st_point(43.3, 36.3, 4326), '${A.is}', '${A.gov}', 9, 'verified', 'restricted'),
  ('2015-03-01', 'violence_against_civilians', st_point(43.3, 36.3, 4326), '${A.is}', null, 2, 'verified', 'public');
insert into public.checkpoints (name, controlling_actor_id, geom) values ('CP PMF', '${A.pmf}', st_point(43.2, 36.2, 4326));
`;

describe.each(engineNames())('actors on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const save = (as: CallerUser, args: Record<string, unknown>) =>
		e.db.rpc<{ id: string; name: string }>('actor_save', args, as);
	const rel = (as: CallerUser, args: Record<string, unknown>) =>
		e.db.rpc<{ id: string }>('relationship_save', args, as);

	describe('actors', () => {
		it('lets every signed-in role read actors, and nobody anonymous', async () => {
			for (const role of ['admin', 'analyst', 'field', 'viewer'] as const) {
				const l = await e.db.rpc<{ total: number }>('actors_list', {}, u[role]);
				expect(l.total).toBe(5);
			}
			await expect(e.db.rpc('actors_list', {}, 'anon')).rejects.toThrow(/permission denied/);
		});

		it("gives the demo data's actors their known aliases and Arabic names", async () => {
			const is = await e.db.rpc<{ aliases: string[]; name_ar: string }>(
				'actor_get',
				{ p_id: A.is },
				u.viewer
			);
			expect(is.aliases).toEqual(expect.arrayContaining(['ISIL', 'Daesh', 'داعش']));
			expect(is.name_ar).toBe('الدولة الإسلامية');
		});

		it('lets reporters add actors and analysts change them; refuses viewers and field edits', async () => {
			const f = await save(u.field, {
				p_name: 'Village committee of Tel Kaif',
				p_actor_type: 'community_leader'
			});
			expect(f.name).toBe('Village committee of Tel Kaif');
			await expect(save(u.viewer, { p_name: 'Viewer group' })).rejects.toThrow(
				/row-level security/
			);
			const changed = await save(u.analyst, {
				p_id: f.id,
				p_name: 'Village committee of Tel Kaif',
				p_actor_type: 'community_leader',
				p_stance: 'supportive',
				p_influence: 2,
				p_interest: 4,
				p_hq_lon: 43.12,
				p_hq_lat: 36.49,
				p_sources: ['Field visit 2024-03-02', '  '],
				p_notes: '**Mukhtar** chairs it.'
			});
			expect(changed).toMatchObject({
				stance: 'supportive',
				influence: 2,
				interest: 4,
				hq_lon: 43.12,
				hq_lat: 36.49,
				sources: ['Field visit 2024-03-02']
			});
			await expect(save(u.field, { p_id: f.id, p_name: 'Renamed by field' })).rejects.toMatchObject(
				{ code: '42501' }
			);
			await expect(
				sqlAs(e.db, u.viewer, `update public.actors set notes = 'x' returning id`)
			).resolves.toEqual([]);
		});

		it('detects duplicates by name or alias, ignoring case, diacritics and Arabic spelling variants', async () => {
			const dup = async (args: Record<string, unknown>) => {
				const err = await save(u.analyst, { p_actor_type: 'armed_group', ...args }).catch((x) => x);
				expect(err).toMatchObject({ code: '23505' });
				return JSON.parse(err.detail) as { id: string; matched: string[] }[];
			};
			expect((await dup({ p_name: 'Daesh' }))[0]).toMatchObject({ id: A.is, matched: ['Daesh'] });
			expect((await dup({ p_name: 'isil' }))[0].id).toBe(A.is);
			expect((await dup({ p_name: 'الدولة الاسلامية' }))[0].id).toBe(A.is); // hamza-less alef, as often typed
			expect((await dup({ p_name: 'الدَّوْلَةُ الإسلاميّة' }))[0].id).toBe(A.is); // with vowel marks
			expect(
				(await dup({ p_name: 'Al-Hashd al-Sha’abi forces', p_aliases: ['Hashd al-Shaabi'] }))[0].id
			).toBe(A.pmf);
			expect((await dup({ p_name: 'SHAMMAR  Tribal-Council' }))[0].id).toBe(A.tribe);
			const accent = await save(u.analyst, {
				p_name: 'Jaysh al-Mukhtār',
				p_actor_type: 'armed_group'
			});
			expect((await dup({ p_name: 'jaysh al mukhtar' }))[0].id).toBe(accent.id);
			// The form shows the same matches before saving.
			const list = await e.db.rpc<{ id: string }[]>(
				'actor_duplicates',
				{ p_name: 'ISIS' },
				u.field
			);
			expect(list.map((d) => d.id)).toEqual([A.is]);
			// A different actor that merely looks alike can still be saved, deliberately.
			const forced = await save(u.analyst, {
				p_name: 'Daesh',
				p_actor_type: 'armed_group',
				p_allow_duplicate: true
			});
			expect(forced.name).toBe('Daesh');
			// The exact same name is always refused (the foundation's unique index).
			const same = await save(u.analyst, { p_name: 'daesh', p_allow_duplicate: true }).catch(
				(x) => x
			);
			expect(same).toMatchObject({
				code: '23505',
				message: 'name: an actor named "daesh" already exists'
			});
			// Editing an actor does not find itself.
			await expect(
				save(u.analyst, {
					p_id: A.tribe,
					p_name: 'Shammar tribal council',
					p_actor_type: 'community_leader'
				})
			).resolves.toBeTruthy();
		});

		it("lists every actor's name for pickers, to every signed-in role", async () => {
			const names = await e.db.rpc<{ id: string; name: string }[]>('actor_names', {}, u.viewer);
			expect(names.map((a) => a.id)).toEqual(expect.arrayContaining(Object.values(A)));
			await expect(e.db.rpc('actor_names', {}, 'anon')).rejects.toThrow(/permission denied/);
		});

		it('finds actors by any of their names in the registry', async () => {
			const l = await e.db.rpc<{ actors: { id: string }[] }>(
				'actors_list',
				{ p_q: 'daesh' },
				u.viewer
			);
			expect(l.actors.map((a) => a.id)).toContain(A.is);
			const typed = await e.db.rpc<{ actors: { id: string }[] }>(
				'actors_list',
				{ p_types: ['militia'] },
				u.viewer
			);
			expect(typed.actors.map((a) => a.id)).toEqual([A.pmf]);
		});

		it('gives clear field errors', async () => {
			const bad = async (args: Record<string, unknown>, msg: RegExp) => {
				const err = await save(u.analyst, { p_name: 'Another group', ...args }).catch((x) => x);
				expect(err).toMatchObject({ code: '22023' });
				expect(err.message).toMatch(msg);
			};
			await bad({ p_name: ' ' }, /^name:/);
			await bad({ p_influence: 6 }, /^influence: must be between 1 and 5/);
			await bad({ p_interest: 0 }, /^interest:/);
			await bad({ p_hq_lon: 43 }, /^hq:/);
			await bad({ p_hq_lon: 243, p_hq_lat: 36 }, /^hq:/);
			await bad({ p_stance: 'friendly' }, /^stance:/);
			await bad({ p_actor_type: 'aliens' }, /^actor_type:/);
		});
	});

	describe('presence', () => {
		it('lets analysts map presence by area and by drawn polygon; field staff and viewers may not', async () => {
			const byArea = await e.db.rpc<{ id: string }>(
				'actor_presence_add',
				{ p_actor_id: A.pmf, p_pcode: 'IQ91101', p_valid_from: '2015-01-01' },
				u.analyst
			);
			expect(byArea.id).toBeTruthy();
			const square = {
				type: 'Polygon',
				coordinates: [
					[
						[43.6, 36.6],
						[43.7, 36.6],
						[43.7, 36.7],
						[43.6, 36.7],
						[43.6, 36.6]
					]
				]
			};
			await e.db.rpc(
				'actor_presence_add',
				{ p_actor_id: A.tribe, p_geojson: square, p_label: 'grazing land' },
				u.analyst
			);
			await expect(
				e.db.rpc('actor_presence_add', { p_actor_id: A.pmf, p_pcode: 'IQD912' }, u.field)
			).rejects.toThrow(/row-level security/);
			await expect(
				e.db.rpc('actor_presence_add', { p_actor_id: A.pmf, p_pcode: 'IQD912' }, u.viewer)
			).rejects.toThrow(/row-level security/);
			await expect(
				e.db.rpc('actor_presence_add', { p_actor_id: A.pmf }, u.analyst)
			).rejects.toThrow(/^pcode:/);
			await expect(
				e.db.rpc('actor_presence_add', { p_actor_id: A.pmf, p_pcode: 'IQX1' }, u.analyst)
			).rejects.toThrow(/^pcode: unknown area/);
			await expect(
				e.db.rpc(
					'actor_presence_add',
					{ p_actor_id: A.pmf, p_geojson: { type: 'Point', coordinates: [43, 36] } },
					u.analyst
				)
			).rejects.toThrow(/^geometry: must be a Polygon/);
		});

		it('places actors in areas at every level, for filters and the map layer', async () => {
			const pmf = await e.db.rpc<{ areas: string[] }>('actor_get', { p_id: A.pmf }, u.viewer);
			expect(pmf.areas).toEqual(['IQ91101', 'IQD911', 'IQG91']);
			const tribe = await e.db.rpc<{ areas: string[] }>('actor_get', { p_id: A.tribe }, u.viewer);
			expect(tribe.areas).toEqual(['IQD912', 'IQG91']);
			// PMF by its presence, the village committee by its HQ; the tribe's land is in the east.
			const inWest = await e.db.rpc<{ actors: { name: string }[] }>(
				'actors_list',
				{ p_area: 'IQD911' },
				u.field
			);
			expect(inWest.actors.map((a) => a.name)).toEqual([
				'Popular Mobilization Forces (PMF)',
				'Village committee of Tel Kaif'
			]);
			const fc = await e.db.rpc<{
				features: { properties: { actor_id: string; drawn: boolean } }[];
			}>('actor_presence_geojson', {}, u.viewer);
			expect(fc.features.map((f) => [f.properties.actor_id, f.properties.drawn]).sort()).toEqual(
				[
					[A.pmf, false],
					[A.tribe, true]
				].sort()
			);
			const before = await e.db.rpc<{ features: unknown[] }>(
				'actor_presence_geojson',
				{ p_as_of: '2014-01-01' },
				u.viewer
			);
			expect(before.features).toHaveLength(1); // PMF's presence starts in 2015
		});
	});

	describe('relationships', () => {
		it('lets analysts and admins map relationships; refuses field staff and viewers', async () => {
			const r = await rel(u.analyst, {
				p_source_actor_id: A.pmf,
				p_target_actor_id: A.gov,
				p_kind: 'command_affiliation',
				p_directed: true,
				p_valid_from: '2016-11-26',
				p_confidence: 'high',
				p_source: 'PMF law 2016'
			});
			expect(r.id).toBeTruthy();
			await expect(
				rel(u.field, {
					p_source_actor_id: A.tribe,
					p_target_actor_id: A.gov,
					p_kind: 'negotiation_channel'
				})
			).rejects.toThrow(/row-level security/);
			await expect(
				rel(u.viewer, {
					p_source_actor_id: A.tribe,
					p_target_actor_id: A.gov,
					p_kind: 'negotiation_channel'
				})
			).rejects.toThrow(/row-level security/);
			await expect(e.db.rpc('relationship_remove', { p_id: r.id }, u.field)).rejects.toMatchObject({
				code: '42501'
			});
			expect(await sqlAs(e.db, u.viewer, `delete from public.relationships returning id`)).toEqual(
				[]
			);
			for (const role of ['admin', 'analyst', 'field', 'viewer'] as const) {
				const n = await sqlAs<{ n: number }>(
					e.db,
					u[role],
					'select count(*)::int as n from public.relationships'
				);
				expect(n[0].n).toBe(1);
			}
		});

		it('refuses a self-relationship, an end before the start and unknown kinds, naming the field', async () => {
			const bad = async (args: Record<string, unknown>, msg: RegExp) => {
				const err = await rel(u.analyst, {
					p_source_actor_id: A.tribe,
					p_target_actor_id: A.gov,
					p_kind: 'alliance',
					...args
				}).catch((x) => x);
				expect(err).toMatchObject({ code: '22023' });
				expect(err.message).toMatch(msg);
			};
			await bad(
				{ p_target_actor_id: A.tribe },
				/^target_actor_id: an actor cannot have a relationship with itself/
			);
			await bad(
				{ p_valid_from: '2020-05-01', p_valid_to: '2019-01-01' },
				/^valid_to: the end \(2019-01-01\) is before the start \(2020-05-01\)/
			);
			await bad({ p_kind: 'friendship' }, /^kind:/);
			await bad({ p_confidence: 'certain' }, /^confidence:/);
			await bad(
				{ p_target_actor_id: '00000000-0000-0000-0000-00000000dead' },
				/^target_actor_id: no such actor/
			);
			// The table's own constraints hold when the function is bypassed.
			await expect(
				sqlAs(
					e.db,
					u.analyst,
					`insert into public.relationships (source_actor_id, target_actor_id, kind) values ($1, $1, 'alliance')`,
					[A.gov]
				)
			).rejects.toThrow(/relationships_not_self/);
			await expect(
				sqlAs(
					e.db,
					u.analyst,
					`insert into public.relationships (source_actor_id, target_actor_id, kind, valid_from, valid_to) values ($1, $2, 'alliance', '2020-01-01', '2019-01-01')`,
					[A.gov, A.pmf]
				)
			).rejects.toThrow(/relationships_dates/);
		});

		it('derives "confronted each other" from the incidents the caller may see, never stored', async () => {
			type Edges = {
				relationships: { kind: string }[];
				confrontations: {
					incidents: number;
					first_date: string;
					last_date: string;
					fatalities: number;
				}[];
			};
			const analyst = await e.db.rpc<Edges>('relationships_as_of', {}, u.analyst);
			expect(analyst.confrontations).toEqual([
				expect.objectContaining({
					incidents: 5,
					first_date: '2014-06-10',
					last_date: '2017-07-09',
					fatalities: 25
				})
			]);
			const viewer = await e.db.rpc<Edges>('relationships_as_of', {}, u.viewer);
			// verified and not restricted: 2014-06-10, 2014-08-01, 2016-10-17
			expect(viewer.confrontations).toEqual([
				expect.objectContaining({ incidents: 3, first_date: '2014-06-10', last_date: '2016-10-17' })
			]);
			const in2015 = await e.db.rpc<Edges>(
				'relationships_as_of',
				{ p_date: '2015-01-01' },
				u.analyst
			);
			expect(in2015.confrontations[0]).toMatchObject({ incidents: 2, last_date: '2014-08-01' });
			// Correcting an incident changes the derived edge at once.
			await e.db.execOwner(
				`update public.incidents set actor2_id = null where event_date = '2014-08-01'`
			);
			const after = await e.db.rpc<Edges>(
				'relationships_as_of',
				{ p_date: '2015-01-01' },
				u.analyst
			);
			expect(after.confrontations[0]).toMatchObject({ incidents: 1 });
			await e.db.execOwner(
				`update public.incidents set actor2_id = '${A.gov}' where event_date = '2014-08-01'`
			);
		});

		it('shows the relationships standing on a date', async () => {
			await rel(u.analyst, {
				p_source_actor_id: A.tribe,
				p_target_actor_id: A.is,
				p_kind: 'negotiation_channel',
				p_valid_from: '2014-06-01',
				p_valid_to: '2016-12-31'
			});
			const kinds = async (d: string | null) =>
				(
					await e.db.rpc<{ relationships: { kind: string }[] }>(
						'relationships_as_of',
						{ p_date: d },
						u.viewer
					)
				).relationships
					.map((r) => r.kind)
					.sort();
			expect(await kinds('2014-01-01')).toEqual([]);
			expect(await kinds('2014-06-01')).toEqual(['negotiation_channel']); // valid_from is inclusive
			expect(await kinds('2016-12-01')).toEqual(['command_affiliation', 'negotiation_channel']);
			expect(await kinds('2016-12-31')).toEqual(['command_affiliation', 'negotiation_channel']); // so is valid_to
			expect(await kinds('2017-01-01')).toEqual(['command_affiliation']);
			expect(await kinds(null)).toEqual(['command_affiliation', 'negotiation_channel']);
		});

		it("walks an actor's neighbourhood 1 to 3 hops out", async () => {
			// ngo —coordination→ tribe —negotiation→ IS —confronted— gov ←command— PMF
			await rel(u.analyst, {
				p_source_actor_id: A.ngo,
				p_target_actor_id: A.tribe,
				p_kind: 'coordination',
				p_valid_from: '2015-01-01'
			});
			type N = { nodes: { id: string; hop: number }[]; edges: { kind: string }[] };
			const hopsOf = (n: N) => Object.fromEntries(n.nodes.map((x) => [x.id, x.hop]));
			const one = await e.db.rpc<N>(
				'actor_neighbourhood',
				{ p_actor_id: A.ngo, p_hops: 1, p_as_of: '2016-01-01' },
				u.viewer
			);
			expect(hopsOf(one)).toEqual({ [A.ngo]: 0, [A.tribe]: 1 });
			const two = await e.db.rpc<N>(
				'actor_neighbourhood',
				{ p_actor_id: A.ngo, p_hops: 2, p_as_of: '2016-01-01' },
				u.viewer
			);
			expect(hopsOf(two)).toEqual({ [A.ngo]: 0, [A.tribe]: 1, [A.is]: 2 });
			const three = await e.db.rpc<N>(
				'actor_neighbourhood',
				{ p_actor_id: A.ngo, p_hops: 3, p_as_of: '2016-01-01' },
				u.viewer
			);
			expect(hopsOf(three)).toEqual({ [A.ngo]: 0, [A.tribe]: 1, [A.is]: 2, [A.gov]: 3 });
			expect(three.edges.map((x) => x.kind).sort()).toEqual([
				'confronted',
				'coordination',
				'negotiation_channel'
			]);
			// In 2018 the negotiation channel had closed: the NGO's neighbourhood stops at the tribe.
			const later = await e.db.rpc<N>(
				'actor_neighbourhood',
				{ p_actor_id: A.ngo, p_hops: 3, p_as_of: '2018-01-01' },
				u.viewer
			);
			expect(hopsOf(later)).toEqual({ [A.ngo]: 0, [A.tribe]: 1 });
			await expect(
				e.db.rpc('actor_neighbourhood', { p_actor_id: A.ngo, p_hops: 4 }, u.viewer)
			).rejects.toThrow(/^hops:/);
		});

		it('serves the whole network compactly and arcs between located actors for the map', async () => {
			const net = await e.db.rpc<{
				nodes: unknown[][];
				edges: unknown[][];
				confrontations: [string, string, [string, number][]][];
			}>('actor_network', {}, u.viewer);
			expect(net.nodes.length).toBeGreaterThanOrEqual(5);
			expect(net.edges).toHaveLength(3);
			const pmf = net.nodes.find((n) => n[0] === A.pmf)!;
			expect(pmf[6]).toEqual(expect.arrayContaining(['IQ91101', 'IQD911', 'IQG91']));
			expect(net.confrontations).toHaveLength(1);
			expect(net.confrontations[0][2]).toEqual([
				['2014-06', 1],
				['2014-08', 1],
				['2016-10', 1]
			]); // a viewer's months
			await save(u.analyst, {
				p_id: A.gov,
				p_name: 'Government of Iraq',
				p_actor_type: 'state_forces',
				p_hq_lon: 44.4,
				p_hq_lat: 33.3
			});
			const arcs = await e.db.rpc<unknown[][]>(
				'relationship_arcs',
				{ p_as_of: '2017-06-01' },
				u.viewer
			);
			// PMF (its presence) → Government (its HQ); the tribe has a drawn polygon but IS has no location.
			expect(arcs.map((a) => [a[4], a[7], a[8]])).toEqual([
				['command_affiliation', 'Popular Mobilization Forces (PMF)', 'Government of Iraq']
			]);
		});
	});

	describe('deleting an actor', () => {
		it('is for admins only, and asks what to do with what depends on the actor', async () => {
			await expect(
				e.db.rpc('actor_delete', { p_id: A.pmf, p_mode: 'detach' }, u.analyst)
			).rejects.toMatchObject({ code: '42501' });
			const err = (await e.db
				.rpc('actor_delete', { p_id: A.pmf }, u.admin)
				.catch((x: Error) => x)) as Error;
			expect(err).toMatchObject({ code: '23503' });
			expect(err.message).toMatch(
				/^mode: "Popular Mobilization Forces \(PMF\)" has 1 relationships, 0 contacts, 0 incidents, 1 checkpoints and 1 presence areas/
			);
			const dep = await e.db.rpc('actor_dependents', { p_id: A.pmf }, u.admin);
			expect(dep).toMatchObject({
				relationships: 1,
				contacts: 0,
				incidents: 0,
				checkpoints: 1,
				presence: 1
			});
			// A plain DELETE is stopped by the foreign keys: nothing is orphaned even by mistake.
			await expect(
				sqlAs(e.db, u.admin, `delete from public.actors where id = $1`, [A.pmf])
			).rejects.toThrow(/foreign key/);
		});

		it('reassigns everything to the kept actor, which takes the name as an alias', async () => {
			const dup = await save(u.analyst, {
				p_name: 'Hashd',
				p_actor_type: 'militia',
				p_allow_duplicate: true
			});
			await rel(u.analyst, {
				p_source_actor_id: dup.id,
				p_target_actor_id: A.is,
				p_kind: 'rivalry'
			});
			await rel(u.analyst, {
				p_source_actor_id: dup.id,
				p_target_actor_id: A.pmf,
				p_kind: 'membership'
			});
			await e.db.rpc(
				'contact_save',
				{ p_full_name: 'Hashd liaison', p_actor_id: dup.id, p_sensitivity: 'restricted' },
				u.analyst
			);
			await e.db
				.execOwner(`insert into public.incidents (event_date, event_type, geom, actor1_id, actor2_id, status)
			                      values ('2018-01-01', 'battles', st_point(43.1, 36.1, 4326), '${dup.id}', '${A.pmf}', 'verified')`);
			const r = await e.db.rpc(
				'actor_delete',
				{ p_id: dup.id, p_mode: 'reassign', p_target_id: A.pmf },
				u.admin
			);
			expect(r).toMatchObject({
				deleted: true,
				relationships: 1,
				relationships_dropped: 1,
				contacts: 1,
				incidents: 1
			});
			const pmf = await e.db.rpc<{ aliases: string[] }>('actor_get', { p_id: A.pmf }, u.viewer);
			expect(pmf.aliases).toContain('Hashd');
			const orphans = await e.db.queryOwner<{ n: number }>(
				`
				select (select count(*) from public.relationships where $1 in (source_actor_id, target_actor_id))
				     + (select count(*) from sensitive.contacts where actor_id = $1)
				     + (select count(*) from public.incidents where $1 in (actor1_id, actor2_id))::int as n`,
				[dup.id]
			);
			expect(Number(orphans[0].n)).toBe(0);
			// The incident between the two is now PMF's alone, not PMF against itself.
			const inc = await e.db.queryOwner<{ actor1_id: string; actor2_id: string | null }>(
				`select actor1_id, actor2_id from public.incidents where event_date = '2018-01-01'`
			);
			expect(inc[0]).toEqual({ actor1_id: A.pmf, actor2_id: null });
		});

		it('detaches: contacts and incidents stay without the actor, relationships and presence go', async () => {
			const c = await e.db.rpc<{ id: string }>(
				'contact_save',
				{ p_full_name: 'Relief desk', p_actor_id: A.ngo },
				u.analyst
			);
			const r = await e.db.rpc('actor_delete', { p_id: A.ngo, p_mode: 'detach' }, u.admin);
			expect(r).toMatchObject({ relationships: 1, contacts: 1 });
			expect(await e.db.rpc('contact_get', { p_id: c.id }, u.analyst)).toMatchObject({
				full_name: 'Relief desk',
				actor_id: null
			});
		});

		it("deletes: the organisation's contacts go with it, incidents and checkpoints stay", async () => {
			const c = await e.db.rpc<{ id: string }>(
				'contact_save',
				{ p_full_name: 'PMF spokesman', p_actor_id: A.pmf },
				u.analyst
			);
			const r = await e.db.rpc('actor_delete', { p_id: A.pmf, p_mode: 'delete' }, u.admin);
			expect(r).toMatchObject({
				deleted: true,
				contacts: 2,
				checkpoints: 1,
				presence: 1,
				incidents: 1
			});
			expect(await e.db.rpc('contact_get', { p_id: c.id }, u.admin)).toBeNull();
			const cp = await e.db.queryOwner<{ controlling_actor_id: string | null }>(
				`select controlling_actor_id from public.checkpoints where name = 'CP PMF'`
			);
			expect(cp[0].controlling_actor_id).toBeNull();
			const kept = await e.db.queryOwner<{ n: number }>(
				`select count(*)::int as n from public.incidents where event_date = '2018-01-01'`
			);
			expect(kept[0].n).toBe(1);
			await expect(e.db.rpc('actor_delete', { p_id: A.pmf }, u.admin)).rejects.toMatchObject({
				code: 'P0002'
			});
		});
	});
});
