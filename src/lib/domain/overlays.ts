// What a user sends about an overlay (a map layer of their own, issue 13): its name, who sees it
// and its style. The server and the map's overlay panel check the same rules.
import { z } from 'zod';

export const OVERLAY_VISIBILITIES = ['organisation', 'private'] as const;
export type OverlayVisibility = (typeof OVERLAY_VISIBILITIES)[number];

export const zOverlayStyle = z
	.object({
		colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be #rrggbb'),
		width: z.number().min(1).max(12),
		label_field: z.string().max(100).nullable()
	})
	.partial()
	.strict();

export const zOverlayPatch = z
	.object({
		name: z.string().trim().min(1).max(200),
		visibility: z.enum(OVERLAY_VISIBILITIES),
		style: zOverlayStyle
	})
	.partial()
	.strict();

export const OVERLAY_DEFAULT_COLOUR = '#d9480f';
