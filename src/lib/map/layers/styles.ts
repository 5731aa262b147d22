// Colours and widths of the actor and area-shading layers, shared by the layers and their legends
// so the legend always shows what the map draws. Pure functions, unit-tested.
import { KIND_COLOURS, STANCE_COLOURS, type EdgeKind, type Stance } from '../../domain/actors.ts';
import { levelInfo } from '../../domain/analysis-levels.ts';
import type { Trend } from '../../domain/analysis-types.ts';

export type Rgb = [number, number, number];
export type Rgba = [number, number, number, number];

/** '#b2182b' → [178, 24, 43]; anything else → grey. */
export function hexToRgb(hex: string): Rgb {
	const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
	if (!m) return [128, 128, 128];
	return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** `c` mixed with white: t = 0 gives `c`, t = 1 white. */
export function lighten([r, g, b]: Rgb, t: number): Rgb {
	const f = (v: number) => Math.round(v + (255 - v) * t);
	return [f(r), f(g), f(b)];
}

// ---- Actor presence ---------------------------------------------------------------------------

/** Presence fills are light: several actors overlap in the same governorates. */
export const PRESENCE_FILL_ALPHA = 56;
export const PRESENCE_LINE_ALPHA = 220;

export function stanceColour(stance: unknown): Rgb {
	return hexToRgb(
		STANCE_COLOURS[(stance as Stance) in STANCE_COLOURS ? (stance as Stance) : 'unknown']
	);
}

// ---- Relationship arcs ------------------------------------------------------------------------

export const ARC_ALPHA = 230;

export function kindColour(kind: unknown): Rgb {
	const c = KIND_COLOURS[kind as EdgeKind];
	return c ? hexToRgb(c) : [128, 128, 128];
}

/**
 * The two ends of an arc. Undirected arcs are one colour; directed ones fade from the full colour
 * at the source to a pale tint at the target, so the direction reads without arrowheads (which
 * ArcLayer does not draw).
 */
export function arcColours(kind: unknown, directed: boolean): { source: Rgba; target: Rgba } {
	const c = kindColour(kind);
	const source: Rgba = [...c, ARC_ALPHA];
	const target: Rgba = directed ? [...lighten(c, 0.75), ARC_ALPHA] : source;
	return { source, target };
}

/**
 * Arc width in pixels from its weight (1 for a mapped relationship, the number of incidents for a
 * confrontation): square root, like the incident symbols, so a pair of actors in 400 clashes does
 * not paint over the country.
 */
export function arcWidth(weight: number): number {
	return Math.min(2.5 + 1.2 * Math.sqrt(Math.max(0, weight - 1)), 12);
}

// ---- Security levels --------------------------------------------------------------------------

/** Set for the area itself: strong; inherited from its governorate: pale (and said so). */
export const LEVEL_FILL_ALPHA = 165;
export const LEVEL_INHERITED_ALPHA = 70;

export function levelFill(
	level: number,
	colour: string | null | undefined,
	inherited: boolean
): Rgba {
	const c = hexToRgb(colour ?? levelInfo(level)?.colour ?? '#808080');
	return [...c, inherited ? LEVEL_INHERITED_ALPHA : LEVEL_FILL_ALPHA];
}

// ---- Baseline flags ---------------------------------------------------------------------------

export const BASELINE_COLOURS: Record<Trend | 'low_count', Rgb> = {
	rising: [178, 24, 43], // #b2182b
	falling: [27, 120, 55], // #1b7837
	stable: [224, 220, 212],
	low_count: [238, 236, 231]
};
export const BASELINE_FILL_ALPHA = 165;

export type BaselineFlag = Trend | 'low_count';

/**
 * The flag an area gets on the map: the last four weeks against the 52-week average. Too few
 * incidents to call a trend (low count) is its own, pale class, not "stable".
 */
export function baselineFlag(row: {
	four_weeks_trend: Trend;
	four_weeks_low_count: boolean;
}): BaselineFlag {
	return row.four_weeks_low_count && row.four_weeks_trend === 'stable'
		? 'low_count'
		: row.four_weeks_trend;
}

export function baselineFill(flag: BaselineFlag): Rgba {
	const alpha = flag === 'rising' || flag === 'falling' ? BASELINE_FILL_ALPHA : 120;
	return [...BASELINE_COLOURS[flag], alpha];
}

/** CSS for a legend swatch of an [r, g, b, a] fill (alpha 0–255). */
export function cssRgba([r, g, b, a]: Rgba): string {
	return `rgb(${r} ${g} ${b} / ${Math.round((a / 255) * 100) / 100})`;
}
