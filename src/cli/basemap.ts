/**
 * `terrain basemap add FILE [--name NAME]` · `terrain basemap add-url URL [--name NAME]` ·
 * `terrain basemap list` · `terrain basemap remove ID|NAME`
 * Detailed offline basemaps (PMTiles or MBTiles vector archives) and online styles kept in the
 * basemap folder ($lib/server/basemaps). Files, not database rows: this works next to a running
 * server, which reads the folder on every request for the list.
 */
import { parseArgs } from 'node:util';
import {
	addBasemap,
	basemapDir,
	BasemapError,
	listBasemaps,
	removeBasemap
} from '../lib/server/basemaps/index.ts';
import { addOnlineBasemap } from '../lib/server/basemaps/online.ts';
import { CliError } from './errors.ts';

export const BASEMAP_HELP = `terrain basemap add FILE [--name NAME]   add a PMTiles or MBTiles vector basemap (Protomaps or
                                         OpenMapTiles schema, e.g. \`pmtiles extract\` of a Protomaps
                                         build for Iraq, or planetiler's iraq.mbtiles)
terrain basemap add-url URL [--name NAME]
                                         offer an online MapLibre style (style JSON URL) as well;
                                         read once now to check it and learn the hosts it needs.
                                         Browsers reach those hosts only when a user picks it
terrain basemap list                     the basemaps users can switch to
terrain basemap remove ID|NAME           remove one

Kept in TERRAIN_BASEMAP_DIR, else <TERRAIN_DATA_DIR>/basemaps (default data/basemaps).`;

const mb = (n: number) => (n < 1e6 ? `${Math.ceil(n / 1e3)} kB` : `${(n / 1e6).toFixed(1)} MB`);

export async function basemapCommand(argv: string[], log: (s: string) => void): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
	});
	const [sub, arg] = positionals;
	if (values.help || !sub) return log(BASEMAP_HELP);
	try {
		if (sub === 'add') {
			if (!arg) throw new CliError(`give the file: terrain basemap add FILE\n${BASEMAP_HELP}`);
			const b = await addBasemap(arg, values.name);
			log(
				`basemap ${b.id} "${b.name}" added (${b.schema}, zoom ${b.minzoom}–${b.maxzoom}, ${mb(b.size)}) in ${basemapDir()}`
			);
		} else if (sub === 'add-url') {
			if (!arg)
				throw new CliError(`give the style's URL: terrain basemap add-url URL\n${BASEMAP_HELP}`);
			const b = await addOnlineBasemap(arg, values.name);
			log(`basemap ${b.id} "${b.name}" added (online style, from ${b.origins.join(' ')})`);
		} else if (sub === 'list') {
			const all = await listBasemaps();
			if (!all.length) log(`no basemaps in ${basemapDir()}`);
			for (const b of all)
				if (b.kind === 'online')
					log(`${b.id}\t${b.name}\tonline\t${b.style}\tadded ${b.added.slice(0, 10)}`);
				else
					log(
						`${b.id}\t${b.name}\t${b.schema}\tzoom ${b.minzoom}–${b.maxzoom}\t${mb(b.size)}\tadded ${b.added.slice(0, 10)}`
					);
		} else if (sub === 'remove') {
			if (!arg) throw new CliError('give the id or name: terrain basemap remove ID');
			const b = await removeBasemap(arg);
			log(`basemap ${b.id} "${b.name}" removed`);
		} else throw new CliError(`unknown command: basemap ${sub}\n${BASEMAP_HELP}`);
	} catch (e) {
		if (e instanceof BasemapError) throw new CliError(e.message);
		throw e;
	}
}
