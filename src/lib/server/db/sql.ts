import { createHash } from 'node:crypto';
import type { Args, Caller } from './types.ts';

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Splits "schema.fn" (default schema public) and refuses anything that is not a plain name. */
export function functionName(fn: string): { schema: string; name: string } {
	const parts = fn.split('.');
	const [schema, name] = parts.length === 2 ? parts : ['public', parts[0]];
	if (parts.length > 2 || !IDENT.test(schema) || !IDENT.test(name)) {
		throw new Error(`invalid function name: ${fn}`);
	}
	return { schema, name };
}

/**
 * The statement for a call by name with named arguments — what PostgREST's /rpc/fn does.
 * Undefined arguments are left out so SQL defaults apply; values travel as parameters.
 */
export function rpcStatement(fn: string, args: Args): { text: string; values: unknown[] } {
	const { schema, name } = functionName(fn);
	const values: unknown[] = [];
	const named: string[] = [];
	for (const [key, value] of Object.entries(args)) {
		if (value === undefined) continue;
		if (!IDENT.test(key)) throw new Error(`invalid argument name: ${key}`);
		values.push(
			value !== null &&
				typeof value === 'object' &&
				!Array.isArray(value) &&
				!(value instanceof Date)
				? JSON.stringify(value)
				: value
		);
		named.push(`${key} => $${values.length}`);
	}
	return { text: `select "${schema}"."${name}"(${named.join(', ')}) as result`, values };
}

/** The role and JWT claims a call runs with (see Caller). */
export function callerContext(as: Caller): {
	role: 'anon' | 'authenticated' | null;
	claims: string;
} {
	if (as === 'service') return { role: null, claims: JSON.stringify({ role: 'service_role' }) };
	if (as === 'anon') return { role: 'anon', claims: JSON.stringify({ role: 'anon' }) };
	return {
		role: 'authenticated',
		claims: JSON.stringify({ sub: as.id, role: 'authenticated', email: as.email })
	};
}

/** JSON with object keys sorted, so equal arguments always hash alike. */
function canonical(v: unknown): string {
	if (v === null || typeof v !== 'object' || v instanceof Date) return JSON.stringify(v) ?? 'null';
	if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
	const o = v as Record<string, unknown>;
	return `{${Object.keys(o)
		.filter((k) => o[k] !== undefined)
		.sort()
		.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
		.join(',')}}`;
}

/** What an Idempotency-Key is bound to: the function and its arguments. */
export function requestHash(fn: string, args: Args): string {
	return createHash('sha256').update(fn).update('\0').update(canonical(args)).digest('hex');
}

/**
 * Calls that may legitimately run long (an import's commit, the demo seed) get no statement
 * timeout; every other call made for a request stops after TERRAIN_STATEMENT_TIMEOUT_MS (default
 * 20 s), so one request cannot hold the database indefinitely. Outside requests (CLI): none.
 */
const LONG_CALLS = /^(public\.)?(import_|seed_)|^private\.seed_/;

export function statementTimeoutMs(fn: string, inRequest: boolean): number {
	if (!inRequest || LONG_CALLS.test(fn)) return 0;
	const v = Number(process.env.TERRAIN_STATEMENT_TIMEOUT_MS ?? 20_000);
	return Number.isFinite(v) && v >= 0 ? Math.floor(v) : 20_000;
}
