// `npm run bench`: every benchmark script (scripts/bench-*.ts|js), one after the other.
// Speed and memory targets are checked here, never by timed assertions in tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const only = process.argv[2];
const scripts = readdirSync(dir)
	.filter((f) => /^bench-.+\.(ts|js|mjs)$/.test(f))
	.filter((f) => !only || f.includes(only))
	.sort();
let failed = 0;
for (const f of scripts) {
	console.log(`\n# ${f}`);
	const r = spawnSync(process.execPath, ['--import', 'tsx', dir + f], { stdio: 'inherit' });
	if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
