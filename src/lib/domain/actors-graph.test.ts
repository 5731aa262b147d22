import { describe, expect, it } from 'vitest';
import {
	addMonths,
	dateRange,
	edgesAsOf,
	filterGraph,
	nameKey,
	neighbourhood,
	parseNetwork,
	searchNodes,
	validOn,
	type NetworkPayload
} from './actors-graph.ts';

// ngo —coordination(2015–)→ tribe —negotiation(2014-06..2016-12)— IS —confronted— gov ←command(2016-11-26–)— pmf
const payload: NetworkPayload = {
	nodes: [
		['gov', 'Government of Iraq', 'state_forces', 'neutral', 5, 3, ['IQG01']],
		['is', 'IS', 'armed_group', 'hostile', 4, 1, ['IQG01', 'IQD0101']],
		[
			'pmf',
			'Popular Mobilization Forces (PMF)',
			'militia',
			'unknown',
			4,
			2,
			['IQG01', 'IQD0101', 'IQ010101']
		],
		['tribe', 'Shammar tribal council', 'community_leader', 'supportive', 2, 4, ['IQG02']],
		['ngo', 'Relief Partners', 'national_ngo', 'supportive', 1, 5, ['IQG02']],
		['lone', 'Al-Quiet Association', 'diaspora_association', 'unknown', null, null, []]
	],
	edges: [
		['r1', 'pmf', 'gov', 'command_affiliation', true, '2016-11-26', null, 'high'],
		['r2', 'tribe', 'is', 'negotiation_channel', false, '2014-06-01', '2016-12-31', 'medium'],
		['r3', 'ngo', 'tribe', 'coordination', false, '2015-01-01', null, 'low']
	],
	confrontations: [
		[
			'gov',
			'is',
			[
				['2014-06', 2],
				['2014-08', 1],
				['2016-10', 4]
			]
		]
	]
};
const g = parseNetwork(payload);
const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('validOn', () => {
	it('treats both ends as inclusive and open ends as open', () => {
		expect(validOn('2014-06-01', '2016-12-31', '2014-06-01')).toBe(true);
		expect(validOn('2014-06-01', '2016-12-31', '2016-12-31')).toBe(true);
		expect(validOn('2014-06-01', '2016-12-31', '2017-01-01')).toBe(false);
		expect(validOn('2014-06-01', '2016-12-31', '2014-05-31')).toBe(false);
		expect(validOn(null, null, '1990-01-01')).toBe(true);
		expect(validOn('2020-01-01', null, null)).toBe(true);
	});
});

describe('edgesAsOf', () => {
	it('keeps the relationships standing on the day', () => {
		expect(ids(edgesAsOf(g, '2014-01-01', { confrontations: false }))).toEqual([]);
		expect(ids(edgesAsOf(g, '2015-06-01', { confrontations: false }))).toEqual(['r2', 'r3']);
		expect(ids(edgesAsOf(g, '2016-12-31', { confrontations: false }))).toEqual(['r1', 'r2', 'r3']);
		expect(ids(edgesAsOf(g, '2017-01-01', { confrontations: false }))).toEqual(['r1', 'r3']);
		expect(ids(edgesAsOf(g, null, { confrontations: false }))).toEqual(['r1', 'r2', 'r3']);
	});

	it('weights a confrontation by the incidents up to the day, or within a window', () => {
		const conf = (day: string | null, windowMonths?: number) =>
			edgesAsOf(g, day, { windowMonths }).find((e) => e.kind === 'confronted');
		expect(conf('2014-05-31')).toBeUndefined();
		expect(conf('2014-06-01')?.weight).toBe(2); // the month of the day counts whole
		expect(conf('2015-01-01')).toMatchObject({
			weight: 3,
			validFrom: '2014-06',
			validTo: '2014-08'
		});
		expect(conf(null)?.weight).toBe(7);
		expect(conf('2016-12-01', 12)?.weight).toBe(4); // only 2016-10 within the last 12 months
		expect(conf('2016-06-01', 12)).toBeUndefined();
	});

	it('counts months across year ends', () => {
		expect(addMonths('2016-12', -11)).toBe('2016-01');
		expect(addMonths('2016-01', -1)).toBe('2015-12');
		expect(addMonths('2015-12', 1)).toBe('2016-01');
	});
});

describe('neighbourhood', () => {
	const all = edgesAsOf(g, '2016-12-01');
	it('finds the actors 1, 2 and 3 hops away, each at its shortest distance', () => {
		expect(Object.fromEntries(neighbourhood(all, 'ngo', 1))).toEqual({ ngo: 0, tribe: 1 });
		expect(Object.fromEntries(neighbourhood(all, 'ngo', 2))).toEqual({ ngo: 0, tribe: 1, is: 2 });
		expect(Object.fromEntries(neighbourhood(all, 'ngo', 3))).toEqual({
			ngo: 0,
			tribe: 1,
			is: 2,
			gov: 3
		});
		expect(Object.fromEntries(neighbourhood(all, 'gov', 1))).toEqual({ gov: 0, is: 1, pmf: 1 });
	});
	it('follows edges against their direction', () => {
		expect(neighbourhood(all, 'gov', 1).get('pmf')).toBe(1); // pmf → gov, reached from gov
	});
	it('leaves an isolated actor alone', () => {
		expect(Object.fromEntries(neighbourhood(all, 'lone', 3))).toEqual({ lone: 0 });
	});
});

describe('filterGraph', () => {
	it('shows the network as it stood on a day', () => {
		const f = filterGraph(g, { asOf: '2015-06-01', hideIsolated: true });
		expect(ids(f.nodes)).toEqual(['gov', 'is', 'ngo', 'tribe']);
		expect(f.edges.map((e) => e.kind).sort()).toEqual([
			'confronted',
			'coordination',
			'negotiation_channel'
		]);
	});

	it('filters by actor type and relationship kind', () => {
		const armed = filterGraph(g, { types: ['armed_group', 'state_forces', 'militia'] });
		expect(ids(armed.nodes)).toEqual(['gov', 'is', 'pmf']);
		expect(armed.edges.map((e) => e.kind).sort()).toEqual(['command_affiliation', 'confronted']);
		const onlyConfronted = filterGraph(g, { kinds: ['confronted'], hideIsolated: true });
		expect(ids(onlyConfronted.nodes)).toEqual(['gov', 'is']);
		const noConfronted = filterGraph(g, { kinds: ['command_affiliation'] });
		expect(noConfronted.edges.map((e) => e.id)).toEqual(['r1']);
	});

	it('filters by area at any level', () => {
		expect(ids(filterGraph(g, { area: 'IQD0101' }).nodes)).toEqual(['is', 'pmf']);
		expect(ids(filterGraph(g, { area: 'IQG02' }).nodes)).toEqual(['ngo', 'tribe']);
	});

	it('focuses on a neighbourhood of 1–3 hops, on the day chosen', () => {
		const f1 = filterGraph(g, { asOf: '2016-12-01', focus: 'ngo', hops: 1 });
		expect(ids(f1.nodes)).toEqual(['ngo', 'tribe']);
		const f3 = filterGraph(g, { asOf: '2016-12-01', focus: 'ngo', hops: 3 });
		expect(ids(f3.nodes)).toEqual(['gov', 'is', 'ngo', 'tribe']);
		expect(f3.hop?.get('gov')).toBe(3);
		// In 2018 the negotiation channel had closed: the NGO's neighbourhood stops at the tribe.
		expect(ids(filterGraph(g, { asOf: '2018-01-01', focus: 'ngo', hops: 3 }).nodes)).toEqual([
			'ngo',
			'tribe'
		]);
		// Hops are clamped to 1–3.
		expect(ids(filterGraph(g, { asOf: '2016-12-01', focus: 'ngo', hops: 9 }).nodes)).toEqual([
			'gov',
			'is',
			'ngo',
			'tribe'
		]);
	});

	it('keeps the focus even when the other filters would hide it', () => {
		const f = filterGraph(g, { focus: 'ngo', types: ['armed_group'], hops: 2 });
		expect(ids(f.nodes)).toEqual(['ngo']);
		expect(f.edges).toEqual([]);
	});
});

describe('search', () => {
	it('matches names whatever the case, diacritics, article or Arabic spelling', () => {
		expect(nameKey('Jaysh al-Mukhtār')).toBe('jaysh mukhtar');
		expect(nameKey('الدَّوْلَةُ الإسلاميّة')).toBe(nameKey('الدولة الاسلامية'));
		expect(nameKey("The  Kurdistan-Workers' Party")).toBe('kurdistan workers party');
		expect(searchNodes(g.nodes, 'popular mob').map((n) => n.id)).toEqual(['pmf']);
		expect(searchNodes(g.nodes, 'quiet').map((n) => n.id)).toEqual(['lone']);
		expect(searchNodes(g.nodes, 'i').map((n) => n.id)[0]).toBe('is'); // prefix matches first
		expect(searchNodes(g.nodes, '  ')).toEqual([]);
	});
});

describe('dateRange', () => {
	it('spans relationship dates and confrontation months', () => {
		expect(dateRange(g)).toEqual({ min: '2014-06-01', max: '2016-12-31' });
	});
});
