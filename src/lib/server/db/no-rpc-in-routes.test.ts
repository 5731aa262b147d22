// The convention that keeps data access in one place per domain: routes never call rpc()
// themselves (nor db.rpc / getDb().rpc); they call the verbs in src/lib/server/<domain>/index.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../../..');
const ROUTES = join(ROOT, 'src/routes');

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory()
			? files(join(dir, e.name))
			: /\.(ts|js|svelte)$/.test(e.name)
				? [join(dir, e.name)]
				: []
	);
}

/** What in a route's source breaks the rule, as "file: reason" lines. */
function rpcUses(path: string, source: string): string[] {
	const out: string[] = [];
	if (/\brpc\s*(?:<[\s\S]*?>)?\s*\(/.test(source)) out.push(`${path}: calls rpc()`);
	const imports = /import\s*\{([^}]*)\}\s*from\s*['"]\$lib\/server\/db(?:\/index(?:\.ts)?)?['"]/g;
	for (const m of source.matchAll(imports))
		if (/\brpc\b/.test(m[1])) out.push(`${path}: imports rpc from $lib/server/db`);
	return out;
}

describe('routes', () => {
	it('never call rpc() or import it: data access goes through the domain verbs', () => {
		const found = files(ROUTES).flatMap((f) => rpcUses(relative(ROOT, f), readFileSync(f, 'utf8')));
		expect(found).toEqual([]);
	});

	it('the check sees a call, a typed call, a method call and an import', () => {
		expect(rpcUses('a', "import { rpc } from '$lib/server/db';")).toHaveLength(1);
		expect(rpcUses('b', "await rpc('me', {}, user)")).toHaveLength(1);
		expect(rpcUses('c', "await db.rpc<Row[]>('users_list', {}, user)")).toHaveLength(1);
		expect(
			rpcUses('c2', "rpc<{ a: string; b: Record<string, unknown> }[]>('x', {}, u)")
		).toHaveLength(1);
		expect(rpcUses('d', "await (await getDb()).rpc(\n'x', {}, u)")).toHaveLength(1);
		expect(rpcUses('e', "import * as incidents from '$lib/server/incidents';")).toEqual([]);
	});
});
