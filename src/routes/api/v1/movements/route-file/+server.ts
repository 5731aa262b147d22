import { fileReadRoute } from '$lib/server/api/upload';
import { routeFromFile } from '$lib/server/movements/route-file';
import type { RequestHandler } from './$types';

/**
 * A route from a KML, KMZ, GPX or GeoJSON file (multipart field `file`): answers the first line
 * in it as GeoJSON, without saving anything (the plan is saved with it afterwards). A file with no
 * line is refused with a message naming the file and its features.
 */
export const POST: RequestHandler = fileReadRoute(['admin', 'analyst', 'field'], routeFromFile);
