#!/usr/bin/env node
// The Terrain command line. The server modules are TypeScript; tsx runs them as they are, so the
// CLI and the app share one implementation of the database seam.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run.ts');
