/**
 * Alert e-mail on every engine, through real SMTP: a local sink (the smtp-server package) that
 * records what arrives and can refuse. Each delivery is read AS ITS RECIPIENT, so someone who may
 * not read an alert gets no e-mail; a movement alert's e-mail carries no detail of the movement;
 * a refused send is retried, then given up after the configured attempts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as moves from '../../src/routes/api/v1/movements/+server.ts';
import * as step from '../../src/routes/api/v1/movements/[id]/transition/+server.ts';
import * as rules from '../../src/routes/api/v1/alerts/rules/+server.ts';
import { sweepOverdue } from '../../src/lib/server/movements/index.ts';
import {
	deliverDue,
	mailConfig,
	mailTransport,
	type MailConfig
} from '../../src/lib/server/mail/index.ts';

interface Received {
	to: string[];
	raw: string;
}

/** A real SMTP server on a free port; `refuse(to)` decides per message whether to answer 451. */
async function smtpSink(refuse: (to: string[]) => boolean) {
	const got: Received[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				const to = session.envelope.rcptTo.map((r) => r.address);
				if (refuse(to)) {
					const err = Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 });
					return callback(err);
				}
				// quoted-printable undone (long lines are wrapped with soft breaks)
				const raw = Buffer.concat(chunks)
					.toString('utf8')
					.replace(/=\r?\n/g, '')
					.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
				got.push({ to, raw });
				callback();
			});
		}
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
	const port = (server.server.address() as AddressInfo).port;
	return { got, port, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

describe.each(engineNames())('alert e-mail on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let stranger: CallerUser;
	let bouncer: CallerUser;
	let sink: Awaited<ReturnType<typeof smtpSink>>;
	let cfg: MailConfig;
	const refusedOnce = new Set<string>();

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		stranger = await makeUser(e.db, 'field');
		bouncer = await makeUser(e.db, 'analyst', `bounce-${Date.now()}@test.org`);
		// the field author's first e-mail is refused once (a busy server); the bouncer's always
		sink = await smtpSink((to) => {
			if (to.includes(bouncer.email)) return true;
			if (to.includes(u.field.email) && !refusedOnce.has(u.field.email)) {
				refusedOnce.add(u.field.email);
				return true;
			}
			return false;
		});
		cfg = mailConfig({
			TERRAIN_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
			TERRAIN_MAIL_FROM: 'terrain@ngo.test',
			TERRAIN_PUBLIC_URL: 'https://terrain.ngo.test',
			TERRAIN_MAIL_RETRY_SECONDS: '0',
			TERRAIN_MAIL_MAX_ATTEMPTS: '3'
		})!;
	});
	afterAll(async () => {
		await sink?.close();
		await e?.close();
	});

	const deliveries = () =>
		e.db.queryOwner<{ email: string; status: string; attempts: number; last_error: string | null }>(
			`select d.email, d.status, d.attempts, d.last_error from private.alert_deliveries d order by d.id`
		);

	it('says clearly what is wrong with the SMTP settings, and is off without them', () => {
		expect(mailConfig({})).toBeNull();
		expect(() => mailConfig({ TERRAIN_SMTP_URL: 'http://x' })).toThrow(/smtp:\/\//);
		expect(() => mailConfig({ TERRAIN_SMTP_URL: 'smtp://x:25' })).toThrow(/TERRAIN_MAIL_FROM/);
	});

	it('e-mails an overdue movement to those who may read it, without its details, retrying a refusal', async () => {
		const purpose = 'Secret visit to Sinjar clinic';
		const m = (
			await callRoute(moves.POST, u.field, '/x', {
				body: {
					purpose,
					departure_at: '2020-01-01T06:00:00Z',
					return_at: '2020-01-01T08:00:00Z',
					team: [{ name: 'Driver Ahmad', phone: '+964 750 000 0000' }],
					route: {
						type: 'LineString',
						coordinates: [
							[10, 10],
							[10.1, 10.1]
						]
					}
				}
			})
		).body;
		const go = (as: CallerUser, to: string) =>
			callRoute(step.POST, as, '/x', { params: { id: m.id }, body: { to } });
		expect((await go(u.field, 'submitted')).status).toBe(200);
		expect((await go(u.analyst, 'approved')).status).toBe(200);
		expect((await go(u.field, 'under_way')).status).toBe(200);
		await sweepOverdue();
		// the same alert addressed, by mistake or design, to people who may not read the movement
		await e.db.queryOwner(
			`insert into public.alerts (kind, severity, title, movement_id, target_users)
			 values ('movement_overdue', 'critical', 'Copy: ' || $2, $1, array[$3, $4]::uuid[])`,
			[m.id, purpose, u.viewer.id, stranger.id]
		);

		const transport = mailTransport(cfg);
		const first = await deliverDue(transport, cfg, 500);
		expect(first.not_visible).toBe(2);
		expect(first.retry).toBeGreaterThanOrEqual(2); // the author's (refused once) and the bouncer's
		const second = await deliverDue(transport, cfg, 500);
		expect(second.sent).toBe(1); // the author's, on its second attempt
		await deliverDue(transport, cfg, 500);
		expect((await deliverDue(transport, cfg, 500)).sent).toBe(0);

		const rows = await deliveries();
		const of = (email: string) => rows.filter((r) => r.email === email);
		expect(of(u.field.email).map((r) => [r.status, r.attempts])).toEqual([['sent', 2]]);
		expect(of(u.analyst.email).map((r) => r.status)).toEqual(['sent']);
		expect(of(u.viewer.email).map((r) => r.status)).toEqual(['not_visible']);
		expect(of(stranger.email).map((r) => r.status)).toEqual(['not_visible']);
		expect(of(bouncer.email).map((r) => [r.status, r.attempts])).toEqual([['failed', 3]]);
		expect(of(bouncer.email)[0].last_error).toMatch(/451/);

		const to = (email: string) => sink.got.filter((g) => g.to.includes(email));
		expect(to(u.viewer.email)).toHaveLength(0);
		expect(to(stranger.email)).toHaveLength(0);
		expect(to(bouncer.email)).toHaveLength(0);
		const mail = to(u.field.email);
		expect(mail).toHaveLength(1);
		expect(mail[0].raw).toMatch(/movement alert/);
		expect(mail[0].raw).toContain('https://terrain.ngo.test/alerts#alert-');
		for (const secret of ['Sinjar', 'Secret visit', 'Ahmad', '+964', '2020-01-01'])
			expect(mail[0].raw, secret).not.toContain(secret);
	});

	it('e-mails an incident rule alert with the incidents its owner may read, unless the rule says not to', async () => {
		const [site] = await e.db.queryOwner<{ id: string; lon: number; lat: number }>(
			`select id, st_x(geom) as lon, st_y(geom) as lat from public.org_sites where status = 'open' order by name limit 1`
		);
		for (const [as, email] of [
			[u.viewer, true],
			[u.admin, false]
		] as const) {
			const r = await callRoute(rules.POST, as, '/x', {
				body: {
					name: `Base watch ${as.role}`,
					target: 'sites',
					site_ids: [site.id],
					radius_km: 5,
					email
				}
			});
			expect(r.status, r.text).toBe(201);
		}
		await e.db.queryOwner(
			`insert into public.incidents (event_date, event_type, geom, status, serious, fatalities)
			 values (current_date, 'battles', st_setsrid(st_makepoint($1 + 0.01, $2), 4326), 'verified', true, 2),
			        (current_date, 'riots', st_setsrid(st_makepoint($1 + 0.01, $2), 4326), 'verified', false, null)`,
			[site.lon, site.lat]
		);
		const round = await deliverDue(mailTransport(cfg), cfg, 500);
		expect(round.sent).toBe(1);
		const mail = sink.got.filter((g) => g.to.includes(u.viewer.email));
		expect(mail).toHaveLength(1);
		expect(mail[0].raw).toContain('Base watch viewer');
		expect(mail[0].raw).toMatch(/2 incident/);
		expect(mail[0].raw).toContain('Battles (2 killed) [serious]');
		expect(sink.got.filter((g) => g.to.includes(u.admin.email))).toHaveLength(1); // the movement's, not the rule's
	});
});
