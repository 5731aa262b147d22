import { fail, redirect } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { SESSION_COOKIE, signIn } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/map');
	return {};
};

function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/map';
}

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url, setHeaders }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!email || !password) return fail(400, { email, error: 'auth.missing' as const });
		const result = await signIn(
			email,
			password,
			getClientAddress(),
			request.headers.get('user-agent') ?? ''
		);
		if (!result.ok && result.reason === 'locked') {
			// Answered at once, not by holding the request: the client is told when to come back.
			setHeaders({ 'retry-after': String(result.retryAfter) });
			return fail(429, {
				email,
				error: 'signin.locked' as const,
				minutes: Math.max(1, Math.ceil(result.retryAfter / 60))
			});
		}
		if (!result.ok) return fail(400, { email, error: 'auth.failed' as const });
		cookies.set(SESSION_COOKIE, result.token, {
			path: '/',
			httpOnly: true,
			sameSite: 'strict',
			secure: !dev && url.protocol === 'https:',
			maxAge: result.maxAge
		});
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
