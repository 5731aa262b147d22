/**
 * The OpenAPI paths of the registry writes (/sites/{kind} POST, /sites/{kind}/{id} GET, PATCH,
 * DELETE, the population history, the operating-area check and the settings), spread into the
 * document of $lib/server/api/openapi.ts. GET /sites/{kind} stays documented there.
 */
import type { Method, Operation, Parameter } from '../api/openapi-types.ts';
import { REGISTRY_KINDS } from '../../domain/registries.ts';
import { bodyOf } from '../api/openapi-kit.ts';

const r = (name: string) => ({ $ref: `#/components/responses/${name}` });
const obj = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({
	description,
	content: { 'application/json': { schema } }
});
const kind: Parameter = {
	name: 'kind',
	in: 'path',
	required: true,
	schema: { type: 'string', enum: [...REGISTRY_KINDS] }
};
const id: Parameter = {
	name: 'id',
	in: 'path',
	required: true,
	schema: { type: 'string', format: 'uuid' }
};
const fields = {
	type: 'object',
	description:
		'Any of the registry’s fields: name, name_ar, status, notes, source, upstream_id; checkpoints: ' +
		'status_reason, controlling_actor_id, controlled_by, opening_hours, road, last_verified_at, ' +
		'verified_now (true: verified now); camps: camp_type, population, households, population_date, ' +
		'managing_org; displacement_locations: population, households, population_date, shelter ' +
		'({shelter type: people}); health_facilities: facility_type, services, supported; org_sites: ' +
		'site_type. lon + lat move the point; outside the operating area they need ' +
		'confirm_outside_area: true (else 400 naming lat, with the country).',
	additionalProperties: true
};
const write = {
	type: 'object',
	properties: {
		id: { type: 'string', format: 'uuid' },
		inserted: { type: 'boolean' },
		changed: { type: 'array', items: { type: 'string' }, description: 'The fields that changed' },
		site: { type: 'object' }
	}
};
const op = (o: Operation): Operation => o;

export const sitePaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/sites/{kind}/{id}': {
		get: op({
			operationId: 'getSite',
			summary: 'One site with lon/lat (checkpoints: who verified it last, whether it is stale)',
			tags: ['sites'],
			parameters: [kind, id],
			responses: { '200': obj('The site'), '401': r('Unauthorized'), '404': r('NotFound') }
		}),
		patch: op({
			operationId: 'patchSite',
			summary:
				'Changes the fields sent, the others stay (merge semantics). Analysts and admins. A checkpoint’s status (or verified_now) records a verification now, by the caller. A PATCH that changes nothing writes nothing.',
			tags: ['sites'],
			parameters: [kind, id],
			requestBody: bodyOf(fields),
			responses: {
				'200': obj('What changed, and the site', write),
				'400': r('BadRequest'),
				'401': r('Unauthorized'),
				'403': r('Forbidden'),
				'404': r('NotFound')
			}
		}),
		delete: op({
			operationId: 'deleteSite',
			summary: 'Deletes a site (admins). To close one and keep its history, PATCH its status.',
			tags: ['sites'],
			parameters: [kind, id],
			responses: {
				'200': obj('Deleted'),
				'401': r('Unauthorized'),
				'403': r('Forbidden'),
				'404': r('NotFound')
			}
		})
	},
	'/sites/{kind}/{id}/population': {
		get: op({
			operationId: 'sitePopulation',
			summary: 'A camp’s or displacement location’s population over time, oldest first',
			tags: ['sites'],
			parameters: [kind, id],
			responses: {
				'200': obj('[{as_of, population, households}]', { type: 'array' }),
				'401': r('Unauthorized')
			}
		})
	},
	'/sites/area-check': {
		get: op({
			operationId: 'areaCheck',
			summary:
				'Is a point inside the operating area? If not: the country it falls in, and a lat/lon swap that would land inside',
			tags: ['sites'],
			parameters: [
				{ name: 'lon', in: 'query', required: true, schema: { type: 'number' } },
				{ name: 'lat', in: 'query', required: true, schema: { type: 'number' } }
			],
			responses: {
				'200': obj(
					'{inside, country: {iso3, name, name_ar, name_ku} | null, swap: {lon, lat} | null}'
				),
				'400': r('BadRequest'),
				'401': r('Unauthorized')
			}
		})
	},
	'/settings': {
		get: op({
			operationId: 'settings',
			summary:
				'Operating area ({countries: [ISO3], buffer_km}), checkpoint_stale_days, site_match_m, document_classification (the marking printed on documents; empty: the standard one)',
			tags: ['sites'],
			responses: { '200': obj('The settings'), '401': r('Unauthorized') }
		}),
		patch: op({
			operationId: 'patchSettings',
			summary: 'Changes the settings sent (admins); the others stay',
			tags: ['sites'],
			requestBody: bodyOf({ type: 'object' }),
			responses: {
				'200': obj('The settings'),
				'400': r('BadRequest'),
				'401': r('Unauthorized'),
				'403': r('Forbidden')
			}
		})
	}
};

// POST /sites/{kind} joins the GET documented in api/openapi.ts.
export const siteCreate: Operation = {
	operationId: 'createSite',
	summary: 'Adds a site (analysts, admins): name, lon, lat and the registry’s fields',
	tags: ['sites'],
	parameters: [kind],
	requestBody: bodyOf(fields),
	responses: {
		'201': obj('The new site', write),
		'400': r('BadRequest'),
		'401': r('Unauthorized'),
		'403': r('Forbidden')
	}
};
