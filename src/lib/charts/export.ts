/**
 * Chart downloads (browser only): the chart's SVG wrapped with its title above and its source
 * and dates below — a downloaded image must still say where the numbers come from — as SVG or
 * as a PNG rendered through a canvas. Nothing leaves the browser.
 */

const FONT = "'Noto Sans', 'Noto Sans Arabic', system-ui, sans-serif";

function esc(s: string): string {
	return s.replace(
		/[&<>"]/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!
	);
}

/** A standalone SVG document: title, the chart, then the caption lines. */
export interface LegendEntry {
	label: string;
	colour: string;
}

export function framedSvg(
	svg: SVGSVGElement,
	title: string,
	caption: string[],
	dir: 'ltr' | 'rtl' = 'ltr',
	legend: LegendEntry[] = []
): { markup: string; width: number; height: number } {
	const box = svg.getBoundingClientRect();
	const width = Math.ceil(box.width || Number(svg.getAttribute('width')) || 600);
	const chartHeight = Math.ceil(box.height || Number(svg.getAttribute('height')) || 300);
	const head = 34;
	// legend entries flow in rows under the chart, ~7 px per character
	const rows: { x: number; e: LegendEntry }[][] = [];
	let x = 8;
	for (const e of legend) {
		const w = 22 + e.label.length * 7;
		if (!rows.length || x + w > width - 8) {
			rows.push([]);
			x = 8;
		}
		rows[rows.length - 1].push({ x, e });
		x += w;
	}
	const legendHeight = rows.length ? rows.length * 16 + 6 : 0;
	const foot = 10 + legendHeight + caption.length * 16;
	const height = head + chartHeight + foot;
	const clone = svg.cloneNode(true) as SVGSVGElement;
	clone.setAttribute('x', '0');
	clone.setAttribute('y', String(head));
	clone.setAttribute('width', String(width));
	clone.setAttribute('height', String(chartHeight));
	clone.removeAttribute('class');
	clone.querySelectorAll('[data-no-export]').forEach((n) => n.remove());
	const anchor = dir === 'rtl' ? 'end' : 'start';
	const tx = dir === 'rtl' ? width - 8 : 8;
	const inner = new XMLSerializer().serializeToString(clone);
	const legendMarkup = rows
		.map((row, r) =>
			row
				.map(({ x: lx, e }) => {
					const y = head + chartHeight + 8 + r * 16;
					const px = dir === 'rtl' ? width - lx - 10 : lx;
					const tx2 = dir === 'rtl' ? px - 4 : px + 14;
					return `<rect x="${px}" y="${y}" width="10" height="10" fill="${esc(e.colour)}"/><text x="${tx2}" y="${y + 9}" font-size="11" fill="#1d2521" text-anchor="${anchor}">${esc(e.label)}</text>`;
				})
				.join('')
		)
		.join('');
	const lines = caption
		.map(
			(c, i) =>
				`<text x="${tx}" y="${head + chartHeight + legendHeight + 18 + i * 16}" font-size="11" fill="#5b6660" text-anchor="${anchor}">${esc(c)}</text>`
		)
		.join('');
	const markup =
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(FONT)}" direction="${dir}">` +
		`<rect width="100%" height="100%" fill="#ffffff"/>` +
		`<text x="${tx}" y="22" font-size="15" font-weight="700" fill="#1d2521" text-anchor="${anchor}">${esc(title)}</text>` +
		inner +
		legendMarkup +
		lines +
		`</svg>`;
	return { markup, width, height };
}

export function download(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	a.rel = 'noopener';
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function svgBlob(markup: string): Blob {
	return new Blob([markup], { type: 'image/svg+xml;charset=utf-8' });
}

/** Renders the SVG document into a PNG at `scale`× (sharp on high-density screens and in print). */
export async function pngBlob(
	markup: string,
	width: number,
	height: number,
	scale = 2
): Promise<Blob> {
	const url = URL.createObjectURL(svgBlob(markup));
	try {
		const img = new Image();
		img.decoding = 'sync';
		await new Promise<void>((resolve, reject) => {
			img.onload = () => resolve();
			img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
			img.src = url;
		});
		const canvas = document.createElement('canvas');
		canvas.width = Math.round(width * scale);
		canvas.height = Math.round(height * scale);
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('no 2D canvas');
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, canvas.width, canvas.height);
		ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
		return await new Promise<Blob>((resolve, reject) =>
			canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png')
		);
	} finally {
		URL.revokeObjectURL(url);
	}
}
