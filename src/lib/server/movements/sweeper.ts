/**
 * The overdue timer: every TERRAIN_OVERDUE_SWEEP_SECONDS (default 60) and once at start, late
 * movements become overdue and raise their alert (private.movements_overdue_sweep). Started once
 * per process from hooks.server.ts; several processes on one database may each run it (the sweep
 * updates under row locks, so a movement goes overdue, and alerts, once).
 */
import { sweepOverdue } from './index.ts';
import { sweepRiskReviews } from '../risks/index.ts';
import { sweepExpiringAuthorisations } from './authorisations.ts';
import { sweepHeadcounts } from '../headcounts/index.ts';
import { sweepTriggers } from '../contingency/triggers.ts';

const KEY = Symbol.for('terrain.overdue-sweeper');

export function startOverdueSweeper(): void {
	const g = globalThis as { [KEY]?: ReturnType<typeof setInterval> };
	if (g[KEY]) return;
	const seconds = Number(process.env.TERRAIN_OVERDUE_SWEEP_SECONDS ?? 60);
	if (!(seconds > 0)) return;
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			await sweepOverdue();
			// risk review reminders ride on the same timer (issue 12)
			await sweepRiskReviews();
			// access authorisations about to expire (issue 11)
			await sweepExpiringAuthorisations();
			// people who have not answered a headcount in time are escalated
			await sweepHeadcounts();
			// contingency triggers whose incidents have aged out of their window of days
			await sweepTriggers();
		} catch (e) {
			console.error('overdue sweep failed', e);
		} finally {
			running = false;
		}
	};
	g[KEY] = setInterval(tick, seconds * 1000);
	g[KEY].unref?.();
	void tick();
}
