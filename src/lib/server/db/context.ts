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
	/**
	 * The request's Idempotency-Key (hooks.server.ts sets it for API POSTs). The seam binds it to
	 * the request's one creating call (IDEMPOTENT_CREATES), so every creating endpoint honours the
	 * header without each domain verb passing it on.
	 */
	idempotencyKey?: string;
	idempotencyClaimed?: boolean;
}

/**
 * The SQL functions that create what a POST endpoint creates. A request's Idempotency-Key applies
 * to the first of these it calls, inside that call's transaction; reads and follow-up calls of the
 * same request run as usual. A second creating call in one request gets no key (it would otherwise
 * be answered with the first one's result).
 */
export const IDEMPOTENT_CREATES: ReadonlySet<string> = new Set([
	'incident_create',
	'actor_save',
	'actor_presence_add',
	'relationship_save',
	'contact_save',
	'site_write',
	'movement_save',
	'movement_call_log',
	// a workflow step (check-out, check-in, approval…) replayed with its key is answered, not redone
	'movement_transition',
	'movement_position',
	'access_authorisation_save',
	'headcount_start',
	'headcount_answer',
	'contingency_plan_save',
	'gazetteer_add',
	'area_level_record',
	'alert_rule_save',
	'briefing_save',
	'briefing_acknowledge',
	'overlay_create'
]);

/** The request's Idempotency-Key for this call, when it is the request's creating call. */
export function claimIdempotencyKey(fn: string): string | undefined {
	const ctx = store.getStore();
	if (!ctx?.idempotencyKey || ctx.idempotencyClaimed || !IDEMPOTENT_CREATES.has(fn)) return;
	ctx.idempotencyClaimed = true;
	return ctx.idempotencyKey;
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
