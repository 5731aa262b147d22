/**
 * Benchmark of the actor network at the size the issue asks for (2,000 actors, 10,000
 * relationships, plus the demo's confrontations): the SQL side (actor_network, relationships_as_of,
 * a 3-hop neighbourhood) and the browser side's filtering (what moving the "as of" slider costs),
 * and, with --url, the network page itself in headless Chromium (time to first drawing, frames per
 * second while the layout runs, time to redraw after a date change).
 *
 *   npx tsx scripts/bench-network.ts                      # PGlite in memory
 *   DATABASE_URL=postgres://… npx tsx scripts/bench-network.ts   # a scratch PostgreSQL database
 *   … --url http://127.0.0.1:3000 --email analyst@x --password …  # also the page, against a server
 *                                                          #   whose database this script filled
 * It writes synthetic actors (upstream_source 'bench') into the database it is given: never point
 * it at a database that matters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PgliteAdapter } from '../src/lib/server/db/pglite.ts';
import { PostgresAdapter } from '../src/lib/server/db/postgres.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import type { Adapter } from '../src/lib/server/db/types.ts';
import { filterGraph, parseNetwork, type NetworkPayload } from '../src/lib/domain/actors-graph.ts';

const ROOT = join(import.meta.dirname, '..');
const ACTORS = 2000;
const RELATIONSHIPS = 10_000;
const arg = (name: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
};

async function time<T>(label: string, fn: () => Promise<T> | T, runs = 5): Promise<T> {
	let out!: T;
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		out = await fn();
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	console.log(
		`${label.padEnd(52)} median ${ms[Math.floor(ms.length / 2)].toFixed(1)} ms  (min ${ms[0].toFixed(1)}, max ${ms[ms.length - 1].toFixed(1)})`
	);
	return out;
}

async function open(): Promise<Adapter> {
	const url = process.env.DATABASE_URL;
	if (url) return PostgresAdapter.open(url); // migrated already, by the server that uses it
	const db = await PgliteAdapter.open(undefined);
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	return db;
}

const SYNTHETIC = `
-- synthetic bench rows are not history: the owner pauses the row audit for this transaction
insert into private.audit_pause (xid) values (txid_current());
delete from public.relationships where source in ('bench');
delete from public.actors where upstream_source = 'bench';
insert into public.actors (name, actor_type, stance, influence, interest, upstream_source)
select 'Bench actor ' || g,
       (array['state_forces','armed_group','militia','political_party','authority','community_leader','national_ngo','ingo','un_agency','donor'])[1 + g % 10],
       (array['supportive','neutral','hostile','unknown'])[1 + g % 4],
       1 + g % 5, 1 + (g / 5) % 5, 'bench'
from generate_series(1, ${ACTORS}) g;
with a as (select id, row_number() over (order by name) as n from public.actors where upstream_source = 'bench')
insert into public.relationships (source_actor_id, target_actor_id, kind, directed, valid_from, valid_to, confidence, source)
select s.id, t.id,
       (array['alliance','rivalry','armed_confrontation','command_affiliation','funding','coordination','negotiation_channel','kinship','membership'])[1 + r % 9],
       r % 3 = 0,
       date '2010-01-01' + (r * 37) % 4000,
       case when r % 4 = 0 then date '2010-01-01' + (r * 37) % 4000 + 200 + r % 900 end,
       (array['low','medium','high'])[1 + r % 3], 'bench'
from generate_series(1, ${RELATIONSHIPS}) r
join a s on s.n = 1 + (r * 7919) % ${ACTORS}
join a t on t.n = 1 + (r * 104729 + r / 3) % ${ACTORS}
where s.id <> t.id;
`;

async function main() {
	const db = await open();
	console.log(`database: ${db.kind}`);
	await db.execOwner(`begin; ${SYNTHETIC} commit;`);
	const [{ actors, rels }] = await db.queryOwner<{ actors: number; rels: number }>(
		`select (select count(*) from public.actors)::int as actors, (select count(*) from public.relationships)::int as rels`
	);
	console.log(`${actors} actors, ${rels} relationships`);
	const analyst = await db.rpc<{ id: string; email: string }>(
		'private.account_upsert',
		{
			p_email: 'bench-analyst@terrain.invalid',
			p_role: 'analyst',
			p_display_name: 'bench',
			p_password_hash: null
		},
		'service'
	);
	const as = { id: analyst.id, email: analyst.email, role: 'analyst' as const };

	const payload = await time('SQL actor_network (whole graph, compact)', () =>
		db.rpc<NetworkPayload>('actor_network', {}, as)
	);
	console.log(`  payload ${(JSON.stringify(payload).length / 1e6).toFixed(2)} MB of JSON`);
	await time('SQL relationships_as_of 2015-06-01', () =>
		db.rpc('relationships_as_of', { p_date: '2015-06-01' }, as)
	);
	const [{ id }] = await db.queryOwner<{ id: string }>(
		`select id from public.actors where upstream_source = 'bench' order by name limit 1`
	);
	await time('SQL actor_neighbourhood 1 hop', () =>
		db.rpc('actor_neighbourhood', { p_actor_id: id, p_hops: 1, p_as_of: '2015-06-01' }, as)
	);
	await time(
		'SQL actor_neighbourhood 3 hops',
		() => db.rpc('actor_neighbourhood', { p_actor_id: id, p_hops: 3, p_as_of: '2015-06-01' }, as),
		3
	);
	await time(
		'SQL relationship_arcs 2015-06-01',
		() => db.rpc('relationship_arcs', { p_as_of: '2015-06-01' }, as),
		3
	);

	const g = await time('JS parseNetwork', () => parseNetwork(payload));
	const days = Array.from({ length: 100 }, (_, i) =>
		new Date(Date.UTC(2010, 0, 1) + i * 45 * 86_400_000).toISOString().slice(0, 10)
	);
	let shown = 0;
	await time(
		'JS filterGraph × 100 slider positions',
		() => {
			for (const d of days) shown += filterGraph(g, { asOf: d }).edges.length;
		},
		3
	);
	await time(
		'JS filterGraph 3-hop focus × 100 dates',
		() => {
			for (const d of days) shown += filterGraph(g, { asOf: d, focus: id, hops: 3 }).nodes.length;
		},
		3
	);
	// Printed so the work above is observably used (and not optimised away).
	console.log(`  (${shown} edges and nodes shown in total)`);

	const url = arg('url');
	if (url) await browser(url, arg('email') ?? '', arg('password') ?? '');
	await db.close();
}

async function browser(url: string, email: string, password: string) {
	const { chromium } = await import('playwright-core');
	const { mkdtempSync, rmSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const dir = mkdtempSync(join(tmpdir(), 'terrain-bench-'));
	const ctx = await chromium.launchPersistentContext(dir, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		viewport: { width: 1400, height: 900 },
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
	try {
		const page = ctx.pages()[0] ?? (await ctx.newPage());
		await page.goto(`${url}/login`);
		await page.locator('#email').fill(email);
		await page.locator('#password').fill(password);
		await page.locator('form button[type="submit"]').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
		const t0 = performance.now();
		await page.goto(`${url}/network?isolated=show`);
		await page.locator('canvas[data-edges]').waitFor();
		console.log(
			`page /network loaded and first drawn in ${(performance.now() - t0).toFixed(0)} ms`
		);
		// Strings, not functions: tsx would wrap functions with helpers the page does not have.
		const fps = (await page.evaluate(`new Promise((resolve) => {
			let n = 0;
			const start = performance.now();
			const tick = () => { n++; if (performance.now() - start < 3000) requestAnimationFrame(tick); else resolve(n / 3); };
			requestAnimationFrame(tick);
		})`)) as number;
		console.log(`frames per second while the layout runs: ${fps.toFixed(1)}`);
		const ms: number[] = [];
		for (const d of ['2012-01-01', '2014-06-01', '2016-03-01', '2018-09-01', '2020-01-01']) {
			const t = (await page.evaluate(`(async () => {
				const input = document.querySelector('input[type="date"]');
				const s = performance.now();
				input.value = '${d}';
				input.dispatchEvent(new Event('change', { bubbles: true }));
				await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
				return performance.now() - s;
			})()`)) as number;
			ms.push(t);
		}
		console.log(`date change → redrawn: ${ms.map((x) => x.toFixed(0)).join(', ')} ms`);
		const counts = [
			await page.locator('canvas[data-edges]').getAttribute('data-nodes'),
			await page.locator('canvas[data-edges]').getAttribute('data-edges')
		];
		console.log(`drawn: ${counts[0]} actors, ${counts[1]} links`);
	} finally {
		await ctx.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
