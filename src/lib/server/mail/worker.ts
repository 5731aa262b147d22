/**
 * The e-mail sender: once at start, on every new alert (the live feed) and every
 * TERRAIN_MAIL_POLL_SECONDS (default 30, for retries), due deliveries are sent. Started once per
 * process from hooks.server.ts, only when TERRAIN_SMTP_URL is set.
 */
import { liveHub } from '../live/index.ts';
import { deliverDue, mailConfig, mailTransport } from './index.ts';

const KEY = Symbol.for('terrain.mail-worker');

export function startMailWorker(): void {
	const g = globalThis as { [KEY]?: boolean };
	if (g[KEY]) return;
	const cfg = mailConfig();
	if (!cfg) return;
	g[KEY] = true;
	const transport = mailTransport(cfg);
	let running = false;
	let again = false;
	const tick = async () => {
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			do {
				again = false;
				const r = await deliverDue(transport, cfg);
				// a full batch: there may be more waiting
				if (r.sent + r.not_visible + r.retry + r.failed >= 20) again = true;
			} while (again);
		} catch (e) {
			console.error('alert e-mail: delivery round failed', e);
		} finally {
			running = false;
		}
	};
	const seconds = Number(process.env.TERRAIN_MAIL_POLL_SECONDS ?? 30);
	setInterval(tick, Math.max(1, seconds) * 1000).unref?.();
	liveHub().subscribe((m) => {
		if (m.kind === 'alert') void tick();
	});
	void tick();
}
