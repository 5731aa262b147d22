import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

/** The kit's generated client app (its root, and kept out of the shell: see shellChunk). */
const APP_JS = /[\\/]generated[\\/]client-optimized[\\/]app\.js$/;

/**
 * One "shell" chunk for what every page loads: the kit's client runtime and the root and (app)
 * layouts with everything they import statically. Left to itself the bundler cut that into ~20
 * files of a few hundred bytes each (one per set of pages sharing them); on a field link
 * (300 ms round trips, HTTP/1.1's six connections) each costs a round trip, and the first map
 * waited ~2.5 s for them with the link half idle (issue 14). Pages' own code stays split.
 * The set is the static import closure of those roots, worked out once the module graph is
 * known (buildEnd comes before chunking), so it takes nothing a page imports on its own.
 */
function shellChunk(): Plugin {
	const shell = new Set<string>();
	const roots = [
		/[\\/]src[\\/]routes[\\/]\+layout\.(svelte|ts)$/,
		/[\\/]src[\\/]routes[\\/]\(app\)[\\/]\+layout\.svelte$/,
		/[\\/]@sveltejs[\\/]kit[\\/]src[\\/]runtime[\\/]client[\\/]entry\.js$/,
		APP_JS
	];
	// The kit's generated app.js imports every page's node dynamically. In a chunk the pages import,
	// those dynamic imports led SvelteKit's find_deps (which marks what it meets under a dynamic
	// import as seen without listing it) to leave each page's own chunks and CSS out of the page's
	// <head>: they were asked for only once the page's code ran, a round trip later, and its
	// components' CSS came after the page was first drawn (seen in B5's request list). It stays
	// its own entry chunk; what it imports statically is still the shell's.
	return {
		name: 'terrain-shell-chunk',
		apply: 'build',
		buildStart() {
			shell.clear();
		},
		buildEnd() {
			if (this.environment?.name !== 'client') return;
			const seen = new Set<string>();
			const walk = (id: string) => {
				if (seen.has(id)) return;
				seen.add(id);
				if (!APP_JS.test(id)) shell.add(id);
				for (const dep of this.getModuleInfo(id)?.importedIds ?? []) walk(dep);
			};
			for (const id of this.getModuleIds()) if (roots.some((r) => r.test(id))) walk(id);
		},
		config: () => ({
			build: {
				rolldownOptions: {
					output: {
						codeSplitting: { groups: [{ name: 'shell', test: (id: string) => shell.has(id) }] }
					}
				}
			}
		})
	};
}

/**
 * Writes which client chunk holds each language's catalogue (`_app/catalogues.json`), so that the
 * server can name the reader's in the page's <head> ($lib/server/i18n/catalogue-preload.ts).
 */
function catalogueChunks(): Plugin {
	return {
		name: 'terrain-catalogue-chunks',
		apply: 'build',
		generateBundle(_, bundle) {
			if (this.environment?.name !== 'client') return;
			const map: Record<string, string> = {};
			for (const c of Object.values(bundle)) {
				const m =
					c.type === 'chunk' &&
					/[\\/]lib[\\/]i18n[\\/](\w+)[\\/]index\.ts$/.exec(c.facadeModuleId ?? '');
				if (m) map[m[1]] = c.fileName;
			}
			this.emitFile({
				type: 'asset',
				fileName: '_app/catalogues.json',
				source: JSON.stringify(map)
			});
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), shellChunk(), catalogueChunks()],
	server: { port: 5173 },
	test: {
		// A test that asserts nothing cannot fail: vitest refuses it.
		expect: { requireAssertions: true },
		// Node code (server, CLI, tests) speaks every language: all catalogues registered at once.
		setupFiles: ['src/lib/i18n/all.ts'],
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'supabase/tests/**/*.unit.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts', 'supabase/tests/**/*.test.ts'],
					// SQL-file checks that need no database run in the unit project.
					exclude: [...configDefaults.exclude, 'supabase/tests/**/*.unit.test.ts'],
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 120_000,
					hookTimeout: 180_000,
					// PGlite+PostGIS takes ~1 GB per instance; two cores.
					maxWorkers: 2,
					fileParallelism: true
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					// A page waits on the server; on two loaded cores a save can take seconds, and
					// expect.poll's default of 1 s made tests red for slowness alone.
					expect: { requireAssertions: true, poll: { timeout: 20_000, interval: 100 } },
					globalSetup: ['tests/e2e/global-setup.ts'],
					testTimeout: 180_000,
					hookTimeout: 300_000,
					fileParallelism: false
				}
			}
		]
	}
});
