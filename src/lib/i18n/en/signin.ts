// Sign-in limits, token expiry and bulk revocation, and admins' user changes (issue 10, point 6).
export const signin = {
	'signin.locked': 'Too many failed sign-ins. Try again in {minutes} min.',
	'signin.revoke_tokens_on_change': 'Also revoke all my API tokens (recommended)',
	'signin.token_days': 'Valid for (days)',
	'signin.token_days_invalid': 'Choose a whole number of days from 1 to 366.',
	'signin.token_expires': 'Expires',
	'signin.token_valid_until': 'Valid until {date}.',
	'signin.token_expired': 'Expired',
	'signin.tokens_revoke_all': 'Revoke all my tokens',
	'signin.tokens_revoke_all_confirm':
		'Revoke every one of your API tokens? Scripts using them will stop working.',
	'signin.tokens_revoked_n': 'API tokens revoked: {n}.',
	'signin.enable': 'Enable',
	'signin.enabled_ok': '{email} can sign in again.',
	'signin.role_for': 'Role of {email}',
	'signin.role_save': 'Change role',
	'signin.role_saved': '{email} now has the role {role}.',
	'signin.cannot_change_self': 'You cannot change your own role or disable yourself.',
	'signin.user_tokens_revoke': 'Revoke API tokens',
	'signin.user_tokens_revoke_confirm': 'Revoke every API token of {email}?',
	'signin.user_tokens_revoked': 'API tokens of {email} revoked: {n}.'
};
