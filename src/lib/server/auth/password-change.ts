import { getDb } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { digest } from './tokens.ts';

export type ChangeProblem =
	| 'auth.current_wrong'
	| 'auth.mismatch'
	| 'password_too_short'
	| 'password_too_long'
	| 'auth.same_password';

/**
 * Replaces the user's password after checking the current one; every other session of theirs
 * ends (a stolen cookie dies with the old password), and with `revokeTokens` their API tokens too.
 */
export async function changePassword(
	user: CallerUser,
	current: string,
	next: string,
	confirm: string,
	sessionToken: string | undefined,
	revokeTokens = false
): Promise<ChangeProblem | null> {
	if (next !== confirm) return 'auth.mismatch';
	const problem = passwordProblem(next);
	if (problem) return problem;
	if (next === current) return 'auth.same_password';
	const db = await getDb();
	const creds = await db.rpc<{ password_hash: string | null } | null>(
		'private.account_credentials',
		{ p_email: user.email },
		'service'
	);
	if (!(await verifyPassword(current, creds?.password_hash))) return 'auth.current_wrong';
	await db.rpc(
		'private.password_change',
		{
			p_user_id: user.id,
			p_new_hash: await hashPassword(next),
			p_keep_session_hash: sessionToken ? digest(sessionToken) : null,
			p_revoke_tokens: revokeTokens
		},
		'service'
	);
	return null;
}
