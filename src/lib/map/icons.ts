// Map symbols for the site layers, defined once as SVG path data (32×32 box) and used twice: drawn
// into a canvas atlas for deck.gl's IconLayer (Path2D reads SVG path data) and as inline SVG in the
// legend, so the legend shows exactly what the map draws. Drawing the atlas in the page, rather
// than loading image files, keeps the map free of extra requests.
import { CHECKPOINT_COLOURS, CHECKPOINT_STATUSES, SITE_TYPES } from '../domain/taxonomy.ts';
import { cssColour } from './scales.ts';

export interface IconPart {
	d: string;
	fill: string;
	stroke?: string;
	strokeWidth?: number;
	evenOdd?: boolean;
}
export type IconDef = IconPart[];

export const HEALTH_COLOUR: [number, number, number] = [15, 118, 128];
export const CAMP_COLOUR: [number, number, number] = [140, 86, 43];
export const ORG_COLOUR: [number, number, number] = [29, 53, 87];

const WHITE = '#ffffff';
const health = cssColour(HEALTH_COLOUR);
const camp = cssColour(CAMP_COLOUR);
const org = cssColour(ORG_COLOUR);

const ROUNDED_SQUARE = 'M7 3h18a4 4 0 0 1 4 4v18a4 4 0 0 1-4 4H7a4 4 0 0 1-4-4V7a4 4 0 0 1 4-4z';
const CIRCLE = 'M16 2.5a13.5 13.5 0 1 1 0 27a13.5 13.5 0 1 1 0-27z';
const DIAMOND = 'M16 2L30 16L16 30L2 16z';

const orgSite = (...glyph: IconPart[]): IconDef => [
	{ d: CIRCLE, fill: org, stroke: WHITE, strokeWidth: 2 },
	...glyph
];

export const ICONS: Record<string, IconDef> = {
	health_facility: [
		{ d: ROUNDED_SQUARE, fill: health, stroke: WHITE, strokeWidth: 2 },
		{ d: 'M13 8h6v5h5v6h-5v5h-6v-5H8v-6h5z', fill: WHITE }
	],
	idp_camp: [
		{ d: 'M16 3L30 28H2z', fill: camp, stroke: WHITE, strokeWidth: 2 },
		{ d: 'M16 14L20.5 28h-9z', fill: WHITE }
	],
	...Object.fromEntries(
		CHECKPOINT_STATUSES.map((s) => [
			`checkpoint_${s}`,
			[
				{ d: DIAMOND, fill: cssColour(CHECKPOINT_COLOURS[s]), stroke: WHITE, strokeWidth: 2 },
				{ d: 'M8.5 14h15v4h-15z', fill: WHITE }
			]
		])
	),
	site_office: orgSite(
		{ d: 'M10 8h12v16H10z', fill: WHITE },
		{
			d: 'M12.5 10.5h2.7v2.7h-2.7zM16.8 10.5h2.7v2.7h-2.7zM12.5 15h2.7v2.7h-2.7zM16.8 15h2.7v2.7h-2.7zM14.6 20h2.8v4h-2.8z',
			fill: org
		}
	),
	site_base: orgSite({
		d: 'M16 6.5l2.7 5.7 6.2.8-4.6 4.3 1.2 6.2-5.5-3.1-5.5 3.1 1.2-6.2-4.6-4.3 6.2-.8z',
		fill: WHITE
	}),
	site_guesthouse: orgSite(
		{ d: 'M16 7.5l9 7.5h-2.8v9H9.8v-9H7z', fill: WHITE },
		{ d: 'M14.4 18.5h3.2V24h-3.2z', fill: org }
	),
	site_warehouse: orgSite(
		{ d: 'M7.5 14L16 8.5l8.5 5.5v10h-17z', fill: WHITE },
		{ d: 'M11 16.5h10v1.6H11zM11 19.5h10v1.6H11zM11 22.5h10V24H11z', fill: org }
	),
	site_hibernation_site: orgSite({
		d: 'M16 6.5l7.5 3v5.5c0 4.8-3.2 8.2-7.5 9.5-4.3-1.3-7.5-4.7-7.5-9.5V9.5z',
		fill: WHITE
	}),
	site_assembly_point: orgSite(
		{
			d: 'M16 8a8 8 0 1 1 0 16a8 8 0 1 1 0-16zM16 11a5 5 0 1 0 0 10a5 5 0 1 0 0-10z',
			fill: WHITE,
			evenOdd: true
		},
		{ d: 'M16 13.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z', fill: WHITE }
	)
};

export type IconName = keyof typeof ICONS;

export const siteIconName = (siteType: unknown): string =>
	(SITE_TYPES as readonly string[]).includes(siteType as string)
		? `site_${siteType}`
		: 'site_office';

export const checkpointIconName = (status: unknown): string =>
	(CHECKPOINT_STATUSES as readonly string[]).includes(status as string)
		? `checkpoint_${status}`
		: 'checkpoint_open';

/** Pixels per icon in the atlas: drawn at 2× the 32-unit box so icons stay sharp on HiDPI. */
export const ICON_PIXELS = 64;

export interface IconAtlas {
	canvas: HTMLCanvasElement;
	mapping: Record<string, { x: number; y: number; width: number; height: number; mask: boolean }>;
}

/** Browser only: draws every icon into one canvas for IconLayer's `iconAtlas`/`iconMapping`. */
export function buildIconAtlas(): IconAtlas {
	const names = Object.keys(ICONS);
	const perRow = 4;
	const canvas = document.createElement('canvas');
	canvas.width = perRow * ICON_PIXELS;
	canvas.height = Math.ceil(names.length / perRow) * ICON_PIXELS;
	const g = canvas.getContext('2d', { willReadFrequently: true });
	if (!g) throw new Error('2D canvas is not available');
	const mapping: IconAtlas['mapping'] = {};
	names.forEach((name, i) => {
		const x = (i % perRow) * ICON_PIXELS;
		const y = Math.floor(i / perRow) * ICON_PIXELS;
		mapping[name] = { x, y, width: ICON_PIXELS, height: ICON_PIXELS, mask: false };
		g.save();
		g.translate(x, y);
		g.scale(ICON_PIXELS / 32, ICON_PIXELS / 32);
		for (const part of ICONS[name]) {
			const p = new Path2D(part.d);
			if (part.stroke) {
				g.lineWidth = part.strokeWidth ?? 1;
				g.strokeStyle = part.stroke;
				g.lineJoin = 'round';
				g.stroke(p);
			}
			g.fillStyle = part.fill;
			g.fill(p, part.evenOdd ? 'evenodd' : 'nonzero');
		}
		g.restore();
	});
	return { canvas, mapping };
}
