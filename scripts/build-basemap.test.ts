import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// The server sends static/basemap/*.geojson.br to browsers that take brotli, in place of the file
// itself: a copy that drifted from its .geojson would draw an old basemap for most users only.
const dir = join(import.meta.dirname, '..', 'static', 'basemap');

describe('the basemap ships a brotli copy of each GeoJSON file', () => {
	const files = readdirSync(dir).filter((f) => f.endsWith('.geojson'));
	it.each(files)('%s.br holds exactly %s', (f) => {
		const br = readFileSync(join(dir, `${f}.br`));
		expect(brotliDecompressSync(br).equals(readFileSync(join(dir, f)))).toBe(true);
	});
});
