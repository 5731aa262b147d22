import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Unknown API paths answer JSON too, not the HTML error page. */
export const fallback: RequestHandler = ({ url }) =>
	json({ message: `no such endpoint: ${url.pathname}; see /api/v1/openapi.json` }, { status: 404 });
