/** OpenAPI path of the map export (handler in src/routes/api/v1/map/export, layout in ./export.ts). */
import type { Method, Operation } from '../api/openapi-types.ts';
import { answers } from '../api/openapi-kit.ts';

export const mapExportPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/map/export': {
		post: {
			operationId: 'exportMapPdf',
			summary:
				'The current map view as a PDF: post the image the map page composed (PNG or JPEG with legend, scale bar, north arrow, date, filters, sources and marking); the answer is an A4 landscape PDF with the marking and title as text (503 in one line without Chromium)',
			tags: ['map'],
			parameters: [
				{
					name: 'title',
					in: 'query',
					description: 'The map’s title (≤ 200 characters)',
					schema: { type: 'string' }
				},
				{
					name: 'classification',
					in: 'query',
					description:
						'The classification marking (default Restricted); the organisation is the server’s',
					schema: { type: 'string' }
				}
			],
			requestBody: {
				required: true,
				content: {
					'image/png': { schema: { type: 'string', format: 'binary' } },
					'image/jpeg': { schema: { type: 'string', format: 'binary' } }
				}
			},
			responses: answers(
				{
					description: 'The PDF',
					content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } }
				},
				'400'
			)
		}
	}
};
