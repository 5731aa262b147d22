/**
 * MBTiles basemaps (issue 13, point 5: "SQLite for MBTiles"): an MBTiles file is an SQLite
 * database with a `metadata` (name, value) table and a `tiles` table keyed by zoom, column and
 * TMS row (counted from the south). It is read in place with node-sqlite3-wasm, SQLite compiled
 * to WebAssembly with file-system access: no native build (the prebuilt binaries of better-sqlite3
 * come from GitHub, which an offline install cannot reach) and no loading of a multi-gigabyte file
 * into memory, as sql.js would.
 */
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import type { VectorLayer } from '../../map/pmtiles-style.ts';

const { Database } = sqlite;
type Db = InstanceType<typeof Database>;

/** What `inspect` needs from a file, whatever its container. */
export interface ArchiveFacts {
	minzoom: number;
	maxzoom: number;
	bounds: [number, number, number, number];
	attribution: string | null;
	vectorLayers: VectorLayer[];
}

/** The first 16 bytes of every SQLite 3 database. */
export const SQLITE_MAGIC = 'SQLite format 3\0';

export class MbtilesReader {
	private db: Db | null;
	constructor(readonly path: string) {
		this.db = new Database(path, { readOnly: true });
	}

	private get open(): Db {
		if (!this.db) throw new Error(`${basename(this.path)} is closed`);
		return this.db;
	}

	/** The metadata rows, checked: vector tiles (format pbf) with their layers. */
	facts(): ArchiveFacts | string {
		let rows: { name: string; value: string }[];
		try {
			rows = this.open.all('select name, value from metadata') as typeof rows;
			this.open.get('select zoom_level from tiles limit 1');
		} catch {
			return 'has no MBTiles metadata and tiles tables';
		}
		const meta = new Map(rows.map((r) => [String(r.name), String(r.value ?? '')]));
		const format = meta.get('format') ?? '';
		if (format !== 'pbf') return `holds ${format || 'unknown'} tiles`;
		let layers: VectorLayer[];
		try {
			const json = JSON.parse(meta.get('json') ?? '{}') as { vector_layers?: VectorLayer[] };
			layers = (json.vector_layers ?? []).filter((l) => typeof l?.id === 'string');
		} catch {
			return 'has a metadata "json" row that is not JSON';
		}
		const zooms = this.open.get(
			'select min(zoom_level) as lo, max(zoom_level) as hi from tiles'
		) as { lo: number | null; hi: number | null };
		const num = (k: string, fallback: number) => {
			const v = Number(meta.get(k));
			return meta.has(k) && Number.isFinite(v) ? v : fallback;
		};
		const b = (meta.get('bounds') ?? '').split(',').map(Number);
		return {
			minzoom: num('minzoom', zooms.lo ?? 0),
			maxzoom: num('maxzoom', zooms.hi ?? 0),
			bounds:
				b.length === 4 && b.every(Number.isFinite)
					? (b as [number, number, number, number])
					: [-180, -85.0511, 180, 85.0511],
			attribution: meta.get('attribution') || null,
			vectorLayers: layers
		};
	}

	/** One tile's MVT bytes (gunzipped when stored gzipped, as tippecanoe does), or null. */
	tile(z: number, x: number, y: number): Uint8Array | null {
		const row = this.open.get(
			'select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?',
			[z, x, 2 ** z - 1 - y]
		) as { tile_data: Uint8Array | null } | null;
		const data = row?.tile_data;
		if (!data || !data.length) return null;
		return data[0] === 0x1f && data[1] === 0x8b ? new Uint8Array(gunzipSync(data)) : data;
	}

	close() {
		this.db?.close();
		this.db = null;
	}
}
