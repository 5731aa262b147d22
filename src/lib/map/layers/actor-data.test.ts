import { describe, expect, it } from 'vitest';
import { enrichArcs, type ArcRow, type RelationshipsAsOf } from './actor-data.ts';

const A = '0f8fad5b-d9cb-469f-a165-70867728950e';
const B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const REL = '9b2c1f5e-0000-4000-8000-000000000001';

const known: RelationshipsAsOf = {
	relationships: [
		{
			id: REL,
			source_actor_id: A,
			target_actor_id: B,
			source_name: 'Alpha',
			target_name: 'Beta',
			kind: 'funding'
		}
	],
	confrontations: [
		{
			source_actor_id: A,
			target_actor_id: B,
			source_name: 'Alpha',
			target_name: 'Beta',
			incidents: 7,
			fatalities: 30,
			first_date: '2014-01-02',
			last_date: '2016-05-06'
		}
	]
};

describe('enrichArcs', () => {
	it('gives stored relationships their actors by id, confrontations by name', () => {
		const rows: ArcRow[] = [
			[43, 36, 44, 33, 'funding', true, 1, 'Alpha', 'Beta', REL],
			[43, 36, 44, 33, 'confronted', false, 7, 'Alpha', 'Beta', null]
		];
		const [rel, conf] = enrichArcs(rows, known);
		expect(rel).toMatchObject({
			source: [43, 36],
			target: [44, 33],
			directed: true,
			sourceId: A,
			targetId: B,
			key: REL
		});
		expect(conf).toMatchObject({
			kind: 'confronted',
			weight: 7,
			sourceId: A,
			targetId: B,
			key: `${A}~${B}`,
			fatalities: 30
		});
	});

	it('keeps an arc it cannot match, without ids or a key', () => {
		const [x] = enrichArcs([[1, 2, 3, 4, 'confronted', false, 2, 'Gamma', 'Delta', null]], known);
		expect(x).toMatchObject({ sourceName: 'Gamma', sourceId: null, targetId: null, key: null });
	});

	it('refuses to guess between namesakes', () => {
		const twice = {
			...known,
			confrontations: [
				...known.confrontations,
				{ ...known.confrontations[0], source_actor_id: B, target_actor_id: A }
			]
		};
		const [x] = enrichArcs([[1, 2, 3, 4, 'confronted', false, 2, 'Alpha', 'Beta', null]], twice);
		expect(x.key).toBeNull();
	});
});
