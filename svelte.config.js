import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
	kit: {
		adapter: adapter({ out: 'build' }),
		// Form posts from other origins are refused by SvelteKit; JSON routes are checked in hooks.server.ts.
		csrf: { trustedOrigins: [] }
	}
};
