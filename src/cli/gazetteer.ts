/**
 * `terrain gazetteer add PCODE NAME --source S [--kind variant|former] [--as EMAIL]`
 * `terrain gazetteer lookup NAME` · `terrain gazetteer list [PCODE]`
 * The names imports match places by (src/lib/server/gazetteer), kept with their sources.
 */
import { parseArgs } from 'node:util';
import { gazetteer, gazetteerInput } from '../lib/server/gazetteer/index.ts';
import { FilterError } from '../lib/domain/filters.ts';
import { openMigrated } from './database.ts';
import { CliError } from './errors.ts';
import { cliUser } from './import.ts';

export const GAZETTEER_HELP = `terrain gazetteer add PCODE NAME --source SOURCE [--kind variant|former] [--as EMAIL]
terrain gazetteer lookup NAME        the areas a name can mean, level by level
terrain gazetteer list [PCODE]       the names kept, with kind and source`;

export async function gazetteerCommand(argv: string[], log: (s: string) => void): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			source: { type: 'string' },
			kind: { type: 'string' },
			as: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	const [sub, a, b] = positionals;
	if (values.help || !sub) return log(GAZETTEER_HELP);
	const db = await openMigrated(() => {});
	try {
		const as = await cliUser(db, values.as);
		if (sub === 'add') {
			let input;
			try {
				input = gazetteerInput({ pcode: a, name: b, source: values.source, kind: values.kind });
			} catch (e) {
				if (e instanceof FilterError)
					throw new CliError(`${e.parameter}: ${e.message}\n${GAZETTEER_HELP}`);
				throw e;
			}
			const r = await gazetteer.add(db, as, input);
			log(`${r.pcode}: "${r.name}" (${r.kind}; ${r.source})`);
		} else if (sub === 'lookup') {
			if (!a) throw new CliError(GAZETTEER_HELP);
			const hits = await gazetteer.lookup(db, as, a);
			if (!hits.length) log(`"${a}" matches no area`);
			for (const h of hits)
				log(
					`level ${h.level}: ${h.name_en}${h.parent ? ` (${h.parent})` : ''} ${h.pcode} [${h.match}]`
				);
		} else if (sub === 'list') {
			for (const n of await gazetteer.list(db, as, a))
				log(`${n.pcode}\t${n.kind}\t${n.name}\t${n.source}`);
		} else throw new CliError(GAZETTEER_HELP);
	} finally {
		await db.close();
	}
}
