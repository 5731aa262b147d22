import { describe, expect, it } from 'vitest';
import { dbConfig, serverConfig } from './config.ts';

describe('dbConfig', () => {
	it('defaults to the embedded database in ./data', () => {
		const c = dbConfig({});
		expect(c.mode).toBe('embedded');
		if (c.mode === 'embedded') expect(c.dataDir.endsWith('/data')).toBe(true);
	});
	it('uses DATABASE_URL for PostgreSQL and refuses an empty one', () => {
		expect(dbConfig({ DATABASE_URL: 'postgres://x@h/db' })).toEqual({
			mode: 'postgres',
			url: 'postgres://x@h/db'
		});
		expect(() => dbConfig({ DATABASE_URL: ' ' })).toThrow(/DATABASE_URL is empty/);
	});
	it('needs both Supabase variables, and not together with DATABASE_URL', () => {
		expect(() => dbConfig({ SUPABASE_URL: 'https://p.supabase.co' })).toThrow(
			/SUPABASE_ANON_KEY is missing/
		);
		expect(() => dbConfig({ SUPABASE_ANON_KEY: 'k' })).toThrow(/SUPABASE_URL is missing/);
		expect(() => dbConfig({ SUPABASE_URL: 'https://p', DATABASE_URL: 'postgres://x' })).toThrow(
			/not both/
		);
		expect(dbConfig({ SUPABASE_URL: 'https://p', SUPABASE_ANON_KEY: 'k' }).mode).toBe('supabase');
	});
});

describe('serverConfig', () => {
	it('defaults to port 3000 and rejects nonsense ports', () => {
		expect(serverConfig({}).port).toBe(3000);
		expect(serverConfig({ PORT: '8080', HOST: '127.0.0.1' })).toEqual({
			port: 8080,
			host: '127.0.0.1'
		});
		expect(() => serverConfig({ PORT: 'abc' })).toThrow(/PORT must be a number/);
		expect(() => serverConfig({ PORT: '70000' })).toThrow(/PORT must be a number/);
	});
});
