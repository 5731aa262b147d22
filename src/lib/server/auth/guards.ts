/**
 * Request rules of sign-in and sessions that hooks.server.ts applies to every request.
 */

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request that carries a session cookie (and no API token) must say it comes
 * from one of our pages: a same-origin Origin, or else a same-origin Referer. With neither, or
 * with another origin, it is refused — form posts, JSON and raw uploads (imports) alike.
 * Token-authenticated calls are not at risk (a browser never adds the Authorization header).
 */
export function crossSiteRefusal(
	request: Request,
	url: URL,
	hasSessionCookie: boolean
): Response | null {
	if (SAFE.has(request.method) || !hasSessionCookie) return null;
	if (/^Bearer\s/i.test(request.headers.get('authorization') ?? '')) return null;
	const origin = request.headers.get('origin');
	if (origin !== null) return origin === url.origin ? null : refuse();
	const referer = request.headers.get('referer');
	if (referer) {
		try {
			if (new URL(referer).origin === url.origin) return null;
		} catch {
			// not a URL: refused below
		}
	}
	return refuse();
}

function refuse(): Response {
	return new Response(
		JSON.stringify({ message: 'cross-origin request refused (no same-origin Origin or Referer)' }),
		{ status: 403, headers: { 'content-type': 'application/json' } }
	);
}

/** HSTS on answers to requests that came over HTTPS (directly, or through a trusted proxy). */
export function hsts(url: URL, headers: Headers): void {
	if (url.protocol === 'https:')
		headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
