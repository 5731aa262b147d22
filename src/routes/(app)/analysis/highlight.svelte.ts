// The incidents of the chart element under the pointer (or keyboard focus), fetched from
// /api/v1/map/highlight. Hovering moves fast across bars: each change waits a moment before
// asking, aborts the request of the previous bar, and every answer is kept per bar (per query)
// so moving back is instant. Leaving clears at once.
import type { IncidentsResponse } from '$lib/map/types';
import { highlightParams, targetKey, type ChartBasis, type HighlightTarget } from './highlight.ts';

const DEBOUNCE_MS = 120;
const CACHE_MAX = 200;

export interface HighlightState {
	target: HighlightTarget;
	/** The request (or what stands for it): the same key, the same incidents. */
	key: string;
	/** Null while loading. */
	data: IncidentsResponse | null;
	error: string | null;
}

export class Highlighter {
	current = $state.raw<HighlightState | null>(null);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a private response cache, never rendered; not state
	#cache = new Map<string, IncidentsResponse>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	#controller: AbortController | null = null;

	/** Highlights a target (or clears with null) for the charts' current basis. */
	set(target: HighlightTarget | null, basis: ChartBasis) {
		const q = target ? highlightParams(target, basis) : null;
		// The query names the incidents: the same bar under other filters is another set.
		const url = q ? `/api/v1/map/highlight?${q}` : null;
		const key = target ? (url ?? `nothing:${targetKey(target)}`) : null;
		// Still the same bar (the pointer moved within it): let its request go on.
		if (key !== null && this.current?.key === key) return;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#controller?.abort();
		this.#controller = null;
		if (!target || !key) {
			this.current = null;
			return;
		}
		if (!url) {
			this.current = {
				target,
				key,
				data: { total: 0, fatalities: 0, by_type: {}, points: [] },
				error: null
			};
			return;
		}
		const hit = this.#cache.get(url);
		if (hit) {
			this.current = { target, key, data: hit, error: null };
			return;
		}
		this.current = { target, key, data: null, error: null };
		this.#timer = setTimeout(() => this.#fetch(url, target, key), DEBOUNCE_MS);
	}

	async #fetch(url: string, target: HighlightTarget, key: string) {
		const controller = new AbortController();
		this.#controller = controller;
		try {
			const res = await fetch(url, {
				signal: controller.signal,
				headers: { accept: 'application/json' }
			});
			const body = await res.json().catch(() => null);
			if (!res.ok) throw new Error(body?.message ?? `${res.status} ${res.statusText}`);
			const data = body as IncidentsResponse;
			if (this.#cache.size >= CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
			this.#cache.set(url, data);
			if (controller.signal.aborted || this.current?.key !== key) return;
			this.current = { target, key, data, error: null };
		} catch (e) {
			if (controller.signal.aborted || this.current?.key !== key) return;
			this.current = { target, key, data: null, error: e instanceof Error ? e.message : String(e) };
		}
	}

	destroy() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#controller?.abort();
	}
}
