/**
 * A headcount answer goes through the outbox (issue 14's IndexedDB outbox): written to the device
 * first, then sent in order with its client id as the Idempotency-Key, so an answer given on a link
 * that is down is sent when it comes back, and a replay after a lost answer counts once. What the
 * device keeps is the headcount's id and "safe" / "need help"; a position the person chose to send
 * stays in memory only (positions of staff are need-to-know), so an answer sent after a reload
 * goes without it. The note is kept: the person typed it to be sent.
 */
import { enqueue, getItem, setMemo, syncOutbox, type OutboxState } from '$lib/offline/outbox';

export async function sendAnswer(
	headcountId: string,
	user: string,
	label: string,
	answer: 'safe' | 'need_help',
	note: string,
	position: { lon: number; lat: number } | null
): Promise<{ state: OutboxState; message?: string }> {
	const item = await enqueue({
		user,
		kind: 'headcount-answer',
		url: `/api/v1/headcounts/${encodeURIComponent(headcountId)}/answer`,
		body: note ? { answer, note } : { answer },
		label
	});
	if (position) setMemo(item.id, position);
	await syncOutbox(user);
	const now = await getItem(item.id);
	return { state: now?.state ?? 'waiting', message: now?.message };
}
