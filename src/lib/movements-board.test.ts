import { describe, expect, it } from 'vitest';
import { boardOrder, mergeRow, type BoardRow } from './movements-board';

describe('the live movements board', () => {
	const rows: BoardRow[] = [
		{ id: 'a', status: 'approved', departure_at: '2026-12-03T08:00:00Z' },
		{ id: 'b', status: 'under_way', departure_at: '2026-12-01T08:00:00Z' },
		{ id: 'c', status: 'draft', departure_at: '2026-12-05T08:00:00Z' }
	];
	it('puts overdue, then under way first, then the rest newest departure first', () => {
		expect(boardOrder(rows).map((r) => r.id)).toEqual(['b', 'c', 'a']);
		const late = mergeRow(rows, { id: 'a', status: 'overdue' });
		expect(late.map((r) => `${r.id}:${r.status}`)).toEqual(['a:overdue', 'b:under_way', 'c:draft']);
	});
	it('updates a row in place (keeping fields the event left out) or adds a new one', () => {
		const done = mergeRow(rows, { id: 'b', status: 'completed', checked_in_at: 'x' });
		expect(done.find((r) => r.id === 'b')).toEqual({
			id: 'b',
			status: 'completed',
			departure_at: '2026-12-01T08:00:00Z',
			checked_in_at: 'x'
		});
		expect(mergeRow(rows, { id: 'd', status: 'submitted' })).toHaveLength(4);
	});
});
