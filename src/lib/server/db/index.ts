/**
 * The one seam between Terrain and its database. Everything the app reads or writes is a SQL
 * function in supabase/migrations, called by name through `rpc`, as a given caller.
 */
import { dbConfig, type DbConfig } from '../config.ts';
import { PgliteAdapter } from './pglite.ts';
import { PostgresAdapter } from './postgres.ts';
import { SupabaseAdapter } from './supabase.ts';
import type { Adapter, Args, Caller, CallOptions } from './types.ts';

export * from './types.ts';

export async function openDb(config: DbConfig = dbConfig()): Promise<Adapter> {
	switch (config.mode) {
		case 'embedded':
			return PgliteAdapter.open(config.dataDir);
		case 'postgres':
			return PostgresAdapter.open(config.url);
		case 'supabase':
			return SupabaseAdapter.open(config.url, config.anonKey, config.serviceKey);
	}
}

// The CLI opens (and migrates) the database before it loads the built app; the app then finds
// that same instance here instead of opening the embedded data directory a second time.
const KEY = Symbol.for('terrain.db');
type Holder = { [KEY]?: Promise<Adapter> };

export function setDb(db: Adapter): void {
	(globalThis as Holder)[KEY] = Promise.resolve(db);
}

export function getDb(): Promise<Adapter> {
	const g = globalThis as Holder;
	return (g[KEY] ??= openDb());
}

export async function rpc<T = unknown>(
	fn: string,
	args: Args,
	as: Caller,
	opts?: CallOptions
): Promise<T> {
	return (await getDb()).rpc<T>(fn, args, as, opts);
}
