// `npm start`: build the app when the sources are newer than the build, then `terrain serve`.
// A second start with nothing changed skips the build and is ready in seconds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'build', 'handler.js');

function newest(path) {
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let m = 0;
	for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
	return m;
}

const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map(
	(p) => join(root, p)
);
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (built < Math.max(...inputs.filter(existsSync).map(newest))) {
	console.log('building the app (first start or sources changed)…');
	const r = spawnSync(
		process.execPath,
		[join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
		{
			cwd: root,
			stdio: ['ignore', 'ignore', 'inherit']
		}
	);
	if (r.status !== 0) {
		console.error('terrain: the build failed (see above)');
		process.exit(1);
	}
}
process.argv = [process.argv[0], process.argv[1], 'serve'];
await import('../bin/terrain.js').then(
	() => {},
	(e) => {
		console.error(e);
		process.exit(1);
	}
);
