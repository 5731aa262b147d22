import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { ConfigError } from '../config.ts';
import { functionName } from './sql.ts';
import { DbError, type Adapter, type Args, type Caller } from './types.ts';

/**
 * A Supabase project through supabase-js `.rpc()`: PostgREST runs each call with the role and
 * claims of the JWT it receives, so the same RLS policies apply as in the other modes.
 * Migrations are deployed with `supabase db push`, not by this adapter.
 */
export class SupabaseAdapter implements Adapter {
	readonly kind = 'supabase' as const;
	constructor(
		readonly url: string,
		readonly anonKey: string,
		readonly serviceKey: string | undefined
	) {}

	static open(url: string, anonKey: string, serviceKey?: string): SupabaseAdapter {
		try {
			new URL(url);
		} catch {
			throw new ConfigError(
				'SUPABASE_URL is not a valid URL; expected https://<project>.supabase.co'
			);
		}
		if (!anonKey)
			throw new ConfigError(
				'SUPABASE_ANON_KEY is missing; copy it from the project settings (API)'
			);
		return new SupabaseAdapter(url.replace(/\/$/, ''), anonKey, serviceKey);
	}

	client(as: Caller): SupabaseClient {
		let bearer: string | undefined;
		if (as === 'service') {
			if (!this.serviceKey) throw new ConfigError('this action needs SUPABASE_SERVICE_ROLE_KEY');
			bearer = this.serviceKey;
		} else if (as !== 'anon') {
			if (!as.accessToken) throw new DbError('no Supabase access token for this user', '42501');
			bearer = as.accessToken;
		}
		const key = as === 'service' ? this.serviceKey! : this.anonKey;
		return createClient(this.url, key, {
			auth: { persistSession: false, autoRefreshToken: false },
			global: { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} },
			// supabase-js on Node 20 needs a WebSocket implementation even when realtime is unused.
			realtime: { transport: ws as never }
		});
	}

	async rpc<T>(fn: string, args: Args, as: Caller): Promise<T> {
		const { schema, name } = functionName(fn);
		const body: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(args)) if (v !== undefined) body[k] = v;
		const c = this.client(as);
		const q = schema === 'public' ? c.rpc(name, body) : c.schema(schema).rpc(name, body);
		const { data, error } = await q;
		if (error) throw new DbError(error.message, error.code, error.details ?? undefined);
		return data as T;
	}

	async execOwner(): Promise<void> {
		throw new ConfigError(
			'in Supabase mode apply migrations with `supabase db push` (supabase/migrations)'
		);
	}

	async queryOwner<T>(): Promise<T[]> {
		throw new ConfigError('raw SQL is not available in Supabase mode');
	}

	async close(): Promise<void> {}
}
