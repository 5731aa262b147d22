/**
 * The audit log's verbs: verifying its hash chain (CLI, admin API) and noting a refused request.
 * Writing audit rows is the database's own business (triggers and security-definer functions,
 * see supabase/migrations/20261203120000_audit_chain.sql); these only call what it offers.
 */
import type { Adapter, Caller, CallerUser } from '../db/types.ts';

export interface AuditProblem {
	kind: 'changed' | 'missing' | 'reordered' | 'unchained' | 'truncated';
	seq: number | null;
	id: number | null;
	message: string;
}

export interface AuditVerdict {
	ok: boolean;
	/** Entries checked (all of them when ok). */
	checked: number;
	last_seq: number;
	last_hash: string;
	problem: AuditProblem | null;
}

interface Step extends AuditVerdict {
	done: boolean;
}

/**
 * Walks the whole chain in batches, so that no single database call holds the (embedded,
 * one-call-at-a-time) engine for long, and stops at the first problem.
 */
export async function verifyAuditChain(
	db: Adapter,
	as: Caller = 'service',
	batch = 5000
): Promise<AuditVerdict> {
	let after = 0;
	let prev: string | null = null;
	let checked = 0;
	for (;;) {
		const step: Step = await db.rpc<Step>(
			'audit_verify',
			{ p_after_seq: after, p_prev_hash: prev, p_limit: batch },
			as
		);
		checked += Number(step.checked);
		if (step.problem || step.done) {
			return {
				ok: step.ok,
				checked,
				last_seq: Number(step.last_seq),
				last_hash: step.last_hash,
				problem: step.problem
			};
		}
		after = Number(step.last_seq);
		prev = step.last_hash;
	}
}

/**
 * Records that `user` was refused (403) at `path`. Called after the refused request's own
 * transaction has rolled back; a failure to note is reported but never changes the answer.
 */
export async function noteRefused(
	db: Adapter,
	user: CallerUser,
	method: string,
	path: string,
	status = 403
): Promise<void> {
	try {
		await db.rpc(
			'audit_refused',
			{ p_method: method, p_path: path.slice(0, 300), p_status: status },
			user
		);
	} catch (e) {
		console.error(`audit: could not note a refused request: ${(e as Error).message}`);
	}
}
