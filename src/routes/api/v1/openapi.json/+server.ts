import { json } from '@sveltejs/kit';
import { openApiDocument } from '$lib/server/api/openapi';
import type { RequestHandler } from './$types';

/** The API's description. Public: it says what exists, never what is in the database. */
export const GET: RequestHandler = ({ url }) => json(openApiDocument(url.origin));
