import { describe, expect, it } from 'vitest';
import { cameraBbox, fitCamera, reportedBbox } from './camera.ts';
import type { Bbox } from './scales.ts';

const IRAQ: Bbox = [38.6, 28.9, 48.9, 37.5];

describe('camera', () => {
	it('fits a box: inside the padding on both axes, touching it on one', () => {
		const cam = fitCamera(IRAQ, 1280, 800, 16, [2, 17]);
		const inner = cameraBbox(cam, 1280 - 32, 800 - 32);
		// The box is inside the padded view, and fills it across one of the two axes.
		expect(inner[0]).toBeLessThanOrEqual(IRAQ[0] + 1e-9);
		expect(inner[2]).toBeGreaterThanOrEqual(IRAQ[2] - 1e-9);
		expect(inner[1]).toBeLessThanOrEqual(IRAQ[1] + 1e-9);
		expect(inner[3]).toBeGreaterThanOrEqual(IRAQ[3] - 1e-9);
		const fillsNorthSouth =
			Math.abs(inner[1] - IRAQ[1]) < 1e-9 && Math.abs(inner[3] - IRAQ[3]) < 1e-9;
		const fillsEastWest =
			Math.abs(inner[0] - IRAQ[0]) < 1e-9 && Math.abs(inner[2] - IRAQ[2]) < 1e-9;
		expect(fillsNorthSouth || fillsEastWest).toBe(true);
	});

	it("matches maplibre's own fit of all Iraq (the map page's 980 × 675 map at 1280 × 800)", () => {
		// The box the map page asked for before this module existed, when maplibre fitted Iraq.
		const cam = fitCamera(IRAQ, 980, 675, 16, [2, 17]);
		expect(reportedBbox(cameraBbox(cam, 980, 675))).toEqual([
			35.90417, 28.67547, 51.59583, 37.70297
		]);
	});

	it('keeps to the zoom range', () => {
		expect(fitCamera([44, 33, 44.0001, 33.0001], 800, 600, 16, [2, 17]).zoom).toBe(17);
		expect(fitCamera([-170, -80, 170, 80], 300, 200, 16, [2, 17]).zoom).toBe(2);
	});
});
