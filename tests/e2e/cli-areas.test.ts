// A field user's areas from the command line, on a fresh embedded database with the demo areas:
// `terrain user add EMAIL --role field --areas …` with good P-codes stores them (and says which
// areas they are); an unknown P-code is one clear line naming it, exit 1, and nobody is created;
// `terrain user areas EMAIL --set …` changes them. The stored areas are read back from the data
// directory after the CLI has exited.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';
import { runCli, tempDir, type CliResult } from './helpers/cli.ts';

const dir = tempDir('terrain-e2e-cli-areas-');
const env = { TERRAIN_DATA_DIR: dir };
const PASSWORD = 'long-enough-password';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectOneLineFailure(r: CliResult, pattern: RegExp): void {
	const seen = `exit ${r.code}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout}`;
	expect(r.code, seen).toBe(1);
	expect(r.lines, seen).toHaveLength(1);
	expect(r.lines[0], seen).toMatch(/^terrain: /);
	expect(r.lines[0], seen).toMatch(pattern);
}

/** The users and their areas as stored (the CLI must have exited: one process per data dir). */
async function storedUsers(): Promise<Record<string, string[]>> {
	const db = await PgliteAdapter.open(dir);
	try {
		const rows = await db.queryOwner<{ email: string; assigned_areas: string[] }>(
			'select email, assigned_areas from public.app_users'
		);
		return Object.fromEntries(rows.map((r) => [r.email, r.assigned_areas]));
	} finally {
		await db.close();
	}
}

describe('terrain user add --areas and terrain user areas', () => {
	beforeAll(async () => {
		const r = await runCli(['seed'], env);
		expect(r.code, r.stderr).toBe(0);
	});

	it('refuses an unknown P-code in one line naming it, and creates nobody', async () => {
		const r = await runCli(
			[
				'user',
				'add',
				'ghost.field@example.org',
				'--role',
				'field',
				'--password',
				PASSWORD,
				'--areas',
				'IQG09Q02,IQX99'
			],
			env
		);
		expectOneLineFailure(r, /--areas: unknown P-code IQX99/);
		expect(r.lines[0]).not.toContain('IQG09Q02');
		const notP = await runCli(
			[
				'user',
				'add',
				'ghost.field@example.org',
				'--role',
				'field',
				'--password',
				PASSWORD,
				'--areas',
				'Al-Mosul'
			],
			env
		);
		expectOneLineFailure(notP, /--areas: "AL-MOSUL" is not a P-code/);
		expect(await storedUsers()).not.toHaveProperty('ghost.field@example.org');
	});

	it('adds a field user with their areas, named in the answer', async () => {
		const r = await runCli(
			[
				'user',
				'add',
				'Field.Two@Example.org',
				'--role',
				'field',
				'--password',
				PASSWORD,
				'--areas',
				'IQG09Q02, iqg11q02'
			],
			env
		);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(
			/user field\.two@example\.org \(field\) is ready; areas: IQG09Q02 Duhok, IQG11Q02 Erbil/
		);
		expect((await storedUsers())['field.two@example.org']).toEqual(['IQG09Q02', 'IQG11Q02']);
	});

	it("changes a user's areas, refusing unknown P-codes and unknown users without changing anything", async () => {
		const bad = await runCli(
			['user', 'areas', 'field.two@example.org', '--set', 'IQG10Q04,IQG00Q00'],
			env
		);
		expectOneLineFailure(bad, /--set: unknown P-code IQG00Q00/);
		const ghost = await runCli(
			['user', 'areas', 'ghost.field@example.org', '--set', 'IQG10Q04'],
			env
		);
		expectOneLineFailure(ghost, /no user with email ghost\.field@example\.org/);
		expect((await storedUsers())['field.two@example.org']).toEqual(['IQG09Q02', 'IQG11Q02']);

		const ok = await runCli(
			['user', 'areas', '--email', 'field.two@example.org', '--set', 'IQG10Q04'],
			env
		);
		expect(ok.code, ok.stderr).toBe(0);
		expect(ok.stdout).toMatch(/areas of field\.two@example\.org \(field\): IQG10Q04 Baquba/);
		expect((await storedUsers())['field.two@example.org']).toEqual(['IQG10Q04']);
	});

	it('keeps areas for field users', async () => {
		const r = await runCli(
			[
				'user',
				'add',
				'an.analyst@example.org',
				'--role',
				'analyst',
				'--password',
				PASSWORD,
				'--areas',
				'IQG09'
			],
			env
		);
		expectOneLineFailure(r, /--areas is for field users/);
		expect(await storedUsers()).not.toHaveProperty('an.analyst@example.org');
	});
});
