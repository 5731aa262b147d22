import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
	kit: {
		adapter: adapter({ out: 'build' }),
		// Form posts from other origins are refused by SvelteKit; JSON routes are checked in hooks.server.ts.
		csrf: { trustedOrigins: [] },
		// The brotli copies of static files (static/basemap/*.br) are for the server to send; the
		// service worker keeps the files themselves (fetched compressed anyway).
		serviceWorker: { files: (file) => !file.endsWith('.br') }
	}
};
