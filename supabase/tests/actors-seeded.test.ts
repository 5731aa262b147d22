/**
 * The actor map of the demo data: UCDP's actors with their known aliases, and the derived
 * "confronted each other" edges checked pair by pair against counts computed independently from
 * the raw UCDP GED file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerUser } from '../../src/lib/server/db/types.ts';
import {
	engineNames,
	makeUser,
	openEngine,
	type Engine
} from '../../tests/integration/helpers/db.ts';

type Row = { side_a: string; side_b: string; date_start: string; best: string };
const raw = Papa.parse<Row>(
	readFileSync(
		join(import.meta.dirname, '..', '..', 'supabase', 'seed', 'ucdp_ged_irq_hdx_1989-2018.csv'),
		'utf8'
	),
	{
		header: true,
		skipEmptyLines: true
	}
).data.filter((r) => !r.side_a.startsWith('#')); // the HXL tag row is not an event

// pair "a|b" (sorted names) → incidents, first, last, fatalities
const expected = new Map<string, { n: number; first: string; last: string; fatalities: number }>();
for (const r of raw) {
	if (!r.side_a || !r.side_b || r.side_a === r.side_b) continue;
	const k = [r.side_a.trim(), r.side_b.trim()].sort().join('|');
	const d = r.date_start.slice(0, 10);
	const e = expected.get(k) ?? { n: 0, first: d, last: d, fatalities: 0 };
	e.n++;
	if (d < e.first) e.first = d;
	if (d > e.last) e.last = d;
	e.fatalities += Number(r.best || 0);
	expected.set(k, e);
}

describe.each(engineNames())('the demo actor map on %s', (engineName) => {
	let e: Engine;
	let analyst: CallerUser;
	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		analyst = await makeUser(e.db, 'analyst');
	});
	afterAll(async () => e?.close());

	it('derives every confrontation of the UCDP file, with the same counts, dates and fatalities', async () => {
		type C = {
			source_name: string;
			target_name: string;
			incidents: number;
			first_date: string;
			last_date: string;
			fatalities: number;
		};
		const r = await e.db.rpc<{ confrontations: C[] }>('relationships_as_of', {}, analyst);
		const got = new Map(
			r.confrontations.map((c) => [[c.source_name, c.target_name].sort().join('|'), c])
		);
		expect(got.size).toBe(expected.size);
		for (const [k, x] of expected) {
			expect(got.get(k), k).toMatchObject({
				incidents: x.n,
				first_date: x.first,
				last_date: x.last,
				fatalities: x.fatalities
			});
		}
		expect(got.get('Government of Iraq|IS')).toMatchObject({
			incidents: 4810,
			first_date: '2004-05-17',
			last_date: '2018-12-22'
		});
	});

	it('knows the demo actors by their other names', async () => {
		for (const name of ['Daesh', 'داعش', 'ISIL', 'الدولة الاسلامية']) {
			const d = await e.db.rpc<{ name: string }[]>('actor_duplicates', { p_name: name }, analyst);
			expect(
				d.map((x) => x.name),
				name
			).toEqual(['IS']);
		}
		const mahdi = await e.db.rpc<{ name: string }[]>(
			'actor_duplicates',
			{ p_name: 'Jaysh al-Mahdi' },
			analyst
		);
		expect(mahdi.map((x) => x.name)).toEqual(['al-Mahdi Army']);
	});

	it('serves the network of the demo data with its confrontation months', async () => {
		const net = await e.db.rpc<{
			nodes: unknown[];
			confrontations: [string, string, [string, number][]][];
		}>('actor_network', {}, analyst);
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			'select count(*)::int as n from public.actors'
		);
		expect(net.nodes).toHaveLength(n);
		const total = net.confrontations.reduce((s, c) => s + c[2].reduce((t, m) => t + m[1], 0), 0);
		expect(total).toBe([...expected.values()].reduce((s, x) => s + x.n, 0));
	});
});
