// Online basemaps (issue 13, point 5): registering a hosted style reads it once from a real HTTP
// server on another localhost port (tests/e2e/helpers/style-server.ts), learns every origin it
// needs (the style's, and its TileJSON's tiles' on a second origin), refuses what the map could
// not draw, and the pages' CSP then opens exactly those origins.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStyleServer, type StyleServer } from '../../../../tests/e2e/helpers/style-server.ts';
import { onlineLayers } from '../../map/online-basemap.ts';
import { BASEMAP_FONT_BOLD } from '../../map/basemap-style.ts';
import { BasemapError, listBasemaps, removeBasemap } from './index.ts';
import { addOnlineBasemap } from './online.ts';
import { forgetOrigins, onlineOrigins, withOrigins } from './csp.ts';

const root = mkdtempSync(join(tmpdir(), 'terrain-online-'));
const dir = join(root, 'basemaps');
let srv: StyleServer;
beforeAll(async () => (srv = await startStyleServer()));
afterAll(async () => {
	await srv.close();
	rmSync(root, { recursive: true, force: true });
});

describe('online basemaps', () => {
	it('registers a style with the origins of the style and of its tiles, listed with the others', async () => {
		const b = await addOnlineBasemap(srv.styleUrl, undefined, dir);
		expect(b).toMatchObject({ kind: 'online', name: 'Test online streets', style: srv.styleUrl });
		expect(b.id).toMatch(/^test-online-streets-[0-9a-f]{6}$/);
		expect(b.origins).toEqual([srv.origin, srv.tileOrigin].sort());
		expect(await listBasemaps(dir)).toEqual([b]);
		// The glyph server is not among them: the map writes the names with its own fonts.
		expect(srv.log.some((l) => l.includes('/fonts/'))).toBe(false);

		forgetOrigins();
		const csp = withOrigins(
			"default-src 'self'; img-src 'self' data:; connect-src 'self'",
			await onlineOrigins(dir)
		);
		expect(csp).toBe(
			`default-src 'self'; img-src 'self' data: ${b.origins.join(' ')}; connect-src 'self' ${b.origins.join(' ')}`
		);
		await removeBasemap(b.id, dir);
		expect(await onlineOrigins(dir)).toEqual([]);
	});

	it('refuses what is not an http(s) MapLibre style, saying why, and keeps nothing', async () => {
		const refused = async (url: string) =>
			(await addOnlineBasemap(url, 'x', dir).catch((e: unknown) => e)) as BasemapError;
		expect((await refused('mapbox://styles/mapbox/streets-v12')).message).toMatch(/mapbox:\/\//);
		expect((await refused('file:///etc/passwd')).message).toMatch(/http or https/);
		expect((await refused('https://user:pw@example.org/s.json')).message).toMatch(/password/);
		expect((await refused(`${srv.origin}/nothing.json`)).message).toMatch(/HTTP 404/);
		expect((await refused(`${srv.origin}/tiles.json`)).message).toMatch(/not a MapLibre style/);
		expect(await listBasemaps(dir)).toEqual([]);
	});

	it('ignores a stored entry whose origins are not plain origins (never copied into the header)', async () => {
		writeFileSync(
			join(dir, 'bad-000000.json'),
			JSON.stringify({
				id: 'bad-000000',
				kind: 'online',
				name: 'bad',
				added: '',
				style: 'https://a.example/s.json',
				origins: ['https://a.example; script-src *']
			})
		);
		forgetOrigins();
		expect(await onlineOrigins(dir)).toEqual([]);
		rmSync(join(dir, 'bad-000000.json'));
	});

	it('maps the style into the page map: ids prefixed, URLs absolute, names in the built-in fonts', async () => {
		const style = await (await fetch(srv.styleUrl)).json();
		const d = onlineLayers({ ...style, sprite: 'sprites/s' }, srv.styleUrl);
		expect(d.sources.map(([id]) => id)).toEqual(['online-omt']);
		expect(d.shapes.map((l) => l.id)).toEqual(['online-bg', 'online-water', 'online-roads']);
		expect(d.labels.map((l) => [l.id, (l as { source: string }).source])).toEqual([
			['online-places', 'online-omt']
		]);
		expect((d.labels[0].layout as Record<string, unknown>)['text-font']).toEqual([
			BASEMAP_FONT_BOLD
		]);
		expect(d.sprites).toEqual([{ id: 'default', url: `${srv.origin}/sprites/s` }]);
		const rel = onlineLayers(
			{ version: 8, sources: { t: { type: 'raster', tiles: ['t/{z}/{x}/{y}.png'] } }, layers: [] },
			'https://h.example/a/style.json'
		);
		expect((rel.sources[0][1] as { tiles: string[] }).tiles).toEqual([
			'https://h.example/a/t/{z}/{x}/{y}.png'
		]);
	});
});
