// The map's context layers: what it shows beside the incidents (sites, admin areas, actor
// presence and relationship arcs, security levels, the baseline) and the one incident opened in
// the details panel. Sites and areas are loaded once; the others follow the filters, one request
// per change, the older one aborted. MapData (map-data.svelte.ts) adds the incident layers on top.
import type { SiteKind } from '$lib/domain/taxonomy';
import type { AreaCollection, IncidentDetail, SitesByKind } from '$lib/map/types';
import type { BaselineTable, CurrentLevel } from '$lib/domain/analysis-types';
import type {
	ArcRow,
	EnrichedArc,
	PresenceCollection,
	RelationshipsAsOf
} from '$lib/map/layers/actor-data';
import { enrichArcs } from '$lib/map/layers/actor-data';
import { getJson, isAbort, messageOf } from '$lib/map/fetch-json';
import { asOfDate } from '$lib/map/url-state';
import { href, query } from '$lib/query';

/**
 * A list parameter: null leaves it out (no filter); an empty list is sent as `kind=` (nothing
 * ticked matches nothing), which query() keeps only in its array form.
 */
const list = (codes: readonly string[] | null) => (codes ? [codes.join(',')] : null);

export class ContextLayers {
	sites = $state.raw<SitesByKind>({});
	areas = $state.raw<{ 1?: AreaCollection; 2?: AreaCollection }>({});
	detail = $state.raw<{ id: string; data: IncidentDetail | null; error: string | null } | null>(
		null
	);
	/** The last failed request's message, for the panel's retry line (incident layers too). */
	error = $state<string | null>(null);

	// The layers that follow the filters (dates, types, area) but not the viewport: each is one
	// request per filter change, the previous one aborted (see #keyed).
	presence = $state.raw<PresenceCollection | null>(null);
	arcs = $state.raw<EnrichedArc[] | null>(null);
	levels = $state.raw<CurrentLevel[] | null>(null);
	baseline = $state.raw<BaselineTable | null>(null);
	/** The newest incident's date: the baseline's default as_of, as on /analysis/baseline. */
	latestIncident = $state<string | null>(null);
	/** Requests of those layers under way. */
	contextLoading = $state(0);
	/** Bumped by retry(): the page reads it so that it asks again for the layers that failed. */
	attempt = $state(0);
	// Plain records, not state: nothing renders them, and a reactive map read inside the page's
	// effect would make that effect depend on its own bookkeeping.
	#keys: Record<string, { key: string; controller: AbortController; done: boolean }> = {};
	#once: Record<string, Promise<unknown>> = {};
	#detailController: AbortController | null = null;

	/** Loads a site registry once (they are small: hundreds to a few thousand rows). */
	ensureSites(kind: SiteKind) {
		this.#loadOnce(`sites:${kind}`, () =>
			getJson<SitesByKind[SiteKind]>(`/api/v1/sites/${kind}`).then((fc) => {
				this.sites = { ...this.sites, [kind]: fc };
			})
		);
	}

	ensureAreas(level: 1 | 2) {
		this.#loadOnce(`areas:${level}`, () =>
			getJson<AreaCollection>(`/api/v1/areas?level=${level}`).then((fc) => {
				this.areas = { ...this.areas, [level]: fc };
			})
		);
	}

	/**
	 * Loads what a layer needs for `key` (its request URL(s)) unless that is what it has or is
	 * loading. A new key aborts the request for the old one; the old data stays on screen until
	 * the new arrives, so a change of date does not blank the map. `key` null clears the layer.
	 */
	#keyed<T>(
		name: string,
		key: string | null,
		load: (signal: AbortSignal) => Promise<T>,
		set: (v: T | null) => void
	) {
		const cur = this.#keys[name];
		if (cur && cur.key === key) return;
		const finish = (k: { done: boolean }) => {
			if (k.done) return;
			k.done = true;
			this.contextLoading--;
		};
		if (cur) {
			cur.controller.abort();
			finish(cur);
		}
		if (key === null) {
			delete this.#keys[name];
			set(null);
			return;
		}
		const controller = new AbortController();
		const me = { key, controller, done: false };
		this.#keys[name] = me;
		this.contextLoading++;
		load(controller.signal)
			.then(
				(v) => {
					if (this.#keys[name] === me) set(v);
				},
				(e: unknown) => {
					if (isAbort(e) || this.#keys[name] !== me) return;
					// Let the same key be asked again (the retry button, or the next change).
					delete this.#keys[name];
					this.error = messageOf(e);
				}
			)
			.finally(() => finish(me));
	}

	/** Actor presence areas standing on `asOf`, of some actor types (null = all); null: layer off. */
	loadPresence(q: { asOf: string; types: string[] | null } | null) {
		const url = q
			? href('/api/v1/actors/presence', query(null, { as_of: q.asOf, type: list(q.types) }))
			: null;
		this.#keyed(
			'presence',
			url,
			(signal) => getJson<PresenceCollection>(url!, signal),
			(v) => (this.presence = v)
		);
	}

	/**
	 * Relationship arcs with the network view's filters. The arcs carry names, not actor ids; the
	 * relationships standing on the same date (same kinds) give the ids, for links to the actors.
	 */
	loadArcs(
		q: { asOf: string; kinds: string[] | null; types: string[] | null; area: string | null } | null
	) {
		let key: string | null = null;
		let rels = '';
		if (q) {
			const kind = list(q.kinds);
			// The arcs take one area; with several (area=A,B) they are not narrowed.
			const area = q.area?.includes(',') ? null : q.area;
			key = href(
				'/api/v1/actors/arcs',
				query(null, { as_of: q.asOf, kind, type: list(q.types), area })
			);
			rels = href('/api/v1/relationships', query(null, { as_of: q.asOf, kind }));
		}
		this.#keyed(
			'arcs',
			key,
			async (signal) => {
				const [rows, known] = await Promise.all([
					getJson<ArcRow[]>(key!, signal),
					getJson<RelationshipsAsOf>(rels, signal)
				]);
				return enrichArcs(rows, known);
			},
			(v) => (this.arcs = v)
		);
	}

	/** The security level in force per district on `asOf`; null: layer off. */
	loadLevels(asOf: string | null) {
		const url = asOf ? `/api/v1/stats/levels?level=2&as_of=${asOf}` : null;
		this.#keyed(
			'levels',
			url,
			(signal) => getJson<CurrentLevel[]>(url!, signal),
			(v) => (this.levels = v)
		);
	}

	/** The baseline flags per district as of `asOf`; null: layer off. */
	loadBaseline(asOf: string | null) {
		const url = asOf ? `/api/v1/stats/baseline?level=2&as_of=${asOf}` : null;
		this.#keyed(
			'baseline',
			url,
			(signal) => getJson<BaselineTable>(url!, signal),
			(v) => (this.baseline = v)
		);
	}

	/** The newest incident's date (once). */
	ensureLatestIncident() {
		this.#loadOnce('latest', () =>
			getJson<{ last_date: string | null }[]>('/api/v1/stats/sources').then((sources) => {
				const last = sources
					.map((x) => x.last_date)
					.filter((d): d is string => !!d)
					.sort()
					.pop();
				// No incidents at all: today, as the baseline page does.
				this.latestIncident = last ?? asOfDate({ to: null });
			})
		);
	}

	#loadOnce(key: string, load: () => Promise<void>) {
		if (key in this.#once) return;
		const p = load().catch((e: unknown) => {
			// Let a later call try again.
			delete this.#once[key];
			this.error = messageOf(e);
		});
		this.#once[key] = p;
	}

	/** The incident behind a clicked point, for the details panel. */
	loadIncident(id: string | null) {
		if (this.detail?.id === id) return;
		this.#detailController?.abort();
		if (!id) {
			this.detail = null;
			return;
		}
		const controller = new AbortController();
		this.#detailController = controller;
		this.detail = { id, data: null, error: null };
		getJson<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`, controller.signal).then(
			(data) => {
				if (this.detail?.id === id) this.detail = { id, data, error: null };
			},
			(e: unknown) => {
				if (isAbort(e) || this.detail?.id !== id) return;
				this.detail = { id, data: null, error: messageOf(e) };
			}
		);
	}

	retry() {
		this.error = null;
		// Failed layer requests were forgotten (see #keyed): the page asks again when this changes.
		this.attempt++;
	}

	destroy() {
		this.#detailController?.abort();
		for (const k of Object.values(this.#keys)) k.controller.abort();
	}
}
