/**
 * Synthetic incidents for load tests and demos at scale. Deterministic: incident i of a given seed
 * is always the same row (its own PRNG is seeded from (seed, i)), whatever the batch size or n,
 * so re-running updates nothing and a larger n only adds rows.
 */
import { EVENT_TYPES, type ActorRow, type EventType, type IncidentRow } from './rows.ts';

export const SYNTHETIC_SOURCE = 'synthetic';

/** [lon, lat, weight]: where real events happened and how often (see private.seed_anchors). */
export type Anchor = readonly [number, number, number];

/** mulberry32: small, fast, good enough for test data; not for anything secret. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A 32-bit seed for row i (integer hash mixing; distinct rows get unrelated streams). */
function rowSeed(seed: number, i: number): number {
	let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
	h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}

export const SYNTHETIC_ACTORS: ActorRow[] = [
	{ name: 'Government of Iraq', actor_type: 'state_forces' },
	{ name: 'IS', actor_type: 'armed_group' },
	{ name: 'Civilians', actor_type: 'civilians' },
	{ name: 'Peshmerga', actor_type: 'state_forces' },
	{ name: 'Popular Mobilization Forces (PMF)', actor_type: 'militia' },
	{ name: 'Unidentified armed group', actor_type: 'armed_group' },
	{ name: 'Protesters (Iraq)', actor_type: 'civilians' },
	{ name: 'Rioters (Iraq)', actor_type: 'unknown' }
];

interface TypeSpec {
	type: EventType;
	weight: number;
	/** mean fatalities (geometric-like draw), 0 = none */
	meanFatalities: number;
	subs: readonly string[];
	pairs: ReadonlyArray<readonly [string, string | null]>;
}

// Weights give roughly the mix of a conflict period, while every type is present.
const TYPES: readonly TypeSpec[] = [
	{
		type: 'battles',
		weight: 30,
		meanFatalities: 3,
		subs: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
		pairs: [
			['Government of Iraq', 'IS'],
			['Popular Mobilization Forces (PMF)', 'IS'],
			['Peshmerga', 'IS'],
			['Government of Iraq', 'Unidentified armed group']
		]
	},
	{
		type: 'violence_against_civilians',
		weight: 18,
		meanFatalities: 1.5,
		subs: ['Attack', 'Abduction/forced disappearance'],
		pairs: [
			['IS', 'Civilians'],
			['Unidentified armed group', 'Civilians']
		]
	},
	{
		type: 'explosions_remote_violence',
		weight: 30,
		meanFatalities: 4,
		subs: [
			'Remote explosive/landmine/IED',
			'Suicide bomb',
			'Shelling/artillery/missile attack',
			'Air/drone strike'
		],
		pairs: [
			['IS', 'Civilians'],
			['Unidentified armed group', 'Civilians'],
			['Government of Iraq', 'IS']
		]
	},
	{
		type: 'riots',
		weight: 6,
		meanFatalities: 0.3,
		subs: ['Violent demonstration', 'Mob violence'],
		pairs: [['Rioters (Iraq)', 'Government of Iraq']]
	},
	{
		type: 'protests',
		weight: 11,
		meanFatalities: 0,
		subs: ['Peaceful protest', 'Protest with intervention'],
		pairs: [['Protesters (Iraq)', null]]
	},
	{
		type: 'strategic_developments',
		weight: 5,
		meanFatalities: 0,
		subs: ['Arrests', 'Headquarters or base established', 'Looting/property destruction'],
		pairs: [
			['Government of Iraq', null],
			['IS', null]
		]
	}
];
if (new Set(TYPES.map((t) => t.type)).size !== EVENT_TYPES.length)
	throw new Error('synthetic: every event type needs a spec');

const DAY = 86_400_000;
const FROM = Date.UTC(2010, 0, 1);
const DAYS = Math.round((Date.UTC(2018, 11, 31) - FROM) / DAY) + 1;

function pick<T>(rnd: () => number, xs: readonly T[]): T {
	return xs[Math.floor(rnd() * xs.length)];
}

function weighted<T extends { weight: number }>(
	rnd: () => number,
	xs: readonly T[],
	total: number
): T {
	let r = rnd() * total;
	for (const x of xs) if ((r -= x.weight) < 0) return x;
	return xs[xs.length - 1];
}

const TYPE_TOTAL = TYPES.reduce((s, t) => s + t.weight, 0);

/** Prepared anchors: cumulative weights for a binary search. */
export function prepareAnchors(anchors: readonly Anchor[]): {
	anchors: readonly Anchor[];
	cumulative: Float64Array;
} {
	if (!anchors.length)
		throw new Error('synthetic: no anchor locations (load the areas or the UCDP events first)');
	const cumulative = new Float64Array(anchors.length);
	let s = 0;
	anchors.forEach((a, i) => (cumulative[i] = s += Math.max(a[2], 0) || 1));
	return { anchors, cumulative };
}

function anchorAt(p: ReturnType<typeof prepareAnchors>, u: number): Anchor {
	const target = u * p.cumulative[p.cumulative.length - 1];
	let lo = 0;
	let hi = p.cumulative.length - 1;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (p.cumulative[mid] > target) hi = mid;
		else lo = mid + 1;
	}
	return p.anchors[lo];
}

/** Incident number i (0-based) of the given seed. */
export function syntheticIncident(
	p: ReturnType<typeof prepareAnchors>,
	seed: number,
	i: number
): IncidentRow {
	const rnd = mulberry32(rowSeed(seed, i));
	const spec = weighted(rnd, TYPES, TYPE_TOTAL);
	const [actor1, actor2] = pick(rnd, spec.pairs);
	const [alon, alat] = anchorAt(p, rnd());
	// Gaussian jitter, σ ≈ 2 km, so points spread around real event locations without leaving them.
	const r = Math.sqrt(-2 * Math.log(1 - rnd())) * 0.018;
	const th = 2 * Math.PI * rnd();
	const date = new Date(FROM + Math.floor(rnd() * DAYS) * DAY).toISOString().slice(0, 10);
	// Geometric-like fatalities with the type's mean; most events have few, some many.
	const fatalities =
		spec.meanFatalities === 0 ? 0 : Math.floor(-Math.log(1 - rnd()) * spec.meanFatalities);
	const u = rnd();
	const status = u < 0.8 ? 'verified' : u < 0.95 ? 'reported' : 'rejected';
	const c = rnd();
	const confidentiality = c < 0.2 ? 'public' : c < 0.9 ? 'internal' : 'restricted';
	return {
		upstream_id: `s${seed}-${i}`,
		event_date: date,
		time_precision: rnd() < 0.9 ? 'day' : 'week',
		event_type: spec.type,
		sub_event_type: pick(rnd, spec.subs),
		actor1,
		actor2,
		lon: Math.round((alon + r * Math.cos(th)) * 1e6) / 1e6,
		lat: Math.round((alat + r * Math.sin(th)) * 1e6) / 1e6,
		geo_precision: rnd() < 0.85 ? 1 : 2,
		admin_depth: 3,
		location_name: null,
		fatalities,
		notes: 'Synthetic incident generated for load testing; not a real event.',
		source: 'Terrain synthetic data',
		status,
		confidentiality,
		is_sample: true,
		affects_ngos: rnd() < 0.03,
		source_reliability: pick(rnd, ['A', 'B', 'B', 'C', 'C', 'D'] as const),
		info_credibility: pick(rnd, [1, 2, 2, 3, 3, 4] as const)
	};
}

/** Incidents from..from+count-1 of the given seed. */
export function syntheticIncidents(
	p: ReturnType<typeof prepareAnchors>,
	seed: number,
	from: number,
	count: number
): IncidentRow[] {
	const out: IncidentRow[] = new Array(count);
	for (let k = 0; k < count; k++) out[k] = syntheticIncident(p, seed, from + k);
	return out;
}
