import { describe, expect, it } from 'vitest';
import { isSecurityLevel, levelInfo, SECURITY_LEVELS, SECURITY_SCALE } from './analysis-levels.ts';
import { en } from '../i18n/en/index.ts';
import { ar } from '../i18n/ar/index.ts';

/** WCAG relative luminance and contrast, to check each level's text colour reads on its fill. */
function luminance(hex: string): number {
	const c = [1, 3, 5]
		.map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
		.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
const contrast = (a: string, b: string) => {
	const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (l1 + 0.05) / (l2 + 0.05);
};

describe('security level scale', () => {
	it('has five levels, in order, each with a name, a colour and a movement rule', () => {
		expect(SECURITY_SCALE.map((l) => l.level)).toEqual([...SECURITY_LEVELS]);
		for (const l of SECURITY_SCALE) {
			expect(l.colour).toMatch(/^#[0-9a-f]{6}$/);
			expect(l.movement.length).toBeGreaterThan(20);
			expect(contrast(l.colour, l.ink), `level ${l.level}`).toBeGreaterThanOrEqual(4.5);
		}
		expect(levelInfo(3)?.key).toBe('substantial');
		expect(levelInfo(6)).toBeUndefined();
		expect(isSecurityLevel(5)).toBe(true);
		expect(isSecurityLevel('5')).toBe(false);
	});
	it('shows the same names and rules in the English catalogue, and has them in Arabic', () => {
		for (const l of SECURITY_SCALE) {
			expect(en[`security_level.${l.level}.name` as keyof typeof en]).toBe(l.name);
			expect(en[`security_level.${l.level}.movement` as keyof typeof en]).toBe(l.movement);
			expect(ar[`security_level.${l.level}.name` as keyof typeof en]).toBeTruthy();
			expect(ar[`security_level.${l.level}.movement` as keyof typeof en]).toBeTruthy();
		}
	});
	it('has every analysis string in Arabic', () => {
		const keys = Object.keys(en).filter(
			(k) => /^(analysis|areas|trend|security_level|dow)\./.test(k) || k === 'nav.analysis'
		);
		expect(keys.filter((k) => !(k in ar))).toEqual([]);
	});
});
