/**
 * A tiny detailed basemap near Dohuk, built by the tests themselves (issue 13, point 5): a few
 * roads of each class, the town as a place with Arabic and Sorani names, a lake, and (Protomaps
 * only) the land. Vector tiles are encoded with @maplibre/geojson-vt + @maplibre/vt-pbf.
 *
 * The PMTiles v3 writer below is ours: npm's `pmtiles` package only reads archives, and no
 * maintained JS writer was found on the registry (checked for this test). It follows the spec
 * (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): a 127-byte header, one root
 * directory (no leaves: a few hundred tiles fit), JSON metadata, then gzip-compressed tiles in
 * tile-id order. Reading it back with the `pmtiles` package is what checks it. `buildMbtiles`
 * writes the same tiles as an MBTiles (SQLite) file.
 */
import { gzipSync } from 'node:zlib';
import sqlite from 'node-sqlite3-wasm';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { zxyToTileId } from 'pmtiles';
import type { Feature, FeatureCollection } from 'geojson';

const { Database } = sqlite;

export type ExtractSchema = 'protomaps' | 'openmaptiles';

/** The extract's bounds (lon/lat) and where its roads cross: the centre of the test's view. */
export const EXTRACT_BOUNDS: [number, number, number, number] = [42.85, 36.75, 43.15, 36.98];
export const EXTRACT_CENTER: [number, number] = [43.0, 36.86];
export const EXTRACT_ZOOMS = { min: 6, max: 13 };

const line = (coords: [number, number][], properties: Record<string, unknown>): Feature => ({
	type: 'Feature',
	properties,
	geometry: { type: 'LineString', coordinates: coords }
});
const box = ([w, s, e, n]: number[], properties: Record<string, unknown>): Feature => ({
	type: 'Feature',
	properties,
	geometry: {
		type: 'Polygon',
		coordinates: [
			[
				[w, s],
				[e, s],
				[e, n],
				[w, n],
				[w, s]
			]
		]
	}
});

function layers(schema: ExtractSchema): Record<string, FeatureCollection> {
	const omt = schema === 'openmaptiles';
	const road = (kind: 'highway' | 'major' | 'minor') =>
		omt
			? { class: { highway: 'motorway', major: 'primary', minor: 'minor' }[kind] }
			: { kind: { highway: 'highway', major: 'major_road', minor: 'minor_road' }[kind] };
	const roads: Feature[] = [
		// Dohuk–Zakho road, diagonally across the view.
		line(
			[
				[42.86, 36.78],
				[42.95, 36.83],
				[43.0, 36.86],
				[43.14, 36.95]
			],
			road('highway')
		),
		// A main road north–south through the town.
		line(
			[
				[43.0, 36.76],
				[43.0, 36.86],
				[43.01, 36.97]
			],
			road('major')
		),
		// Town streets.
		line(
			[
				[42.96, 36.87],
				[43.04, 36.87]
			],
			road('minor')
		),
		line(
			[
				[42.97, 36.85],
				[43.03, 36.85]
			],
			road('minor')
		)
	];
	const place: Feature = {
		type: 'Feature',
		properties: {
			name: 'دهۆک',
			'name:en': 'Duhok',
			'name:ar': 'دهوك',
			'name:ckb': 'دهۆک',
			...(omt ? { class: 'city', rank: 3 } : { kind: 'locality', population_rank: 10 })
		},
		geometry: { type: 'Point', coordinates: [43.0, 36.867] }
	};
	// A lake west of the town (a box: the test needs water, not the real Dohuk Dam shoreline).
	const lake = box([42.925, 36.84, 42.965, 36.866], omt ? { class: 'lake' } : { kind: 'lake' });
	const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
	return omt
		? { transportation: fc(roads), place: fc([place]), water: fc([lake]) }
		: {
				earth: fc([box(EXTRACT_BOUNDS, { kind: 'earth' })]),
				water: fc([lake]),
				roads: fc(roads),
				places: fc([place])
			};
}

function lon2x(lon: number, z: number) {
	return Math.floor(((lon + 180) / 360) * 2 ** z);
}
function lat2y(lat: number, z: number) {
	const r = (lat * Math.PI) / 180;
	return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}

function writeVarint(out: number[], n: number) {
	while (n >= 0x80) {
		out.push((n & 0x7f) | 0x80);
		n = Math.floor(n / 128);
	}
	out.push(n);
}

interface Entry {
	tileId: number;
	offset: number;
	length: number;
}

function directory(entries: Entry[]): Buffer {
	const out: number[] = [];
	writeVarint(out, entries.length);
	let last = 0;
	for (const e of entries) {
		writeVarint(out, e.tileId - last);
		last = e.tileId;
	}
	for (let i = 0; i < entries.length; i++) writeVarint(out, 1); // run lengths
	for (const e of entries) writeVarint(out, e.length);
	entries.forEach((e, i) => {
		const prev = entries[i - 1];
		writeVarint(out, i > 0 && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
	});
	return Buffer.from(out);
}

/** The extract's tiles (gzip-compressed MVT) and its metadata, whatever the container. */
function extractTiles(schema: ExtractSchema) {
	const byLayer = layers(schema);
	const indexes = Object.entries(byLayer).map(
		([name, fc]) =>
			[
				name,
				new GeoJSONVT(fc, { maxZoom: EXTRACT_ZOOMS.max, indexMaxZoom: 0, buffer: 64, tolerance: 1 })
			] as const
	);
	const tiles: { z: number; x: number; y: number; tileId: number; data: Buffer }[] = [];
	const [w, s, e, n] = EXTRACT_BOUNDS;
	for (let z = EXTRACT_ZOOMS.min; z <= EXTRACT_ZOOMS.max; z++)
		for (let x = lon2x(w, z); x <= lon2x(e, z); x++)
			for (let y = lat2y(n, z); y <= lat2y(s, z); y++) {
				const parts: Record<string, NonNullable<ReturnType<GeoJSONVT['getTile']>>> = {};
				for (const [name, index] of indexes) {
					const t = index.getTile(z, x, y);
					if (t && t.features.length) parts[name] = t;
				}
				if (!Object.keys(parts).length) continue;
				const mvt = fromGeojsonVt(parts, { version: 2, extent: 4096 });
				tiles.push({ z, x, y, tileId: zxyToTileId(z, x, y), data: gzipSync(mvt) });
			}
	const meta = {
		name: `Dohuk test extract (${schema})`,
		attribution: 'Terrain test data',
		vector_layers: Object.keys(byLayer).map((id) => ({ id, fields: {} }))
	};
	return { tiles, meta };
}

/** The extract's tiles by "z/x/y" (gzip-compressed MVT), for a test's own tile server. */
export function extractTileMap(schema: ExtractSchema = 'openmaptiles'): Map<string, Buffer> {
	return new Map(extractTiles(schema).tiles.map((t) => [`${t.z}/${t.x}/${t.y}`, t.data]));
}

/**
 * The same extract as an MBTiles file (SQLite, TMS rows: y counted from the south), written at
 * `path` with the metadata rows tippecanoe writes (`json` holds the vector layers).
 */
export function buildMbtiles(path: string, schema: ExtractSchema = 'protomaps'): void {
	const { tiles, meta } = extractTiles(schema);
	const db = new Database(path);
	try {
		db.exec(`create table metadata (name text, value text);
			create table tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
			create unique index tile_index on tiles (zoom_level, tile_column, tile_row);`);
		const [w, s, e, n] = EXTRACT_BOUNDS;
		const rows: [string, string][] = [
			['name', meta.name],
			['format', 'pbf'],
			['minzoom', String(EXTRACT_ZOOMS.min)],
			['maxzoom', String(EXTRACT_ZOOMS.max)],
			['bounds', [w, s, e, n].join(',')],
			['center', `${EXTRACT_CENTER.join(',')},11`],
			['attribution', meta.attribution],
			['json', JSON.stringify({ vector_layers: meta.vector_layers })]
		];
		for (const r of rows) db.run('insert into metadata values (?, ?)', r);
		for (const t of tiles)
			db.run('insert into tiles values (?, ?, ?, ?)', [t.z, t.x, 2 ** t.z - 1 - t.y, t.data]);
	} finally {
		db.close();
	}
}

/** The archive's bytes. */
export function buildExtract(schema: ExtractSchema = 'protomaps'): Buffer {
	const { tiles, meta } = extractTiles(schema);
	const [w, s, e, n] = EXTRACT_BOUNDS;
	tiles.sort((a, b) => a.tileId - b.tileId);
	const entries: Entry[] = [];
	let offset = 0;
	for (const t of tiles) {
		entries.push({ tileId: t.tileId, offset, length: t.data.length });
		offset += t.data.length;
	}
	const root = directory(entries);
	const metadata = Buffer.from(JSON.stringify(meta));
	const data = Buffer.concat(tiles.map((t) => t.data));

	const header = Buffer.alloc(127);
	header.write('PMTiles', 0, 'ascii');
	header.writeUInt8(3, 7);
	const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
	const rootOffset = 127;
	const metaOffset = rootOffset + root.length;
	const dataOffset = metaOffset + metadata.length;
	u64(8, rootOffset);
	u64(16, root.length);
	u64(24, metaOffset);
	u64(32, metadata.length);
	u64(40, dataOffset); // no leaf directories
	u64(48, 0);
	u64(56, dataOffset);
	u64(64, data.length);
	u64(72, tiles.length);
	u64(80, tiles.length);
	u64(88, tiles.length);
	header.writeUInt8(1, 96); // clustered
	header.writeUInt8(1, 97); // internal compression: none
	header.writeUInt8(2, 98); // tile compression: gzip
	header.writeUInt8(1, 99); // tile type: MVT
	header.writeUInt8(EXTRACT_ZOOMS.min, 100);
	header.writeUInt8(EXTRACT_ZOOMS.max, 101);
	const e7 = (at: number, v: number) => header.writeInt32LE(Math.round(v * 1e7), at);
	e7(102, w);
	e7(106, s);
	e7(110, e);
	e7(114, n);
	header.writeUInt8(11, 118);
	e7(119, EXTRACT_CENTER[0]);
	e7(123, EXTRACT_CENTER[1]);
	return Buffer.concat([header, root, metadata, data]);
}
