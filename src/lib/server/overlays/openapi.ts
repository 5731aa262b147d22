/** OpenAPI paths of map overlays (/overlays) and area populations (/areas/population). */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import {
	answers,
	bodyOf,
	fileBody,
	created,
	jsonOf,
	levelParam,
	pathId
} from '../api/openapi-kit.ts';
import { OVERLAY_VISIBILITIES } from '../../domain/overlays.ts';

const style: Schema = {
	type: 'object',
	properties: {
		colour: { type: 'string', description: '#rrggbb' },
		width: { type: 'number', minimum: 1, maximum: 12, description: 'Line width, pixels' },
		label_field: {
			type: ['string', 'null'],
			description: 'The feature property shown as its label'
		}
	}
};

const overlay: Schema = {
	type: 'object',
	required: ['id', 'name', 'visibility', 'style', 'features'],
	properties: {
		id: { type: 'string', format: 'uuid' },
		name: { type: 'string' },
		visibility: {
			type: 'string',
			enum: [...OVERLAY_VISIBILITIES],
			description: 'organisation: every signed-in user sees it; private: only its owner'
		},
		style,
		source_file: { type: ['string', 'null'] },
		mine: { type: 'boolean' },
		created_by: { type: ['string', 'null'] },
		created_at: { type: 'string', format: 'date-time' },
		updated_at: { type: 'string', format: 'date-time' },
		features: { type: 'integer' },
		geometry_types: { type: 'array', items: { type: 'string' } },
		bbox: { type: ['array', 'null'], items: { type: 'number' } }
	}
};

export const overlayPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/overlays': {
		get: {
			operationId: 'listOverlays',
			summary: 'The overlays the caller sees: the organisation’s and their own private ones',
			tags: ['map'],
			responses: answers({
				description: 'Overlays, newest first',
				content: jsonOf({ type: 'array', items: overlay })
			})
		},
		post: {
			operationId: 'createOverlay',
			summary:
				'Add an overlay from a KML, KMZ, GeoJSON or GPX file (points, lines, polygons). Every geometry is checked; at most 10,000 vertices per feature and 100,000 per file; errors name the file and the feature. Field staff, analysts, admins.',
			tags: ['map'],
			requestBody: fileBody({
				name: { type: 'string', description: 'Default: the file name' },
				visibility: { type: 'string', enum: [...OVERLAY_VISIBILITIES], default: 'private' },
				colour: { type: 'string' },
				width: { type: 'number' },
				label_field: { type: 'string' }
			}),
			responses: created({ description: 'The overlay', content: jsonOf(overlay) }, '400', '403')
		}
	},
	'/overlays/{id}': {
		get: {
			operationId: 'getOverlay',
			summary: 'One overlay as a GeoJSON FeatureCollection, its description in `overlay`',
			tags: ['map'],
			parameters: [pathId('Overlay id')],
			responses: answers(
				{
					description: 'FeatureCollection',
					content: {
						'application/geo+json': {
							schema: {
								type: 'object',
								properties: {
									type: { const: 'FeatureCollection' },
									overlay,
									features: { type: 'array', items: { type: 'object' } }
								}
							}
						}
					}
				},
				'404'
			)
		},
		patch: {
			operationId: 'updateOverlay',
			summary:
				'Rename, restyle or change who sees an overlay (merge). Its owner; an admin for organisation overlays.',
			tags: ['map'],
			parameters: [pathId('Overlay id')],
			requestBody: bodyOf({
				type: 'object',
				properties: {
					name: { type: 'string' },
					visibility: { type: 'string', enum: [...OVERLAY_VISIBILITIES] },
					style
				}
			}),
			responses: answers(
				{ description: 'The overlay', content: jsonOf(overlay) },
				'400',
				'403',
				'404'
			)
		},
		delete: {
			operationId: 'deleteOverlay',
			summary: 'Delete an overlay. Its owner; an admin for organisation overlays.',
			tags: ['map'],
			parameters: [pathId('Overlay id')],
			responses: answers(
				{
					description: 'Deleted',
					content: jsonOf({
						type: 'object',
						properties: { id: { type: 'string' }, deleted: { const: true } }
					})
				},
				'403',
				'404'
			)
		}
	},
	'/areas/population': {
		get: {
			operationId: 'areaPopulations',
			summary:
				'Population per area of a level where known (community profiles: the area’s own figure, or the sum of its children when all have one). Areas with no figure are absent.',
			tags: ['areas'],
			parameters: [{ ...levelParam, required: true }],
			responses: answers(
				{
					description: 'Populations',
					content: jsonOf({
						type: 'array',
						items: {
							type: 'object',
							properties: {
								pcode: { type: 'string' },
								population: { type: 'integer' },
								population_date: { type: ['string', 'null'], format: 'date' },
								from_children: { type: 'boolean' }
							}
						}
					})
				},
				'400'
			)
		}
	}
};
