import { describe, expect, it } from 'vitest';
import { KIND_COLOURS, STANCE_COLOURS } from '../../domain/actors.ts';
import { SECURITY_SCALE } from '../../domain/analysis-levels.ts';
import {
	arcColours,
	arcWidth,
	BASELINE_FILL_ALPHA,
	baselineFill,
	baselineFlag,
	cssRgba,
	hexToRgb,
	LEVEL_FILL_ALPHA,
	LEVEL_INHERITED_ALPHA,
	levelFill,
	lighten,
	stanceColour
} from './styles.ts';

describe('layer colours', () => {
	it('reads hex colours, and gives grey for anything else', () => {
		expect(hexToRgb('#b2182b')).toEqual([178, 24, 43]);
		expect(hexToRgb('1B7837')).toEqual([27, 120, 55]);
		expect(hexToRgb('red')).toEqual([128, 128, 128]);
		expect(lighten([0, 100, 200], 0.5)).toEqual([128, 178, 228]);
	});

	it('colours presence by stance, unknown stances as unknown', () => {
		expect(stanceColour('hostile')).toEqual(hexToRgb(STANCE_COLOURS.hostile));
		expect(stanceColour('weird')).toEqual(hexToRgb(STANCE_COLOURS.unknown));
	});

	it('draws undirected arcs in one colour and directed ones fading to the target', () => {
		const u = arcColours('coordination', false);
		expect(u.source.slice(0, 3)).toEqual(hexToRgb(KIND_COLOURS.coordination));
		expect(u.target).toEqual(u.source);
		const d = arcColours('funding', true);
		expect(d.source.slice(0, 3)).toEqual(hexToRgb(KIND_COLOURS.funding));
		expect(d.target).not.toEqual(d.source);
		// paler: every channel at least as light
		d.target.slice(0, 3).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(d.source[i]));
	});

	it('widens arcs with their weight, within limits', () => {
		expect(arcWidth(1)).toBe(2.5);
		expect(arcWidth(10)).toBeGreaterThan(arcWidth(2));
		expect(arcWidth(100_000)).toBe(12);
	});

	it('fills levels in the scale colour, inherited ones paler', () => {
		for (const l of SECURITY_SCALE) {
			expect(levelFill(l.level, l.colour, false)).toEqual([
				...hexToRgb(l.colour),
				LEVEL_FILL_ALPHA
			]);
			expect(levelFill(l.level, null, true)).toEqual([
				...hexToRgb(l.colour),
				LEVEL_INHERITED_ALPHA
			]);
		}
		expect(LEVEL_INHERITED_ALPHA).toBeLessThan(LEVEL_FILL_ALPHA);
	});

	it('flags the baseline as the table does, with low counts apart from stable', () => {
		expect(baselineFlag({ four_weeks_trend: 'rising', four_weeks_low_count: false })).toBe(
			'rising'
		);
		expect(baselineFlag({ four_weeks_trend: 'stable', four_weeks_low_count: true })).toBe(
			'low_count'
		);
		expect(baselineFlag({ four_weeks_trend: 'stable', four_weeks_low_count: false })).toBe(
			'stable'
		);
		expect(baselineFill('rising')).toEqual([178, 24, 43, BASELINE_FILL_ALPHA]);
		expect(baselineFill('falling')).toEqual([27, 120, 55, BASELINE_FILL_ALPHA]);
		expect(baselineFill('stable')[3]).toBeLessThan(BASELINE_FILL_ALPHA);
		expect(cssRgba([255, 0, 0, 255])).toBe('rgb(255 0 0 / 1)');
	});
});
