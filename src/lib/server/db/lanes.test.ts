import { describe, expect, it } from 'vitest';
import { FAST_FUNCTIONS, LaneQueue } from './lanes.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('LaneQueue', () => {
	it('runs one call at a time, fast calls before queued normal ones', async () => {
		const q = new LaneQueue();
		const order: string[] = [];
		const job = (name: string) => async () => {
			order.push(`start ${name}`);
			await tick();
			order.push(`end ${name}`);
			return name;
		};
		const all = [
			q.push('normal', job('heavy1')),
			q.push('normal', job('heavy2')),
			q.push('normal', job('heavy3')),
			q.push('fast', job('me'))
		];
		await Promise.all(all);
		// heavy1 was already running; /me goes next, ahead of heavy2 and heavy3.
		expect(order).toEqual([
			'start heavy1',
			'end heavy1',
			'start me',
			'end me',
			'start heavy2',
			'end heavy2',
			'start heavy3',
			'end heavy3'
		]);
	});

	it("lets a fast call's follow-up fast call go before a queued normal one", async () => {
		const q = new LaneQueue();
		const order: string[] = [];
		const job = (name: string) => async () => {
			order.push(name);
			await tick();
		};
		const heavy = q.push('normal', job('heavy1'));
		// A request: its session look-up, then (in the look-up's continuation) its own cheap call.
		const request = q
			.push('fast', job('session'))
			.then(() => Promise.resolve())
			.then(() => q.push('fast', job('me')));
		const queued = q.push('normal', job('heavy2'));
		await Promise.all([heavy, request, queued]);
		expect(order).toEqual(['heavy1', 'session', 'me', 'heavy2']);
	});

	it('drops a queued call whose client went away, and never starts it', async () => {
		const q = new LaneQueue();
		let started = false;
		const gone = new AbortController();
		const first = q.push('normal', async () => tick());
		const second = q.push(
			'normal',
			async () => {
				started = true;
			},
			gone.signal
		);
		gone.abort();
		await expect(second).rejects.toMatchObject({ code: '57014' });
		await first;
		await tick();
		expect(started).toBe(false);
		expect(q.dropped).toBe(1);
	});
});

describe('FAST_FUNCTIONS', () => {
	// The sign-in functions were renamed once and the fast lane silently lost them: every name in
	// the lane must be one the server actually calls.
	it('names only functions the server calls', async () => {
		const { readdirSync, readFileSync } = await import('node:fs');
		const { join } = await import('node:path');
		const root = join(import.meta.dirname, '..');
		const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
			.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('lanes.ts'))
			.map((f) => readFileSync(join(root, f), 'utf8'))
			.join('\n');
		for (const fn of FAST_FUNCTIONS) expect(sources, fn).toContain(`'${fn}'`);
	});
});
