import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installation's root folder (where package.json is), wherever the CLI is started from. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATIONS_DIR = join(ROOT, 'supabase', 'migrations');
export const SEED_DIR = join(ROOT, 'supabase', 'seed');
export const BOOTSTRAP_SQL = join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql');
export const BUILD_HANDLER = join(ROOT, 'build', 'handler.js');
