/**
 * Sign-in and session settings from the environment, read when used (so a test can set them) and
 * checked at start-up by `terrain serve` (so a wrong value stops the server with one line).
 */
import { ConfigError } from '../config.ts';

export interface SessionConfig {
	/** Absolute lifetime of a session, whatever the activity. */
	absoluteSeconds: number;
	/** A session unused for this long ends. */
	idleSeconds: number;
}

function hours(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const h = Number(raw);
	if (!Number.isFinite(h) || h <= 0 || h > 24 * 366)
		throw new ConfigError(`${name} must be a number of hours above 0 (got "${raw}")`);
	return h;
}

/** TERRAIN_SESSION_HOURS (absolute, default 36) and TERRAIN_SESSION_IDLE_HOURS (default 8). */
export function sessionConfig(env: NodeJS.ProcessEnv = process.env): SessionConfig {
	const absolute = hours(env, 'TERRAIN_SESSION_HOURS', 36);
	const idle = Math.min(hours(env, 'TERRAIN_SESSION_IDLE_HOURS', 8), absolute);
	return {
		absoluteSeconds: Math.max(1, Math.round(absolute * 3600)),
		idleSeconds: Math.max(1, Math.round(idle * 3600))
	};
}

/** TERRAIN_TRUST_PROXY=1: the operator says a reverse proxy sets X-Forwarded-Proto/-For. */
export function trustProxy(env: NodeJS.ProcessEnv = process.env): boolean {
	const v = (env.TERRAIN_TRUST_PROXY ?? '').trim().toLowerCase();
	if (v === '' || v === '0' || v === 'false' || v === 'no') return false;
	if (v === '1' || v === 'true' || v === 'yes') return true;
	throw new ConfigError(`TERRAIN_TRUST_PROXY must be 1 or 0 (got "${env.TERRAIN_TRUST_PROXY}")`);
}

/** Days an API token lives unless its creator chooses otherwise, and the longest allowed. */
export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 366;
