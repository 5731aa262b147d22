import { resolve } from 'node:path';

/** A wrong setting, said in one line with what to do; the program stops without a stack trace. */
export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

export type DbConfig =
	| { mode: 'embedded'; dataDir: string }
	| { mode: 'postgres'; url: string }
	| { mode: 'supabase'; url: string; anonKey: string; serviceKey?: string };

/**
 * Which database this process uses, from the environment. Fails fast with a message that says
 * what is wrong and what to set, rather than half-starting.
 */
export function dbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
	const { DATABASE_URL, SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY } = env;
	if (DATABASE_URL && SUPABASE_URL) {
		throw new ConfigError('set either DATABASE_URL or SUPABASE_URL, not both');
	}
	if (SUPABASE_URL || SUPABASE_ANON_KEY) {
		if (!SUPABASE_URL)
			throw new ConfigError('SUPABASE_ANON_KEY is set but SUPABASE_URL is missing');
		if (!SUPABASE_ANON_KEY)
			throw new ConfigError('SUPABASE_URL is set but SUPABASE_ANON_KEY is missing');
		return {
			mode: 'supabase',
			url: SUPABASE_URL,
			anonKey: SUPABASE_ANON_KEY,
			serviceKey: SUPABASE_SERVICE_ROLE_KEY
		};
	}
	if (DATABASE_URL !== undefined) {
		if (!DATABASE_URL.trim())
			throw new ConfigError('DATABASE_URL is empty; unset it to use the embedded database');
		return { mode: 'postgres', url: DATABASE_URL };
	}
	return { mode: 'embedded', dataDir: resolve(env.TERRAIN_DATA_DIR || 'data') };
}

export interface ServerConfig {
	port: number;
	host: string;
}

export function serverConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
	const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new ConfigError(`PORT must be a number between 0 and 65535 (got "${env.PORT}")`);
	}
	return { port, host: env.HOST || '0.0.0.0' };
}
