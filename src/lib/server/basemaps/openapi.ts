/** OpenAPI paths of the detailed offline basemaps (/basemaps; handlers in src/routes/api/v1). */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, created, jsonOf } from '../api/openapi-kit.ts';

const basemap: Schema = {
	type: 'object',
	required: ['id', 'name', 'schema', 'minzoom', 'maxzoom', 'bounds'],
	properties: {
		id: { type: 'string', description: 'New for every file added, so tiles can be cached by URL' },
		name: { type: 'string' },
		format: {
			type: 'string',
			enum: ['pmtiles', 'mbtiles'],
			description: 'The file’s container (absent: PMTiles)'
		},
		added: { type: 'string', format: 'date-time' },
		schema: { type: 'string', enum: ['protomaps', 'openmaptiles'] },
		layers: { type: 'array', items: { type: 'string' }, description: 'The tiles’ layer names' },
		minzoom: { type: 'integer' },
		maxzoom: { type: 'integer' },
		bounds: { type: 'array', items: { type: 'number' }, description: 'west, south, east, north' },
		attribution: { type: ['string', 'null'] },
		size: { type: 'integer', description: 'Bytes' }
	}
};

const online: Schema = {
	type: 'object',
	required: ['id', 'kind', 'name', 'style', 'origins'],
	properties: {
		id: { type: 'string' },
		kind: { type: 'string', enum: ['online'] },
		name: { type: 'string' },
		added: { type: 'string', format: 'date-time' },
		style: { type: 'string', description: 'The MapLibre style JSON’s URL' },
		origins: {
			type: 'array',
			items: { type: 'string' },
			description:
				'Every origin the style loads from; the pages’ Content-Security-Policy allows these'
		}
	}
};

export const basemapPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/basemaps': {
		get: {
			operationId: 'listBasemaps',
			summary:
				'The detailed offline basemaps (PMTiles or MBTiles vector files) an operator added with `terrain basemap add`',
			tags: ['map'],
			responses: answers({
				description: 'Basemaps, by name',
				content: jsonOf({ type: 'array', items: { oneOf: [basemap, online] } })
			})
		},
		post: {
			operationId: 'addBasemap',
			summary:
				'Adds a basemap (admins), as `terrain basemap add` does: the body is the PMTiles or MBTiles ' +
				'file itself. A file that is not a vector basemap is a 400 saying why, and nothing is kept. ' +
				'Bodies over the server’s BODY_SIZE_LIMIT are refused: add large files with the CLI.',
			tags: ['map'],
			parameters: [{ name: 'name', in: 'query', schema: { type: 'string' } }],
			requestBody: {
				required: true,
				content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
			},
			responses: created({ description: 'Added', content: jsonOf(basemap) }, '400', '403')
		}
	},
	'/basemaps/online': {
		post: {
			operationId: 'addOnlineBasemap',
			summary:
				'Registers an online MapLibre style (admins), as `terrain basemap add-url` does. The server ' +
				'reads the style (and its TileJSONs) once, to check it and learn the origins browsers will ' +
				'need; browsers reach them only when a user picks this basemap. A wrong URL or style is a 400.',
			tags: ['map'],
			requestBody: {
				required: true,
				content: jsonOf({
					type: 'object',
					required: ['url'],
					properties: { url: { type: 'string' }, name: { type: 'string' } }
				})
			},
			responses: created({ description: 'Registered', content: jsonOf(online) }, '400', '403')
		}
	},
	'/basemaps/{id}': {
		delete: {
			operationId: 'removeBasemap',
			summary: 'Removes a basemap (admins), as `terrain basemap remove` does',
			tags: ['map'],
			parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
			responses: answers(
				{ description: 'Removed', content: jsonOf({ oneOf: [basemap, online] }) },
				'403',
				'404'
			)
		}
	},
	'/basemaps/{id}/{z}/{x}/{y}.mvt': {
		get: {
			operationId: 'basemapTile',
			summary:
				'One vector tile of a basemap, read from its PMTiles or MBTiles file (204 outside the file’s area ' +
				'or zooms). ETag on the address (If-None-Match → 304); Cache-Control: private.',
			tags: ['map'],
			parameters: [
				{ name: 'id', in: 'path', required: true, schema: { type: 'string' } },
				...(['z', 'x', 'y'] as const).map((name) => ({
					name,
					in: 'path' as const,
					required: true,
					schema: { type: 'integer' as const, minimum: 0 }
				}))
			],
			responses: {
				...answers(
					{
						description: 'The tile',
						content: {
							'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } }
						}
					},
					'400',
					'404'
				),
				'204': { description: 'No tile there' },
				'304': { description: 'Not modified since the ETag sent in If-None-Match' }
			}
		}
	}
};
