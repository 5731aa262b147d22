// `npm test`: unit, then integration (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), then
// e2e in headless Chromium. One project at a time: PGlite+PostGIS needs ~1 GB per instance and
// the machines have two cores. Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';

const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const extra = process.argv.slice(2);
const projects = extra.includes('--project') ? [null] : ['unit', 'integration', 'e2e'];

let failed = false;
for (const p of projects) {
	const args = ['run', ...(p ? ['--project', p] : []), ...extra];
	console.log(`\n=== vitest ${args.join(' ')}`);
	const r = spawnSync(process.execPath, [vitest, ...args], { stdio: 'inherit' });
	if (r.status !== 0) {
		failed = true;
		console.error(`\n${p ?? 'tests'}: failed (exit ${r.status})`);
	}
}
process.exit(failed ? 1 : 0);
