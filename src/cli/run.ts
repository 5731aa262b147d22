// The process entry of the CLI (bin/terrain.js): runs main() and turns failures into one line.
import '../lib/i18n/all.ts';
import { ConfigError } from '../lib/server/config.ts';
import { DbError } from '../lib/server/db/types.ts';
import { CliError } from './errors.ts';
import { main } from './main.ts';

main(process.argv.slice(2)).catch((e: unknown) => {
	// Known problems get one clear line and a non-zero exit; anything else keeps its stack.
	if (e instanceof CliError || e instanceof ConfigError) {
		console.error(`terrain: ${e.message}`);
	} else if (e instanceof DbError) {
		console.error(`terrain: database error: ${e.message}`);
	} else if ((e as { code?: string })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
		console.error(`terrain: ${(e as Error).message}`);
	} else {
		console.error(e);
	}
	process.exit(1);
});
