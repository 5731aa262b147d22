/**
 * Detailed offline basemaps (issue 13, point 5): PMTiles or MBTiles vector archives an operator
 * adds with `terrain basemap add FILE`, kept as files next to the database (no SQL: a basemap is public map
 * data, the same for every user, and the CLI must be able to add one while the server runs).
 *
 * Layout: `<dir>/<id>.pmtiles` (or `.mbtiles`, read by ./mbtiles.ts) and `<dir>/<id>.json` (name,
 * schema, bounds, zooms, layers), where dir is TERRAIN_BASEMAP_DIR or `<TERRAIN_DATA_DIR>/basemaps` (default `data/basemaps`).
 *
 * Why the server decodes tiles (z/x/y) instead of handing the browser byte ranges for the
 * `pmtiles` maplibre Protocol: the service worker must keep basemap bytes for offline use, and
 * Cache Storage refuses partial (206) responses, so ranges could never be kept; one plain 200
 * answer per tile can. It also puts the session check on every tile, keeps the `pmtiles` decoder
 * out of the browser bundle, and lets the file change under a new id without stale ranges.
 */
import { randomBytes } from 'node:crypto';
import {
	copyFile,
	mkdir,
	open,
	readdir,
	readFile,
	rename,
	rm,
	stat,
	writeFile
} from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import {
	detectSchema,
	type BasemapFormat,
	type BasemapInfo,
	type VectorLayer
} from '../../map/pmtiles-style.ts';
import { MbtilesReader, SQLITE_MAGIC, type ArchiveFacts } from './mbtiles.ts';

import type { OnlineBasemapInfo } from '../../map/online-basemap.ts';
import { forgetOrigins } from './csp.ts';

export type { BasemapInfo } from '../../map/pmtiles-style.ts';
export type { OnlineBasemapInfo } from '../../map/online-basemap.ts';
/** A basemap users can switch to: a file this server serves, or an online style (./online.ts). */
export type Basemap = BasemapInfo | OnlineBasemapInfo;

/** A wrong file or name, said in one line (the CLI prints it; the API answers 404/400). */
export class BasemapError extends Error {}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function basemapDir(env: NodeJS.ProcessEnv = process.env): string {
	if (env.TERRAIN_BASEMAP_DIR) return resolve(env.TERRAIN_BASEMAP_DIR);
	return join(resolve(env.TERRAIN_DATA_DIR || 'data'), 'basemaps');
}

/** Reads an archive on disk in place: `pmtiles` asks for byte ranges, we read them from the file. */
class NodeFileSource implements Source {
	private handle: Promise<FileHandle> | null = null;
	constructor(readonly path: string) {}
	getKey() {
		return this.path;
	}
	async getBytes(offset: number, length: number): Promise<RangeResponse> {
		this.handle ??= open(this.path, 'r');
		const fh = await this.handle;
		const buf = Buffer.alloc(length);
		const { bytesRead } = await fh.read(buf, 0, length, offset);
		const data = buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer;
		return { data };
	}
	async close() {
		const h = this.handle;
		this.handle = null;
		if (h) await (await h).close();
	}
}

/** A PMTiles archive's facts, or why it is not a vector one. */
async function pmtilesFacts(path: string): Promise<ArchiveFacts | string> {
	const source = new NodeFileSource(path);
	try {
		const archive = new PMTiles(source);
		let header;
		try {
			header = await archive.getHeader();
		} catch (e) {
			return `is not a PMTiles v3 archive (${(e as Error).message})`;
		}
		if (header.tileType !== TileType.Mvt)
			return `holds ${TileType[header.tileType] ?? 'unknown'} tiles`;
		const meta = ((await archive.getMetadata()) ?? {}) as {
			vector_layers?: VectorLayer[];
			attribution?: string;
		};
		return {
			minzoom: header.minZoom,
			maxzoom: header.maxZoom,
			bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
			attribution: typeof meta.attribution === 'string' ? meta.attribution : null,
			vectorLayers: (meta.vector_layers ?? []).filter((l) => typeof l?.id === 'string')
		};
	} finally {
		await source.close();
	}
}

/** PMTiles or MBTiles, told by the file's first bytes (not its name). */
async function containerOf(path: string): Promise<BasemapFormat> {
	const fh = await open(path, 'r');
	try {
		const head = Buffer.alloc(16);
		await fh.read(head, 0, 16, 0);
		return head.toString('latin1') === SQLITE_MAGIC ? 'mbtiles' : 'pmtiles';
	} finally {
		await fh.close();
	}
}

async function inspect(path: string): Promise<Omit<BasemapInfo, 'id' | 'name' | 'added'>> {
	const format = await containerOf(path);
	let facts: ArchiveFacts | string;
	if (format === 'mbtiles') {
		let reader: MbtilesReader | null = null;
		try {
			reader = new MbtilesReader(path);
			facts = reader.facts();
		} catch (e) {
			facts = `is not a readable MBTiles file (${(e as Error).message})`;
		} finally {
			reader?.close();
		}
	} else facts = await pmtilesFacts(path);
	if (typeof facts === 'string')
		throw new BasemapError(
			`${basename(path)} ${facts}; Terrain draws vector (MVT) basemaps from PMTiles or MBTiles files only`
		);
	const layers = facts.vectorLayers.map((l) => l.id);
	const schema = detectSchema(layers);
	if (!schema)
		throw new BasemapError(
			`${basename(path)} has layers ${JSON.stringify(layers)}: not a Protomaps or OpenMapTiles basemap`
		);
	return {
		format,
		schema,
		layers,
		minzoom: facts.minzoom,
		maxzoom: facts.maxzoom,
		bounds: facts.bounds,
		attribution: facts.attribution,
		size: (await stat(path)).size
	};
}

export function slug(s: string): string {
	return (
		s
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 40) || 'basemap'
	);
}

/** Checks and copies a PMTiles or MBTiles file into the basemap folder; its id is new each time. */
export async function addBasemap(
	file: string,
	name?: string,
	dir = basemapDir()
): Promise<BasemapInfo> {
	const src = resolve(file);
	const st = await stat(src).catch(() => null);
	if (!st?.isFile()) throw new BasemapError(`no such file: ${file}`);
	const facts = await inspect(src);
	const label = (name ?? basename(src).replace(/\.(pm|mb)tiles$/i, '')).trim();
	if (!label) throw new BasemapError('the name is empty');
	// A fresh suffix: tiles are cached by URL, so a replaced file must never reuse an old id.
	const id = `${slug(label)}-${randomBytes(3).toString('hex')}`;
	await mkdir(dir, { recursive: true });
	const info: BasemapInfo = { id, name: label, added: new Date().toISOString(), ...facts };
	const stored = fileOf(info);
	await copyFile(src, join(dir, `${stored}.part`));
	await rename(join(dir, `${stored}.part`), join(dir, stored));
	await writeFile(join(dir, `${id}.json`), JSON.stringify(info, null, '\t') + '\n');
	return info;
}

export async function listBasemaps(dir = basemapDir()): Promise<Basemap[]> {
	const names = await readdir(dir).catch(() => [] as string[]);
	const out: Basemap[] = [];
	for (const n of names.filter((f) => f.endsWith('.json')).sort()) {
		try {
			const info = JSON.parse(await readFile(join(dir, n), 'utf8')) as Basemap;
			const whole =
				info.kind !== 'online' || (typeof info.style === 'string' && Array.isArray(info.origins));
			if (ID.test(info.id) && n === `${info.id}.json` && whole) out.push(info);
		} catch {
			// A half-written or foreign file is not a basemap.
		}
	}
	return out.sort((a, b) => a.name.localeCompare(b.name) || a.added.localeCompare(b.added));
}

/** Removes by id, or by name when exactly one basemap has it. */
export async function removeBasemap(which: string, dir = basemapDir()): Promise<Basemap> {
	const all = await listBasemaps(dir);
	const hit = all.filter((b) => b.id === which);
	const match = hit.length ? hit : all.filter((b) => b.name === which);
	if (match.length !== 1)
		throw new BasemapError(
			match.length
				? `${match.length} basemaps are named ${which}; give the id`
				: `no basemap ${which}`
		);
	const b = match[0];
	await archives.get(b.id)?.close();
	archives.delete(b.id);
	await rm(join(dir, `${b.id}.json`), { force: true });
	if (b.kind === 'online') forgetOrigins();
	else await rm(join(dir, fileOf(b)), { force: true });
	return b;
}

/** The archive's file name in the folder (basemaps added before MBTiles have no format). */
function fileOf(b: Pick<BasemapInfo, 'id' | 'format'>): string {
	return `${b.id}.${b.format ?? 'pmtiles'}`;
}

interface OpenArchive {
	tile(z: number, x: number, y: number): Promise<Uint8Array | null>;
	close(): Promise<void> | void;
}

function openArchive(path: string, format: BasemapFormat): OpenArchive {
	if (format === 'mbtiles') {
		const reader = new MbtilesReader(path);
		return { tile: async (z, x, y) => reader.tile(z, x, y), close: () => reader.close() };
	}
	const source = new NodeFileSource(path);
	const archive = new PMTiles(source);
	return {
		tile: async (z, x, y) => {
			const t = await archive.getZxy(z, x, y);
			return t ? new Uint8Array(t.data) : null;
		},
		close: () => source.close()
	};
}

const archives = new Map<string, OpenArchive>();

/**
 * One tile's MVT bytes (decompressed), or null where the archive has none (outside the extract
 * or its zooms). An unknown id throws BasemapError.
 */
export async function basemapTile(
	id: string,
	z: number,
	x: number,
	y: number,
	dir = basemapDir()
): Promise<Uint8Array | null> {
	if (!ID.test(id)) throw new BasemapError(`no basemap ${id}`);
	let a = archives.get(id);
	if (!a) {
		for (const format of ['pmtiles', 'mbtiles'] as const) {
			const path = join(dir, fileOf({ id, format }));
			if ((await stat(path).catch(() => null))?.isFile()) a = openArchive(path, format);
		}
		if (!a) throw new BasemapError(`no basemap ${id}`);
		archives.set(id, a);
	}
	return a.tile(z, x, y);
}
