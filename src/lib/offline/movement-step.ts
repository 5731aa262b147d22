/**
 * Check-out and check-in go through the outbox (issue 14): pressed on a link that is down, the
 * step waits on the device and is sent, in order, when it comes back. What is written to the
 * device is the movement's id and the step, nothing of the plan; a position the user chose to
 * attach stays in memory only (positions of a team are movement data), so a step sent after a
 * reload goes without it.
 */
import type { SubmitFunction } from '@sveltejs/kit';
import { invalidateAll } from '$app/navigation';
import { enqueue, getItem, setMemo, syncOutbox, type OutboxState } from './outbox';

const TO: Record<string, string> = { check_out: 'under_way', check_in: 'completed' };

export function queuedStep(
	movementId: string,
	user: string,
	label: string,
	done: (state: OutboxState, message?: string) => void
): SubmitFunction {
	return ({ formData, cancel }) => {
		cancel();
		const to = TO[String(formData.get('step'))];
		const lon = Number(formData.get('lon'));
		const lat = Number(formData.get('lat'));
		return (async () => {
			const item = await enqueue({
				user,
				kind: 'movement-step',
				url: `/api/v1/movements/${encodeURIComponent(movementId)}/transition`,
				body: { to },
				label
			});
			if (formData.get('lon') && Number.isFinite(lon) && Number.isFinite(lat))
				setMemo(item.id, { lon, lat });
			await syncOutbox(user);
			const now = await getItem(item.id);
			if (now?.state === 'accepted') await invalidateAll();
			done(now?.state ?? 'waiting', now?.message);
		})();
	};
}
