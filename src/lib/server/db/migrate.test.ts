import { describe, expect, it } from 'vitest';
import { plan, type MigrationFile } from './migrate.ts';

const f = (version: string, checksum = 'c' + version): MigrationFile => ({
	version,
	name: 'm',
	sql: '',
	checksum
});

describe('migration plan', () => {
	it('applies what is missing, in order', () => {
		const files = [f('20260101000000'), f('20260102000000'), f('20260103000000')];
		expect(
			plan(files, [{ version: '20260101000000', name: 'm', checksum: 'c20260101000000' }]).map(
				(m) => m.version
			)
		).toEqual(['20260102000000', '20260103000000']);
	});
	it('refuses a database with a migration the files do not have', () => {
		expect(() =>
			plan([f('20260101000000')], [{ version: '20269999000000', name: 'x', checksum: 'c' }])
		).toThrow(/does not have/);
	});
	it('refuses a migration edited after it was applied', () => {
		expect(() =>
			plan(
				[f('20260101000000', 'new')],
				[{ version: '20260101000000', name: 'm', checksum: 'old' }]
			)
		).toThrow(/changed after it was applied/);
	});
	it('refuses a new migration older than applied ones', () => {
		const files = [f('20260101000000'), f('20260102000000')];
		expect(() =>
			plan(files, [{ version: '20260102000000', name: 'm', checksum: 'c20260102000000' }])
		).toThrow(/older than migrations already applied/);
	});
});
