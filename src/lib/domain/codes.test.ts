// The conventions issue 15 is checked by, held by a test so a new copy fails CI instead of
// waiting for the next review: one UUID and one P-code pattern in src/ (codes.ts), and no
// rpc() call from a route (routes call the domain verbs in lib/server/<domain>/).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIsoDate, isPcode, isUuid } from './codes.ts';

const SRC = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = join(dir, e.name);
		if (e.isDirectory()) return sources(p);
		return /\.(ts|svelte|js)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
	});
}

const files = sources(SRC).map((p) => ({ path: relative(SRC, p), text: readFileSync(p, 'utf8') }));

describe('shared codes', () => {
	it('are checked as codes', () => {
		expect(isUuid('0b9f3c1e-8a4d-4b2f-9c7e-1d2e3f4a5b6c')).toBe(true);
		expect(isUuid('0b9f3c1e-8a4d-4b2f-9c7e')).toBe(false);
		expect(isPcode('IQG01Q01')).toBe(true);
		expect(isPcode('iqg01')).toBe(false);
		expect(isIsoDate('2024-02-29')).toBe(true);
		expect(isIsoDate('2023-02-30')).toBe(false);
	});

	it('the UUID and P-code patterns are written once, in lib/domain/codes.ts', () => {
		const uuid = /\[0-9a-f\]\{8\}/i;
		const pcode = /\[A-Z\]\{2,3\}/;
		const copies = files
			.filter((f) => f.path !== join('lib', 'domain', 'codes.ts'))
			.filter((f) => uuid.test(f.text) || pcode.test(f.text))
			.map((f) => f.path);
		expect(copies).toEqual([]);
	});

	it('no route calls rpc() itself', () => {
		const calls = files
			.filter((f) => f.path.startsWith('routes') && /\brpc\s*\(/.test(f.text))
			.map((f) => f.path);
		expect(calls).toEqual([]);
	});
});
