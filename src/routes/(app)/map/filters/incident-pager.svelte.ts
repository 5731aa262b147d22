// A page of the incident list (GET /api/v1/incidents/report) for a query, newest first: the
// map's list of what its filters select, and the list of incidents stacked at one point. A new
// query or page aborts the request under way, so a late answer never replaces a newer one.
import { query as buildQuery } from '$lib/query';

export interface ListedIncident {
	id: string;
	event_date: string;
	event_type: string;
	sub_event_type: string | null;
	location_name: string | null;
	fatalities: number | null;
	status: string;
	serious: boolean;
	lon: number;
	lat: number;
}

export class IncidentPager {
	rows = $state.raw<ListedIncident[]>([]);
	total = $state<number | null>(null);
	page = $state(1);
	loading = $state(false);
	error = $state<string | null>(null);
	readonly size: number;
	#query: string | null = null;
	#controller: AbortController | null = null;

	constructor(size = 10) {
		this.size = size;
	}

	get pages() {
		return this.total === null ? 0 : Math.max(1, Math.ceil(this.total / this.size));
	}

	/** Shows page `page` of `query` (the list API's parameters); null clears. */
	load(query: string | null, page = 1) {
		if (query === this.#query && page === this.page && (this.loading || this.total !== null))
			return;
		this.#controller?.abort();
		this.#query = query;
		this.page = page;
		if (query === null) {
			this.rows = [];
			this.total = null;
			this.loading = false;
			return;
		}
		const controller = new AbortController();
		this.#controller = controller;
		this.loading = true;
		const url = `/api/v1/incidents/report?${buildQuery(query, { page, size: this.size, sort: 'event_date', dir: 'desc' })}`;
		fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } })
			.then(async (res) => {
				const body = await res.json().catch(() => null);
				if (!res.ok) throw new Error(body?.message ?? `${res.status} ${res.statusText}`);
				return body as { total: number; rows: ListedIncident[] };
			})
			.then(
				(r) => {
					if (this.#controller !== controller) return;
					this.rows = r.rows;
					this.total = Number(r.total);
					this.error = null;
					this.loading = false;
				},
				(e: unknown) => {
					if (this.#controller !== controller || controller.signal.aborted) return;
					this.error = e instanceof Error ? e.message : String(e);
					this.loading = false;
				}
			);
	}

	go(page: number) {
		if (this.#query !== null) this.load(this.#query, Math.min(Math.max(page, 1), this.pages));
	}

	destroy() {
		this.#controller?.abort();
	}
}
