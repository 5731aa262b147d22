import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MapData } from './map-data.svelte.ts';
import { POINT_LIMIT, countPoints, sortForDrawing, type ViewportQuery } from './viewport-plan.ts';
import type { IncidentPoint } from '$lib/map/types';

// A stand-in for the server: answers /api/v1/map/incidents from a list of points, as
// incidents_map() does (capped at `limit`, exact totals for the bbox).
function server(all: IncidentPoint[]) {
	const calls: URL[] = [];
	const fetch = vi.fn(async (input: string, init?: RequestInit) => {
		const url = new URL(input, 'http://terrain.test');
		calls.push(url);
		if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
		const [w, s, e, n] = url.searchParams.get('bbox')!.split(',').map(Number);
		const inside = all.filter((p) => p[1] >= w && p[1] <= e && p[2] >= s && p[2] <= n);
		const limit = Number(url.searchParams.get('limit'));
		const complete = url.searchParams.get('complete') === 'true';
		const byType: Record<string, number> = {};
		for (const p of inside) byType[p[3]] = (byType[p[3]] ?? 0) + 1;
		const body = {
			total: inside.length,
			fatalities: inside.reduce((a, p) => a + p[4], 0),
			by_type: byType,
			points: complete && inside.length > limit ? [] : inside.slice(0, limit)
		};
		return new Response(JSON.stringify(body), {
			status: 200,
			headers: { 'content-type': 'application/json' }
		});
	});
	return { calls, fetch };
}

const settle = () => new Promise((r) => setTimeout(r, 250));
const grid = (n: number, type: IncidentPoint[3] = 'battles'): IncidentPoint[] =>
	Array.from({ length: n }, (_, i) => [
		`id${i}`,
		40 + (i % 100) * 0.08,
		30 + Math.floor(i / 100) * 0.08,
		type,
		i % 3
	]);
const view = (bbox: ViewportQuery['bbox'], extra: Partial<ViewportQuery> = {}): ViewportQuery => ({
	bbox,
	zoom: 7,
	filters: { from: null, to: null, types: null, area: null },
	mode: 'points',
	enabled: true,
	tiles: false,
	...extra
});

describe('MapData', () => {
	let srv: ReturnType<typeof server>;
	beforeEach(() => {
		srv = server(grid(400));
		vi.stubGlobal('fetch', srv.fetch);
	});
	afterEach(() => vi.unstubAllGlobals());

	it('counts complete points for the exact view, and pans inside the margin without a request', async () => {
		const d = new MapData();
		d.update(view([41, 30.5, 44, 32]));
		await settle();
		expect(srv.calls).toHaveLength(1);
		const first = d.counts!;
		expect(first.total).toBe(countPoints(grid(400), [41, 30.5, 44, 32]).total);
		expect(first.shown).toBeNull();

		// Complete: the next request takes a margin, so a small pan afterwards costs nothing.
		d.update(view([41.2, 30.5, 44.2, 32]));
		await settle();
		expect(srv.calls).toHaveLength(2);
		expect(srv.calls[1].searchParams.get('bbox')).not.toBe('41.2,30.5,44.2,32');
		d.update(view([41.3, 30.6, 44.3, 32.1]));
		await settle();
		expect(srv.calls).toHaveLength(2);
		expect(d.counts!.total).toBe(countPoints(grid(400), [41.3, 30.6, 44.3, 32.1]).total);
		expect(d.loading).toBe(false);
	});

	it('takes exact counts from the server when the points are capped, in the same request', async () => {
		srv = server(grid(POINT_LIMIT + 500));
		vi.stubGlobal('fetch', srv.fetch);
		const d = new MapData();
		const bbox: ViewportQuery['bbox'] = [39, 29, 49, 37];
		d.update(view(bbox));
		await settle();
		expect(srv.calls).toHaveLength(1);
		expect(srv.calls[0].searchParams.get('bbox')).toBe(bbox.join(','));
		expect(d.points).toHaveLength(POINT_LIMIT);
		expect(d.counts).toMatchObject({ total: POINT_LIMIT + 500, shown: POINT_LIMIT });
	});

	it('over the limit, draws from the tiles: counts only (no points asked for), no "shown" note', async () => {
		srv = server(grid(POINT_LIMIT + 500));
		vi.stubGlobal('fetch', srv.fetch);
		const d = new MapData();
		const bbox: ViewportQuery['bbox'] = [39, 29, 49, 37];
		const filters = { from: '2014-01-01', to: null, types: null, area: 'IQG01' };
		d.update(view(bbox, { tiles: true, filters }));
		await settle();
		expect(srv.calls).toHaveLength(1);
		expect(srv.calls[0].searchParams.get('complete')).toBe('true');
		expect(d.points).toHaveLength(0);
		expect(d.tileQuery).toBe('from=2014-01-01&area=IQG01');
		expect(d.counts).toMatchObject({ total: POINT_LIMIT + 500, shown: null });

		// Zoomed in to a view under the limit: the JSON points again, the tiles gone.
		d.update(view([40, 30, 41, 31], { tiles: true, filters }));
		await settle();
		expect(srv.calls).toHaveLength(2);
		expect(d.tileQuery).toBeNull();
		expect(d.points.length).toBe(d.counts!.total);
		expect(d.points.length).toBeGreaterThan(0);
	});

	it('after complete points, a margin over the limit asks for the view itself before the tiles', async () => {
		// 80 rows of 100 points, 0.08° apart: the view holds under the limit, its margin over.
		srv = server(grid(POINT_LIMIT + 3000));
		vi.stubGlobal('fetch', srv.fetch);
		const d = new MapData();
		d.update(view([40, 30, 45, 35], { tiles: true }));
		await settle();
		expect(d.tileQuery).toBeNull();
		const inView = d.counts!.total;
		expect(inView).toBeLessThanOrEqual(POINT_LIMIT);
		d.update(view([40, 30, 45.1, 35], { tiles: true }));
		await settle();
		expect(srv.calls).toHaveLength(3);
		expect(srv.calls[1].searchParams.get('bbox')).not.toBe('40,30,45.1,35');
		expect(srv.calls[2].searchParams.get('bbox')).toBe('40,30,45.1,35');
		expect(d.tileQuery).toBeNull();
		expect(d.points.length).toBe(d.counts!.total);
	});

	it('keeps only the answer for the latest view when views follow each other quickly', async () => {
		const d = new MapData();
		d.update(view([41, 30.5, 44, 32])); // the page's first view: asked at once
		d.update(view([40, 30, 41, 31]));
		d.update(view([40, 30, 41.5, 31]));
		await settle();
		// The first left and was overtaken; the second never left: debounced.
		expect(srv.calls.map((c) => c.searchParams.get('bbox'))).toEqual([
			'41,30.5,44,32',
			'40,30,41.5,31'
		]);
		expect(d.counts!.bbox).toEqual([40, 30, 41.5, 31]);
	});

	it('is not put off by the same view reported again while it waits (the page starting up)', async () => {
		vi.useFakeTimers();
		try {
			const d = new MapData();
			const v = view([41, 30.5, 44, 32]);
			d.update(v);
			// The URL's echo, the low-data switch and navigation all report the same view again.
			for (let i = 0; i < 5; i++) {
				vi.advanceTimersByTime(150);
				d.update(v);
			}
			// 750 ms of repeats: the request left at the first report, once.
			expect(srv.calls).toHaveLength(1);
		} finally {
			vi.useRealTimers();
		}
	});

	it('asks for nothing when the incidents layer is off or no type is ticked', async () => {
		const d = new MapData();
		d.update(view([41, 30.5, 44, 32], { enabled: false }));
		d.update(
			view([41, 30.5, 44, 32], { filters: { from: null, to: null, types: [], area: null } })
		);
		await settle();
		expect(srv.calls).toHaveLength(0);
		expect(d.counts!.total).toBe(0);
	});

	it('erases what it drew when every type is unticked, tiles included', async () => {
		srv = server(grid(POINT_LIMIT + 500));
		vi.stubGlobal('fetch', srv.fetch);
		const d = new MapData();
		d.update(view([39, 29, 49, 37], { tiles: true }));
		await settle();
		expect(d.tileQuery).toBe('');
		d.update(
			view([39, 29, 49, 37], {
				tiles: true,
				filters: { from: null, to: null, types: [], area: null }
			})
		);
		expect(d.tileQuery).toBeNull();
		expect(d.points).toHaveLength(0);
	});

	it('passes the filters to the API by their API names', async () => {
		const d = new MapData();
		d.update(
			view([41, 30.5, 44, 32], {
				filters: {
					from: '2014-01-01',
					to: '2014-12-31',
					types: ['riots', 'protests'],
					area: 'IQG01'
				}
			})
		);
		await settle();
		const q = srv.calls[0].searchParams;
		expect([q.get('from'), q.get('to'), q.get('type'), q.get('area')]).toEqual([
			'2014-01-01',
			'2014-12-31',
			'riots,protests',
			'IQG01'
		]);
	});
});

describe('drawing order', () => {
	it('puts big symbols first so small ones stay visible on top', () => {
		const pts: IncidentPoint[] = [
			['a', 0, 0, 'riots', 1],
			['b', 0, 0, 'riots', 50],
			['c', 0, 0, 'riots', 5]
		];
		expect(sortForDrawing(pts).map((p) => p[0])).toEqual(['b', 'c', 'a']);
		expect(pts[0][0]).toBe('a'); // the response itself is left as it was
	});
});

describe('MapData layer loaders', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('asks once per date, aborts the request a newer date replaces, and keeps only the newer answer', async () => {
		const calls: { url: string; signal: AbortSignal }[] = [];
		const pending: (() => void)[] = [];
		vi.stubGlobal(
			'fetch',
			vi.fn((input: string, init?: RequestInit) => {
				const url = String(input);
				calls.push({ url, signal: init!.signal! });
				const asOf = new URL(url, 'http://t').searchParams.get('as_of');
				return new Promise<Response>((resolve, reject) => {
					init!.signal!.addEventListener('abort', () =>
						reject(new DOMException('aborted', 'AbortError'))
					);
					pending.push(() =>
						resolve(
							new Response(
								JSON.stringify([{ pcode: 'IQG01', level: asOf === '2017-01-01' ? 3 : 4 }])
							)
						)
					);
				});
			})
		);
		const d = new MapData();
		d.loadLevels('2017-01-01');
		d.loadLevels('2017-01-01');
		expect(calls).toHaveLength(1);
		expect(d.contextLoading).toBe(1);
		d.loadLevels('2018-01-01');
		expect(calls).toHaveLength(2);
		expect(calls[0].signal.aborted).toBe(true);
		expect(calls[1].url).toBe('/api/v1/stats/levels?level=2&as_of=2018-01-01');
		pending.forEach((f) => f());
		await settle();
		expect(d.levels).toEqual([{ pcode: 'IQG01', level: 4 }]);
		expect(d.contextLoading).toBe(0);
		expect(d.error).toBeNull();
	});

	it('joins the arcs to the relationships of the same date and filters', async () => {
		const urls: string[] = [];
		const A = '0f8fad5b-d9cb-469f-a165-70867728950e';
		const B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
		const R = '9b2c1f5e-0000-4000-8000-000000000001';
		vi.stubGlobal(
			'fetch',
			vi.fn(async (input: string) => {
				urls.push(String(input));
				const body = String(input).startsWith('/api/v1/actors/arcs')
					? [[43, 36, 47, 31, 'funding', true, 1, 'Alpha', 'Beta', R]]
					: {
							relationships: [
								{
									id: R,
									source_actor_id: A,
									target_actor_id: B,
									source_name: 'Alpha',
									target_name: 'Beta',
									kind: 'funding'
								}
							],
							confrontations: []
						};
				return new Response(JSON.stringify(body));
			})
		);
		const d = new MapData();
		d.loadArcs({ asOf: '2017-06-01', kinds: ['funding'], types: ['militia'], area: 'IQG15' });
		await settle();
		expect(urls.sort()).toEqual([
			'/api/v1/actors/arcs?as_of=2017-06-01&kind=funding&type=militia&area=IQG15',
			'/api/v1/relationships?as_of=2017-06-01&kind=funding'
		]);
		expect(d.arcs).toMatchObject([{ sourceId: A, targetId: B, key: R, directed: true }]);
	});
});
