/**
 * Map export, browser side: the map's own pixels (maplibre's canvas, deck.gl drawn into it by the
 * interleaved overlay) framed as a document — the classification marking, title and date above;
 * a north arrow and a scale bar on the map; the legend, the filters in words and the sources
 * below. WebGL keeps no copy of a frame once it is shown, so the pixels are read during a render
 * (`capture`): that is also why a page printed from the browser showed an empty map.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { metresPerPixel, scaleBar } from './compose.ts';

/** The map as it is drawn now, copied into a 2D canvas (device pixels). */
export function capture(map: MapLibreMap): Promise<HTMLCanvasElement> {
	return new Promise((resolve) => {
		map.once('render', () => {
			const src = map.getCanvas();
			const c = document.createElement('canvas');
			c.width = src.width;
			c.height = src.height;
			c.getContext('2d')!.drawImage(src, 0, 0);
			resolve(c);
		});
		map.triggerRepaint();
	});
}

export interface ExportText {
	marking: string;
	title: string;
	date: string;
	filters: string;
	legend: { colour: string; label: string }[];
	layers: string;
	sources: string;
	north: string;
	rtl: boolean;
}

const FONT = '"Noto Sans", "Noto Sans Arabic", system-ui, sans-serif';

/** Lines of `text` no wider than `max` px in the context's current font. */
function wrap(ctx: CanvasRenderingContext2D, text: string, max: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const next = line ? `${line} ${word}` : word;
		if (ctx.measureText(next).width > max && line) {
			lines.push(line);
			line = word;
		} else line = next;
	}
	if (line) lines.push(line);
	return lines;
}

/** The document: the map image with everything a printed map needs around and on it. */
export function compose(
	map: MapLibreMap,
	shot: HTMLCanvasElement,
	t: ExportText
): HTMLCanvasElement {
	const k = shot.width / map.getContainer().clientWidth; // device pixels per CSS pixel
	const W = shot.width;
	const pad = 12 * k;
	const out = document.createElement('canvas');
	const probe = out.getContext('2d')!;
	probe.font = `${12 * k}px ${FONT}`;
	const footLines = [
		...wrap(probe, t.filters, W - 2 * pad),
		...wrap(probe, t.layers, W - 2 * pad),
		...wrap(probe, t.sources, W - 2 * pad)
	];
	const head = 58 * k;
	const legendH = t.legend.length ? 22 * k : 0;
	const foot = pad + legendH + footLines.length * 16 * k + pad;
	out.width = W;
	out.height = head + shot.height + foot;
	const ctx = out.getContext('2d')!;
	ctx.fillStyle = '#fff';
	ctx.fillRect(0, 0, out.width, out.height);
	ctx.direction = t.rtl ? 'rtl' : 'ltr';
	const start = t.rtl ? W - pad : pad;
	const end = t.rtl ? pad : W - pad;

	// Classification marking, centred, as on every printed page of Terrain.
	ctx.fillStyle = '#8a1c1c';
	ctx.fillRect(0, 0, W, 2 * k);
	ctx.fillRect(0, 20 * k, W, 2 * k);
	ctx.font = `bold ${12 * k}px ${FONT}`;
	ctx.textAlign = 'center';
	ctx.textBaseline = 'middle';
	ctx.fillText(t.marking.toUpperCase(), W / 2, 11 * k);
	// Title and date.
	ctx.fillStyle = '#111';
	ctx.font = `bold ${17 * k}px ${FONT}`;
	ctx.textAlign = 'start';
	ctx.fillText(t.title, start, 40 * k);
	ctx.font = `${12 * k}px ${FONT}`;
	ctx.textAlign = 'end';
	ctx.fillText(t.date, end, 40 * k);

	// The map, framed.
	ctx.drawImage(shot, 0, head);
	ctx.strokeStyle = '#555';
	ctx.lineWidth = k;
	ctx.strokeRect(0.5, head + 0.5, W - 1, shot.height - 1);

	// North arrow (the map never rotates: north is up), in the end-side top corner.
	const nx = t.rtl ? 28 * k : W - 28 * k;
	const ny = head + 16 * k;
	ctx.fillStyle = 'rgba(255,255,255,0.85)';
	ctx.fillRect(nx - 15 * k, ny - 6 * k, 30 * k, 44 * k);
	ctx.fillStyle = '#111';
	ctx.beginPath();
	ctx.moveTo(nx, ny);
	ctx.lineTo(nx + 8 * k, ny + 22 * k);
	ctx.lineTo(nx, ny + 17 * k);
	ctx.lineTo(nx - 8 * k, ny + 22 * k);
	ctx.closePath();
	ctx.fill();
	ctx.font = `bold ${11 * k}px ${FONT}`;
	ctx.textAlign = 'center';
	ctx.fillText(t.north, nx, ny + 31 * k);

	// Scale bar at the map's centre latitude, bottom start corner.
	const centre = map.getCenter();
	const bar = scaleBar(metresPerPixel(centre.lat, map.getZoom()), 140);
	const bw = bar.px * k;
	const bx = t.rtl ? W - pad - bw : pad;
	const by = head + shot.height - 14 * k;
	ctx.fillStyle = 'rgba(255,255,255,0.85)';
	ctx.fillRect(bx - 6 * k, by - 18 * k, bw + 12 * k, 26 * k);
	ctx.fillStyle = '#111';
	ctx.fillRect(bx, by, bw, 3 * k);
	ctx.fillRect(bx, by - 6 * k, k * 1.5, 9 * k);
	ctx.fillRect(bx + bw - 1.5 * k, by - 6 * k, k * 1.5, 9 * k);
	ctx.font = `${11 * k}px ${FONT}`;
	ctx.fillText(bar.label, bx + bw / 2, by - 9 * k);

	// Legend, then the filters, layers and sources in words.
	let y = head + shot.height + pad + 8 * k;
	ctx.textAlign = 'start';
	if (t.legend.length) {
		let x = start;
		ctx.font = `${12 * k}px ${FONT}`;
		for (const item of t.legend) {
			const w = ctx.measureText(item.label).width;
			ctx.fillStyle = item.colour;
			ctx.beginPath();
			ctx.arc(t.rtl ? x - 5 * k : x + 5 * k, y, 5 * k, 0, 2 * Math.PI);
			ctx.fill();
			ctx.fillStyle = '#111';
			ctx.fillText(item.label, t.rtl ? x - 14 * k : x + 14 * k, y);
			x += (t.rtl ? -1 : 1) * (w + 30 * k);
		}
		y += legendH;
	}
	ctx.fillStyle = '#333';
	ctx.font = `${12 * k}px ${FONT}`;
	for (const line of footLines) {
		ctx.fillText(line, start, y);
		y += 16 * k;
	}
	return out;
}

export const toBlob = (c: HTMLCanvasElement, type: string, quality?: number) =>
	new Promise<Blob>((resolve, reject) =>
		c.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas export failed'))), type, quality)
	);
