/**
 * What the database seam knows about the request a call is made for, without threading it through
 * every domain verb: hooks.server.ts runs each request inside `withRequest`, and the adapters read
 * `currentRequest()` to cancel calls whose client has gone away and to apply the per-call
 * statement timeout (calls from the CLI or background work run outside any request: no timeout).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
	/** Aborted when the client disconnects. */
	signal?: AbortSignal;
}

// One store per process even when the CLI's source copy and the built app's copy both load this.
const KEY = Symbol.for('terrain.db.request');
type Holder = { [KEY]?: AsyncLocalStorage<RequestContext> };
const store = ((globalThis as Holder)[KEY] ??= new AsyncLocalStorage<RequestContext>());

export function withRequest<T>(ctx: RequestContext, fn: () => T): T {
	return store.run(ctx, fn);
}

export function currentRequest(): RequestContext | undefined {
	return store.getStore();
}
