import { describe, expect, it } from 'vitest';
import { forbidsStorage, isKeepable, isSensitive, pagePath } from './policy';

describe('offline storage policy', () => {
	it('keeps the map, incident lists, areas and levels, pages and their data', () => {
		for (const p of [
			'/map',
			'/map/__data.json',
			'/incidents',
			'/incidents/new/__data.json',
			'/areas/IQD08',
			'/api/v1/map/incidents',
			'/api/v1/areas',
			'/api/v1/stats/levels',
			'/api/v1/sites/checkpoints',
			'/api/v1/tiles/incidents/7/80/50.mvt'
		])
			expect(isKeepable(p), p).toBe(true);
	});

	it('never keeps need-to-know data, whatever its shape', () => {
		for (const p of [
			'/contacts',
			'/contacts/3f1c/__data.json',
			'/contacts/card/x',
			'/movements',
			'/movements/5a1e',
			'/movements/5a1e/__data.json',
			'/api/v1/contacts',
			'/api/v1/contacts/nearby',
			'/api/v1/movements/risk',
			'/api/v1/audit',
			'/admin/audit',
			'/api/v1/users',
			'/api/v1/tokens',
			'/api/v1/me',
			'/incidents/export',
			'/api/v1/exports'
		]) {
			expect(isSensitive(p), p).toBe(true);
			expect(isKeepable(p), p).toBe(false);
		}
	});

	it('keeps nothing it was not told to (an allow-list)', () => {
		for (const p of ['/', '/network', '/incidents/abc', '/api/v1/incidents/abc', '/login'])
			expect(isKeepable(p), p).toBe(false);
	});

	it('maps a data request to its page', () => {
		expect(pagePath('/map/__data.json')).toBe('/map');
		expect(pagePath('/__data.json')).toBe('/');
	});

	it('honours no-store however it is written', () => {
		expect(forbidsStorage('private, no-store')).toBe(true);
		expect(forbidsStorage('No-Store')).toBe(true);
		expect(forbidsStorage('private, no-cache')).toBe(false);
		expect(forbidsStorage(null)).toBe(false);
	});
});
