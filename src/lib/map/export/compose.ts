/**
 * Map export: the pure parts of turning the current map view into a document — the scale bar's
 * length, the filters in words, the attribution text. The drawing itself is in ./draw.ts (a 2D
 * canvas around the map's own pixels), so these stay testable without a browser.
 */
import type { EventType } from '../../domain/taxonomy.ts';

/** Metres per CSS pixel at a latitude and zoom (Web Mercator, 512-px tiles as maplibre uses). */
export function metresPerPixel(lat: number, zoom: number): number {
	return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/**
 * A scale bar of a round length (1, 2 or 5 × 10ⁿ metres) at most `maxPx` CSS pixels long.
 * `label` in m or km.
 */
export function scaleBar(
	mPerPx: number,
	maxPx: number
): { metres: number; px: number; label: string } {
	const maxM = mPerPx * maxPx;
	const p = 10 ** Math.floor(Math.log10(maxM));
	const metres = [5, 2, 1].map((k) => k * p).find((m) => m <= maxM) ?? p;
	return {
		metres,
		px: metres / mPerPx,
		label: metres >= 1000 ? `${metres / 1000} km` : `${metres} m`
	};
}

/** The attribution of a maplibre style's sources as plain text, each once. */
export function attributionText(sources: Record<string, { attribution?: string }>): string {
	const seen: string[] = [];
	for (const s of Object.values(sources)) {
		const a = (s.attribution ?? '')
			.replace(/<[^>]*>/g, '')
			.replace(/\s+/g, ' ')
			.trim();
		if (a && !seen.includes(a)) seen.push(a);
	}
	return seen.join(' · ');
}

export interface FilterWordsInput {
	from: string | null;
	to: string | null;
	types: readonly EventType[] | null;
	area: string | null;
}

export interface FilterWordsText {
	period: (from: string, to: string) => string;
	since: (from: string) => string;
	until: (to: string) => string;
	allDates: string;
	allTypes: string;
	type: (t: EventType) => string;
	area: (name: string) => string;
	date: (iso: string) => string;
}

/** The map's filters as one sentence: "1 Oct 2016 – 31 Oct 2016 · Battles, Riots · in Ninewa". */
export function filterWords(
	f: FilterWordsInput,
	areaName: string | null,
	w: FilterWordsText
): string {
	const parts = [
		f.from && f.to
			? w.period(w.date(f.from), w.date(f.to))
			: f.from
				? w.since(w.date(f.from))
				: f.to
					? w.until(w.date(f.to))
					: w.allDates,
		f.types === null ? w.allTypes : f.types.map(w.type).join(', '),
		...(f.area ? [w.area(areaName ?? f.area)] : [])
	];
	return parts.join(' · ');
}

/** A file name for the export: terrain-map-2026-12-05-1412.png */
export function exportFileName(now: Date, ext: 'png' | 'pdf'): string {
	const iso = now.toISOString();
	return `terrain-map-${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}.${ext}`;
}
