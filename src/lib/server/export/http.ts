/**
 * The export endpoint's work (GET /api/v1/exports and the list's download links): the map's
 * filters from the query (from, to, type, area, bbox) plus q and status, streamed as the file;
 * `dataset` chooses incidents (default) or a site registry.
 */
import { FilterError, parseIncidentFilters } from '../../domain/filters.ts';
import { parseRefinement } from '../../domain/refine-filters.ts';
import { checkAreas } from '../incidents/index.ts';
import { SITE_KINDS, type SiteKind } from '../../domain/taxonomy.ts';
import type { Adapter, CallerUser } from '../db/types.ts';
import {
	CONTENT_TYPES,
	EXPORT_FORMATS,
	exportFileName,
	exportIncidents,
	exportSites,
	type ExportFormat
} from './index.ts';

const KINDS: Record<string, 'incidents' | SiteKind> = {
	incidents: 'incidents',
	'health-facilities': 'health_facilities',
	health_facilities: 'health_facilities',
	'idp-camps': 'idp_camps',
	idp_camps: 'idp_camps',
	checkpoints: 'checkpoints',
	sites: 'org_sites',
	org_sites: 'org_sites'
};

export async function exportRequest(db: Adapter, user: CallerUser, url: URL): Promise<Response> {
	const q = url.searchParams;
	// `from` is the date filter here, as on the map; what to export is `dataset`.
	const what = KINDS[q.get('dataset') ?? 'incidents'];
	if (!what)
		throw new FilterError(
			'dataset',
			`use one of incidents, health-facilities, idp-camps, checkpoints, sites`
		);
	const format = (q.get('format') ?? '') as ExportFormat;
	if (!EXPORT_FORMATS.includes(format))
		throw new FilterError('format', `use one of ${EXPORT_FORMATS.join(', ')}`);
	const filters = parseIncidentFilters(q);
	if (what === 'incidents') await checkAreas(user, filters, db);
	// The place (geometry=, geometry_id=, lat/lon/within_km) and the further filters, status among them.
	const refine = parseRefinement(q);
	void SITE_KINDS;

	const chunks =
		what === 'incidents'
			? exportIncidents({ db, as: user, format, filters, q: q.get('q'), refine })
			: exportSites({ db, as: user, format, kind: what });
	const enc = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const r = await chunks.next();
				if (r.done) controller.close();
				else controller.enqueue(typeof r.value === 'string' ? enc.encode(r.value) : r.value);
			} catch (e) {
				controller.error(e);
			}
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
	return new Response(body, {
		headers: {
			'content-type': CONTENT_TYPES[format],
			'content-disposition': `attachment; filename="${exportFileName(what, format)}"`,
			'cache-control': 'private, no-store'
		}
	});
}
