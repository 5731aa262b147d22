/**
 * A route from a file (KML, KMZ, GPX or GeoJSON): the server reads it with the import module's
 * tools (POST /api/v1/movements/route-file) and answers its first line, or a message naming the
 * file and the features it holds when there is none.
 */
import type { LineString, MultiLineString } from 'geojson';

export type RouteLine = LineString | MultiLineString;

export interface RouteFile {
	route: RouteLine;
	source: string;
	name: string | null;
	lines: number;
}

/** The route line in a file, or `{ error }` with the server's reason. */
export async function routeFromFile(file: File): Promise<RouteFile | { error: string }> {
	const body = new FormData();
	body.append('file', file, file.name);
	let res: Response;
	try {
		res = await fetch('/api/v1/movements/route-file', {
			method: 'POST',
			body,
			headers: { accept: 'application/json' },
			credentials: 'same-origin'
		});
	} catch {
		return { error: `${file.name}: offline` };
	}
	const j = (await res.json().catch(() => null)) as (RouteFile & { message?: string }) | null;
	if (!res.ok || !j?.route) return { error: j?.message ?? `${file.name}: ${res.status}` };
	return j;
}
