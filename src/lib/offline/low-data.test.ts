import { describe, expect, it } from 'vitest';
import { parseMapUrl } from '$lib/map/url-state';
import { withoutOptional } from './low-data-layers';

describe('low data', () => {
	const all = parseMapUrl(
		new URLSearchParams('layers=incidents,checkpoints,org_sites,governorates,actor_arcs')
	);
	it('keeps only incidents and checkpoints when on', () => {
		expect([...withoutOptional(all, true).layers].sort()).toEqual(['checkpoints', 'incidents']);
	});
	it('changes nothing when off', () => {
		expect(withoutOptional(all, false)).toBe(all);
	});
});
