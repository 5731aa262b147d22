// The worker thread's entry (pglite-remote.ts starts it). Plain JavaScript, so Node starts it the
// same way under the CLI (tsx), vitest and the built server; it loads the TypeScript thread
// through its own tsx namespace, which works whether or not the worker inherited a TypeScript
// loader (`--import tsx`).
import { register } from 'tsx/esm/api';

const api = register({ namespace: 'terrain-pglite-worker' });
await api.import('./pglite-thread.ts', import.meta.url);
