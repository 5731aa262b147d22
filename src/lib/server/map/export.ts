/**
 * Map export, server side: the image the browser composed of the current map view (title,
 * legend, scale bar, north arrow, date, filters, sources and marking are drawn into it) laid out
 * on an A4 landscape page with the classification marking and title as text, so the PDF can be
 * searched and its marking read by any PDF tool.
 */
import { orgName } from '../reports/params.ts';
import { FilterError } from '../../domain/filters.ts';

const TYPES = { 'image/png': [0x89, 0x50, 0x4e, 0x47], 'image/jpeg': [0xff, 0xd8, 0xff] } as const;
export type MapImageType = keyof typeof TYPES;

/** The uploaded image's type, checked against its first bytes (not only the header). */
export function mapImageType(contentType: string | null, bytes: Uint8Array): MapImageType {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (!(type in TYPES)) throw new FilterError('body', 'the map image: image/png or image/jpeg');
	const magic = TYPES[type as MapImageType];
	if (bytes.length < 100 || magic.some((b, i) => bytes[i] !== b))
		throw new FilterError('body', `the body is not a ${type} image`);
	return type as MapImageType;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function mapExportHtml(o: {
	image: Uint8Array;
	type: MapImageType;
	title: string;
	classification: string;
	lang: string;
	dir: 'ltr' | 'rtl';
	made: string;
}): string {
	const src = `data:${o.type};base64,${Buffer.from(o.image).toString('base64')}`;
	const marking = `${o.classification} — ${orgName()}`;
	return `<!doctype html><html lang="${esc(o.lang)}" dir="${o.dir}"><head><meta charset="utf-8">
<title>${esc(o.title)}</title>
<style>
@page { size: A4 landscape; }
body { margin: 0; font-family: "Noto Sans", "Noto Sans Arabic", sans-serif; color: #111; }
.marking { text-align: center; font-weight: 700; letter-spacing: .05em; text-transform: uppercase;
  color: #8a1c1c; border-block: 2px solid #8a1c1c; font-size: 9pt; }
h1 { font-size: 12pt; margin: 2mm 0; display: flex; justify-content: space-between; }
h1 small { font-weight: 400; font-size: 9pt; }
img { display: block; max-inline-size: 100%; max-block-size: 165mm; margin-inline: auto; }
</style></head><body>
<div class="marking">${esc(marking)}</div>
<h1><span>${esc(o.title)}</span><small>${esc(o.made)}</small></h1>
<img src="${src}" alt="${esc(o.title)}">
</body></html>`;
}
