/**
 * When upkeep runs and when it gives way. The engine here is a test double (a list of due tables
 * and a flag for "a call is waiting"): what is checked is the scheduling. That the statements
 * really give PGlite its statistics is checked on PGlite itself, in
 * tests/integration/pglite-upkeep.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DUE_TABLES_SQL, Upkeep, upkeepStatement, type DueTable } from './upkeep.ts';

function engineDouble(due: DueTable[]) {
	const ran: string[] = [];
	const host = {
		waiting: false,
		busy: () => host.waiting,
		queryOwner: async <T>(sql: string) => {
			expect(sql).toBe(DUE_TABLES_SQL);
			return due.filter((t) => !ran.some((r) => r.endsWith(` ${t.name}`))) as T[];
		},
		execOwner: async (sql: string) => {
			if (!/^(re)?set default_statistics_target/.test(sql)) ran.push(sql);
		}
	};
	return { host, ran };
}

const DUE: DueTable[] = [
	{ name: 'public.incidents', vacuum: true },
	{ name: 'public.incident_rollup', vacuum: false },
	{ name: 'public.areas', vacuum: false }
];

describe('embedded upkeep', () => {
	afterEach(() => vi.useRealTimers());

	it('vacuums what has new or dead rows and only analyses what has changed rows', () => {
		expect(upkeepStatement(DUE[0])).toBe('vacuum (analyze) public.incidents');
		expect(upkeepStatement(DUE[1])).toBe('analyze public.incident_rollup');
	});

	it('starts only after the engine has been idle, and each call postpones it', async () => {
		vi.useFakeTimers();
		const { host, ran } = engineDouble(DUE);
		const u = new Upkeep(host, undefined, 1000);
		u.touch();
		await vi.advanceTimersByTimeAsync(900);
		u.touch(); // a call finished: the idle time starts again
		await vi.advanceTimersByTimeAsync(900);
		expect(ran).toEqual([]);
		await vi.advanceTimersByTimeAsync(200);
		expect(ran).toEqual([
			'vacuum (analyze) public.incidents',
			'analyze public.incident_rollup',
			'analyze public.areas'
		]);
		expect(u.done).toEqual(['public.incidents', 'public.incident_rollup', 'public.areas']);
	});

	it('gives way to a waiting call after the table in hand, and goes on at the next idle time', async () => {
		vi.useFakeTimers();
		const { host, ran } = engineDouble(DUE);
		const exec = host.execOwner;
		host.execOwner = async (sql: string) => {
			await exec(sql);
			host.waiting = ran.length === 1; // a user's call queued while the first table ran
		};
		const u = new Upkeep(host, undefined, 1000);
		u.touch();
		await vi.advanceTimersByTimeAsync(1000);
		expect(ran).toEqual(['vacuum (analyze) public.incidents']);
		host.waiting = false; // the call ran; its end re-arms the timer
		u.touch();
		await vi.advanceTimersByTimeAsync(1000);
		expect(ran).toEqual([
			'vacuum (analyze) public.incidents',
			'analyze public.incident_rollup',
			'analyze public.areas'
		]);
	});

	it('does nothing once stopped, and logs a failure instead of throwing', async () => {
		vi.useFakeTimers();
		const { host, ran } = engineDouble(DUE);
		const stopped = new Upkeep(host, undefined, 10);
		stopped.touch();
		stopped.stop();
		await vi.advanceTimersByTimeAsync(100);
		expect(ran).toEqual([]);

		const logged: string[] = [];
		host.execOwner = async () => {
			throw new Error('disk full');
		};
		const failing = new Upkeep(host, (s) => logged.push(s), 10);
		failing.touch();
		await vi.advanceTimersByTimeAsync(100);
		expect(logged).toEqual(['database upkeep stopped: disk full']);
	});
});
