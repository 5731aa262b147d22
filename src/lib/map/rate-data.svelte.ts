// Loads what the rate shading needs for one level and one set of filters: the areas' shapes, the
// incidents per area under the map's whole filter (/api/v1/stats/areas) and the known populations
// (/api/v1/areas/population). A newer request aborts an older one; the old shading stays on screen
// until the new one is there, so a date change does not blank the map.
import type { AreaCollection } from './types.ts';
import { getJson } from './fetch-json.ts';
import { areaRates, rateBreaks, type AreaRate, type RateQuery } from './area-rates.ts';

type Counts = { areas: { pcode: string; n: number }[] };

export class RateData {
	areas = $state.raw<AreaCollection | null>(null);
	rates = $state.raw<AreaRate[] | null>(null);
	breaks = $state.raw<number[]>([]);
	loading = $state(false);
	error = $state<string | null>(null);
	#key: string | null = null;
	#abort: AbortController | null = null;
	// Shapes of a level do not change with the filters: fetched once per level. A plain record,
	// not state: nothing renders it, and a reactive map read inside the caller's effect would
	// make that effect depend on its own cache.
	#shapes: Partial<Record<1 | 2 | 3, Promise<AreaCollection>>> = {};

	load(q: RateQuery | null) {
		const key = q ? `${q.level}|${q.none}|${q.filters}` : null;
		if (key === this.#key) return;
		this.#key = key;
		this.#abort?.abort();
		if (!q) {
			this.loading = false;
			return;
		}
		const ac = (this.#abort = new AbortController());
		this.loading = true;
		this.error = null;
		let shapes = this.#shapes[q.level];
		if (!shapes) {
			shapes = getJson<AreaCollection>(`/api/v1/areas?level=${q.level}`, ac.signal);
			this.#shapes[q.level] = shapes;
			shapes.catch(() => delete this.#shapes[q.level]);
		}
		const sep = q.filters ? '&' : '';
		Promise.all([
			shapes,
			// The API reads an empty type= as "any type"; the points show none.
			q.none
				? Promise.resolve<Counts>({ areas: [] })
				: getJson<Counts>(`/api/v1/stats/areas?level=${q.level}${sep}${q.filters}`, ac.signal),
			getJson<{ pcode: string; population: number }[]>(
				`/api/v1/areas/population?level=${q.level}`,
				ac.signal
			)
		])
			.then(([fc, counts, pops]) => {
				if (ac.signal.aborted) return;
				const rates = areaRates(
					fc.features.map((f) => f.properties.pcode),
					counts.areas,
					pops
				);
				this.areas = fc;
				this.rates = rates;
				this.breaks = rateBreaks(rates.map((r) => r.rate));
				this.loading = false;
			})
			.catch((e: unknown) => {
				if (ac.signal.aborted) return;
				this.loading = false;
				this.error = e instanceof Error ? e.message : String(e);
				this.#key = null; // the next sync tries again
			});
	}

	destroy() {
		this.#abort?.abort();
	}
}
