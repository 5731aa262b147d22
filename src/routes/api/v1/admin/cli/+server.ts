// The CLI's channel to a running server (see $lib/server/api/local-admin.ts); not a public API.
import { localAdminRequest } from '$lib/server/api/local-admin';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = (event) => localAdminRequest(event);
