/**
 * Many reports in one request (issue 14): the offline outbox sends what waited on a poor link as
 * one POST instead of one round trip per report. Each item carries the client id it was queued
 * under, used as that item's Idempotency-Key, so a batch re-sent after a lost answer (or an item
 * sent alone before) creates nothing twice. Items run in order, each in its own transaction (one
 * refused item does not undo the others), and each is answered on its own: 201 with the incident,
 * or the 4xx the single POST would have given. A server fault stops the run: that item and the
 * rest are answered 503 (not attempted) and stay in the outbox to be sent again.
 */
import { z } from 'zod';
import { isDbError } from '../api/respond.ts';
import type { CallerUser } from '../db/index.ts';
import { create, type DuplicateWindow } from './index.ts';
import { invalidBody } from './http.ts';

/** Enough for a long offline stretch; the body cap (1 MB by default) holds ~2,500 reports. */
export const BATCH_MAX = 1000;

export const batchSchema = z.object({
	items: z
		.array(
			z.object({
				id: z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 printable ASCII characters'),
				body: z.record(z.string(), z.unknown())
			})
		)
		.min(1)
		.max(BATCH_MAX)
});

export type BatchResult =
	| { id: string; status: 201; incident: Record<string, unknown>; duplicates: unknown[] }
	| { id: string; status: number; message: string; errors?: Record<string, string> };

export async function reportBatch(
	user: CallerUser,
	items: z.infer<typeof batchSchema>['items'],
	dup: DuplicateWindow = {}
): Promise<BatchResult[]> {
	const out: BatchResult[] = [];
	let stopped = false;
	for (const { id, body } of items) {
		if (stopped) {
			out.push({ id, status: 503, message: 'not attempted: an earlier item failed; send again' });
			continue;
		}
		try {
			const r = await create(user, body, dup, { idempotencyKey: id });
			if (r.ok) out.push({ id, status: 201, incident: r.incident, duplicates: r.duplicates ?? [] });
			else out.push({ id, status: 400, ...invalidBody(r.errors) });
		} catch (e) {
			// 403 (not allowed), 409, 422 (the key was used for another report): this item's answer.
			const status = isDbError(e) ? e.httpStatus : 500;
			if (status < 500) {
				out.push({ id, status, message: (e as Error).message });
				continue;
			}
			if (status !== 503) console.error(e);
			stopped = true;
			out.push({ id, status: 503, message: 'not stored: the server failed; send again' });
		}
	}
	return out;
}
