/**
 * Registers every catalogue at once: imported by the server (hooks.server.ts), the command line
 * (src/cli/run.ts) and the tests (vitest setupFiles), which all speak every language. Browser code
 * must not import this file: it loads its reader's catalogue alone (loadCatalogue).
 */
import { registerCatalogue } from './index.ts';
import { en } from './en/index.ts';
import { ar } from './ar/index.ts';
import { ku } from './ku/index.ts';
import { fr } from './fr/index.ts';

registerCatalogue('en', en);
registerCatalogue('ar', ar);
registerCatalogue('ku', ku);
registerCatalogue('fr', fr);
