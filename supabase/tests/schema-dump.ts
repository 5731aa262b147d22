/**
 * The drift test's tools: build a database from supabase/schemas/, cut a pg_dump into one block
 * per object, and print a readable per-object diff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter } from '../../src/lib/server/db/types.ts';

/** The schema files, in the order their numbered names give (dependency order). */
export function schemaFiles(dir: string): string[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()
		.map((f) => join(dir, f));
}

/** bootstrap.sql, then every schema file, each as one simple-protocol message (one transaction). */
export async function applySchemas(db: Adapter, dir: string, bootstrapSql: string): Promise<void> {
	await db.execOwner(bootstrapSql);
	for (const file of schemaFiles(dir)) {
		try {
			await db.execOwner(readFileSync(file, 'utf8'));
		} catch (e) {
			throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
		}
	}
}

// pg_dump opens every object with `-- Name: x; Type: T; Schema: s; Owner: -` (or `-- Data for Name:`).
const HEADER = /^-- (?:Data for )?Name: (.+?); Type: (.+?); Schema: (.+?);.*$/;
// Session settings, pg_dump's \restrict guard lines, comments and blank lines are not the schema.
const NOISE =
	/^(--.*|SET .*|SELECT pg_catalog\.set_config\('search_path'.*|\\(un)?restrict .*|\s*)$/;

/**
 * One entry per dumped object, keyed "TYPE schema.name" (so statement order in the files does not
 * matter). Grants (ACL) and table rows are sets: their lines are sorted.
 */
export function dumpObjects(dump: string): Map<string, string> {
	const objects = new Map<string, string[]>();
	let current: string[] | null = null;
	const sets: string[][] = [];
	for (const line of dump.split('\n')) {
		const h = HEADER.exec(line);
		if (h) {
			const [, name, type, schema] = h;
			const key = `${type} ${schema === '-' ? '' : schema + '.'}${name}`;
			current = objects.get(key) ?? [];
			objects.set(key, current);
			if (type === 'ACL' || type === 'TABLE DATA') sets.push(current);
			continue;
		}
		if (current && !NOISE.test(line)) current.push(line);
	}
	for (const lines of sets) lines.sort();
	return new Map([...objects].map(([k, v]) => [k, v.join('\n')]));
}

/** Empty when both dumps hold the same objects; otherwise one paragraph per differing object. */
export function diffDumps(migrated: Map<string, string>, schemas: Map<string, string>): string {
	const out: string[] = [];
	const keys = [...new Set([...migrated.keys(), ...schemas.keys()])].sort();
	for (const key of keys) {
		const a = migrated.get(key);
		const b = schemas.get(key);
		if (a === b) continue;
		if (b === undefined) out.push(`only in the migrations: ${key}\n${indent(a!)}`);
		else if (a === undefined) out.push(`only in supabase/schemas/: ${key}\n${indent(b)}`);
		else out.push(`differs: ${key}  (- migrations, + schemas)\n${lineDiff(a, b)}`);
	}
	return out.join('\n\n');
}

const indent = (s: string) =>
	s
		.split('\n')
		.map((l) => `    ${l}`)
		.join('\n');

/** A plain LCS line diff, with two lines of context around each change. */
export function lineDiff(a: string, b: string): string {
	const x = a.split('\n');
	const y = b.split('\n');
	const lcs = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
	for (let i = x.length - 1; i >= 0; i--)
		for (let j = y.length - 1; j >= 0; j--)
			lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
	const ops: [' ' | '-' | '+', string][] = [];
	let i = 0;
	let j = 0;
	while (i < x.length || j < y.length) {
		if (i < x.length && j < y.length && x[i] === y[j]) {
			ops.push([' ', x[i]]);
			i++;
			j++;
		} else if (j < y.length && (i === x.length || lcs[i][j + 1] > lcs[i + 1][j]))
			ops.push(['+', y[j++]]);
		else ops.push(['-', x[i++]]);
	}
	const near = (k: number) => ops.slice(Math.max(0, k - 2), k + 3).some(([op]) => op !== ' ');
	return ops
		.map(([op, l], k) => (near(k) ? `  ${op} ${l}` : null))
		.filter((l, k, all) => l !== null || all[k - 1] !== null)
		.map((l) => l ?? '    …')
		.join('\n');
}
