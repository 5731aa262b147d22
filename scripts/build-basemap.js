#!/usr/bin/env node
// Regenerates the offline basemap: simplified GeoJSON in static/basemap/ and the label fonts in
// static/fonts/. The outputs are committed; run this only to change them:
//
//     node scripts/build-basemap.js
//
// Inputs are read from inside the repository only: supabase/seed/basemap-src/ (Natural Earth
// extracts and the OCHA/Open Admin Data name list) and npm packages pinned in devDependencies
// (world-atlas, mapeo-offline-map, i18n-iso-countries, @fontsource/*). No network.
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import countryCodes from 'i18n-iso-countries';
import Papa from 'papaparse';
import subsetFont from 'subset-font';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import {
	filter,
	filterWeight,
	planarRingArea,
	planarTriangleArea,
	presimplify,
	simplify
} from 'topojson-simplify';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'supabase/seed/basemap-src');
const out = path.join(root, 'static/basemap');
const fontsOut = path.join(root, 'static/fonts');
const require = createRequire(import.meta.url);

/**
 * What the first map of Iraq shows at any usual screen, from a phone held upright to a wide
 * desktop, with room to pan: its countries load with the map (countries.geojson), the others
 * only when a view reaches beyond it (countries-world.geojson). The same box is in
 * src/lib/map/basemap-style.ts (FIRST_VIEW_BOX).
 */
const FIRST_VIEW_BOX = [30, 20, 60, 45];
/** Region the basemap is drawn in detail for: rivers and lakes are clipped to it. */
const REGION_BBOX = [30, 24, 56, 42];
/** Around the region, country shapes keep (nearly) all of their 1:50m detail. */
const nearRegion = ([x, y]) => x >= 20 && x <= 70 && y >= 10 && y <= 50;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const pkgFile = (spec) => require.resolve(spec);

/**
 * Rounds coordinates (3 digits is ~100 m: finer than anything visible below zoom 8, at half the
 * file size) and drops the repeated vertices and collapsed rings that rounding leaves behind.
 */
function roundGeometry(geometry, digits) {
	const pt = ([x, y]) => [Number(x.toFixed(digits)), Number(y.toFixed(digits))];
	const line = (coords) =>
		coords.map(pt).filter((p, i, a) => i === 0 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
	const polygon = (rings) => rings.map(line).filter((r) => r.length >= 4);
	switch (geometry.type) {
		case 'Point':
			return { type: 'Point', coordinates: pt(geometry.coordinates) };
		case 'LineString':
			return { type: 'LineString', coordinates: line(geometry.coordinates) };
		case 'MultiLineString':
			return { type: 'MultiLineString', coordinates: geometry.coordinates.map(line) };
		case 'Polygon':
			return { type: 'Polygon', coordinates: polygon(geometry.coordinates) };
		case 'MultiPolygon':
			return {
				type: 'MultiPolygon',
				coordinates: geometry.coordinates.map(polygon).filter((p) => p.length)
			};
		default:
			throw new Error(`unexpected geometry ${geometry.type}`);
	}
}

function writeGeoJson(name, features, digits) {
	const file = path.join(out, name);
	const rounded = features.map((f) => ({ ...f, geometry: roundGeometry(f.geometry, digits) }));
	const json = JSON.stringify({ type: 'FeatureCollection', features: rounded });
	writeFileSync(file, json + '\n');
	// The server (sirv) sends this copy to browsers that take brotli: countries.geojson is ~260 kB
	// that way against ~415 kB gzipped on the fly, on the first map of a field link (issue 14).
	// adapter-node precompresses only its own extensions, not .geojson.
	writeFileSync(
		`${file}.br`,
		brotliCompressSync(json + '\n', { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } })
	);
	console.log(`${name.padEnd(24)} ${String(features.length).padStart(5)} features ${kb(file)}`);
}

const kb = (file) => `${(statSync(file).size / 1024).toFixed(0).padStart(6)} KB`;

// ---------------------------------------------------------------------------------------------
// Countries: the 7 neighbours in Natural Earth 1:50m from the seed extract, and the rest of the
// world from world-atlas (also Natural Earth 1:50m), so the map is not empty around Iraq.

const arabicCountryName = (iso3, fallback) => countryCodes.getName(iso3, 'ar') ?? fallback;

function buildCountries() {
	const ne = readJson(path.join(src, 'ne_50m_admin_0_countries_irq_neighbours.geojson'));
	const focus = ne.features.map((f) => ({
		type: 'Feature',
		properties: {
			iso3: f.properties.ISO_A3,
			// NAME_EN and NAME_AR are empty in this extract; NAME is the English short name.
			name_en: f.properties.NAME_EN ?? f.properties.NAME,
			name_ar: f.properties.NAME_AR ?? arabicCountryName(f.properties.ISO_A3, f.properties.NAME)
		},
		geometry: f.geometry
	}));
	const focusIso = new Set(focus.map((f) => f.properties.iso3));

	const world = readJson(pkgFile('world-atlas/countries-50m.json'));
	const rest = feature(world, world.objects.countries)
		.features.map((f) => {
			// A few features (e.g. Kosovo, N. Cyprus, Somaliland) carry no ISO numeric code.
			const iso3 = (f.id && countryCodes.numericToAlpha3(f.id)) || null;
			const nameEn = f.properties.name;
			return {
				type: 'Feature',
				properties: {
					iso3,
					name_en: nameEn,
					name_ar: iso3 ? arabicCountryName(iso3, nameEn) : nameEn
				},
				geometry: f.geometry
			};
		})
		.filter((f) => f.geometry && !focusIso.has(f.properties.iso3));

	// Simplify as one topology so shared borders stay shared (no slivers between neighbours).
	// Weights are planar areas in degrees² (1e-3 deg² ≈ a triangle 4 km on a side), boosted near
	// the region so that it keeps its detail, and cut to a twentieth elsewhere: the rest of the
	// world is only ever seen zoomed out (below zoom ~4, where a pixel is ~10 km), and it was three
	// quarters of the first map's basemap bytes (192 of 260 kB brotli; now ~45 kB). Islands under
	// ~50 km² go too (under ~0.5 km² near the region), taking a few microstates (Monaco, Nauru …)
	// with them.
	const all = { type: 'FeatureCollection', features: [...focus, ...rest] };
	const thinned = simplifyCountries(all, 0.05);
	// Thinning that hard collapses small island countries (Singapore, Malta, Barbados …); those
	// keep their shape from the milder pass (no land borders to sliver at the zoom they show at).
	const kept = new Set(thinned.map((f) => f.properties.name_en));
	const small = simplifyCountries(all, 1).filter((f) => !kept.has(f.properties.name_en));
	return [...thinned, ...small];
}

/** The countries simplified as one topology, with weights outside the region times `farBoost`. */
function simplifyCountries(all, farBoost) {
	const boost = (point) => (nearRegion(point) ? 1000 : farBoost);
	const weight = (triangle) => planarTriangleArea(triangle) * boost(triangle[1]);
	let topo = presimplify(topology({ countries: all }, 1e6), weight);
	topo = simplify(topo, 1e-3);
	const ringWeight = (ring) => planarRingArea(ring) * (nearRegion(ring[0]) ? 100 : 1);
	topo = filter(topo, filterWeight(topo, 5e-3, ringWeight));
	const features = feature(topo, topo.objects.countries).features.filter((f) => f.geometry);
	return features.map(({ properties, geometry }) => ({ type: 'Feature', properties, geometry }));
}

/**
 * What a map centred on Iraq at zoom ~5–6 shows. Big neighbours whose middle lies outside it
 * (Turkey, Iran, Saudi Arabia) get a second label inside it, used from zoom 5 on, so that the
 * country around Iraq is named on the screen the analyst actually looks at.
 */
const REGION_VIEW = [35, 26.5, 53, 39.5];

/** A point well inside a polygon (its centre of mass, unless that falls outside, e.g. a crescent). */
function labelPoint(polygon) {
	const point = turf.centerOfMass(polygon);
	return turf.booleanPointInPolygon(point, polygon) ? point : turf.pointOnFeature(polygon);
}

function largestPolygon(geometry) {
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	return polygons
		.map((coords) => turf.polygon(coords))
		.reduce((a, b) => (turf.area(a) >= turf.area(b) ? a : b));
}

/**
 * One label point per country, inside its largest polygon (so that a country's name is not drawn
 * in the sea or on an island), computed once here rather than per tile by the renderer.
 * `scope` says when it is shown: 'all' always; 'world' when zoomed out and 'region' when zoomed
 * in (the style's country-labels filter switches at zoom 5), for the big neighbours.
 */
function countryLabels(countries) {
	const view = turf.bboxPolygon(REGION_VIEW);
	// Labels near the edge of that view are cut off, so the test uses a smaller box.
	const inner = turf.bboxPolygon([37, 27.5, 51.5, 38.5]);
	return countries.flatMap((f) => {
		const largest = largestPolygon(f.geometry);
		const properties = { ...f.properties, area_km2: Math.round(turf.area(largest) / 1e6) };
		const main = labelPoint(largest);
		const label = (point, scope) => ({
			type: 'Feature',
			properties: { ...properties, scope },
			geometry: point.geometry
		});
		const big = properties.area_km2 > 300_000;
		if (!big || turf.booleanPointInPolygon(main, inner) || !turf.booleanIntersects(largest, view)) {
			return [label(main, 'all')];
		}
		const inView = turf.bboxClip(largest, REGION_VIEW);
		if (!inView.geometry.coordinates.length || turf.area(inView) < 50_000e6) {
			return [label(main, 'all')];
		}
		return [label(main, 'world'), label(labelPoint(largestPolygon(inView.geometry)), 'region')];
	});
}

// ---------------------------------------------------------------------------------------------
// Water: Natural Earth 1:50m lakes and rivers (as packaged by mapeo-offline-map), clipped to the
// region. The seas need no data: they are the style's background showing between the countries.

function buildWater() {
	const lakes = readJson(pkgFile('mapeo-offline-map/dist/lakes.json'));
	const rivers = readJson(pkgFile('mapeo-offline-map/dist/rivers.json'));
	const region = turf.bboxPolygon(REGION_BBOX);
	const features = [];
	for (const f of lakes.features) {
		if (!turf.booleanIntersects(f, region)) continue;
		const clipped = turf.bboxClip(f, REGION_BBOX);
		if (!clipped.geometry.coordinates.length) continue;
		features.push({
			type: 'Feature',
			properties: { kind: 'lake', name: f.properties.name ?? null },
			geometry: clipped.geometry
		});
	}
	for (const f of rivers.features) {
		if (!turf.booleanIntersects(f, region)) continue;
		const clipped = turf.bboxClip(f, REGION_BBOX);
		const lines =
			clipped.geometry.type === 'LineString'
				? [clipped.geometry.coordinates]
				: clipped.geometry.coordinates;
		const kept = lines.filter((l) => l.length >= 2);
		if (!kept.length) continue;
		features.push({
			type: 'Feature',
			properties: {
				kind: 'river',
				// Natural Earth's stroke weight (0.15–1.2): how big the river is, used for width.
				strokeweig: f.properties.strokeweig,
				min_zoom: f.properties.min_zoom
			},
			geometry:
				kept.length === 1
					? { type: 'LineString', coordinates: kept[0] }
					: { type: 'MultiLineString', coordinates: kept }
		});
	}
	return features;
}

// ---------------------------------------------------------------------------------------------
// Places: Natural Earth 10m populated places. The extract has no Arabic names, so Iraqi places
// take theirs from the OCHA COD-AB district/governorate names (as listed by Open Admin Data)
// when a nearby unit carries the same name; every other place falls back to its English name.

/** Natural Earth's RANK_MAX classes, from POP_MAX. */
function popRank(pop) {
	const floors = [10e6, 5e6, 1e6, 500e3, 200e3, 100e3, 50e3, 20e3, 10e3, 5e3, 2e3, 1e3, 200, 1];
	const i = floors.findIndex((floor) => pop >= floor);
	return i === -1 ? 0 : 14 - i;
}

const ARTICLE = /^(al|el|ar|as|an|ad|az|ash|at|ath|adh|dh)\s+/;
/** Latin transliterations of the same Arabic name differ in vowels, doubling and articles. */
function normaliseLatin(name) {
	return name
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[-'’`]/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.replace(ARTICLE, '')
		.replace(/\s/g, '')
		.replace(/h$/, '');
}
const skeleton = (s) => s.replace(/[aeiouy]/g, '').replace(/(.)\1+/g, '$1');

function levenshtein(a, b) {
	const row = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		let prev = row[0];
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = row[j];
			row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
			prev = tmp;
		}
	}
	return row[b.length];
}

/** Distance (lower is better) between two Latin names, or Infinity when they are not the same. */
function nameDistance(a, b) {
	const na = normaliseLatin(a);
	const nb = normaliseLatin(b);
	if (na === nb) return 0;
	if (skeleton(na) === skeleton(nb)) return 1;
	const d = levenshtein(na, nb);
	return Math.min(na.length, nb.length) >= 5 && d <= 2 ? 1 + d : Infinity;
}

function loadIraqUnits() {
	const csv = readFileSync(path.join(src, 'openadmindata_irq_adm1_adm2_centroids.csv'), 'utf8')
		// The first line is an attribution comment, not the header.
		.replace(/^#.*\n/, '');
	const { data } = Papa.parse(csv, { header: true, skipEmptyLines: true });
	return data.map((r) => ({
		pcode: r.id,
		en: r['name.en'],
		ar: r['name.local'],
		point: turf.point([Number(r['geo.lon']), Number(r['geo.lat'])])
	}));
}

function buildPlaces() {
	const places = readJson(path.join(src, 'ne_10m_populated_places_mideast_bbox.geojson'));
	const units = loadIraqUnits();
	// The extract has no Arabic names, and places outside Iraq have no P-code to take one from:
	// without this list an Arabic or Kurdish map named Tehran, Aleppo or Kuwait in Latin letters.
	const curatedAr = new Map(
		Papa.parse(readFileSync(path.join(src, 'places_ar_curated.csv'), 'utf8'), {
			header: true,
			skipEmptyLines: true
		}).data.map((r) => [r.name_en, r.name_ar])
	);
	const matches = [];
	const features = places.features.map((f) => {
		const p = f.properties;
		let nameAr = p.NAME_AR ?? null;
		if (!nameAr && p.ADM0_A3 === 'IRQ') {
			// A district's centroid can lie far from its seat (Ar Rutbah district is desert the size
			// of Jordan), so the radius is generous and the name has to agree.
			const best = units
				.map((u) => ({
					u,
					name: nameDistance(p.NAME, u.en),
					km: turf.distance(f, u.point)
				}))
				.filter((c) => c.name < Infinity && c.km < 250)
				.sort((a, b) => a.name - b.name || a.km - b.km)[0];
			if (best) nameAr = best.u.ar;
			matches.push(`${p.NAME} → ${best ? `${best.u.en} ${best.u.ar} (${best.u.pcode})` : '—'}`);
		}
		const capital =
			p.FEATURECLA === 'Admin-0 capital' ? 2 : p.FEATURECLA?.startsWith('Admin-1') ? 1 : 0;
		return {
			type: 'Feature',
			properties: {
				name_en: p.NAME,
				name_ar: nameAr ?? curatedAr.get(p.NAME) ?? p.NAME,
				iso3: p.ADM0_A3,
				capital,
				scalerank: p.SCALERANK,
				pop_rank: popRank(p.POP_MAX)
			},
			geometry: f.geometry
		};
	});
	console.log('Arabic names for Iraqi places:\n  ' + matches.join('\n  '));
	// Most important first, so that equal symbol-sort-keys still favour the bigger place.
	features.sort(
		(a, b) =>
			a.properties.scalerank - b.properties.scalerank ||
			b.properties.pop_rank - a.properties.pop_rank
	);
	return features;
}

// ---------------------------------------------------------------------------------------------
// Fonts: the WOFF2 subsets the style's `font-faces` point at (see src/lib/map/basemap-style.ts).

/**
 * The Latin-extended letters the labels need: every one in the basemap's own names (Turkish
 * places around Iraq: Şanlıurfa, Diyarbakır …) and French names, plus those of Turkish, Kurmanji,
 * Azeri and the usual transliterations of Arabic and Persian that a basemap pack's names carry.
 * The map's first screen needs the Latin-extended font for the Turkish names alone; cut to these
 * letters it is ~7 kB instead of 56 (a field link's half second). A letter outside the set is
 * drawn with the browser's own font, as any script the style declares no font for.
 */
function latinExtendedText() {
	const curated =
		'ĞğİıŞşÇçÖöÜüÂâÎîÛûÊêƏəŒœŸÿĀāĒēĪīŌōŪūḤḥṢṣṬṭḌḍẒẓḎḏṮṯĠġḪḫẔẕŽžŠšČčĆćŁłŃńŘřŻżĄąĘęŐőŰűʿʾ';
	const sources = [
		...['countries', 'countries-world', 'country-labels', 'water', 'places'].map((f) =>
			path.join(out, `${f}.geojson`)
		),
		path.join(root, 'src/lib/map/names-fr.ts')
	];
	const seen = new Set(curated);
	for (const file of sources)
		for (const ch of readFileSync(file, 'utf8')) if (ch.codePointAt(0) >= 0x100) seen.add(ch);
	// The subset's file declares the whole Latin-extended range (basemap-style.ts): only the
	// letters above are in it; the Arabic script's letters belong to the Arabic file.
	return [...seen].filter((ch) => !/[\u0600-\u06ff\ufb50-\ufeff]/.test(ch)).join('');
}

async function copyFonts() {
	mkdirSync(fontsOut, { recursive: true });
	const files = [
		['@fontsource/noto-sans', 'noto-sans-latin-400-normal.woff2'],
		['@fontsource/noto-sans', 'noto-sans-latin-700-normal.woff2'],
		// Turkish and Kurdish Latin names (ş, ğ, İ, ê …) are outside the latin subset.
		['@fontsource/noto-sans', 'noto-sans-latin-ext-400-normal.woff2', latinExtendedText()],
		['@fontsource/noto-sans', 'noto-sans-latin-ext-700-normal.woff2', latinExtendedText()],
		['@fontsource/noto-sans-arabic', 'noto-sans-arabic-arabic-400-normal.woff2'],
		['@fontsource/noto-sans-arabic', 'noto-sans-arabic-arabic-700-normal.woff2']
	];
	for (const [pkg, file, only] of files) {
		const from = path.join(path.dirname(pkgFile(`${pkg}/package.json`)), 'files', file);
		const to = path.join(fontsOut, file);
		if (only)
			writeFileSync(to, await subsetFont(readFileSync(from), only, { targetFormat: 'woff2' }));
		else copyFileSync(from, to);
		console.log(`fonts/${file.padEnd(42)} ${kb(to)}`);
	}
	// The SIL Open Font License asks that the licence (and copyright line) travel with the fonts.
	for (const pkg of ['noto-sans', 'noto-sans-arabic']) {
		copyFileSync(
			path.join(path.dirname(pkgFile(`@fontsource/${pkg}/package.json`)), 'LICENSE'),
			path.join(fontsOut, `OFL-${pkg}.txt`)
		);
	}
}

// ---------------------------------------------------------------------------------------------

mkdirSync(out, { recursive: true });
const countries = buildCountries();
// The first map loads only the countries that reach into FIRST_VIEW_BOX; the rest of the world
// waits until a view goes beyond it (basemap-style.ts). On a field link that is ~29 kB instead
// of ~116 kB, the biggest file the first map waited for after maplibre (issue 14).
const box = turf.bboxPolygon(FIRST_VIEW_BOX);
const near = (f) => turf.booleanIntersects(f, box);
writeGeoJson('countries.geojson', countries.filter(near), 3);
writeGeoJson(
	'countries-world.geojson',
	countries.filter((f) => !near(f)),
	3
);
writeGeoJson('country-labels.geojson', countryLabels(countries), 3);
writeGeoJson('water.geojson', buildWater(), 3);
writeGeoJson('places.geojson', buildPlaces(), 4);
await copyFonts();
