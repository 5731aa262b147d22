import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expression, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import {
	basemapStyle,
	nameField,
	WORLD_SOURCE,
	worldCountriesUrl,
	type BasemapLang,
	type StyleSpecification
} from './basemap-style.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const staticDir = path.join(root, 'static');
const origin = 'https://terrain.example.org';
const langs: BasemapLang[] = ['en', 'ar', 'ku', 'fr'];

/** What maplibre draws as the label of a feature with these properties. */
function labelOf(lang: BasemapLang, properties: Record<string, string>): unknown {
	const compiled = expression.createExpression(nameField(lang), {
		type: 'string',
		'property-type': 'data-driven',
		expression: { interpolated: false, parameters: ['zoom', 'feature'] }
	} as never);
	if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
	return compiled.value.evaluate({ zoom: 7 }, { type: 1, properties } as never);
}

/**
 * Every URL the style makes the browser fetch: GeoJSON sources and font files, and the rest of
 * the world's countries, which the map puts into the style's empty WORLD_SOURCE when seen.
 */
function urlsOf(style: StyleSpecification, from = origin): string[] {
	const sources = Object.entries(style.sources).map(([id, s]) => {
		expect(s.type).toBe('geojson');
		const data = (s as { data: unknown }).data;
		if (id === WORLD_SOURCE) {
			expect(data).toEqual({ type: 'FeatureCollection', features: [] });
			return worldCountriesUrl(from);
		}
		return data;
	});
	const fonts = Object.values(style['font-faces'] ?? {}).flatMap((faces) =>
		typeof faces === 'string' ? [faces] : faces.map((f) => f.url)
	);
	for (const url of sources) expect(typeof url).toBe('string');
	return [...(sources as string[]), ...fonts];
}

const layer = (style: StyleSpecification, id: string) => {
	const found = style.layers.find((l) => l.id === id);
	if (!found) throw new Error(`no layer ${id}`);
	return found as { layout?: Record<string, unknown> };
};

describe('basemapStyle', () => {
	it.each(langs)('is a valid maplibre style (%s)', (lang) => {
		expect(validateStyleMin(basemapStyle({ origin, lang }))).toEqual([]);
	});

	it.each(langs)('fetches nothing but files under the given origin (%s)', (lang) => {
		const style = basemapStyle({ origin, lang });
		const urls = urlsOf(style);
		expect(urls.length).toBeGreaterThanOrEqual(4 + 6);
		for (const url of urls) expect(url.startsWith(`${origin}/`), url).toBe(true);
		// No glyph server, no sprite, no tiles: each is a request that could leave the server.
		expect(style.glyphs).toBeUndefined();
		expect(style.sprite).toBeUndefined();
		expect(JSON.stringify(style)).not.toMatch(
			/"tiles"|"url"\s*:\s*"(?!https:\/\/terrain\.example\.org\/)/
		);
	});

	it('keeps a base path and drops a trailing slash', () => {
		const urls = urlsOf(
			basemapStyle({ origin: 'http://127.0.0.1:3000/terrain/', lang: 'en' }),
			'http://127.0.0.1:3000/terrain/'
		);
		for (const url of urls)
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/terrain\/(basemap|fonts)\/[^/]+$/);
	});

	it('refuses an origin that is not an absolute URL', () => {
		expect(() => basemapStyle({ origin: '/app', lang: 'en' })).toThrow(/absolute URL/);
	});

	it('serves every file it references from static/', () => {
		for (const url of urlsOf(basemapStyle({ origin, lang: 'ar' }))) {
			const file = path.join(staticDir, new URL(url).pathname);
			expect(existsSync(file), file).toBe(true);
			expect(statSync(file).size, file).toBeGreaterThan(1000);
		}
	});

	it.each(langs)('labels places and countries with nameField(%s)', (lang) => {
		const style = basemapStyle({ origin, lang });
		for (const id of ['place-labels', 'country-labels'])
			expect(layer(style, id).layout?.['text-field']).toEqual(nameField(lang));
	});

	it('names in the reader’s language, falling back to English', () => {
		const mosul = { name_en: 'Mosul', name_ar: 'الموصل' };
		expect(labelOf('ar', mosul)).toBe('الموصل');
		expect(labelOf('en', mosul)).toBe('Mosul');
		expect(labelOf('fr', mosul)).toBe('Mossoul');
		expect(labelOf('ku', mosul)).toBe('مووسڵ');
		// areas by P-code: Duhok governorate, and a district whose English name is no town's
		const duhok = { pcode: 'IQG09', name_en: 'Duhok', name_ar: 'دهوك' };
		expect(labelOf('ar', duhok)).toBe('دهوك');
		expect(labelOf('ku', duhok)).toBe('دهۆک');
		expect(labelOf('ku', { pcode: 'IQG11Q03', name_en: 'Koysinjaq' })).toBe('کۆیە');
		// no Kurdish or French name known: the English one
		expect(labelOf('ku', { pcode: 'IQG04', name_en: 'Al-Najaf', name_ar: 'النجف' })).toBe(
			'Al-Najaf'
		);
		expect(labelOf('fr', { name_en: 'Samarra', name_ar: 'سامراء' })).toBe('Samarra');
	});

	it('uses the Kurdish, Arabic and French names of a basemap pack (OpenStreetMap tags)', () => {
		const zakho = { name: 'Zaxo', 'name:ckb': 'زاخۆ', 'name:ar': 'زاخو', 'name:fr': 'Zakho' };
		expect(labelOf('ku', zakho)).toBe('زاخۆ');
		expect(labelOf('ku', { name: 'Cizre', 'name:ku': 'Cizîr' })).toBe('Cizîr');
		expect(labelOf('ar', zakho)).toBe('زاخو');
		expect(labelOf('fr', zakho)).toBe('Zakho');
		expect(labelOf('en', { name: 'Ankara', 'name:en': 'Ankara' })).toBe('Ankara');
		expect(labelOf('ku', { name: 'Ankara' })).toBe('Ankara');
	});

	it('declares Arabic and Latin font files for every font the labels use', () => {
		const style = basemapStyle({ origin, lang: 'ar' });
		const faces = style['font-faces'] ?? {};
		const used = JSON.stringify(style.layers).match(/Noto Sans \w+/g) ?? [];
		expect(used.length).toBeGreaterThan(0);
		for (const name of new Set(used)) {
			const files = faces[name];
			expect(Array.isArray(files), name).toBe(true);
			const urls = (files as { url: string }[]).map((f) => f.url).join(' ');
			expect(urls).toMatch(/noto-sans-arabic-arabic-\d00-normal\.woff2/);
			expect(urls).toMatch(/noto-sans-latin-\d00-normal\.woff2/);
		}
	});
});

describe('basemap data (static/basemap)', () => {
	const read = (name: string) =>
		JSON.parse(readFileSync(path.join(staticDir, 'basemap', name), 'utf8')) as {
			features: { properties: Record<string, unknown>; geometry: { type: string } }[];
		};

	it('names every place and country in English and Arabic', () => {
		for (const name of ['places.geojson', 'countries.geojson', 'country-labels.geojson']) {
			for (const f of read(name).features) {
				expect(typeof f.properties.name_en, name).toBe('string');
				expect(typeof f.properties.name_ar, name).toBe('string');
			}
		}
		const places = read('places.geojson').features;
		const baghdad = places.find((f) => f.properties.name_en === 'Baghdad');
		expect(baghdad?.properties.name_ar).toBe('بغداد');
		// Places beyond Iraq from the curated list (supabase/seed/basemap-src/places_ar_curated.csv):
		// an Arabic map does not name the neighbours' cities in Latin letters.
		const ar = (en: string) => places.find((f) => f.properties.name_en === en)?.properties.name_ar;
		expect([ar('Tehran'), ar('Aleppo'), ar('Kuwait'), ar('Diyarbakır')]).toEqual([
			'طهران',
			'حلب',
			'الكويت',
			'ديار بكر'
		]);
		const latin = places.filter((f) =>
			/^[\p{Script=Latin}\s'-]+$/u.test(String(f.properties.name_ar))
		);
		expect(latin.length).toBeLessThanOrEqual(5);
		const iraq = read('countries.geojson').features.find((f) => f.properties.iso3 === 'IRQ');
		expect(iraq?.properties.name_ar).toBe('العراق');
	});

	it("splits the countries: the first view's region with the map, the rest of the world apart", () => {
		const iso = (name: string) => read(name).features.map((f) => String(f.properties.iso3));
		const region = iso('countries.geojson');
		const world = iso('countries-world.geojson');
		for (const c of ['IRQ', 'TUR', 'IRN', 'SYR', 'SAU', 'JOR', 'KWT']) expect(region).toContain(c);
		for (const c of ['USA', 'CAN', 'BRA', 'AUS', 'CHN', 'FRA']) expect(world).toContain(c);
		expect(region.filter((c) => c !== 'null' && world.includes(c))).toEqual([]);
		expect(region.length + world.length).toBeGreaterThan(200);
	});

	it('stays small enough to ship with the app (< 3 MB)', () => {
		const dir = path.join(staticDir, 'basemap');
		const total = readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
		expect(total).toBeLessThan(3 * 1024 * 1024);
	});
});
