/**
 * `terrain audit verify`: checks the audit log's hash chain from the first entry to the last and
 * names the first entry that was changed, is missing or is out of order. Exit code 0 when the
 * chain is whole, 1 otherwise.
 */
import { verifyAuditChain } from '../lib/server/audit/index.ts';
import type { Adapter } from '../lib/server/db/types.ts';
import { CliError } from './errors.ts';

export const AUDIT_HELP = `terrain audit verify     check the audit log's hash chain; exit code 1 names the first broken entry`;

/** Runs the check on an open database; returns the process exit code. */
export async function auditVerify(
	db: Adapter,
	log: (s: string) => void,
	err: (s: string) => void = console.error
): Promise<number> {
	const v = await verifyAuditChain(db, 'service');
	if (v.ok) {
		log(
			`audit log OK: ${v.checked} entries, chain head ${v.last_seq} ${v.last_hash} (keep this hash elsewhere to detect a rewritten chain later)`
		);
		return 0;
	}
	err(
		`audit log BROKEN (${v.problem?.kind}): ${v.problem?.message}; ${v.checked} entries before it are intact`
	);
	return 1;
}

export async function auditCommand(
	argv: string[],
	db: Adapter,
	log: (s: string) => void,
	err: (s: string) => void = console.error
): Promise<number> {
	if (argv[0] !== 'verify' || argv.length > 1) throw new CliError(`usage: ${AUDIT_HELP}`);
	return auditVerify(db, log, err);
}
