/**
 * The actor network in the browser: the compact payload of the SQL function actor_network turned
 * into nodes and edges, and the filters the network view applies without asking the server again
 * — the network as it stood on a day, by actor type, relationship kind and area, an actor's
 * neighbourhood (1–3 hops) and name search. Pure functions, so the slider stays instant with
 * 2,000 actors and 10,000 relationships.
 */
import { CONFRONTED, type EdgeKind } from './actors.ts';

export interface GraphNode {
	id: string;
	name: string;
	type: string;
	stance: string;
	influence: number | null;
	interest: number | null;
	/** P-codes (every level) the actor is present in. */
	areas: string[];
	/** Search key of the name (see nameKey). */
	key: string;
}

export interface GraphEdge {
	id: string;
	source: string;
	target: string;
	kind: EdgeKind;
	directed: boolean;
	validFrom: string | null;
	validTo: string | null;
	confidence: string;
	/** Relationships: 1. Confrontations: incidents counted up to the date shown. */
	weight: number;
}

export interface Confrontation {
	a: string;
	b: string;
	/** [month 'YYYY-MM', incidents], ascending. */
	months: [string, number][];
}

export interface Graph {
	nodes: GraphNode[];
	edges: GraphEdge[];
	confrontations: Confrontation[];
}

export type NetworkPayload = {
	nodes: [string, string, string, string, number | null, number | null, string[]][];
	edges: [string, string, string, EdgeKind, boolean, string | null, string | null, string][];
	confrontations: [string, string, [string, number][]][];
};

export function parseNetwork(p: NetworkPayload): Graph {
	return {
		nodes: p.nodes.map(([id, name, type, stance, influence, interest, areas]) => ({
			id,
			name,
			type,
			stance,
			influence,
			interest,
			areas: areas ?? [],
			key: nameKey(name)
		})),
		edges: p.edges.map(([id, source, target, kind, directed, validFrom, validTo, confidence]) => ({
			id,
			source,
			target,
			kind,
			directed,
			validFrom,
			validTo,
			confidence,
			weight: 1
		})),
		confrontations: p.confrontations.map(([a, b, months]) => ({ a, b, months }))
	};
}

/**
 * The same reduction as SQL's actor_name_key: lower case, no Latin diacritics, no Arabic vowel
 * marks or tatweel, one form of alef/yeh/heh, punctuation to spaces, no article al-/the/ال.
 */
export function nameKey(s: string): string {
	let k = ` ${s}`
		.normalize('NFD')
		.toLowerCase()
		.replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, '');
	const from = 'ٱىةیکەı';
	const to = 'ايهيكهi';
	k = [...k]
		.map((c) => {
			const i = from.indexOf(c);
			return i >= 0 ? to[i] : c;
		})
		.join('');
	k = `${k} `
		.replace(/[\s!"#$%&'()*+,./:;<=>?@[\\\]^_`{|}~،؛؟«»“”‘’–—…·-]+/g, ' ')
		.replace(/ (al|el|the) /g, ' ')
		.replace(/ ال(\S\S\S)/g, ' $1');
	return k.trim();
}

/** Valid on a day: open ends are open; null day = whatever the dates. Dates are 'YYYY-MM-DD'. */
export function validOn(from: string | null, to: string | null, day: string | null): boolean {
	if (!day) return true;
	return (!from || from <= day) && (!to || to >= day);
}

/**
 * The edges standing on a day: relationships valid then, and one "confronted" edge per pair of
 * actors with incidents up to that day (the month of the day counts whole), weighted by their
 * number. With windowMonths, only the incidents of that many months up to the day count.
 */
export function edgesAsOf(
	g: Graph,
	day: string | null,
	opts: { windowMonths?: number; confrontations?: boolean } = {}
): GraphEdge[] {
	const out = g.edges.filter((e) => validOn(e.validFrom, e.validTo, day));
	if (opts.confrontations === false) return out;
	const month = day ? day.slice(0, 7) : null;
	const start = month && opts.windowMonths ? addMonths(month, -(opts.windowMonths - 1)) : null;
	for (const c of g.confrontations) {
		let n = 0;
		let first: string | null = null;
		let last: string | null = null;
		for (const [m, k] of c.months) {
			if (month && m > month) break;
			if (start && m < start) continue;
			n += k;
			first ??= m;
			last = m;
		}
		if (n > 0) {
			out.push({
				id: `confronted:${c.a}:${c.b}`,
				source: c.a,
				target: c.b,
				kind: CONFRONTED,
				directed: false,
				validFrom: first,
				validTo: last,
				confidence: 'high',
				weight: n
			});
		}
	}
	return out;
}

export function addMonths(month: string, delta: number): string {
	const [y, m] = month.split('-').map(Number);
	const t = y * 12 + (m - 1) + delta;
	return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/**
 * Hop distance from `focus` to every actor within `hops` steps (directions ignored), over the
 * given edges. Breadth-first, so each distance is the shortest.
 */
export function neighbourhood(
	edges: readonly GraphEdge[],
	focus: string,
	hops: number
): Map<string, number> {
	const adj = new Map<string, string[]>();
	for (const e of edges) {
		(adj.get(e.source) ?? adj.set(e.source, []).get(e.source)!).push(e.target);
		(adj.get(e.target) ?? adj.set(e.target, []).get(e.target)!).push(e.source);
	}
	const dist = new Map<string, number>([[focus, 0]]);
	let frontier = [focus];
	for (let h = 1; h <= hops && frontier.length; h++) {
		const next: string[] = [];
		for (const x of frontier) {
			for (const y of adj.get(x) ?? []) {
				if (!dist.has(y)) {
					dist.set(y, h);
					next.push(y);
				}
			}
		}
		frontier = next;
	}
	return dist;
}

export interface GraphFilter {
	/** 'YYYY-MM-DD', or null for every relationship whatever its dates. */
	asOf?: string | null;
	/** Months of incidents a confrontation edge counts (null: all up to the date). */
	windowMonths?: number | null;
	types?: readonly string[];
	kinds?: readonly string[];
	/** A P-code: only actors present there (at any level). */
	area?: string | null;
	focus?: string | null;
	hops?: number;
	/** Leave out actors with no edge in view (the focus stays). */
	hideIsolated?: boolean;
}

export interface FilteredGraph {
	nodes: GraphNode[];
	edges: GraphEdge[];
	/** Hop distance from the focus, when there is one. */
	hop: Map<string, number> | null;
}

/**
 * What the network view draws: edges standing on the date and of the chosen kinds, between
 * actors of the chosen types present in the area; then, with a focus, only its neighbourhood.
 */
export function filterGraph(g: Graph, f: GraphFilter): FilteredGraph {
	const types = f.types?.length ? new Set(f.types) : null;
	const kinds = f.kinds?.length ? new Set(f.kinds) : null;
	const keep = new Map<string, GraphNode>();
	for (const n of g.nodes) {
		if (types && !types.has(n.type)) continue;
		if (f.area && !n.areas.includes(f.area)) continue;
		keep.set(n.id, n);
	}
	let edges = edgesAsOf(g, f.asOf ?? null, {
		windowMonths: f.windowMonths ?? undefined,
		confrontations: !kinds || kinds.has(CONFRONTED)
	}).filter((e) => (!kinds || kinds.has(e.kind)) && keep.has(e.source) && keep.has(e.target));

	let hop: Map<string, number> | null = null;
	let nodes = [...keep.values()];
	if (f.focus) {
		hop = neighbourhood(edges, f.focus, Math.min(3, Math.max(1, f.hops ?? 1)));
		nodes = nodes.filter((n) => hop!.has(n.id));
		if (!keep.has(f.focus)) {
			const fn = g.nodes.find((n) => n.id === f.focus);
			if (fn) nodes.push(fn);
		}
		edges = edges.filter((e) => hop!.has(e.source) && hop!.has(e.target));
	} else if (f.hideIsolated) {
		const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
		nodes = nodes.filter((n) => linked.has(n.id));
	}
	return { nodes, edges, hop };
}

/** Actors whose name contains the query (same reduction as the SQL search), best first. */
export function searchNodes(nodes: readonly GraphNode[], q: string, limit = 10): GraphNode[] {
	const k = nameKey(q);
	if (!k) return [];
	return nodes
		.filter((n) => n.key.includes(k))
		.sort(
			(a, b) =>
				Number(!a.key.startsWith(k)) - Number(!b.key.startsWith(k)) || a.name.localeCompare(b.name)
		)
		.slice(0, limit);
}

/** Earliest and latest dates in the network, for the "as of" slider's ends. */
export function dateRange(g: Graph): { min: string | null; max: string | null } {
	const ds: string[] = [];
	for (const e of g.edges) {
		if (e.validFrom) ds.push(e.validFrom);
		if (e.validTo) ds.push(e.validTo);
	}
	for (const c of g.confrontations) {
		if (c.months.length) ds.push(`${c.months[0][0]}-01`, `${c.months[c.months.length - 1][0]}-28`);
	}
	ds.sort();
	return { min: ds[0] ?? null, max: ds[ds.length - 1] ?? null };
}
