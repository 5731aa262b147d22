import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import '$lib/i18n/all';
import { dir, isLocale, negotiate } from '$lib/i18n';
import { cataloguePreload } from '$lib/server/i18n/catalogue-preload';
import { SESSION_COOKIE, userFromApiToken, userFromSession } from '$lib/server/auth/session';
import { guardRequest } from '$lib/server/api/request-guard';
import { noteRefused } from '$lib/server/audit';
import { getDb } from '$lib/server/db';
import { currentRequest, withRequest } from '$lib/server/db/context';
import { idempotencyKey } from '$lib/server/api/idempotency';
import { FilterError } from '$lib/domain/filters';
import { crossSiteRefusal, hsts } from '$lib/server/auth/guards';
import { startOverdueSweeper } from '$lib/server/movements/sweeper';
import { startMailWorker } from '$lib/server/mail/worker';
import { forbidsStorage, isKeepable } from '$lib/offline/policy';
import { onlineOrigins, withOrigins } from '$lib/server/basemaps/csp';

// The overdue timer and the alert e-mail sender run in the server process (each guarded against
// a second start; the sender only when TERRAIN_SMTP_URL is set).
export const init: ServerInit = () => {
	if (!building) {
		startOverdueSweeper();
		startMailWorker();
	}
};

// Everything the app loads comes from this server: the basemap, fonts and workers included; the
// one exception is an online basemap an operator registered, whose hosts are added (basemaps/csp.ts).
const CSP = [
	"default-src 'self'",
	"script-src 'self' 'unsafe-inline' blob:",
	"worker-src 'self' blob:",
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data: blob:",
	"font-src 'self' data:",
	"connect-src 'self'",
	"frame-ancestors 'none'",
	"base-uri 'self'",
	"form-action 'self'"
].join('; ');

const ALLOWED_BEFORE_CHANGE = /^\/(password|logout|lang|_app|fonts|favicon)/;

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.authVia = null;
	// Body size and content type first: an oversized or malformed post costs no database call.
	const unfit = await guardRequest(event);
	if (unfit) return unfit;
	const { request, cookies, url } = event;

	const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
	if (bearer) {
		event.locals.user = await userFromApiToken(bearer);
		event.locals.authVia = event.locals.user ? 'token' : null;
		if (!event.locals.user) {
			return json401('invalid or revoked API token');
		}
	} else {
		const session = cookies.get(SESSION_COOKIE);
		if (session) {
			event.locals.user = await userFromSession(session);
			if (event.locals.user) event.locals.authVia = 'session';
			else cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}

	// Cookie-carrying writes must come from our own pages (SvelteKit checks only form posts, and
	// only their Origin): JSON, raw uploads and origin-less requests included.
	const refused = crossSiteRefusal(request, url, cookies.get(SESSION_COOKIE) !== undefined);
	if (refused) return refused;

	// A one-time password buys a session that can only choose a new password.
	if (
		event.locals.user?.must_change &&
		event.locals.authVia === 'session' &&
		!ALLOWED_BEFORE_CHANGE.test(url.pathname)
	) {
		if (url.pathname.startsWith('/api/')) {
			return new Response(JSON.stringify({ message: 'choose a new password first (/password)' }), {
				status: 403,
				headers: { 'content-type': 'application/json' }
			});
		}
		return new Response(null, { status: 303, headers: { location: '/password' } });
	}

	const langCookie = cookies.get('terrain_lang');
	event.locals.locale = isLocale(langCookie)
		? langCookie
		: negotiate(request.headers.get('accept-language'));

	const render = () =>
		resolve(event, {
			transformPageChunk: ({ html }) =>
				html
					.replace('%lang%', event.locals.locale === 'ku' ? 'ckb' : event.locals.locale)
					.replace('%dir%', dir(event.locals.locale))
					.replace('%catalogue%', cataloguePreload(event.locals.locale))
		});
	// An API POST's Idempotency-Key goes to the database seam with the request, which applies it to
	// the request's creating call (db/context.ts): every creating endpoint honours it.
	let key: string | undefined;
	if (request.method === 'POST' && url.pathname.startsWith('/api/')) {
		try {
			key = idempotencyKey(request);
		} catch (e) {
			if (!(e instanceof FilterError)) throw e;
			return new Response(JSON.stringify({ message: e.message, parameter: e.parameter }), {
				status: 400,
				headers: { 'content-type': 'application/json' }
			});
		}
	}
	const response = key
		? await withRequest({ ...currentRequest(), idempotencyKey: key }, render)
		: await render();
	// Every refused access by a signed-in user is on record (its own transaction was rolled back).
	if (response.status === 403 && event.locals.user)
		await noteRefused(await getDb(), event.locals.user, request.method, url.pathname);
	response.headers.set('content-security-policy', withOrigins(CSP, await onlineOrigins()));
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('x-frame-options', 'DENY');
	// same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts,
	// which SvelteKit's CSRF check (rightly) refuses.
	response.headers.set('referrer-policy', 'same-origin');
	hsts(url, response.headers);
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(self)');
	// Signed-in answers stay off disk (no-store), except the screens kept for offline use
	// ($lib/offline/policy): those may be stored by the service worker, never by a shared cache.
	if (event.locals.user)
		response.headers.set(
			'cache-control',
			isKeepable(url.pathname) && !forbidsStorage(response.headers.get('cache-control'))
				? 'private, no-cache'
				: 'private, no-store'
		);
	// Signing out wipes what this site kept in the browser (the page asked about unsent reports).
	if (url.pathname === '/logout' && request.method === 'POST')
		response.headers.set('clear-site-data', '"cache", "storage"');
	return response;
};

function json401(message: string): Response {
	return new Response(JSON.stringify({ message }), {
		status: 401,
		headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }
	});
}

export const handleError: HandleServerError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	return { message: status >= 500 ? 'Internal error' : ((error as Error)?.message ?? 'Error') };
};
