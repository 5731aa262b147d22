import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CKB_BY_PCODE, CKB_BY_PLACE } from './names-ckb.ts';
import { FR_BY_NAME } from './names-fr.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const json = (...p: string[]) =>
	JSON.parse(readFileSync(path.join(root, ...p), 'utf8')) as {
		features: { properties: Record<string, string> }[];
	};

describe('curated map names', () => {
	it('keys Kurdish area names by P-codes that exist in COD-AB', () => {
		const pcodes = new Set([
			...json('supabase/seed/irq_admbnda_adm1_cso_20190603.geojson').features.map(
				(f) => f.properties.ADM1_PCODE
			),
			...json('supabase/seed/irq_admbnda_adm2_cso_20190603.geojson').features.map(
				(f) => f.properties.ADM2_PCODE
			)
		]);
		expect(Object.keys(CKB_BY_PCODE).filter((k) => !pcodes.has(k))).toEqual([]);
		// every governorate of the Kurdistan Region, Ninewa and Kirkuk
		for (const g of ['IQG06', 'IQG09', 'IQG11', 'IQG13', 'IQG15'])
			expect(CKB_BY_PCODE[g]).toBeTruthy();
	});

	it('keys town and country names by names the basemap has', () => {
		const names = new Set(
			['places.geojson', 'country-labels.geojson'].flatMap((f) =>
				json('static/basemap', f).features.map((x) => x.properties.name_en)
			)
		);
		const unknown = [...Object.keys(CKB_BY_PLACE), ...Object.keys(FR_BY_NAME)].filter(
			(k) => !names.has(k)
		);
		expect(unknown).toEqual([]);
	});

	it('writes Kurdish with Kurdish letters (ی ک ە), not Arabic look-alikes (ي ك ة ى)', () => {
		const all = [...Object.values(CKB_BY_PCODE), ...Object.values(CKB_BY_PLACE)];
		expect(all.filter((n) => /[\u064A\u0643\u0629\u0649]|[\u064B-\u0652]/.test(n))).toEqual([]);
		expect(all.every((n) => /^[\u0600-\u06FF\s]+$/.test(n))).toBe(true);
	});
});
