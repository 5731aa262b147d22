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
