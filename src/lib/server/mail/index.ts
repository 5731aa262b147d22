/**
 * E-mail delivery of alerts through the SMTP server the operator configures (nodemailer).
 * TERRAIN_SMTP_URL (smtp:// or smtps://, credentials in the URL) turns it on; without it alerts
 * stay in the app and the alerts page says so. Deliveries are queued in the database when an alert
 * is raised (private.alert_deliveries); any app process may send them (claims skip locked rows).
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { ConfigError } from '../config.ts';
import { rpc } from '../db/index.ts';
import { DbError } from '../db/types.ts';
import type { AppRole } from '../db/types.ts';
import { getAlert } from '../alerts/index.ts';
import { composeAlertMail } from './compose.ts';
import { isLocale } from '../../i18n/index.ts';

export interface MailConfig {
	url: string;
	from: string;
	/** The app's address as people open it, for the link in each e-mail. */
	publicUrl: string;
	/** The first retry waits this long; each further one twice as long. */
	retrySeconds: number;
	maxAttempts: number;
}

/** null when no SMTP server is configured; throws ConfigError on a wrong setting. */
export function mailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig | null {
	const url = env.TERRAIN_SMTP_URL?.trim();
	if (!url) return null;
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new ConfigError(
			'TERRAIN_SMTP_URL is not a URL (e.g. smtp://user:pass@mail.example.org:587)'
		);
	}
	if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
		throw new ConfigError('TERRAIN_SMTP_URL must start with smtp:// or smtps://');
	const from = env.TERRAIN_MAIL_FROM?.trim();
	if (!from)
		throw new ConfigError(
			'TERRAIN_SMTP_URL is set: set TERRAIN_MAIL_FROM too (the sender address)'
		);
	const retrySeconds = Number(env.TERRAIN_MAIL_RETRY_SECONDS ?? 60);
	const maxAttempts = Number(env.TERRAIN_MAIL_MAX_ATTEMPTS ?? 6);
	if (!(retrySeconds >= 0))
		throw new ConfigError('TERRAIN_MAIL_RETRY_SECONDS must be a number ≥ 0');
	if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
		throw new ConfigError('TERRAIN_MAIL_MAX_ATTEMPTS must be a whole number ≥ 1');
	return {
		url,
		from,
		publicUrl: env.TERRAIN_PUBLIC_URL?.trim() || env.ORIGIN?.trim() || 'http://localhost:3000',
		retrySeconds,
		maxAttempts
	};
}

export const mailTransport = (cfg: MailConfig): Transporter => nodemailer.createTransport(cfg.url);

interface Claimed {
	id: number;
	alert_id: string;
	email: string;
	attempts: number;
	user_id: string;
	role: AppRole;
	/** The language the recipient last chose in the app (public.user_preferences), else en. */
	locale: string;
}

const finish = (id: number, outcome: string, error: string | null = null, retrySeconds = 0) =>
	rpc<null>(
		'private.alert_delivery_finish',
		{ p_id: id, p_outcome: outcome, p_error: error, p_retry_seconds: Math.round(retrySeconds) },
		'service'
	);

export interface DeliveryRound {
	sent: number;
	not_visible: number;
	retry: number;
	failed: number;
}

/** Sends the deliveries that are due, once each; returns what happened to them. */
export async function deliverDue(
	transport: Transporter,
	cfg: MailConfig,
	limit = 20
): Promise<DeliveryRound> {
	const out: DeliveryRound = { sent: 0, not_visible: 0, retry: 0, failed: 0 };
	const due = await rpc<Claimed[]>(
		'private.alert_deliveries_claim',
		{ p_limit: limit, p_lease_seconds: 300 },
		'service'
	);
	for (const d of due) {
		let text: { subject: string; text: string };
		try {
			// read as the recipient: RLS decides whether they may see it, and what it holds
			const alert = await getAlert({ id: d.user_id, email: d.email, role: d.role }, d.alert_id);
			text = composeAlertMail(alert, cfg.publicUrl, isLocale(d.locale) ? d.locale : 'en');
		} catch (e) {
			if (e instanceof DbError && e.code === 'P0002') {
				await finish(d.id, 'not_visible');
				out.not_visible++;
				continue;
			}
			throw e;
		}
		try {
			await transport.sendMail({ from: cfg.from, to: d.email, ...text });
			await finish(d.id, 'sent');
			out.sent++;
		} catch (e) {
			const why = e instanceof Error ? e.message : String(e);
			if (d.attempts >= cfg.maxAttempts) {
				await finish(d.id, 'failed', why);
				out.failed++;
			} else {
				await finish(d.id, 'retry', why, cfg.retrySeconds * 2 ** (d.attempts - 1));
				out.retry++;
			}
		}
	}
	return out;
}
