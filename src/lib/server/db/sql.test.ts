import { describe, expect, it } from 'vitest';
import { callerContext, functionName, rpcStatement } from './sql.ts';

describe('rpcStatement', () => {
	it('calls the function by name with named parameters and skips undefined arguments', () => {
		const s = rpcStatement('incidents_map', {
			p_west: 40,
			p_types: ['battles'],
			p_area: undefined,
			p_to: null
		});
		expect(s.text).toBe(
			'select "public"."incidents_map"(p_west => $1, p_types => $2, p_to => $3) as result'
		);
		expect(s.values).toEqual([40, ['battles'], null]);
	});
	it('sends objects as JSON text', () => {
		expect(rpcStatement('f', { p_rows: { a: 1 } }).values).toEqual(['{"a":1}']);
	});
	it('refuses names that could smuggle SQL', () => {
		expect(() => functionName('f(); drop table x')).toThrow(/invalid function name/);
		expect(() => functionName('a.b.c')).toThrow(/invalid function name/);
		expect(() => rpcStatement('f', { 'p; drop': 1 })).toThrow(/invalid argument name/);
		expect(functionName('private.session_user')).toEqual({
			schema: 'private',
			name: 'session_user'
		});
	});
});

describe('callerContext', () => {
	it('runs users as authenticated with their id as sub', () => {
		const c = callerContext({ id: 'u1', email: 'a@b.c', role: 'viewer' });
		expect(c.role).toBe('authenticated');
		expect(JSON.parse(c.claims)).toEqual({ sub: 'u1', role: 'authenticated', email: 'a@b.c' });
	});
	it('runs the server as service_role without switching role, and anonymous callers as anon', () => {
		expect(callerContext('service')).toEqual({ role: null, claims: '{"role":"service_role"}' });
		expect(callerContext('anon').role).toBe('anon');
	});
});
