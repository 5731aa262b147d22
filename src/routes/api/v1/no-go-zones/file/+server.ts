import { fileReadRoute } from '$lib/server/api/upload';
import { polygonFromFile } from '$lib/server/movements/route-file';
import type { RequestHandler } from './$types';

/**
 * A zone's polygon from a KML, KMZ or GeoJSON file (multipart field `file`): answers the first
 * polygon in it, without saving anything (the zone is saved with it afterwards).
 */
export const POST: RequestHandler = fileReadRoute(['admin', 'analyst'], polygonFromFile);
