// The basemap registry on disk, with archives the test builds (tests/fixtures/pmtiles-extract.ts):
// add checks and copies, tiles come back decoded as the roads/places that went in.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { buildExtract, buildMbtiles } from '../../../../tests/e2e/helpers/pmtiles-extract.ts';
import sqlite from 'node-sqlite3-wasm';
import { addBasemap, BasemapError, basemapTile, listBasemaps, removeBasemap } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'terrain-basemaps-'));
const dir = join(root, 'basemaps');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
	const p = join(root, name);
	writeFileSync(p, bytes);
	return p;
}

const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (latDeg: number, z: number) => {
	const lat = (latDeg * Math.PI) / 180;
	return Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
};
/** Dohuk's tile at zoom 11. */
const Z = 11;
const X = tileX(43.0, Z);
const Y = tileY(36.86, Z);

describe('basemaps', () => {
	it('adds a Protomaps extract, lists it and serves its roads and places', async () => {
		const b = await addBasemap(file('dohuk.pmtiles', buildExtract('protomaps')), 'Dohuk', dir);
		expect(b).toMatchObject({ name: 'Dohuk', schema: 'protomaps', minzoom: 6, maxzoom: 13 });
		expect(b.layers.sort()).toEqual(['earth', 'places', 'roads', 'water']);
		expect(b.id).toMatch(/^dohuk-[0-9a-f]{6}$/);
		expect((await listBasemaps(dir)).map((x) => x.id)).toEqual([b.id]);

		const bytes = await basemapTile(b.id, Z, X, Y, dir);
		expect(bytes).not.toBeNull();
		const tile = new VectorTile(new PbfReader(bytes!));
		expect(Object.keys(tile.layers).sort()).toEqual(['earth', 'places', 'roads', 'water']);
		const kinds = Array.from({ length: tile.layers.roads.length }, (_, i) =>
			String(tile.layers.roads.feature(i).properties.kind)
		);
		expect(new Set(kinds)).toEqual(new Set(['highway', 'major_road', 'minor_road']));
		expect(tile.layers.places.feature(0).properties['name:ar']).toBe('دهوك');
		// Outside the extract, and beyond its zooms: no tile.
		expect(await basemapTile(b.id, Z, X + 40, Y, dir)).toBeNull();
		expect(await basemapTile(b.id, 15, 0, 0, dir)).toBeNull();
		await expect(basemapTile('../etc', Z, X, Y, dir)).rejects.toThrow(BasemapError);

		await removeBasemap(b.id, dir);
		expect(await listBasemaps(dir)).toEqual([]);
		expect(readdirSync(dir)).toEqual([]);
		await expect(basemapTile(b.id, Z, X, Y, dir)).rejects.toThrow(/no basemap/);
	});

	it('tells OpenMapTiles from Protomaps by the layers', async () => {
		const b = await addBasemap(file('omt.pmtiles', buildExtract('openmaptiles')), undefined, dir);
		expect(b.schema).toBe('openmaptiles');
		expect(b.name).toBe('omt');
		const tile = new VectorTile(new PbfReader((await basemapTile(b.id, Z, X, Y, dir))!));
		expect(Object.keys(tile.layers).sort()).toEqual(['place', 'transportation', 'water']);
		await removeBasemap('omt', dir);
	});

	it('adds an MBTiles file and serves the same tiles as the PMTiles archive', async () => {
		const path = join(root, 'dohuk.mbtiles');
		buildMbtiles(path, 'protomaps');
		const b = await addBasemap(path, undefined, dir);
		expect(b).toMatchObject({
			name: 'dohuk',
			format: 'mbtiles',
			schema: 'protomaps',
			minzoom: 6,
			maxzoom: 13,
			attribution: 'Terrain test data'
		});
		expect(b.bounds).toEqual([42.85, 36.75, 43.15, 36.98]);
		expect(readdirSync(dir).sort()).toEqual([`${b.id}.json`, `${b.id}.mbtiles`]);
		const p = await addBasemap(file('same.pmtiles', buildExtract('protomaps')), 'same', dir);
		// TMS rows in the file, XYZ in the address: the north-west and south-east corner tiles and
		// Dohuk's come back byte for byte as the PMTiles archive gives them.
		for (const [z, x, y] of [
			[Z, X, Y],
			[6, tileX(42.86, 6), tileY(36.97, 6)],
			[13, tileX(42.86, 13), tileY(36.97, 13)],
			[13, tileX(43.14, 13), tileY(36.76, 13)]
		]) {
			const fromMb = await basemapTile(b.id, z, x, y, dir);
			const fromPm = await basemapTile(p.id, z, x, y, dir);
			expect(fromPm, `${z}/${x}/${y}`).not.toBeNull();
			expect(fromMb, `${z}/${x}/${y}`).toEqual(fromPm);
		}
		const tile = new VectorTile(new PbfReader((await basemapTile(b.id, Z, X, Y, dir))!));
		expect(tile.layers.places.feature(0).properties['name:ar']).toBe('دهوك');
		expect(await basemapTile(b.id, Z, X + 40, Y, dir)).toBeNull();
		await removeBasemap(b.id, dir);
		await removeBasemap(p.id, dir);
		expect(readdirSync(dir)).toEqual([]);
	});

	it('refuses an SQLite file that is not a vector MBTiles basemap', async () => {
		const empty = join(root, 'empty.mbtiles');
		const e = new sqlite.Database(empty);
		e.exec('create table notes (body text)');
		e.close();
		await expect(addBasemap(empty, 'e', dir)).rejects.toThrow(
			/empty.mbtiles has no MBTiles metadata and tiles tables/
		);
		const raster = join(root, 'raster.mbtiles');
		buildMbtiles(raster, 'protomaps');
		const db = new sqlite.Database(raster);
		db.run("update metadata set value = 'png' where name = 'format'");
		db.close();
		await expect(addBasemap(raster, 'r', dir)).rejects.toThrow(/raster.mbtiles holds png tiles/);
		expect(readdirSync(dir)).toEqual([]);
	});

	it('refuses what is not a vector PMTiles basemap', async () => {
		await expect(addBasemap(file('x.pmtiles', 'not an archive'), 'x', dir)).rejects.toThrow(
			BasemapError
		);
		await expect(addBasemap(join(root, 'missing.pmtiles'), 'x', dir)).rejects.toThrow(
			/no such file/
		);
		await expect(removeBasemap('nothing', dir)).rejects.toThrow(/no basemap nothing/);
	});
});
