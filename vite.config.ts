import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
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
