/**
 * A stand-in for a hosted online basemap (issue 13, point 5: "An online style URL remains an
 * option"), on another localhost port (there is no internet in the tests): a MapLibre style at
 * `<origin>/style.json` whose vector source is a TileJSON (`/tiles.json`) naming tiles on a
 * *second* origin (`localhost` instead of `127.0.0.1`), as hosted styles often do, so that the
 * test sees both origins reach the page's Content-Security-Policy. The tiles are the Dohuk test
 * extract in the OpenMapTiles schema; roads and water are drawn in colours the built-in basemap
 * never uses. Every request is logged (host and path).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXTRACT_ZOOMS, extractTileMap } from './pmtiles-extract.ts';

export const ONLINE_COLORS = { road: '#8e24aa', water: '#00c8d0', background: '#f6f2d8' };

export interface StyleServer {
	/** http://127.0.0.1:PORT */
	origin: string;
	/** http://localhost:PORT, where the tiles are. */
	tileOrigin: string;
	styleUrl: string;
	/** "host path" of every request, in order. */
	log: string[];
	close(): Promise<void>;
}

export async function startStyleServer(): Promise<StyleServer> {
	const tiles = extractTileMap('openmaptiles');
	const log: string[] = [];
	let port = 0;
	const style = () => ({
		version: 8,
		name: 'Test online streets',
		// Never asked for: Terrain draws an online style's names with its own fonts.
		glyphs: `http://127.0.0.1:${port}/fonts/{fontstack}/{range}.pbf`,
		sources: { omt: { type: 'vector', url: `http://127.0.0.1:${port}/tiles.json` } },
		layers: [
			{ id: 'bg', type: 'background', paint: { 'background-color': ONLINE_COLORS.background } },
			{
				id: 'water',
				type: 'fill',
				source: 'omt',
				'source-layer': 'water',
				paint: { 'fill-color': ONLINE_COLORS.water }
			},
			{
				id: 'roads',
				type: 'line',
				source: 'omt',
				'source-layer': 'transportation',
				paint: { 'line-color': ONLINE_COLORS.road, 'line-width': 6 }
			},
			{
				id: 'places',
				type: 'symbol',
				source: 'omt',
				'source-layer': 'place',
				layout: { 'text-field': ['get', 'name'], 'text-font': ['Open Sans Bold'], 'text-size': 16 }
			}
		]
	});
	const server: Server = createServer((req, res) => {
		log.push(`${req.headers.host} ${req.url}`);
		const send = (status: number, type: string, body: string | Buffer, extra = {}) => {
			res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*', ...extra });
			res.end(body);
		};
		const path = (req.url ?? '').split('?')[0];
		if (path === '/style.json') return send(200, 'application/json', JSON.stringify(style()));
		if (path === '/tiles.json')
			return send(
				200,
				'application/json',
				JSON.stringify({
					tilejson: '3.0.0',
					tiles: [`http://localhost:${port}/tiles/{z}/{x}/{y}.pbf`],
					minzoom: EXTRACT_ZOOMS.min,
					maxzoom: EXTRACT_ZOOMS.max,
					attribution: 'Online test tiles'
				})
			);
		const m = /^\/tiles\/(\d+)\/(\d+)\/(\d+)\.pbf$/.exec(path);
		const tile = m && tiles.get(`${m[1]}/${m[2]}/${m[3]}`);
		if (tile) return send(200, 'application/x-protobuf', tile, { 'content-encoding': 'gzip' });
		if (m) return send(204, 'text/plain', '');
		send(404, 'text/plain', 'not found');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	port = (server.address() as AddressInfo).port;
	return {
		origin: `http://127.0.0.1:${port}`,
		tileOrigin: `http://localhost:${port}`,
		styleUrl: `http://127.0.0.1:${port}/style.json`,
		log,
		close: () => new Promise((r) => server.close(() => r()))
	};
}
